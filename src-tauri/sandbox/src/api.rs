//! The Postman API routes: `/me`, workspaces, collections (+ update tasks), environments and
//! collection access keys. Domain logic for collection and environment bodies lives in
//! `collections` / `environments`; this module does ids, ownership, visibility and HTTP shapes.

use crate::clock::iso;
use crate::collections::{self as coll, StoredCollection};
use crate::environments as envs;
use crate::error::ApiError;
use crate::policy;
use crate::rng::{b64_decode, b64_encode};
use crate::server::{Out, Req};
use crate::shared::{lock, read, write, Shared, Task};
use crate::state::{usage_key, AccessKey, CollEntry, EnvEntry, State, User, Workspace};
use serde_json::{json, Value};
use std::collections::HashSet;

/// Splits a path id into (owner, bare id): accepts `<uuid>` and `<ownerId>-<uuid>`.
pub fn split_id(raw: &str) -> (Option<u64>, &str) {
    if raw.len() > 37 && raw.is_char_boundary(raw.len() - 36) {
        let (prefix, rest) = raw.split_at(raw.len() - 36);
        if let Some(owner) = prefix.strip_suffix('-') {
            if let Ok(o) = owner.parse::<u64>() {
                return (Some(o), rest);
            }
        }
    }
    (None, raw)
}

fn resolve_collection<'a>(st: &'a State, raw: &str) -> Option<&'a CollEntry> {
    let (owner, id) = split_id(raw);
    st.collections
        .get(id)
        .filter(|e| owner.is_none_or(|o| o == e.c.owner))
}

fn resolve_env<'a>(st: &'a State, raw: &str) -> Option<&'a EnvEntry> {
    let (owner, id) = split_id(raw);
    st.environments
        .get(id)
        .filter(|e| owner.is_none_or(|o| o == e.e.owner))
}

fn seg(path: &str, i: usize) -> &str {
    path.trim_matches('/').split('/').nth(i).unwrap_or("")
}

/// Checks a collection access key for `GET /collections/{id}`; on success records its use
/// (lastUsedAt, expiry pushed to use + 60 days) and returns the key creator's user id.
pub fn access_key_opens(sh: &Shared, token: &str, path: &str, now: i64) -> Option<u64> {
    let raw = seg(path, 1);
    let mut st = write(&sh.state);
    let cid = resolve_collection(&st, raw)?.c.id.clone();
    let token_digest = crate::state::digest(token);
    let key = st.access_keys.iter_mut().find(|k| {
        k.token_digest == token_digest && k.is_usable(now) && split_id(&k.collection_uid).1 == cid
    })?;
    key.last_used_at = Some(now);
    if policy::ACCESS_KEY_USE_TOUCHES_UPDATED_AT {
        key.updated_at = now;
    }
    let uid = key.user_id;
    drop(st);
    sh.dirty();
    Some(uid)
}

/// Routes an authenticated API request.
pub fn dispatch(
    sh: &Shared,
    route: &str,
    req: &Req,
    user: Option<u64>,
    via_access_key: Option<u64>,
    now: i64,
) -> Out {
    let r = match (route, user, via_access_key) {
        ("GET /collections/{id}", _, Some(_)) => get_collection(sh, req, None),
        (_, Some(u), _) => route_user(sh, route, req, u, now),
        _ => Err(policy::unauthorized()),
    };
    r.unwrap_or_else(Out::from)
}

fn route_user(sh: &Shared, route: &str, req: &Req, u: u64, now: i64) -> Result<Out, ApiError> {
    let id = seg(&req.path, 1);
    match route {
        "GET /me" => me(sh, u, now),
        "GET /workspaces" => list_workspaces(sh, req, u),
        "POST /workspaces" => create_workspace(sh, req, u, now),
        "GET /workspaces/{id}" => get_workspace(sh, id, u),
        "PUT /workspaces/{id}" => update_workspace(sh, req, id, u, now),
        "DELETE /workspaces/{id}" => delete_workspace(sh, id, u),
        "GET /collections" => list_collections(sh, req, u),
        "POST /collections" => create_collection(sh, req, u, now),
        "GET /collections/{id}" => get_collection(sh, req, Some(u)),
        "PUT /collections/{id}" => put_collection(sh, req, id, u, now),
        "PATCH /collections/{id}" => patch_collection(sh, req, id, u, now),
        "DELETE /collections/{id}" => delete_collection(sh, id, u),
        "GET /collection-updates-tasks/{id}" => get_task(sh, id),
        "GET /environments" => list_environments(sh, req, u),
        "POST /environments" => create_environment(sh, req, u, now),
        "GET /environments/{id}" => get_environment(sh, id, u),
        "PUT /environments/{id}" => put_environment(sh, req, id, u, now),
        "PATCH /environments/{id}" => patch_environment(sh, req, id, u, now),
        "DELETE /environments/{id}" => delete_environment(sh, id, u),
        "GET /collection-access-keys" => list_access_keys(sh, req, u, now),
        "DELETE /collection-access-keys/{id}" => delete_access_key(sh, id, u, now),
        _ => Err(policy::route_not_found()),
    }
}

