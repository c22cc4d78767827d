//! `/mocks`, `/mocks/{id}`, publish and unpublish, the call logs and the server responses
//! (REFERENCE-monitors-mocks.md §3, with the §6 choices). The mock URLs themselves are served
//! by [`crate::mocks::serve`].

use super::{post_target_workspace, Id, Sh, User};
use crate::clock::parse_iso;
use crate::error::ApiError;
use crate::http::{Out, Req};
use crate::mocks::model::{self, Include, MockConfig, StoredMock};
use crate::rng::{b64_decode, b64_encode};
use crate::shared::{read, write, Shared};
use crate::state::State as Data;
use axum::extract::State;
use axum::routing::{delete, get, post};
use axum::Router;
use serde_json::{json, Map, Value};
use std::collections::VecDeque;
use std::sync::Arc;

pub fn routes() -> Router<Arc<Shared>> {
    let one = get(get_one).put(put).delete(remove);
    super::resource("mocks", get(list).post(create), one)
        .route("/mocks/{id}/publish", post(publish))
        .route("/mocks/{id}/unpublish", delete(unpublish))
        .route("/mocks/{id}/call-logs", get(call_logs))
        .merge(super::mock_responses::routes())
}

/// Call logs per page at most (and the default), and the bytes a page may hold (§3.6).
const LOGS_MAX: usize = 100;
const LOGS_BYTES_MAX: usize = 6_500_000;

/// Is the mock's collection (or its environment) gone? Such a mock is `deactivated` (§3.0).
pub fn deactivated(st: &Data, m: &StoredMock) -> bool {
    st.collection_at(&m.collection_uid).is_none()
        || m.environment_uid
            .as_deref()
            .is_some_and(|e| st.environment_at(e).is_none())
}

/// §6 #17: `isPublic` is whether the mock's workspace is public.
fn is_public(st: &Data, m: &StoredMock) -> bool {
    st.workspace(&m.workspace)
        .is_some_and(|w| w.visibility == "public")
}

/// The mock `raw` names (ID or UID) if `u` sees its workspace.
pub(super) fn find<'a>(st: &'a Data, u: u64, raw: &str) -> Option<&'a StoredMock> {
    let (owner, id) = crate::state::split_id(raw);
    st.mocks
        .get(id)
        .filter(|m| owner.is_none_or(|o| o == m.owner))
        .filter(|m| st.can_see_id(u, &m.workspace))
}

fn find_id(st: &Data, u: u64, raw: &str) -> Result<String, ApiError> {
    find(st, u, raw)
        .map(|m| m.id.clone())
        .ok_or_else(model::not_found)
}

async fn list(State(sh): Sh, User { id: u, .. }: User, req: Req) -> Result<Out, ApiError> {
    let st = read(&sh.state);
    let ws = req.q("workspace").filter(|w| !w.is_empty());
    // §3.1: with both, only `workspace` counts.
    let team = match ws {
        Some(_) => None,
        None => req.q("teamId").filter(|t| !t.is_empty()),
    };
    let mut all: Vec<&StoredMock> = st
        .mocks
        .values()
        .filter(|m| st.can_see_id(u, &m.workspace))
        .filter(|m| !deactivated(&st, m))
        .filter(|m| match (ws, team) {
            (Some(w), _) => m.workspace == w,
            (None, Some(t)) => st
                .user(m.owner)
                .is_some_and(|o| o.team_id != 0 && o.team_id.to_string() == t),
            (None, None) => m.owner == u,
        })
        .collect();
    all.sort_by_key(|m| m.seq);
    let mocks: Vec<Value> = all
        .iter()
        .map(|m| m.list_item(sh.port, is_public(&st, m)))
        .collect();
    Ok(Out::ok(json!({ "mocks": mocks })))
}

/// The body's `mock` object (400 when the body or the wrapper is missing).
fn mock_of(req: &Req) -> Result<Map<String, Value>, ApiError> {
    match req.json()? {
        Value::Null => Err(body_missing()),
        Value::Object(mut o) => match o.remove("mock") {
            Some(Value::Object(m)) => Ok(m),
            _ => Err(body_missing()),
        },
        _ => Err(body_missing()),
    }
}

/// `common400ErrorRequestBodyMissing`.
fn body_missing() -> ApiError {
    ApiError::problem(
        400,
        "bad-request",
        "Bad Request",
        "Request body is required",
    )
}

