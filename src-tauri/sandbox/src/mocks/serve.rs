//! The mock URL: `http://127.0.0.1:{port}/_mock/{mockId}/…` answers as Postman's mock service
//! does (REFERENCE-monitors-mocks.md §4.3), in this order:
//! 1. the mock, from the path (unknown or deactivated: 404 `mockNotFoundError`);
//! 2. a private mock's `x-api-key`: a key of a user who sees the mock's workspace (else 401
//!    `invalidCredentialsError`; §4.2, §6 #3);
//! 3. the mock's rate, 120 calls a minute (429 `rateLimitError`);
//! 4. the month's `mock_usage` quota (429 `usageLimitError`);
//! 5. the active server response, if one is set (every path and method);
//! 6. else the collection's examples, matched by [`postman_matching`];
//! 7. the delay (`x-mock-response-delay`, else the mock's configured one);
//! 8. the call is logged (credentials masked) and counted in `mock_usage` (§6 #14: every call
//!    that reaches a mock, matched or not; not those refused in 2–4).
//!
//! `OPTIONS` answers 200 with CORS headers (§6 #21) and is neither logged nor counted; every
//! answer carries `Access-Control-Allow-Origin: *`. Mock calls are not API calls: they pass no
//! gate, spend no `api_usage` and are never faulted.

use super::model::{CallLog, StoredMock};
use crate::http::read_body;
use crate::routes::mocks::deactivated;
use crate::shared::{lock, read, write, Shared};
use crate::state::{digest, usage_key};
use axum::body::Body;
use axum::response::Response;
use hyper::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use hyper::{Method, Request, StatusCode};
use postman_matching::log::{logged_body, logged_value, preflight_headers, with_content_type};
use postman_matching::{Mock, Outcome, RenderCtx};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

/// The longest delay a call may ask for (`x-mock-response-delay`, §4.6).
const DELAY_MAX_MS: u64 = 180_000;

/// A mock-service error: family A with a `header` title, sent as `application/json` (§6 #3).
struct Refusal {
    status: u16,
    body: Value,
}

fn refusal(status: u16, name: &str, message: &str) -> Refusal {
    Refusal {
        status,
        body: json!({"error": {"name": name, "message": message}}),
    }
}

/// The answer a call gets, before the delay and the log.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
    /// `responseName` in the call log.
    name: String,
    /// `success` or `error` (call-log `response.type`).
    kind: &'static str,
    delay_ms: Option<u64>,
}

fn respond(status: u16, headers: &[(String, String)], body: String) -> Response {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = resp.headers_mut();
    for (k, v) in headers {
        let lower = k.to_ascii_lowercase();
        // hyper writes the framing headers itself.
        if matches!(
            lower.as_str(),
            "content-length" | "transfer-encoding" | "connection"
        ) {
            continue;
        }
        if let (Ok(k), Ok(v)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(v),
        ) {
            h.append(k, v);
        }
    }
    h.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    resp
}

fn json_answer(r: Refusal) -> Response {
    let ct = [("Content-Type".to_string(), "application/json".to_string())];
    respond(r.status, &ct, r.body.to_string())
}

/// `OPTIONS`: what a browser's preflight needs (§6 #21).
fn preflight(req: &Request<hyper::body::Incoming>) -> Response {
    let asked = req.headers().get("access-control-request-headers");
    let headers = preflight_headers(asked.and_then(|v| v.to_str().ok()));
    respond(200, &headers, String::new())
}

/// Splits `/_mock/{id}/rest?q` into the mock id and the path the examples see (`/rest`).
fn split(path: &str) -> (&str, &str) {
    let rest = &path[super::PREFIX.len()..];
    match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    }
}

/// Steps 1–4: the mock (a copy of what serving needs) or why the call is refused.
fn admit(sh: &Shared, id: &str, api_key: Option<&str>, now: i64) -> Result<StoredMock, Refusal> {
    let st = read(&sh.state);
    let m = crate::state::split_id(id).1;
    let Some(mock) = st.mocks.get(m).filter(|m| !deactivated(&st, m)) else {
        return Err(refusal(
            404,
            "mockNotFoundError",
            "Please refresh and try again.",
        ));
    };
    if mock.private {
        let user = api_key.and_then(|k| st.api_keys.get(&digest(k)).copied());
        if !user.is_some_and(|u| st.can_see_id(u, &mock.workspace)) {
            return Err(refusal(
                401,
                "invalidCredentialsError",
                "Please provide the required `x-api-key` authentication header.",
            ));
        }
    }
    let (per_minute, monthly) = {
        let l = read(&sh.limits);
        (l.mock_per_minute, l.mock_monthly)
    };
    {
        let mut windows = lock(&sh.mock_windows);
        let w = windows.entry(mock.id.clone()).or_insert((now, 0));
        if now - w.0 >= 60_000 {
            *w = (now, 0);
        }
        if w.1 >= per_minute {
            let retry = (w.0 + 60_000 + 999) / 1000;
            return Err(refusal(
                429,
                "rateLimitError",
                &format!("Rate limit exceeded. Retry after {retry}"),
            ));
        }
        w.1 += 1;
    }
    let used = st
        .mock_usage
        .get(&usage_key(mock.owner, now))
        .copied()
        .unwrap_or(0);
    if used >= monthly {
        let mut r = refusal(
            429,
            "usageLimitError",
            &format!(
                "Your team plan allows {monthly} mock server calls per month. Contact your \
                 team Admin to up your limit."
            ),
        );
        r.body["error"]["header"] = json!("Usage limit reached");
        return Err(r);
    }
    // The copy leaves out what serving does not need.
    Ok(StoredMock {
        calls: Default::default(),
        ..mock.clone()
    })
}