fn me_user(st: &State, u: u64) -> Result<&User, ApiError> {
    st.user(u).ok_or_else(policy::unauthorized)
}

// ---------------------------------------------------------------------------------------------
// /me
// ---------------------------------------------------------------------------------------------

fn me(sh: &Shared, u: u64, now: i64) -> Result<Out, ApiError> {
    let usage = lock(&sh.limiter)
        .usage
        .get(&usage_key(u, now))
        .copied()
        .unwrap_or(0);
    let monthly = read(&sh.limits).monthly;
    let st = read(&sh.state);
    let user = me_user(&st, u)?;
    let team = st.team(user.team_id);
    // The API objects this user owns.
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
            int("mock_usage", 1_000_000, 0),
            int("monitor_request_runs", 15_000_000, 0),
            int("api_usage", monthly, usage),
        ],
    })))
}

// ---------------------------------------------------------------------------------------------
// Workspaces
// ---------------------------------------------------------------------------------------------

const WS_TYPES: [&str; 5] = ["personal", "team", "private", "public", "partner"];

fn list_workspaces(sh: &Shared, req: &Req, u: u64) -> Result<Out, ApiError> {
    let type_f = req.q("type");
    if let Some(t) = type_f {
        if !WS_TYPES.contains(&t) {
            return Err(ApiError::new(
                400,
                json!({"error":{"name":"invalidParamError","message":"visibilityStatus must be one of personal/private/team/public/partner"},"statusCode":400}),
            ));
        }
    }
    let (et, eid) = (req.q("elementType"), req.q("elementId"));
    if let Some(t) = et {
        if t != "collection" && t != "specification" {
            return Err(ApiError::new(
                400,
                json!({"name":"badRequest","message":"elementType must be one of: collection, specification"}),
            ));
        }
        if eid.is_none() {
            return Err(ApiError::new(
                400,
                json!({"name":"badRequest","message":"elementId is required when elementType is provided"}),
            ));
        }
    } else if eid.is_some() {
        return Err(ApiError::new(
            400,
            json!({"name":"badRequest","message":"elementType is required when elementId is provided"}),
        ));
    }
    let limit = match req.q("limit") {
        None => None,
        Some(l) => match l.parse::<u64>() {
            Ok(n) if n > 100 => {
                return Err(ApiError::new(
                    400,
                    json!({"error":{"name":"badRequestError","message":"The limit parameter must not exceed 100."}}),
                ))
            }
            Ok(n) if n >= 1 => Some(n as usize),
            _ => return Err(policy::workspace_invalid_limit()),
        },
    };
    let offset = match req.q("cursor").filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => b64_decode(c)
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| s.parse::<usize>().ok())
            .ok_or_else(policy::workspace_invalid_cursor)?,
    };
    let created_by: Option<HashSet<&str>> = req
        .q("createdBy")
        .map(|s| s.split(',').map(str::trim).collect());
    let st = read(&sh.state);
    let user = me_user(&st, u)?;
    let mut all: Vec<&Workspace> = st
        .workspaces
        .iter()
        .filter(|w| st.can_see(user, w))
        .filter(|w| {
            type_f.is_none_or(|t| {
                w.kind == t
                    || (policy::WORKSPACE_TYPE_FILTER_MATCHES_VISIBILITY && w.visibility == t)
            })
        })
        .filter(|w| {
            created_by
                .as_ref()
                .is_none_or(|s| s.contains(w.created_by.to_string().as_str()))
        })
        .collect();
    if let (Some("collection"), Some(uid)) = (et, eid) {
        let ws = resolve_collection(&st, uid).map(|e| e.c.workspace.clone());
        all.retain(|w| Some(&w.id) == ws.as_ref());
    } else if et.is_some() {
        all.clear();
    }
    let total = all.len();
    let page: Vec<Value> = all
        .iter()
        .skip(offset)
        .take(limit.unwrap_or(usize::MAX))
        .map(|w| w.summary())
        .collect();
    let mut body = json!({ "workspaces": page });
    if let Some(l) = limit {
        let next = offset + l;
        let cursor = if next < total {
            b64_encode(next.to_string().as_bytes())
        } else {
            String::new()
        };
        body["meta"] = json!({ "nextCursor": cursor });
    }
    Ok(Out::ok(body))
}