pub(super) fn string_field(m: &Map<String, Value>, key: &str) -> Result<Option<String>, ApiError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(model::invalid_param(key)),
    }
}

fn bool_field(m: &Map<String, Value>, key: &str) -> Result<Option<bool>, ApiError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(model::invalid_param(key)),
    }
}

/// The collection (ID or UID) as a UID, if `u` sees it (§3.2: tutorials send the bare ID).
/// UNCONFIRMED: an unknown one answers `invalidParamsError` naming it.
fn collection_uid(st: &Data, u: u64, raw: &str) -> Result<String, ApiError> {
    st.collection_at(raw)
        .filter(|c| st.can_see_id(u, &c.c.workspace))
        .map(|c| c.c.uid())
        .ok_or_else(|| model::invalid_param("collection"))
}

fn environment_uid(st: &Data, u: u64, raw: &str) -> Result<String, ApiError> {
    st.environment_at(raw)
        .filter(|e| st.can_see_id(u, &e.e.workspace))
        .map(|e| e.e.uid())
        .ok_or_else(|| model::invalid_param("environment"))
}

async fn create(State(sh): Sh, User { id: u, now }: User, req: Req) -> Result<Out, ApiError> {
    let m = mock_of(&req)?;
    let Some(collection) = string_field(&m, "collection")? else {
        return Err(model::param_missing("collection"));
    };
    let name = string_field(&m, "name")?;
    let private = bool_field(&m, "private")?.unwrap_or(false);
    let env = string_field(&m, "environment")?;
    let mut st = write(&sh.state);
    let ws = post_target_workspace(&st, &req, u)?;
    let collection_uid = collection_uid(&st, u, &collection)?;
    let environment_uid = match env.filter(|e| !e.is_empty()) {
        Some(e) => Some(environment_uid(&st, u, &e)?),
        None => None,
    };
    // Unnamed: the collection's name, as Postman's own form proposes.
    let name = name.unwrap_or_else(|| {
        st.collection_at(&collection_uid)
            .and_then(|c| c.c.doc.pointer("/info/name"))
            .and_then(Value::as_str)
            .unwrap_or("Mock server")
            .to_string()
    });
    st.seq += 1;
    let seq = st.seq;
    let id = st.rng.uuid();
    let mock = StoredMock {
        id: id.clone(),
        owner: u,
        workspace: ws,
        name,
        collection_uid,
        environment_uid,
        private,
        config: MockConfig::default(),
        description: None,
        version_tag: None,
        created_at: now,
        updated_at: now,
        seq,
        server_responses: Vec::new(),
        calls: VecDeque::new(),
        call_seq: 0,
    };
    let out = mock.short_body(sh.port);
    st.mocks.insert(id, mock);
    drop(st);
    sh.dirty();
    Ok(Out::ok(out))
}

async fn get_one(State(sh): Sh, User { id: u, .. }: User, Id(raw): Id) -> Result<Out, ApiError> {
    let st = read(&sh.state);
    let m = find(&st, u, &raw).ok_or_else(model::not_found)?;
    Ok(Out::ok(m.full_body(
        sh.port,
        is_public(&st, m),
        deactivated(&st, m),
    )))
}

/// `mock400ErrorPutMissingParam`.
fn put_empty() -> ApiError {
    ApiError::new(
        400,
        json!({"error": {"details": {"param": "environment, private, name, config, collection"},
            "name": "paramMissingError", "message": "At least one parameter must be provided."}}),
    )
}

/// §3.4: a PUT without `collection` (observed: `param` is a string here).
fn put_collection_missing() -> ApiError {
    ApiError::new(
        400,
        json!({"error": {"details": {"param": "collection"}, "name": "paramMissingError",
            "message": "Parameter is missing in the request."}}),
    )
}