/// The prepared examples of a mock (cached until its collection or environment changes).
fn prepared(sh: &Shared, mock: &StoredMock) -> Option<Arc<Mock>> {
    let st = read(&sh.state);
    let c = st.collection_at(&mock.collection_uid)?;
    let env = match &mock.environment_uid {
        Some(e) => Some(st.environment_at(e)?),
        None => None,
    };
    let key = format!(
        "{}:{}:{}",
        c.version,
        env.map(|e| e.e.id.as_str()).unwrap_or(""),
        env.map(|e| e.e.updated_at.as_str()).unwrap_or("")
    );
    let mut cache = lock(&sh.mock_cache);
    if let Some((k, m)) = cache.get(&mock.id) {
        if *k == key {
            return Some(m.clone());
        }
    }
    let values = env.map(|e| Value::Array(e.e.values.clone()));
    let m = Arc::new(Mock::new(&c.c.doc, values.as_ref()));
    cache.insert(mock.id.clone(), (key, m.clone()));
    Some(m)
}

/// Steps 5–6.
fn answer(sh: &Shared, mock: &StoredMock, req: &postman_matching::Request<'_>, now: i64) -> Answer {
    if let Some(sr) = mock.active_server_response() {
        let headers = sr
            .headers
            .iter()
            .filter_map(|h| {
                Some((
                    h.get("key")?.as_str()?.to_string(),
                    h.get("value")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                ))
            })
            .collect();
        return Answer {
            status: sr.status_code,
            headers,
            body: sr.body.clone(),
            name: sr.name.clone(),
            kind: "success",
            delay_ms: postman_matching::requested_delay(req.headers),
        };
    }
    let Some(engine) = prepared(sh, mock) else {
        // The collection went between the admission and now.
        let e = refusal(404, "mockNotFoundError", "Please refresh and try again.");
        return Answer {
            status: e.status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: e.body.to_string(),
            name: "Please refresh and try again.".into(),
            kind: "error",
            delay_ms: None,
        };
    };
    let mut ctx = RenderCtx::new(now, sh.seed ^ mock.call_seq.wrapping_mul(0x9e37_79b9));
    match engine.serve(req, &mock.config.options(), &mut ctx) {
        Outcome::Served(s) => {
            let headers = with_content_type(s.headers, &s.body);
            Answer {
                status: s.status,
                headers,
                body: s.body,
                name: s.name,
                kind: "success",
                delay_ms: s.delay_ms,
            }
        }
        Outcome::Error(e) => Answer {
            status: e.status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: e.body().to_string(),
            name: e.message.clone(),
            kind: "error",
            delay_ms: e.delay_ms,
        },
    }
}

/// Step 8: the call in the mock's log, and in the owner's `mock_usage`.
fn log(sh: &Shared, mock: &StoredMock, call: &Call<'_>, a: &Answer, now: i64) {
    let mut st = write(&sh.state);
    let key = usage_key(mock.owner, now);
    *st.mock_usage.entry(key).or_insert(0) += 1;
    let Some(m) = st.mocks.get_mut(&mock.id) else {
        return;
    };
    m.call_seq += 1;
    let id = format!("{}-{}", m.id, m.call_seq);
    m.record(CallLog {
        id,
        response_name: a.name.clone(),
        served_at: now,
        method: call.method.to_string(),
        path: call.path_and_query.to_string(),
        request_headers: call
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), logged_value(k, v)))
            .collect(),
        request_body: logged_body(&String::from_utf8_lossy(call.body)),
        response_type: a.kind.into(),
        status_code: a.status,
        response_headers: a.headers.clone(),
        response_body: logged_body(&a.body),
    });
    drop(st);
    sh.dirty();
}

/// What the log keeps of the request.
struct Call<'a> {
    method: &'a str,
    path_and_query: &'a str,
    headers: &'a [(String, String)],
    body: &'a [u8],
}

/// Serves a request for a mock URL (its path starts with [`super::PREFIX`]).
pub async fn serve(sh: Arc<Shared>, req: Request<hyper::body::Incoming>) -> Response {
    if req.method() == Method::OPTIONS {
        return preflight(&req);
    }
    let now = sh.now();
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(str::to_string);
    let (id, rest) = split(&path);
    let api_key = req
        .headers()
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let mock = match admit(&sh, id, api_key.as_deref(), now) {
        Ok(m) => m,
        Err(r) => return json_answer(r),
    };
    let method = req.method().as_str().to_string();
    let headers: Vec<(String, String)> = postdesk_base::headers::pairs(req.headers());
    let cap = read(&sh.limits).other_body_max;
    let (parts, body) = req.into_parts();
    let body = match read_body(Body::new(body), &parts.headers, cap).await {
        Ok(b) => b,
        Err(e) => {
            return json_answer(Refusal {
                status: e.status,
                body: e.body,
            })
        }
    };
    let matching = postman_matching::Request {
        method: &method,
        path: rest,
        query: query.as_deref(),
        headers: &headers,
        body: &body,
    };
    let a = answer(&sh, &mock, &matching, now);
    let delay = a
        .delay_ms
        .unwrap_or_else(|| mock.config.delay_ms())
        .min(DELAY_MAX_MS);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    let path_and_query = match &query {
        Some(q) => format!("{rest}?{q}"),
        None => rest.to_string(),
    };
    let call = Call {
        method: &method,
        path_and_query: &path_and_query,
        headers: &headers,
        body: &body,
    };
    log(&sh, &mock, &call, &a, now);
    let mut resp = respond(a.status, &a.headers, a.body);
    if a.status >= 400 && a.kind == "error" {
        resp.headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    resp
}