fn workspace_not_found() -> ApiError {
    ApiError::new(
        404,
        json!({"error":{"name":"workspaceNotFoundError","message":"Workspace not found","statusCode":404}}),
    )
}

fn instance_ws_not_found(status: u16) -> ApiError {
    ApiError::new(
        status,
        json!({"error":{"name":"instanceNotFoundError","message":"The specified workspace does not exist."}}),
    )
}

fn get_workspace(sh: &Shared, id: &str, u: u64) -> Result<Out, ApiError> {
    settle_tasks(sh);
    let st = read(&sh.state);
    let user = me_user(&st, u)?;
    let w = st
        .workspace(id)
        .filter(|w| st.can_see(user, w))
        .ok_or_else(workspace_not_found)?;
    let mut colls: Vec<&CollEntry> = st
        .collections
        .values()
        .filter(|e| e.c.workspace == w.id)
        .collect();
    colls.sort_by_key(|e| e.seq);
    let mut es: Vec<&EnvEntry> = st
        .environments
        .values()
        .filter(|e| e.e.workspace == w.id)
        .collect();
    es.sort_by_key(|e| e.seq);
    Ok(Out::ok(json!({"workspace": {
        "id": w.id,
        "name": w.name,
        "type": w.kind,
        "description": w.description,
        "visibility": w.visibility,
        "createdBy": w.created_by.to_string(),
        "updatedBy": w.updated_by.to_string(),
        "createdAt": iso(w.created_at),
        "updatedAt": iso(w.updated_at),
        "about": w.about,
        "collections": colls.iter().map(|e| json!({"id": e.c.id, "name": e.c.name(), "uid": e.c.uid()})).collect::<Vec<_>>(),
        "environments": es.iter().map(|e| json!({"id": e.e.id, "name": e.e.name, "uid": e.e.uid()})).collect::<Vec<_>>(),
        "mocks": [],
        "monitors": [],
        "apis": [],
        "specs": [],
    }})))
}

fn ws_body(req: &Req) -> Result<serde_json::Map<String, Value>, ApiError> {
    let body = req.json()?;
    match body.get("workspace") {
        Some(Value::Object(o)) => Ok(o.clone()),
        _ => Err(ApiError::new(
            400,
            json!({"error":{"name":"malformedRequestError","message":"'workspace' object missing in the request"}}),
        )),
    }
}

fn kind_of(t: &str) -> (&'static str, &'static str) {
    match t {
        "personal" => ("personal", "personal"),
        "private" => ("team", "private"),
        "public" => ("team", "public"),
        "partner" => ("team", "partner"),
        _ => ("team", "team"),
    }
}

fn bad_ws_param(msg: &str) -> ApiError {
    ApiError::new(
        400,
        json!({"error":{"name":"malformedRequestError","message":msg}}),
    )
}

