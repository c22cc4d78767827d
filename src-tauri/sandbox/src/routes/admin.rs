//! `/_sandbox/*`: what the real API cannot do (see the list at the top of lib.rs). Behind the
//! admin token ([`crate::guard`]);
//! never counted or limited, never faulted: this router has no gate. Its layer reads every
//! body under the collection cap first; an unknown endpoint or method (HEAD included) answers
//! the sandbox's 404.

use super::access_keys::render_key;
use super::Sh;
use crate::clock::{iso, parse_iso};
use crate::error::ApiError;
use crate::faults::Fault;
use crate::http::{read_body, with_body, Out, Req};
use crate::shared::{lock, read, write, Shared};
use crate::state::usage_key;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use hyper::Method;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

fn bad(msg: &str) -> ApiError {
    ApiError::new(
        400,
        json!({"error": {"name": "sandboxError", "message": msg}}),
    )
}

/// The OS gave no random bytes: nothing guessable is minted instead.
fn no_random(e: std::io::Error) -> ApiError {
    ApiError::new(
        500,
        json!({"error": {"name": "sandboxError", "message": e.to_string()}}),
    )
}

fn not_found(msg: &str) -> ApiError {
    ApiError::new(
        404,
        json!({"error": {"name": "sandboxError", "message": msg}}),
    )
}

async fn unknown_endpoint() -> ApiError {
    not_found("unknown sandbox endpoint")
}

/// The admin router (served for `/_sandbox` and `/_sandbox/…`, trailing `/` trimmed).
pub fn router(sh: Arc<Shared>) -> Router {
    Router::new()
        .route("/_sandbox/keys", get(keys))
        .route("/_sandbox/api-keys", post(mint_api_key))
        .route(
            "/_sandbox/access-keys",
            get(list_access_keys).post(mint_access_key),
        )
        .route("/_sandbox/clock", get(clock).post(set_clock))
        .route("/_sandbox/usage", post(set_usage))
        .route("/_sandbox/limits", get(limits).post(set_limits))
        .route("/_sandbox/reset", post(reset))
        .route("/_sandbox/mocks/{id}", post(set_mock_config))
        .route(
            "/_sandbox/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .method_not_allowed_fallback(unknown_endpoint)
        .fallback(unknown_endpoint)
        .layer(axum::middleware::from_fn_with_state(sh.clone(), read_first))
        .with_state(sh)
}

/// Reads the body (any method) under the collection cap before anything else.
async fn read_first(State(sh): Sh, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let cap = read(&sh.limits).collection_body_max;
    match read_body(body, &parts.headers, cap).await {
        Err(e) => e.into_response(),
        // axum answers HEAD with the GET handler; no sandbox endpoint takes HEAD.
        Ok(_) if parts.method == Method::HEAD => unknown_endpoint().await.into_response(),
        Ok(b) => next.run(with_body(parts, b)).await,
    }
}

async fn keys(State(sh): Sh) -> Out {
    keys_out(&sh)
}

async fn clock(State(sh): Sh) -> Out {
    clock_out(&sh)
}

async fn limits(State(sh): Sh) -> Out {
    limits_out(&sh)
}

fn body(req: &Req) -> Result<Value, ApiError> {
    match req.json()? {
        Value::Null => Ok(json!({})),
        v @ Value::Object(_) => Ok(v),
        _ => Err(bad("body must be a JSON object")),
    }
}

fn keys_out(sh: &Shared) -> Out {
    Out::ok(json!({"keys": sh.secrets.users}))
}

fn user_id(sh: &Shared, b: &Value) -> Result<Option<u64>, ApiError> {
    match b.get("user") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(name)) => read(&sh.state)
            .user_by_name(name)
            .map(|u| Some(u.id))
            .ok_or_else(|| not_found("unknown user")),
        Some(Value::Number(n)) => {
            let id = n.as_u64().unwrap_or(0);
            read(&sh.state)
                .user(id)
                .map(|u| Some(u.id))
                .ok_or_else(|| not_found("unknown user"))
        }
        Some(_) => Err(bad("user must be a username or a user id")),
    }
}

