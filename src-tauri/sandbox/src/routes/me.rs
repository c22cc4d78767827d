//! `GET /me`: the caller, their team and this month's usage.

use super::{me_user, Sh, User};
use crate::error::ApiError;
use crate::http::Out;
use crate::shared::{lock, read, Shared};
use crate::state::usage_key;
use axum::extract::State;
use axum::routing::get;
use axum::Router;
use serde_json::json;
use std::sync::Arc;

pub fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/me", get(me))
}

async fn me(State(sh): Sh, User { id: u, now }: User) -> Result<Out, ApiError> {
    let usage = lock(&sh.limiter)
        .usage
        .get(&usage_key(u, now))
        .copied()
        .unwrap_or(0);
    let (monthly, monitor_monthly, mock_monthly) = {
        let l = read(&sh.limits);
        (l.monthly, l.monitor_runs_monthly, l.mock_monthly)
    };
    let st = read(&sh.state);
    let user = me_user(&st, u)?;
    let team = st.team(user.team_id);
    // The API objects this user owns.
    let monitor_runs = st
        .monitor_usage
        .get(&usage_key(u, now))
        .copied()
        .unwrap_or(0);
    let mock_calls = st.mock_usage.get(&usage_key(u, now)).copied().unwrap_or(0);
    let objects = (st.collections.values().filter(|e| e.c.owner == u).count()
        + st.environments.values().filter(|e| e.e.owner == u).count()) as u64;
    let op = |name: &str, limit: f64, usage: f64| json!({"name": name, "limit": limit, "usage": usage, "overage": 0});
    let int = |name: &str, limit: u64, usage: u64| json!({"name": name, "limit": limit, "usage": usage, "overage": 0});
    Ok(Out::ok(json!({
        "user": {
            "id": user.id,
            "sub": user.sub,
            "username": user.username,
            "email": user.email,
            "fullName": user.full_name,
            "avatar": user.avatar,
            "isPublic": user.is_public,
            "emailVerified": user.email_verified,
            "teamId": user.team_id,
            "teamName": team.map(|t| t.name.as_str()).unwrap_or(""),
            "teamDomain": team.map(|t| t.domain.as_str()).unwrap_or(""),
            "roles": user.roles,
        },
        "operations": [
            int("api_object_usage", 99_999_999, objects),
            int("collection_run_limit", 99_999_999, 0),
            op("file_storage_limit", 1.0, 0.0),
            int("flow_requests", 1_000_000, 0),
            int("performance_test_limit", 99_999_999, 0),
            int("reusable_packages", 100, 0),
            int("test_data_retrieval", 1000, 0),
            op("test_data_storage", 10.0, 0.0),
            int("postbot_calls", 2500, 0),
            int("mock_usage", mock_monthly, mock_calls),
            int("monitor_request_runs", monitor_monthly, monitor_runs),
            int("api_usage", monthly, usage),
        ],
    })))
}