fn create_workspace(sh: &Shared, req: &Req, u: u64, now: i64) -> Result<Out, ApiError> {
    let o = ws_body(req)?;
    let name = match o.get("name") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        _ => return Err(bad_ws_param("'name' is a required property of 'workspace'")),
    };
    let t = match o.get("type") {
        Some(Value::String(s)) if WS_TYPES.contains(&s.as_str()) => s.clone(),
        Some(_) => {
            return Err(bad_ws_param(
                "'type' must be one of personal, team, private, public, partner",
            ))
        }
        None => return Err(bad_ws_param("'type' is a required property of 'workspace'")),
    };
    let text = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let mut st = write(&sh.state);
    let team_id = me_user(&st, u)?.team_id;
    let (kind, visibility) = kind_of(&t);
    if kind == "team" && team_id == 0 {
        return Err(ApiError::new(
            403,
            json!({"error":{"status":403,"name":"forbiddenError","message":"You are not authorized to perform this action","detail":"You do not have permission to create team workspaces.","instance":""}}),
        ));
    }
    let id = st.rng.uuid();
    st.workspaces.push(Workspace {
        id: id.clone(),
        name: name.clone(),
        kind: kind.into(),
        visibility: visibility.into(),
        description: text("description"),
        about: text("about"),
        created_by: u,
        updated_by: u,
        team_id: if kind == "team" { team_id } else { 0 },
        created_at: now,
        updated_at: now,
    });
    drop(st);
    sh.dirty();
    Ok(Out::ok(json!({"workspace": {"id": id, "name": name}})))
}

fn update_workspace(sh: &Shared, req: &Req, id: &str, u: u64, now: i64) -> Result<Out, ApiError> {
    let o = ws_body(req)?;
    let mut st = write(&sh.state);
    let user = me_user(&st, u)?.clone();
    let idx = st
        .workspaces
        .iter()
        .position(|w| w.id == id && st.can_see(&user, w))
        .ok_or_else(|| instance_ws_not_found(404))?;
    let w = &mut st.workspaces[idx];
    if let Some(t) = o.get("type") {
        let Some(t) = t.as_str().filter(|t| WS_TYPES.contains(t)) else {
            return Err(bad_ws_param(
                "'type' must be one of personal, team, private, public, partner",
            ));
        };
        let (kind, visibility) = kind_of(t);
        if kind == "team" && user.team_id == 0 {
            return Err(ApiError::new(
                403,
                json!({"error":{"name":"forbiddenError","message":"You do not have access to update this workspace."}}),
            ));
        }
        w.kind = kind.into();
        w.visibility = visibility.into();
        w.team_id = if kind == "team" { user.team_id } else { 0 };
    }
    if let Some(Value::String(n)) = o.get("name") {
        w.name = n.clone();
    }
    if let Some(Value::String(d)) = o.get("description") {
        w.description = d.clone();
    }
    if let Some(Value::String(a)) = o.get("about") {
        w.about = a.clone();
    }
    w.updated_by = u;
    w.updated_at = now;
    let out = json!({"workspace": {"id": w.id, "name": w.name}});
    drop(st);
    sh.dirty();
    Ok(Out::ok(out))
}

fn delete_workspace(sh: &Shared, id: &str, u: u64) -> Result<Out, ApiError> {
    let mut st = write(&sh.state);
    let user = me_user(&st, u)?.clone();
    let idx = st
        .workspaces
        .iter()
        .position(|w| w.id == id && st.can_see(&user, w))
        .ok_or_else(|| instance_ws_not_found(400))?;
    let w = st.workspaces.remove(idx);
    st.collections.retain(|_, e| e.c.workspace != w.id);
    st.environments.retain(|_, e| e.e.workspace != w.id);
    drop(st);
    sh.dirty();
    Ok(Out::ok(json!({"workspace": {"id": w.id}})))
}

// ---------------------------------------------------------------------------------------------
// Collections
// ---------------------------------------------------------------------------------------------

fn visible_coll(st: &State, u: u64, e: &CollEntry) -> bool {
    st.can_see_id(u, &e.c.workspace)
}

fn list_collections(sh: &Shared, req: &Req, u: u64) -> Result<Out, ApiError> {
    settle_tasks(sh);
    let st = read(&sh.state);
    let ws = req.q("workspace").filter(|w| !w.is_empty());
    if let Some(w) = ws {
        if !st.can_see_id(u, w) {
            return Ok(Out::ok(json!({"collections": []})));
        }
    }
    let name = req.q("name");
    let mut all: Vec<&CollEntry> = st
        .collections
        .values()
        .filter(|e| ws.is_none_or(|w| e.c.workspace == w))
        .filter(|e| visible_coll(&st, u, e))
        .filter(|e| name.is_none_or(|n| e.c.name() == n))
        .collect();
    all.sort_by_key(|e| e.seq);
    let limit = req.q("limit").and_then(|l| l.parse::<usize>().ok());
    let offset = req
        .q("offset")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(0);
    let total = all.len();
    let list: Vec<Value> = all
        .iter()
        .skip(offset)
        .take(limit.unwrap_or(usize::MAX))
        .map(|e| coll::summary(&e.c))
        .collect();
    let mut body = json!({ "collections": list });
    if let Some(l) = limit {
        body["meta"] = json!({"total": total, "offset": offset, "limit": l});
    }
    Ok(Out::ok(body))
}