async fn mint_api_key(State(sh): Sh, req: Req) -> Result<Out, ApiError> {
    let b = body(&req)?;
    let uid = user_id(&sh, &b)?.ok_or_else(|| bad("user is required"))?;
    let key = crate::rng::minted_api_key().map_err(no_random)?;
    let mut st = write(&sh.state);
    st.api_keys.insert(crate::state::digest(&key), uid);
    let username = st.user(uid).map(|u| u.username.clone()).unwrap_or_default();
    drop(st);
    sh.dirty();
    Ok(Out::ok(
        json!({"user": username, "userId": uid, "key": key}),
    ))
}

async fn list_access_keys(State(sh): Sh) -> Out {
    let now = sh.now();
    let st = read(&sh.state);
    let keys: Vec<Value> = st
        .access_keys
        .iter()
        .map(|k| {
            let seeded = sh.secrets.access_tokens.get(&k.id).filter(|_| k.seeded);
            render_key(k, now, seeded.map(String::as_str))
        })
        .collect();
    Out::ok(json!({"data": keys}))
}

async fn mint_access_key(State(sh): Sh, req: Req) -> Result<Out, ApiError> {
    let b = body(&req)?;
    let raw = b
        .get("collection")
        .or_else(|| b.get("collectionId"))
        .and_then(Value::as_str)
        .ok_or_else(|| bad("collection (a collection UID or id) is required"))?;
    let who = user_id(&sh, &b)?;
    let token = crate::rng::minted_access_token().map_err(no_random)?;
    let now = sh.now();
    let mut st = write(&sh.state);
    let c = st
        .collection_at(raw)
        .map(|e| (e.c.uid(), e.c.owner))
        .ok_or_else(|| not_found("unknown collection"))?;
    let (k, token) = st.new_access_key(who.unwrap_or(c.1), &c.0, now, token);
    drop(st);
    sh.dirty();
    Ok(Out::ok(render_key(&k, now, Some(&token))))
}

fn clock_out(sh: &Shared) -> Out {
    let now = sh.now();
    Out::ok(json!({"now": iso(now), "epochMs": now}))
}

async fn set_clock(State(sh): Sh, req: Req) -> Result<Out, ApiError> {
    let b = body(&req)?;
    if let Some(now) = b.get("now") {
        let ms = match now {
            Value::String(s) => {
                parse_iso(s).ok_or_else(|| bad("now must be an ISO-8601 UTC time"))?
            }
            Value::Number(n) => n
                .as_i64()
                .filter(|ms| (0..=crate::clock::MAX_MS).contains(ms))
                .ok_or_else(|| bad("now must be epoch ms"))?,
            _ => return Err(bad("now must be an ISO-8601 string or epoch ms")),
        };
        sh.clock.set_ms(ms);
    }
    if let Some(a) = b.get("advanceMs") {
        sh.clock.advance_ms(
            a.as_i64()
                .ok_or_else(|| bad("advanceMs must be an integer"))?,
        );
    }
    if let Some(a) = b.get("advanceSeconds") {
        let s = a
            .as_f64()
            .filter(|s| s.is_finite() && s.abs() < 1e12)
            .ok_or_else(|| bad("advanceSeconds must be a number"))?;
        sh.clock.advance_ms((s * 1000.0) as i64);
    }
    // Scheduled monitor runs the new time has passed happen before the answer.
    crate::routes::monitors::run_due(&sh).await;
    Ok(clock_out(&sh))
}

async fn set_usage(State(sh): Sh, req: Req) -> Result<Out, ApiError> {
    let b = body(&req)?;
    let uid = user_id(&sh, &b)?.ok_or_else(|| bad("user is required"))?;
    let usage = b
        .get("usage")
        .and_then(Value::as_u64)
        .ok_or_else(|| bad("usage must be a non-negative integer"))?;
    let now = sh.now();
    lock(&sh.limiter).usage.insert(usage_key(uid, now), usage);
    sh.dirty();
    Ok(Out::ok(
        json!({"userId": uid, "month": crate::clock::month_key(now), "usage": usage}),
    ))
}

