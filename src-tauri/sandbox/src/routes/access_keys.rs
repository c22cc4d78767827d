//! Collection access keys: `GET /collection-access-keys` (cursor pages),
//! `DELETE /collection-access-keys/{id}` (revoke), the check that lets a key open
//! `GET /collections/{id}`, and how a key is rendered (also for `/_sandbox/access-keys`).

use super::{me_user, seg, Id, Sh, User};
use crate::clock::iso;
use crate::error::ApiError;
use crate::http::{Out, Req};
use crate::policy;
use crate::rng::{b64_decode, b64_encode};
use crate::shared::{read, write, Shared};
use crate::state::{split_id, AccessKey, User as Person};
use axum::extract::State;
use axum::routing::{delete, get};
use axum::Router;
use serde_json::{json, Value};
use std::sync::Arc;

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/collection-access-keys", get(list))
        .route("/collection-access-keys/{id}", delete(revoke))
}

/// Checks a collection access key for `GET /collections/{id}`; on success records its use
/// (lastUsedAt, expiry pushed to use + 60 days) and returns the key creator's user id.
pub fn access_key_opens(sh: &Shared, token: &str, path: &str, now: i64) -> Option<u64> {
    let raw = seg(path, 1);
    let mut st = write(&sh.state);
    let cid = st.collection_at(raw)?.c.id.clone();
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

pub const ACCESS_KEY_PAGE: usize = 10;

fn key_visible(user: &Person, k: &AccessKey) -> bool {
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

async fn list(State(sh): Sh, User { id: u, now }: User, req: Req) -> Result<Out, ApiError> {
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

async fn revoke(State(sh): Sh, User { id: u, now }: User, Id(id): Id) -> Result<Out, ApiError> {
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