fn not_found_get() -> ApiError {
    let mut e = coll::get_not_found_error();
    e.status = policy::NOT_FOUND_STATUS;
    e
}

fn get_collection(sh: &Shared, req: &Req, user: Option<u64>) -> Result<Out, ApiError> {
    settle_tasks(sh);
    let raw = seg(&req.path, 1);
    let minimal = req.q("model") == Some("minimal");
    let st = read(&sh.state);
    let e = resolve_collection(&st, raw).ok_or_else(not_found_get)?;
    if let Some(u) = user {
        if !visible_coll(&st, u, e) {
            return Err(not_found_get());
        }
    }
    let key = (e.c.id.clone(), minimal);
    if let Some((v, b)) = lock(&sh.cache).get(&key) {
        if *v == e.version {
            return Ok(Out::bytes(200, b.clone()));
        }
    }
    let bytes = bytes::Bytes::from(if minimal {
        serde_json::to_vec(&coll::render_minimal(&e.c)).unwrap_or_default()
    } else {
        coll::render_full_bytes(&e.c)
    });
    let version = e.version;
    drop(st);
    lock(&sh.cache).insert(key, (version, bytes.clone()));
    Ok(Out::bytes(200, bytes))
}

fn post_target_workspace(st: &State, req: &Req, u: u64) -> Result<String, ApiError> {
    match req.q("workspace").filter(|w| !w.is_empty()) {
        Some(w) if st.can_see_id(u, w) => Ok(w.to_string()),
        Some(_) => Err(policy::post_unknown_workspace()),
        None => st
            .personal_workspace(u)
            .map(|w| w.id.clone())
            .ok_or_else(policy::post_unknown_workspace),
    }
}

fn create_collection(sh: &Shared, req: &Req, u: u64, now: i64) -> Result<Out, ApiError> {
    let body = req.json()?;
    let now_s = iso(now);
    let mut st = write(&sh.state);
    let ws = post_target_workspace(&st, req, u)?;
    let mut c = st
        .rng
        .with_ctx(&now_s, u, |ctx| coll::create_owned(ctx, body))?;
    c.workspace = ws;
    let out = coll::created_body(&c);
    st.seq += 1;
    let seq = st.seq;
    st.collections
        .insert(c.id.clone(), CollEntry { seq, version: 1, c });
    drop(st);
    sh.dirty();
    Ok(Out::ok(out))
}

/// How many async update tasks are remembered before finished ones are forgotten.
const MAX_TASKS: usize = 10_000;

/// Applies due async updates (called before every collection read or write).
pub fn settle_tasks(sh: &Shared) {
    let now = sh.now();
    if !lock(&sh.tasks)
        .values()
        .any(|t| t.pending.is_some() && t.due_ms <= now)
    {
        return;
    }
    // Lock order everywhere: state, then tasks.
    let mut st = write(&sh.state);
    let mut tasks = lock(&sh.tasks);
    for t in tasks.values_mut() {
        if t.due_ms > now {
            continue;
        }
        if let Some(c) = t.pending.take() {
            match st.collections.get_mut(&t.collection_id) {
                Some(e) => {
                    e.c = c;
                    e.version += 1;
                    t.status = "successful";
                }
                None => t.status = "failed",
            }
        }
    }
    drop(tasks);
    drop(st);
    sh.dirty();
}

fn task_running(sh: &Shared, collection_id: &str) -> bool {
    lock(&sh.tasks)
        .values()
        .any(|t| t.pending.is_some() && t.collection_id == collection_id)
}

fn async_problem(title: String, detail: String) -> ApiError {
    ApiError::new(
        400,
        json!({"type":"https://api.postman.com/problems/bad-request","title":title,"status":400,"detail":detail}),
    )
}

