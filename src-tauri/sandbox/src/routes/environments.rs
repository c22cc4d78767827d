//! `/environments` and `/environments/{id}`: list, create, read, replace (PUT), JSON-patch
//! (PATCH), delete. The environment body is `crate::environments`'s business; this module does
//! ids, visibility and HTTP shapes.

use super::{post_target_workspace, Id, Sh, User};
use crate::clock::iso;
use crate::environments::{self as envs, StoredEnvironment};
use crate::error::ApiError;
use crate::http::{Out, Req};
use crate::model::Ctx;
use crate::policy;
use crate::shared::{read, write, Shared};
use crate::state::{split_id, EnvEntry};
use axum::extract::State;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use std::sync::Arc;

pub fn routes() -> Router<Arc<Shared>> {
    let one = get(get_one).put(put).patch(patch).delete(delete);
    super::resource("environments", get(list).post(create), one)
}

fn not_found() -> ApiError {
    let mut e = envs::not_found_error();
    e.status = policy::NOT_FOUND_STATUS;
    e
}

async fn list(State(sh): Sh, User { id: u, .. }: User, req: Req) -> Result<Out, ApiError> {
    let st = read(&sh.state);
    let ws = req.q("workspace").filter(|w| !w.is_empty());
    if let Some(w) = ws {
        if !st.can_see_id(u, w) {
            return Ok(Out::ok(json!({"environments": []})));
        }
    }
    let mut all: Vec<&EnvEntry> = st
        .environments
        .values()
        .filter(|e| ws.is_none_or(|w| e.e.workspace == w))
        .filter(|e| st.can_see_id(u, &e.e.workspace))
        .collect();
    all.sort_by_key(|e| e.seq);
    Ok(Out::ok(
        json!({"environments": all.iter().map(|e| envs::summary(&e.e)).collect::<Vec<_>>()}),
    ))
}

async fn get_one(State(sh): Sh, User { id: u, .. }: User, Id(raw): Id) -> Result<Out, ApiError> {
    let st = read(&sh.state);
    let e = st
        .environment_at(&raw)
        .filter(|e| st.can_see_id(u, &e.e.workspace))
        .ok_or_else(not_found)?;
    Ok(Out::ok(envs::render_full(&e.e)))
}

async fn create(State(sh): Sh, User { id: u, now }: User, req: Req) -> Result<Out, ApiError> {
    let body = req.json()?;
    let now_s = iso(now);
    let mut st = write(&sh.state);
    let ws = post_target_workspace(&st, &req, u)?;
    let mut e = st.rng.with_ctx(&now_s, u, |ctx| envs::create(ctx, &body))?;
    e.workspace = ws;
    let out = envs::created_body(&e);
    st.seq += 1;
    let seq = st.seq;
    st.environments.insert(e.id.clone(), EnvEntry { seq, e });
    drop(st);
    sh.dirty();
    Ok(Out::ok(out))
}

/// PUT and PATCH: `change` edits a copy of the environment `raw` names (if `u` sees it, else
/// `missing()`); on success the copy is stored and answered as `render` shows it.
fn update(
    sh: &Shared,
    User { id: u, now }: User,
    raw: &str,
    missing: impl FnOnce() -> ApiError,
    change: impl FnOnce(&mut Ctx, &mut StoredEnvironment) -> Result<(), ApiError>,
    render: fn(&StoredEnvironment) -> Value,
) -> Result<Out, ApiError> {
    let now_s = iso(now);
    let mut st = write(&sh.state);
    let Some(entry) = st
        .environment_at(raw)
        .filter(|e| st.can_see_id(u, &e.e.workspace))
    else {
        return Err(missing());
    };
    let mut e = entry.e.clone();
    st.rng.with_ctx(&now_s, u, |ctx| change(ctx, &mut e))?;
    let out = render(&e);
    if let Some(x) = st.environments.get_mut(&e.id) {
        x.e = e;
    }
    drop(st);
    sh.dirty();
    Ok(Out::ok(out))
}

async fn put(State(sh): Sh, user: User, Id(raw): Id, req: Req) -> Result<Out, ApiError> {
    let body = req.json()?;
    let change = |ctx: &mut Ctx, e: &mut StoredEnvironment| envs::replace(ctx, e, &body);
    update(&sh, user, &raw, not_found, change, envs::replaced_body)
}

async fn patch(State(sh): Sh, user: User, Id(raw): Id, req: Req) -> Result<Out, ApiError> {
    let body = req.json()?;
    if split_id(&raw).1.len() != 36 {
        return Err(envs::invalid_id_error(&raw));
    }
    let missing = || envs::patch_not_found_error(&raw);
    let change = |ctx: &mut Ctx, e: &mut StoredEnvironment| envs::patch(ctx, e, &body, &raw);
    update(&sh, user, &raw, missing, change, envs::render_patched)
}

async fn delete(State(sh): Sh, User { id: u, .. }: User, Id(raw): Id) -> Result<Out, ApiError> {
    let mut st = write(&sh.state);
    let Some(entry) = st
        .environment_at(&raw)
        .filter(|e| st.can_see_id(u, &e.e.workspace))
    else {
        return Err(not_found());
    };
    let id = entry.e.id.clone();
    let removed = st.environments.remove(&id);
    drop(st);
    sh.dirty();
    match removed {
        Some(x) => Ok(Out::ok(envs::deleted_body(&x.e))),
        None => Err(not_found()),
    }
}
