//! A mock's server responses (REFERENCE-monitors-mocks.md §3): list, create, get,
//! update and delete, 5xx only, one active at a time (the mock's own routes are in
//! [`super::mocks`]).

use super::mocks::{find, string_field};
use super::{seg, Id, Sh, User};
use crate::error::ApiError;
use crate::http::{Out, Req};
use crate::mocks::model::{self, ServerResponse};
use crate::shared::{read, write, Shared};
use crate::state::State as Data;
use axum::extract::State;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use std::sync::Arc;
pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/mocks/{id}/server-responses",
            get(list_server_responses).post(create_server_response),
        )
        .route(
            "/mocks/{id}/server-responses/{sr}",
            get(get_server_response)
                .put(put_server_response)
                .delete(delete_server_response),
        )
}

/// The mock of a server-response route (its own 404 family).
fn sr_mock(st: &Data, u: u64, raw: &str) -> Result<String, ApiError> {
    find(st, u, raw)
        .map(|m| m.id.clone())
        .ok_or_else(model::sr_mock_not_found)
}

fn sr_path(req: &Req) -> (String, String) {
    (seg(&req.path, 1).to_owned(), seg(&req.path, 3).to_owned())
}

const LANGUAGES: [&str; 5] = ["text", "javascript", "json", "html", "xml"];

/// The checked fields of a `serverResponse` body; `create` requires name and status.
struct SrFields {
    name: Option<String>,
    status: Option<u16>,
    headers: Option<Vec<Value>>,
    language: Option<Option<String>>,
    body: Option<String>,
}

fn sr_fields(req: &Req, create: bool) -> Result<SrFields, ApiError> {
    let sr = match req.json()? {
        Value::Object(mut o) => match o.remove("serverResponse") {
            Some(Value::Object(m)) => m,
            _ => return Err(model::param_missing("serverResponse")),
        },
        _ => return Err(model::param_missing("serverResponse")),
    };
    let name = string_field(&sr, "name")?;
    if create && name.as_deref().is_none_or(str::is_empty) {
        return Err(model::param_missing("name"));
    }
    let status = match sr.get("statusCode") {
        None | Some(Value::Null) if create => return Err(model::param_missing("statusCode")),
        None | Some(Value::Null) => None,
        Some(v) => match v.as_u64() {
            // §6 #19: 5xx only.
            Some(s @ 500..=599) => Some(s as u16),
            _ => return Err(model::invalid_param("statusCode")),
        },
    };
    let headers = match sr.get("headers") {
        None | Some(Value::Null) => None,
        Some(Value::Array(h))
            if h.iter().all(|x| {
                x.get("key").is_some_and(Value::is_string)
                    && x.get("value").is_none_or(Value::is_string)
            }) =>
        {
            Some(
                h.iter()
                    .map(|x| json!({"key": x["key"], "value": x.get("value").cloned().unwrap_or(json!(""))}))
                    .collect(),
            )
        }
        Some(_) => return Err(model::invalid_param("headers")),
    };
    let language = match sr.get("language") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::String(l)) if LANGUAGES.contains(&l.as_str()) => Some(Some(l.clone())),
        Some(_) => return Err(model::invalid_param("language")),
    };
    let body = string_field(&sr, "body")?;
    Ok(SrFields {
        name,
        status,
        headers,
        language,
        body,
    })
}

async fn list_server_responses(
    State(sh): Sh,
    User { id: u, .. }: User,
    Id(raw): Id,
) -> Result<Out, ApiError> {
    let st = read(&sh.state);
    let id = sr_mock(&st, u, &raw)?;
    let list: Vec<Value> = st.mocks[&id]
        .server_responses
        .iter()
        .map(ServerResponse::summary)
        .collect();
    Ok(Out::ok(Value::Array(list)))
}

async fn create_server_response(
    State(sh): Sh,
    User { id: u, now }: User,
    Id(raw): Id,
    req: Req,
) -> Result<Out, ApiError> {
    let mut st = write(&sh.state);
    let id = sr_mock(&st, u, &raw)?;
    let f = sr_fields(&req, true)?;
    let sr_id = st.rng.uuid();
    let sr = ServerResponse {
        id: sr_id,
        name: f.name.unwrap_or_default(),
        status_code: f.status.unwrap_or(500),
        headers: f.headers.unwrap_or_default(),
        language: f.language.flatten(),
        body: f.body.unwrap_or_default(),
        created_by: u,
        updated_by: u,
        created_at: now,
        updated_at: now,
    };
    let out = sr.full(&id);
    // Creating one does not activate it (§3.8).
    if let Some(m) = st.mocks.get_mut(&id) {
        m.server_responses.push(sr);
    }
    drop(st);
    sh.dirty();
    Ok(Out::ok(out))
}

/// The mock's ID and its server response `sr`, if `u` sees the mock.
fn server_response<'s>(
    st: &'s mut Data,
    u: u64,
    raw: &str,
    sr: &str,
) -> Result<(String, &'s mut ServerResponse), ApiError> {
    let id = sr_mock(st, u, raw)?;
    let r = st
        .mocks
        .get_mut(&id)
        .and_then(|m| m.server_responses.iter_mut().find(|r| r.id == sr))
        .ok_or_else(model::sr_not_found)?;
    Ok((id, r))
}

async fn get_server_response(
    State(sh): Sh,
    User { id: u, .. }: User,
    req: Req,
) -> Result<Out, ApiError> {
    let (raw, sr) = sr_path(&req);
    let mut st = write(&sh.state);
    let (id, r) = server_response(&mut st, u, &raw, &sr)?;
    Ok(Out::ok(r.full(&id)))
}

async fn put_server_response(
    State(sh): Sh,
    User { id: u, now }: User,
    req: Req,
) -> Result<Out, ApiError> {
    let (raw, sr) = sr_path(&req);
    let mut st = write(&sh.state);
    let (id, r) = server_response(&mut st, u, &raw, &sr)?;
    let f = sr_fields(&req, false)?;
    if let Some(n) = f.name.filter(|n| !n.is_empty()) {
        r.name = n;
    }
    if let Some(s) = f.status {
        r.status_code = s;
    }
    if let Some(h) = f.headers {
        r.headers = h;
    }
    if let Some(l) = f.language {
        r.language = l;
    }
    // `body` is a full replacement (§3.8).
    if let Some(b) = f.body {
        r.body = b;
    }
    r.updated_by = u;
    r.updated_at = now;
    let out = r.full(&id);
    drop(st);
    sh.dirty();
    Ok(Out::ok(out))
}

async fn delete_server_response(
    State(sh): Sh,
    User { id: u, .. }: User,
    req: Req,
) -> Result<Out, ApiError> {
    let (raw, sr) = sr_path(&req);
    let mut st = write(&sh.state);
    let id = sr_mock(&st, u, &raw)?;
    let Some(m) = st.mocks.get_mut(&id) else {
        return Err(model::sr_mock_not_found());
    };
    let at = m
        .server_responses
        .iter()
        .position(|r| r.id == sr)
        .ok_or_else(model::sr_not_found)?;
    // The active one's ID stays in `config` (§3.8, §4.9).
    let r = m.server_responses.remove(at);
    drop(st);
    sh.dirty();
    Ok(Out::ok(r.deleted()))
}