/// The async PUT's documented problem+json 400s for a body without `collection` or `info`.
fn async_shape_error(body: &Value, raw: &str) -> Option<ApiError> {
    let c = body.get("collection");
    if !c.is_some_and(Value::is_object) {
        return Some(async_problem(
            "Missing property 'collection'".into(),
            format!("PUT request body for '/collections/{raw}' failed to validate schema. Location: /required"),
        ));
    }
    if c.and_then(|c| c.get("info")).is_none() {
        return Some(async_problem(
            "Missing property 'info'".into(),
            format!("PUT request body for '/collections/{raw}' failed to validate schema. Location: /properties/collection/required"),
        ));
    }
    None
}

/// Other async PUT validation failures: the documented "Unable to parse the collection" 400.
fn async_error(e: ApiError) -> ApiError {
    if e.body.pointer("/error/name").and_then(Value::as_str) == Some("malformedRequestError") {
        return async_problem(
            "Malformed request".into(),
            "Unable to parse the collection. Please ensure it is according to https://schema.postman.com/collection/json/v2.1.0/draft-07/docs/index.html".into(),
        );
    }
    e
}

fn put_collection(sh: &Shared, req: &Req, raw: &str, u: u64, now: i64) -> Result<Out, ApiError> {
    settle_tasks(sh);
    let body = req.json()?;
    let is_async = req
        .header("prefer")
        .is_some_and(|p| p.to_ascii_lowercase().contains("respond-async"));
    let now_s = iso(now);
    let mut st = write(&sh.state);
    let Some(entry) = resolve_collection(&st, raw).filter(|e| visible_coll(&st, u, e)) else {
        return Err(coll::instance_not_found_error(raw));
    };
    let id = entry.c.id.clone();
    if is_async {
        if let Some(e) = async_shape_error(&body, raw) {
            return Err(e);
        }
    }
    if task_running(sh, &id) {
        return Err(ApiError::new(
            409,
            json!({"type":"https://api.postman.com/problems/conflict","status":409,"title":"Conflict","detail":"Deep update operation is already in progress for this collection."}),
        ));
    }
    let mut c = entry.c.clone();
    let foreign: HashSet<String> = st
        .collections
        .values()
        .filter(|e| e.c.id != id)
        .flat_map(|e| coll::item_ids(&e.c))
        .collect();
    let is_foreign = |s: &str| foreign.contains(s);
    let res = st.rng.with_ctx(&now_s, u, |ctx| {
        coll::replace_owned(ctx, &mut c, raw, body, &is_foreign)
    });
    if is_async {
        res.map_err(async_error)?;
        let task_id = st.rng.uuid();
        drop(st);
        let took = read(&sh.task_duration).as_millis();
        let due_ms = now.saturating_add(i64::try_from(took).unwrap_or(i64::MAX));
        let mut tasks = lock(&sh.tasks);
        if tasks.len() >= MAX_TASKS {
            // Forget finished tasks (their ids then answer like unknown ones).
            tasks.retain(|_, t| t.pending.is_some());
        }
        tasks.insert(
            task_id.clone(),
            Task {
                collection_id: id,
                due_ms,
                pending: Some(c),
                status: "in-progress",
            },
        );
        return Ok(Out::json(
            202,
            &json!({"task": {"id": task_id, "status": "in-progress"}}),
        ));
    }
    res?;
    let out = coll::replaced_body(&c);
    if let Some(e) = st.collections.get_mut(&id) {
        e.c = c;
        e.version += 1;
    }
    drop(st);
    sh.dirty();
    Ok(Out::ok(out))
}

fn patch_collection(sh: &Shared, req: &Req, raw: &str, u: u64, now: i64) -> Result<Out, ApiError> {
    settle_tasks(sh);
    let body = req.json()?;
    let now_s = iso(now);
    let mut st = write(&sh.state);
    let Some(entry) = resolve_collection(&st, raw).filter(|e| visible_coll(&st, u, e)) else {
        return Err(coll::instance_not_found_error(raw));
    };
    let id = entry.c.id.clone();
    let mut c = entry.c.clone();
    let out = st
        .rng
        .with_ctx(&now_s, u, |ctx| coll::patch(ctx, &mut c, &body))?;
    if let Some(e) = st.collections.get_mut(&id) {
        e.c = c;
        e.version += 1;
    }
    drop(st);
    sh.dirty();
    Ok(Out::ok(out))
}

