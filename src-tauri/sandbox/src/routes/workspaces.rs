//! `/workspaces` and `/workspaces/{id}`: list (filters, cursor pages), create, read (with the
//! workspace's collections and environments), update, delete.

use super::{me_user, tasks, Id, Sh, User};
use crate::clock::iso;
use crate::error::ApiError;
use crate::http::{Out, Req};
use crate::policy;
use crate::rng::{b64_decode, b64_encode};
use crate::shared::{read, write, Shared};
use crate::state::{State as Data, User as Person, Workspace};
use axum::extract::State;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::Arc;

pub fn routes() -> Router<Arc<Shared>> {
    let one = get(get_one).put(update).delete(delete);
    super::resource("workspaces", get(list).post(create), one)
}

const WS_TYPES: [&str; 5] = ["personal", "team", "private", "public", "partner"];

async fn list(State(sh): Sh, User { id: u, .. }: User, req: Req) -> Result<Out, ApiError> {
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
        let ws = st.collection_at(uid).map(|e| e.c.workspace.clone());
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

async fn get_one(State(sh): Sh, User { id: u, .. }: User, Id(id): Id) -> Result<Out, ApiError> {
    tasks::settle(&sh);
    let st = read(&sh.state);
    let user = me_user(&st, u)?;
    let w = st
        .workspace(&id)
        .filter(|w| st.can_see(user, w))
        .ok_or_else(workspace_not_found)?;
    let colls = st.collections_in(&w.id);
    let es = st.environments_in(&w.id);
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

async fn create(State(sh): Sh, User { id: u, now }: User, req: Req) -> Result<Out, ApiError> {
    let o = ws_body(&req)?;
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

/// Where the workspace `id` is in the list, if `user` sees it.
fn visible_at(st: &Data, id: &str, user: &Person) -> Option<usize> {
    st.workspaces
        .iter()
        .position(|w| w.id == id && st.can_see(user, w))
}

async fn update(State(sh): Sh, caller: User, Id(id): Id, req: Req) -> Result<Out, ApiError> {
    let User { id: u, now } = caller;
    let o = ws_body(&req)?;
    let mut st = write(&sh.state);
    let user = me_user(&st, u)?.clone();
    let idx = visible_at(&st, &id, &user).ok_or_else(|| instance_ws_not_found(404))?;
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

async fn delete(State(sh): Sh, User { id: u, .. }: User, Id(id): Id) -> Result<Out, ApiError> {
    let mut st = write(&sh.state);
    let user = me_user(&st, u)?.clone();
    let idx = visible_at(&st, &id, &user).ok_or_else(|| instance_ws_not_found(400))?;
    let w = st.workspaces.remove(idx);
    st.collections.retain(|_, e| e.c.workspace != w.id);
    st.environments.retain(|_, e| e.e.workspace != w.id);
    drop(st);
    sh.dirty();
    Ok(Out::ok(json!({"workspace": {"id": w.id}})))
}