async fn put(
    State(sh): Sh,
    User { id: u, now }: User,
    Id(raw): Id,
    req: Req,
) -> Result<Out, ApiError> {
    let mut st = write(&sh.state);
    let id = find_id(&st, u, &raw)?;
    let m = mock_of(&req)?;
    if m.is_empty() {
        return Err(put_empty());
    }
    let Some(collection) = string_field(&m, "collection")? else {
        return Err(put_collection_missing());
    };
    let collection_uid = collection_uid(&st, u, &collection)?;
    let environment = match string_field(&m, "environment")? {
        Some(e) if !e.is_empty() => Some(Some(environment_uid(&st, u, &e)?)),
        Some(_) => Some(None),
        None => None,
    };
    let name = string_field(&m, "name")?;
    let private = bool_field(&m, "private")?;
    let description = string_field(&m, "description")?;
    let version_tag = string_field(&m, "versionTag")?;
    // §3.4: only `serverResponseId` of `config` is settable; §6 #18: other keys are ignored.
    let server_response = match m.get("config") {
        None | Some(Value::Null) => None,
        Some(Value::Object(c)) => match c.get("serverResponseId") {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(s)) if s.is_empty() => Some(None),
            Some(Value::String(s)) => Some(Some(s.clone())),
            Some(_) => return Err(model::invalid_param("serverResponseId")),
        },
        Some(_) => return Err(model::invalid_param("config")),
    };
    let Some(mock) = st.mocks.get_mut(&id) else {
        return Err(model::not_found());
    };
    if let Some(Some(sr)) = &server_response {
        // UNCONFIRMED: naming a server response the mock does not have is refused.
        if !mock.server_responses.iter().any(|r| &r.id == sr) {
            return Err(model::invalid_param("serverResponseId"));
        }
    }
    mock.collection_uid = collection_uid;
    if let Some(e) = environment {
        mock.environment_uid = e;
    }
    if let Some(n) = name {
        mock.name = n;
    }
    if let Some(p) = private {
        mock.private = p;
    }
    if description.is_some() {
        mock.description = description;
    }
    if version_tag.is_some() {
        mock.version_tag = version_tag;
    }
    if let Some(sr) = server_response {
        mock.config.server_response_id = sr;
    }
    mock.updated_at = now;
    let out = mock.short_body(sh.port);
    drop(st);
    sh.dirty();
    Ok(Out::ok(out))
}

async fn remove(State(sh): Sh, User { id: u, .. }: User, Id(raw): Id) -> Result<Out, ApiError> {
    let mut st = write(&sh.state);
    let id = find_id(&st, u, &raw)?;
    // Its server responses and call log go with it.
    let m = st.mocks.remove(&id).ok_or_else(model::not_found)?;
    drop(st);
    sh.forget_mock(&m.id);
    sh.dirty();
    Ok(Out::ok(json!({"mock": {"id": m.id, "uid": m.uid()}})))
}

/// Publish (`private: false`) or unpublish (`private: true`); `already` answers when it is
/// so already.
fn set_private(
    sh: &Shared,
    u: u64,
    now: i64,
    raw: &str,
    private: bool,
    already: ApiError,
) -> Result<Out, ApiError> {
    let mut st = write(&sh.state);
    let id = find_id(&st, u, raw)?;
    let m = st.mocks.get_mut(&id).ok_or_else(model::not_found)?;
    if m.private == private {
        return Err(already);
    }
    m.private = private;
    m.updated_at = now;
    drop(st);
    sh.dirty();
    Ok(Out::ok(json!({"mock": {"id": id}})))
}

async fn publish(State(sh): Sh, User { id: u, now }: User, Id(raw): Id) -> Result<Out, ApiError> {
    let already = ApiError::classic(
        400,
        "mockAlreadyPublishedError",
        "This mock is already public.",
    );
    set_private(&sh, u, now, &raw, false, already)
}

async fn unpublish(State(sh): Sh, User { id: u, now }: User, Id(raw): Id) -> Result<Out, ApiError> {
    // (sic: the spec's wording)
    let already = ApiError::classic(
        400,
        "mockAlreadyUnpublishedError",
        "This mock has already been deleted.",
    );
    set_private(&sh, u, now, &raw, true, already)
}

// --- call logs ----------------------------------------------------------------------------

fn cursor_of(offset: usize) -> String {
    b64_encode(format!("call-logs:{offset}").as_bytes())
}

fn offset_of(cursor: &str) -> Option<usize> {
    let raw = String::from_utf8(b64_decode(cursor)?).ok()?;
    raw.strip_prefix("call-logs:")?.parse().ok()
}

/// The call-log query, checked (§3.6, §6 #20).
struct LogQuery {
    limit: usize,
    offset: usize,
    since: Option<i64>,
    until: Option<i64>,
    status: Option<u16>,
    kind: Option<String>,
    method: Option<String>,
    path: Option<String>,
    ascending: bool,
    include: Include,
}

fn time_param(req: &Req, name: &str) -> Result<Option<i64>, ApiError> {
    match req.q(name).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => parse_iso(v)
            .map(Some)
            .ok_or_else(|| model::invalid_param(name)),
    }
}