fn delete_collection(sh: &Shared, raw: &str, u: u64) -> Result<Out, ApiError> {
    settle_tasks(sh);
    let mut st = write(&sh.state);
    let Some(entry) = resolve_collection(&st, raw).filter(|e| visible_coll(&st, u, e)) else {
        return Err(coll::instance_not_found_error(raw));
    };
    let id = entry.c.id.clone();
    let removed: Option<StoredCollection> = st.collections.remove(&id).map(|e| e.c);
    drop(st);
    lock(&sh.cache).retain(|k, _| k.0 != id);
    sh.dirty();
    match removed {
        Some(c) => Ok(Out::ok(coll::deleted_body(&c))),
        None => Err(coll::instance_not_found_error(raw)),
    }
}

fn get_task(sh: &Shared, id: &str) -> Result<Out, ApiError> {
    settle_tasks(sh);
    let tasks = lock(&sh.tasks);
    let t = tasks.get(id).ok_or_else(policy::task_not_found)?;
    Ok(Out::ok(json!({"id": id, "status": t.status})))
}

// ---------------------------------------------------------------------------------------------
// Environments
// ---------------------------------------------------------------------------------------------

fn list_environments(sh: &Shared, req: &Req, u: u64) -> Result<Out, ApiError> {
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

fn env_not_found() -> ApiError {
    let mut e = envs::not_found_error();
    e.status = policy::NOT_FOUND_STATUS;
    e
}

fn get_environment(sh: &Shared, raw: &str, u: u64) -> Result<Out, ApiError> {
    let st = read(&sh.state);
    let e = resolve_env(&st, raw)
        .filter(|e| st.can_see_id(u, &e.e.workspace))
        .ok_or_else(env_not_found)?;
    Ok(Out::ok(envs::render_full(&e.e)))
}

fn create_environment(sh: &Shared, req: &Req, u: u64, now: i64) -> Result<Out, ApiError> {
    let body = req.json()?;
    let now_s = iso(now);
    let mut st = write(&sh.state);
    let ws = post_target_workspace(&st, req, u)?;
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

fn put_environment(sh: &Shared, req: &Req, raw: &str, u: u64, now: i64) -> Result<Out, ApiError> {
    let body = req.json()?;
    let now_s = iso(now);
    let mut st = write(&sh.state);
    let Some(entry) = resolve_env(&st, raw).filter(|e| st.can_see_id(u, &e.e.workspace)) else {
        return Err(env_not_found());
    };
    let id = entry.e.id.clone();
    let mut e = entry.e.clone();
    st.rng
        .with_ctx(&now_s, u, |ctx| envs::replace(ctx, &mut e, &body))?;
    let out = envs::replaced_body(&e);
    if let Some(x) = st.environments.get_mut(&id) {
        x.e = e;
    }
    drop(st);
    sh.dirty();
    Ok(Out::ok(out))
}

fn patch_environment(sh: &Shared, req: &Req, raw: &str, u: u64, now: i64) -> Result<Out, ApiError> {
    let body = req.json()?;
    let now_s = iso(now);
    let mut st = write(&sh.state);
    let (_, bare) = split_id(raw);
    if bare.len() != 36 {
        return Err(envs::invalid_id_error(raw));
    }
    let Some(entry) = resolve_env(&st, raw).filter(|e| st.can_see_id(u, &e.e.workspace)) else {
        return Err(envs::patch_not_found_error(raw));
    };
    let id = entry.e.id.clone();
    let mut e = entry.e.clone();
    st.rng
        .with_ctx(&now_s, u, |ctx| envs::patch(ctx, &mut e, &body, raw))?;
    let out = envs::render_patched(&e);
    if let Some(x) = st.environments.get_mut(&id) {
        x.e = e;
    }
    drop(st);
    sh.dirty();
    Ok(Out::ok(out))
}

fn delete_environment(sh: &Shared, raw: &str, u: u64) -> Result<Out, ApiError> {
    let mut st = write(&sh.state);
    let Some(entry) = resolve_env(&st, raw).filter(|e| st.can_see_id(u, &e.e.workspace)) else {
        return Err(env_not_found());
    };
    let id = entry.e.id.clone();
    let removed = st.environments.remove(&id);
    drop(st);
    sh.dirty();
    match removed {
        Some(x) => Ok(Out::ok(envs::deleted_body(&x.e))),
        None => Err(env_not_found()),
    }
}

// ---------------------------------------------------------------------------------------------
// Collection access keys
// ---------------------------------------------------------------------------------------------

pub const ACCESS_KEY_PAGE: usize = 10;

fn key_visible(user: &User, k: &AccessKey) -> bool {
    k.user_id == user.id || (k.team_id != 0 && k.team_id == user.team_id)
}

/// An access key as listed; `full_token` only where the plaintext is known (minting, seed).
pub fn render_key(k: &AccessKey, now: i64, full_token: Option<&str>) -> Value {
    let status = if k.deleted_at.is_some() {
        "INACTIVE"
    } else if !k.is_usable(now) {
        policy::EXPIRED_KEY_STATUS
    } else {
        "ACTIVE"
    };
    let mut v = json!({
        "id": k.id,
        "token": full_token.map_or_else(|| k.masked(), str::to_owned),
        "status": status,
        "teamId": k.team_id,
        "userId": k.user_id,
        "collectionId": k.collection_uid,
        "expiresAfter": iso(k.expires_at()),
        "lastUsedAt": k.last_used_at.map(iso).unwrap_or_default(),
        "createdAt": iso(k.created_at),
        "updatedAt": iso(k.updated_at),
    });
    if let (Some(d), Some(o)) = (k.deleted_at, v.as_object_mut()) {
        if policy::DELETED_AT_ONLY_WHEN_REVOKED {
            o.insert("deletedAt".into(), json!(iso(d)));
        }
    } else if !policy::DELETED_AT_ONLY_WHEN_REVOKED {
        v["deletedAt"] = Value::Null;
    }
    v
}

fn invalid_cursor() -> ApiError {
    ApiError::new(
        400,
        json!({"type":"https://api.postman.com/problems/bad-request","title":"Malformed request","detail":"Invalid cursor","status":400}),
    )
}

fn parse_key_cursor(c: &str) -> Option<usize> {
    let s = String::from_utf8(b64_decode(c)?).ok()?;
    let mut offset = None;
    for part in s.split('&') {
        let (k, v) = part.split_once('=')?;
        match k {
            "offset" => offset = Some(v.parse().ok()?),
            "limit" => {
                v.parse::<usize>().ok()?;
            }
            _ => return None,
        }
    }
    offset
}

fn key_cursor(offset: usize) -> String {
    b64_encode(format!("offset={offset}&limit={ACCESS_KEY_PAGE}").as_bytes())
}

fn list_access_keys(sh: &Shared, req: &Req, u: u64, now: i64) -> Result<Out, ApiError> {
    let offset = match req.q("cursor").filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => parse_key_cursor(c).ok_or_else(invalid_cursor)?,
    };
    let filter = req.q("collectionId").filter(|c| !c.is_empty());
    let st = read(&sh.state);
    let user = me_user(&st, u)?;
    let all: Vec<&AccessKey> = st
        .access_keys
        .iter()
        .filter(|k| key_visible(user, k))
        .filter(|k| {
            // The spec asks for the UID; the bare id is accepted as well (REFERENCE §11).
            filter.is_none_or(|c| k.collection_uid == c || split_id(&k.collection_uid).1 == c)
        })
        .collect();
    let data: Vec<Value> = all
        .iter()
        .skip(offset)
        .take(ACCESS_KEY_PAGE)
        .map(|k| render_key(k, now, None))
        .collect();
    let next = if offset + ACCESS_KEY_PAGE < all.len() {
        key_cursor(offset + ACCESS_KEY_PAGE)
    } else {
        String::new()
    };
    let prev = if offset > 0 {
        key_cursor(offset.saturating_sub(ACCESS_KEY_PAGE))
    } else {
        String::new()
    };
    Ok(Out::ok(
        json!({"data": data, "meta": {"nextCursor": next, "prevCursor": prev}}),
    ))
}

fn delete_access_key(sh: &Shared, id: &str, u: u64, now: i64) -> Result<Out, ApiError> {
    let mut st = write(&sh.state);
    let user = me_user(&st, u)?.clone();
    let Some(k) = st
        .access_keys
        .iter_mut()
        .find(|k| k.id == id && k.deleted_at.is_none() && key_visible(&user, k))
    else {
        return Err(ApiError::new(
            404,
            json!({"type":"https://api.postman.com/problems/not-found","title":"Not Found","status":404,"detail":"The key was not found"}),
        ));
    };
    k.deleted_at = Some(now);
    k.updated_at = now;
    drop(st);
    sh.dirty();
    Ok(Out::empty(204))
}
