//! Calls to the sandbox from outside the client: its `/_sandbox/*` admin endpoints (faults,
//! limits, usage, clock, minted keys, reset) with the admin token, and plain HTTP calls as
//! another app would make them. Needs only the sandbox, reqwest, serde_json and tokio, so the
//! test targets of several crates include it: `tests/common/mod.rs`, `tests/client/support.rs`
//! and the keys crate's unit tests.
#![allow(dead_code)] // each test target uses its own subset

use std::time::Duration;

use postman_sandbox::Sandbox;
use serde_json::{json, Value};

/// `method path` on the sandbox with its admin token, `api_key` (when given) as `x-api-key` and
/// `body` as JSON unless it is null: the status and the JSON answer (null when it is not JSON).
/// The answer must start within 10 s.
pub async fn call(
    sb: &Sandbox,
    method: &str,
    path: &str,
    api_key: Option<&str>,
    body: &Value,
) -> (u16, Value) {
    let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = reqwest::Client::new()
        .request(m, format!("{}{}", sb.url(), path))
        .header("x-sandbox-token", sb.admin_token().expose());
    if let Some(key) = api_key {
        req = req.header("x-api-key", key);
    }
    if !body.is_null() {
        req = req.json(body);
    }
    let r = tokio::time::timeout(Duration::from_secs(10), req.send())
        .await
        .expect("sandbox call in time")
        .expect("sandbox call");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// A `/_sandbox/` admin call that must succeed (status below 300): its JSON answer.
pub async fn admin(sb: &Sandbox, method: &str, path: &str, body: Value) -> Value {
    let (status, v) = call(sb, method, path, None, &body).await;
    assert!(status < 300, "sandbox admin {method} {path}: {status} {v}");
    v
}

/// Arms a fault on `route` ("GET /me", "PUT /collections/{id}", "*"); `fault` says what it
/// does and how often, e.g. `{"status": 500, "times": 1}` or `{"storm429": true}`.
pub async fn add_fault(sb: &Sandbox, route: &str, fault: Value) {
    let mut fault = fault;
    fault["route"] = json!(route);
    admin(sb, "POST", "/_sandbox/faults", fault).await;
}

/// [`add_fault`] for the next `times` calls of `route` only.
pub async fn add_fault_for(sb: &Sandbox, route: &str, times: u32, fault: Value) {
    let mut fault = fault;
    fault["times"] = json!(times);
    add_fault(sb, route, fault).await;
}

/// Removes every fault.
pub async fn clear_faults(sb: &Sandbox) {
    admin(sb, "DELETE", "/_sandbox/faults", Value::Null).await;
}

/// The faults still armed (with their remaining `times`).
pub async fn faults_left(sb: &Sandbox) -> Value {
    admin(sb, "GET", "/_sandbox/faults", Value::Null).await["faults"].clone()
}

/// Changes limits at runtime, e.g. `{"windowMs": 300}`.
pub async fn set_limits(sb: &Sandbox, limits: Value) {
    admin(sb, "POST", "/_sandbox/limits", limits).await;
}

/// Sets `user`'s calls used this month.
pub async fn set_usage(sb: &Sandbox, user: &str, usage: u64) {
    admin(
        sb,
        "POST",
        "/_sandbox/usage",
        json!({ "user": user, "usage": usage }),
    )
    .await;
}

/// Moves the sandbox clock (and every client or domain running on `sb.clock()`) by `ms`.
pub async fn advance_clock(sb: &Sandbox, ms: i64) {
    admin(sb, "POST", "/_sandbox/clock", json!({ "advanceMs": ms })).await;
}

/// A new API key of `user`, as the text a person would paste.
pub async fn mint_api_key(sb: &Sandbox, user: &str) -> String {
    admin(sb, "POST", "/_sandbox/api-keys", json!({ "user": user })).await["key"]
        .as_str()
        .expect("a minted key")
        .to_owned()
}

/// A new access key of a collection (what Postman's Share dialog makes): `{id, token, …}`.
pub async fn mint_access_key(sb: &Sandbox, collection_uid: &str) -> Value {
    admin(
        sb,
        "POST",
        "/_sandbox/access-keys",
        json!({ "collection": collection_uid }),
    )
    .await
}

/// Back to the seed: every minted key is unknown afterwards.
pub async fn reset(sb: &Sandbox) {
    admin(sb, "POST", "/_sandbox/reset", Value::Null).await;
}

/// The `i`-th seeded user (in name order) and their API key.
pub fn seeded_user(sb: &Sandbox, i: usize) -> (String, String) {
    let (user, key) = sb.keys().iter().nth(i).expect("a seeded user");
    (user.clone(), key.clone())
}