fn log_query(req: &Req, now: i64) -> Result<LogQuery, ApiError> {
    let limit = match req.q("limit") {
        None => LOGS_MAX,
        Some(l) => match l.parse::<usize>() {
            Ok(n) if (1..=LOGS_MAX).contains(&n) => n,
            _ => return Err(model::invalid_param("limit")),
        },
    };
    let offset = match req.q("cursor").filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => offset_of(c).ok_or_else(|| {
            ApiError::problem(400, "bad-request", "Malformed request", "Invalid cursor")
        })?,
    };
    let (since, until) = (time_param(req, "since")?, time_param(req, "until")?);
    if since.is_some_and(|s| s < now - model::RETENTION_MS) {
        return Err(ApiError::classic(
            400,
            "invalidParamsError",
            "Invalid value for parameter: since. Cannot view logs beyond the call log \
             retention period based on your plan i.e. 30 days.",
        ));
    }
    if let (Some(s), Some(u)) = (since, until) {
        if s > u {
            return Err(model::invalid_param("since"));
        }
    }
    let status = match req.q("responseStatusCode") {
        None => None,
        Some(s) => Some(
            s.parse::<u16>()
                .map_err(|_| model::invalid_param("responseStatusCode"))?,
        ),
    };
    let sort = req.q("sort");
    let direction = req.q("direction").map(str::to_ascii_lowercase);
    let ascending = match (sort, direction.as_deref()) {
        (None, None) => false,
        (Some("servedAt"), Some("asc")) => true,
        (Some("servedAt"), Some("desc")) => false,
        (Some("servedAt"), None) | (None, Some("asc" | "desc")) => {
            let missing = if sort.is_none() { "sort" } else { "direction" };
            return Err(model::invalid_param(missing));
        }
        (Some("servedAt"), Some(_)) => return Err(model::invalid_param("direction")),
        (Some(_), _) | (None, Some(_)) => return Err(model::invalid_param("sort")),
    };
    let mut include = Include::default();
    for part in req.q("include").unwrap_or("").split(',') {
        match part.trim() {
            "request.headers" => include.request_headers = true,
            "request.body" => include.request_body = true,
            "response.headers" => include.response_headers = true,
            "response.body" => include.response_body = true,
            "" => {}
            _ => return Err(model::invalid_param("include")),
        }
    }
    let lower = |name: &str| req.q(name).filter(|v| !v.is_empty()).map(str::to_lowercase);
    Ok(LogQuery {
        limit,
        offset,
        since,
        until,
        status,
        kind: lower("responseType"),
        method: lower("requestMethod"),
        path: lower("requestPath"),
        ascending,
        include,
    })
}

async fn call_logs(
    State(sh): Sh,
    User { id: u, now }: User,
    Id(raw): Id,
    req: Req,
) -> Result<Out, ApiError> {
    let st = read(&sh.state);
    let m = find(&st, u, &raw).ok_or_else(model::not_found)?;
    let q = log_query(&req, now)?;
    let oldest = now - model::RETENTION_MS;
    let matching = |c: &&model::CallLog| {
        c.served_at >= oldest
            && q.since.is_none_or(|s| c.served_at >= s)
            && q.until.is_none_or(|t| c.served_at <= t)
            && q.status.is_none_or(|s| c.status_code == s)
            && q.kind.as_deref().is_none_or(|k| c.response_type == k)
            && q.method
                .as_deref()
                .is_none_or(|x| c.method.eq_ignore_ascii_case(x))
            && q.path.as_deref().is_none_or(|x| c.path.to_lowercase() == x)
    };
    // Stored oldest first; the default order is newest first (§3.6).
    let calls: Vec<&model::CallLog> = if q.ascending {
        m.calls.iter().filter(matching).collect()
    } else {
        m.calls.iter().rev().filter(matching).collect()
    };
    let mut page = Vec::new();
    let mut bytes = 0;
    for c in calls.iter().skip(q.offset).take(q.limit) {
        let item = c.body(q.include);
        bytes += item.to_string().len();
        if bytes > LOGS_BYTES_MAX && !page.is_empty() {
            break;
        }
        page.push(item);
    }
    let next = q.offset + page.len();
    let next = (next < calls.len()).then(|| cursor_of(next));
    Ok(Out::ok(
        json!({"call-logs": page, "meta": {"nextCursor": next}}),
    ))
}