fn limits_out(sh: &Shared) -> Out {
    let l = read(&sh.limits).clone();
    let task = *read(&sh.task_duration);
    Out::ok(json!({
        "perMinute": l.per_minute,
        "windowMs": l.window.as_millis() as u64,
        "heavyLimit": l.heavy_limit,
        "heavyWindowMs": l.heavy_window.as_millis() as u64,
        "monthly": l.monthly,
        "monitorRunsMonthly": l.monitor_runs_monthly,
        "monitorRunWaitMs": l.monitor_run_wait.as_millis() as u64,
        "mockPerMinute": l.mock_per_minute,
        "mockMonthly": l.mock_monthly,
        "collectionBodyMax": l.collection_body_max,
        "environmentBodyMax": l.environment_body_max,
        "otherBodyMax": l.other_body_max,
        "taskDurationMs": task.as_millis() as u64,
    }))
}

async fn set_limits(State(sh): Sh, req: Req) -> Result<Out, ApiError> {
    let b = body(&req)?;
    let num = |k: &str| -> Result<Option<u64>, ApiError> {
        match b.get(k) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .map(Some)
                .ok_or_else(|| bad(&format!("{k} must be a non-negative integer"))),
        }
    };
    let (pm, w, hl, hw, mo, cb, eb, ob, td) = (
        num("perMinute")?,
        num("windowMs")?,
        num("heavyLimit")?,
        num("heavyWindowMs")?,
        num("monthly")?,
        num("collectionBodyMax")?,
        num("environmentBodyMax")?,
        num("otherBodyMax")?,
        num("taskDurationMs")?,
    );
    let (mrm, mrw) = (num("monitorRunsMonthly")?, num("monitorRunWaitMs")?);
    let (mpm, mmo) = (num("mockPerMinute")?, num("mockMonthly")?);
    {
        let mut l = write(&sh.limits);
        if b.get("lifted").and_then(Value::as_bool) == Some(true) {
            *l = crate::Limits::lifted();
        }
        if b.get("default").and_then(Value::as_bool) == Some(true) {
            *l = crate::Limits::default();
        }
        if let Some(v) = pm {
            l.per_minute = v;
        }
        if let Some(v) = w {
            l.window = Duration::from_millis(v.max(1));
        }
        if let Some(v) = hl {
            l.heavy_limit = v;
        }
        if let Some(v) = hw {
            l.heavy_window = Duration::from_millis(v.max(1));
        }
        if let Some(v) = mo {
            l.monthly = v;
        }
        if let Some(v) = mrm {
            l.monitor_runs_monthly = v;
        }
        if let Some(v) = mrw {
            l.monitor_run_wait = Duration::from_millis(v);
        }
        if let Some(v) = mpm {
            l.mock_per_minute = v;
        }
        if let Some(v) = mmo {
            l.mock_monthly = v;
        }
        if let Some(v) = cb {
            l.collection_body_max = v as usize;
        }
        if let Some(v) = eb {
            l.environment_body_max = v as usize;
        }
        if let Some(v) = ob {
            l.other_body_max = v as usize;
        }
    }
    if let Some(v) = td {
        *write(&sh.task_duration) = Duration::from_millis(v);
    }
    // New limits start from fresh windows.
    lock(&sh.limiter).clear();
    Ok(limits_out(&sh))
}

async fn reset(State(sh): Sh) -> Out {
    let (fresh, _) = crate::seed::build(sh.seed, sh.now(), &sh.seed_secrets);
    *write(&sh.state) = fresh;
    {
        let mut lim = lock(&sh.limiter);
        lim.clear();
        lim.usage.clear();
    }
    lock(&sh.tasks).clear();
    lock(&sh.cache).clear();
    lock(&sh.mock_windows).clear();
    lock(&sh.mock_cache).clear();
    crate::faults::clear(&sh);
    sh.dirty();
    keys_out(&sh)
}

/// `POST /_sandbox/mocks/{id}` `{"delay"?, "matchBody"?, "matchHeader"?, "headers"?,
/// "matchQueryParams"?, "matchWildcards"?}`: the mock settings the API cannot set (§4.8).
/// Answers the mock's `config`.
async fn set_mock_config(State(sh): Sh, req: Req) -> Result<Out, ApiError> {
    let b = body(&req)?;
    let id = super::seg(&req.path, 2).to_owned();
    let flag = |k: &str| -> Result<Option<bool>, ApiError> {
        match b.get(k) {
            None => Ok(None),
            Some(v) => v
                .as_bool()
                .map(Some)
                .ok_or_else(|| bad(&format!("{k} must be a boolean"))),
        }
    };
    let (mb, mh, mq, mw) = (
        flag("matchBody")?,
        flag("matchHeader")?,
        flag("matchQueryParams")?,
        flag("matchWildcards")?,
    );
    let headers = match b.get("headers") {
        None => None,
        Some(Value::Array(a)) if a.iter().all(Value::is_string) => Some(
            a.iter()
                .filter_map(|h| h.as_str().map(str::to_string))
                .collect::<Vec<_>>(),
        ),
        Some(_) => return Err(bad("headers must be a list of header names")),
    };
    let delay = match b.get("delay") {
        None => None,
        Some(Value::Null) => Some(Value::Null),
        Some(d) => match d.get("duration").and_then(Value::as_u64) {
            Some(ms) if ms <= 180_000 => Some(d.clone()),
            _ => {
                return Err(bad(
                    "delay must be null or {type, preset?, duration ≤ 180000}",
                ))
            }
        },
    };
    let mut st = write(&sh.state);
    let m = st
        .mocks
        .get_mut(crate::state::split_id(&id).1)
        .ok_or_else(|| not_found("no such mock"))?;
    let c = &mut m.config;
    if let Some(v) = mb {
        c.match_body = v;
    }
    if let Some(v) = mh {
        c.match_header = v;
    }
    if let Some(v) = mq {
        c.match_query_params = v;
    }
    if let Some(v) = mw {
        c.match_wildcards = v;
    }
    if let Some(v) = headers {
        c.headers = v;
    }
    if let Some(v) = delay {
        c.delay = v;
    }
    let out = json!({"config": {"headers": c.headers, "matchBody": c.match_body,
        "matchHeader": c.match_header, "matchQueryParams": c.match_query_params,
        "matchWildcards": c.match_wildcards, "delay": c.delay}});
    drop(st);
    sh.dirty();
    Ok(Out::ok(out))
}

async fn list_faults(State(sh): Sh) -> Out {
    Out::ok(json!({"faults": *lock(&sh.faults)}))
}

async fn add_fault(State(sh): Sh, req: Req) -> Result<Out, ApiError> {
    let b = body(&req)?;
    let route = b
        .get("route")
        .and_then(Value::as_str)
        .unwrap_or("*")
        .to_string();
    let status = match b.get("status") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_u64() {
            Some(s @ (500 | 503)) => Some(s as u16),
            _ => return Err(bad("status must be 500 or 503")),
        },
    };
    let flag = |k: &str| b.get(k).and_then(Value::as_bool).unwrap_or(false);
    let f = Fault {
        route,
        status,
        delay_ms: b.get("delayMs").and_then(Value::as_u64),
        reset: flag("reset"),
        truncate: flag("truncate"),
        storm429: flag("storm429"),
        times: b.get("times").and_then(Value::as_u64).filter(|t| *t > 0),
    };
    if f.status.is_none() && f.delay_ms.is_none() && !f.reset && !f.truncate && !f.storm429 {
        return Err(bad(
            "a fault needs one of status, delayMs, reset, truncate, storm429",
        ));
    }
    Ok(Out::ok(json!({"faults": crate::faults::add(&sh, f)})))
}

async fn clear_faults(State(sh): Sh) -> Out {
    crate::faults::clear(&sh);
    Out::ok(json!({"faults": []}))
}
