//! `/collections` and `/collections/{id}`: list, create, read (full or `model=minimal`, from
//! the rendered-bytes cache; a collection access key may open it), replace (sync, or async with
//! `Prefer: respond-async` through an update task), PATCH, delete. The collection body itself
//! is `crate::collections`'s business; this module does ids, visibility and HTTP shapes.

use super::{post_target_workspace, tasks, Id, Sh, User};
use crate::clock::iso;
use crate::collections::{self as coll, StoredCollection};
use crate::error::ApiError;
use crate::gate::Caller;
use crate::http::{Out, Req};
use crate::policy;
use crate::shared::{lock, read, write, Shared};
use crate::state::{CollEntry, State as Data};
use axum::extract::State;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::Arc;

pub fn routes() -> Router<Arc<Shared>> {
    let one = get(get_one).put(put).patch(patch).delete(delete);
    super::resource("collections", get(list).post(create), one)
}

fn visible(st: &Data, u: u64, e: &CollEntry) -> bool {
    st.can_see_id(u, &e.c.workspace)
}

/// The collection `raw` names if `u` sees it, else the documented 404 of PUT/PATCH/DELETE.
fn editable<'a>(st: &'a Data, raw: &str, u: u64) -> Result<&'a CollEntry, ApiError> {
    st.collection_at(raw)
        .filter(|e| visible(st, u, e))
        .ok_or_else(|| coll::instance_not_found_error(raw))
}

/// Stores a changed collection as its next version (which retires its cached bytes).
fn commit(sh: &Shared, mut st: std::sync::RwLockWriteGuard<'_, Data>, c: StoredCollection) {
    if let Some(e) = st.collections.get_mut(&c.id) {
        e.c = c;
        e.version += 1;
    }
    drop(st);
    sh.dirty();
}

async fn list(State(sh): Sh, User { id: u, .. }: User, req: Req) -> Result<Out, ApiError> {
    tasks::settle(&sh);
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
        .filter(|e| visible(&st, u, e))
        .filter(|e| name.is_none_or(|n| e.c.name() == n))
        .collect();
    all.sort_by_key(|e| e.seq);
    let limit = req.q("limit").and_then(|l| l.parse::<usize>().ok());
    let offset = req
        .q("offset")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(0);
    let total = all.len();
    let collections: Vec<coll::Summary> = all
        .iter()
        .skip(offset)
        .take(limit.unwrap_or(usize::MAX))
        .map(|e| coll::summary(&e.c))
        .collect();
    let meta = limit.map(|limit| Meta {
        total,
        offset,
        limit,
    });
    let out = Out::serialized(200, &Listed { collections, meta });
    drop(st);
    render_large_ahead(&sh);
    Ok(out)
}

/// How many large collections the state came with are rendered ahead at most (the most
/// recently updated first): their bytes stay in memory beside the documents.
const AHEAD_AT_MOST: usize = 4;

/// After the first list (the user is looking at collections; the first screen is drawn), the
/// large collections the state file held, which no write of this process rendered ahead, are
/// rendered into the bytes cache on a background thread: opening one after a restart then
/// answers from its bytes instead of waiting for them to be rendered.
fn render_large_ahead(sh: &Arc<Shared>) {
    if sh
        .rendered_ahead
        .swap(true, std::sync::atomic::Ordering::Relaxed)
    {
        return;
    }
    let sh = sh.clone();
    // At the lowest priority: it runs while the list it follows is still being read and drawn
    // (on two cores, at the normal priority it competed with both).
    let _ = postdesk_base::tasks::background("sandbox-render-ahead", move || {
        let ids = large_ones(read(&sh.state).collections.values());
        for id in ids {
            render_now(&sh, &id);
        }
    });
}

/// The ids of the collections of at least [`RENDER_AHEAD_FROM`] bytes (estimated), the most
/// recently updated first, [`AHEAD_AT_MOST`] at most.
fn large_ones<'a>(entries: impl Iterator<Item = &'a CollEntry>) -> Vec<String> {
    let mut large: Vec<&CollEntry> = entries
        .filter(|e| at_least(&e.c.doc, RENDER_AHEAD_FROM))
        .collect();
    large.sort_by(|a, b| b.c.updated_at.cmp(&a.c.updated_at));
    large
        .into_iter()
        .take(AHEAD_AT_MOST)
        .map(|e| e.c.id.clone())
        .collect()
}

/// Whether `v` written as JSON takes at least `bytes` (estimated from its texts, keys and
/// punctuation; the walk stops once that many are counted).
fn at_least(v: &Value, bytes: usize) -> bool {
    fn walk(v: &Value, left: &mut usize) -> bool {
        let size = match v {
            Value::String(s) => s.len() + 2,
            Value::Array(a) => {
                *left = left.saturating_sub(2);
                return a.iter().any(|x| walk(x, left)) || *left == 0;
            }
            Value::Object(m) => {
                *left = left.saturating_sub(2);
                return m.iter().any(|(k, x)| {
                    *left = left.saturating_sub(k.len() + 4);
                    walk(x, left)
                }) || *left == 0;
            }
            _ => 5,
        };
        *left = left.saturating_sub(size);
        *left == 0
    }
    let mut left = bytes;
    walk(v, &mut left)
}

/// `GET /collections`: `{"collections":[…]}`, with `meta` when a `limit` was asked for.
#[derive(serde::Serialize)]
struct Listed<'a> {
    collections: Vec<coll::Summary<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<Meta>,
}

#[derive(serde::Serialize)]
struct Meta {
    total: usize,
    offset: usize,
    limit: usize,
}

fn not_found_get() -> ApiError {
    let mut e = coll::get_not_found_error();
    e.status = policy::NOT_FOUND_STATUS;
    e
}

/// Opened by a collection access key (no visibility check: the key names the collection) or
/// by the API key of a user who sees it.
async fn get_one(State(sh): Sh, caller: Caller, Id(raw): Id, req: Req) -> Result<Out, ApiError> {
    let viewer = match caller {
        Caller {
            via_access_key: Some(_),
            ..
        } => None,
        Caller { user: Some(u), .. } => Some(u),
        _ => return Err(policy::unauthorized()),
    };
    tasks::settle(&sh);
    let minimal = req.q("model") == Some("minimal");
    let st = read(&sh.state);
    let e = st.collection_at(&raw).ok_or_else(not_found_get)?;
    if let Some(u) = viewer {
        if !visible(&st, u, e) {
            return Err(not_found_get());
        }
    }
    let (id, version) = (e.c.id.clone(), e.version);
    if let Some(b) = cached_bytes(&sh, &id, minimal, version) {
        return Ok(Out::bytes(200, b));
    }
    let bytes = render(&e.c, minimal);
    drop(st);
    keep_bytes(&sh, id, minimal, version, bytes.clone());
    Ok(Out::bytes(200, bytes))
}

/// A collection as `GET /collections/{id}` answers with it (`minimal`: `model=minimal`).
fn render(c: &StoredCollection, minimal: bool) -> bytes::Bytes {
    bytes::Bytes::from(if minimal {
        serde_json::to_vec(&coll::render_minimal(c)).unwrap_or_default()
    } else {
        coll::render_full_bytes(c)
    })
}

/// The bytes rendered of `version` of collection `id`, if they are kept.
fn cached_bytes(sh: &Shared, id: &str, minimal: bool, version: u64) -> Option<bytes::Bytes> {
    let cache = lock(&sh.cache);
    let (v, b) = cache.get(&(id.to_owned(), minimal))?;
    (*v == version).then(|| b.clone())
}

/// Keeps the bytes of `version`, unless newer ones are kept already.
fn keep_bytes(sh: &Shared, id: String, minimal: bool, version: u64, bytes: bytes::Bytes) {
    let mut cache = lock(&sh.cache);
    let key = (id, minimal);
    if cache.get(&key).is_none_or(|(v, _)| *v < version) {
        cache.insert(key, (version, bytes));
    }
}

/// From this size of a written document on, its bytes are rendered right after the write, off
/// the request: the first GET of an 18 MB collection then answers in ~30 ms instead of ~170
/// (the same bytes it would render then).
const RENDER_AHEAD_FROM: usize = 1 << 20;

/// Renders the current version of collection `id` into the bytes cache on a blocking thread.
fn render_ahead(sh: &Arc<Shared>, id: String) {
    let sh = sh.clone();
    tokio::task::spawn_blocking(move || render_now(&sh, &id));
}

/// What [`render_ahead`] does, here and now.
fn render_now(sh: &Shared, id: &str) {
    let st = read(&sh.state);
    let Some(e) = st.collections.get(id) else {
        return;
    };
    let version = e.version;
    if cached_bytes(sh, id, false, version).is_some() {
        return;
    }
    let bytes = render(&e.c, false);
    drop(st);
    keep_bytes(sh, id.to_owned(), false, version, bytes);
}

async fn create(State(sh): Sh, User { id: u, now }: User, req: Req) -> Result<Out, ApiError> {
    let body = req.json()?;
    let now_s = iso(now);
    let mut st = write(&sh.state);
    let ws = post_target_workspace(&st, &req, u)?;
    let mut c = st
        .rng
        .with_ctx(&now_s, u, |ctx| coll::create_owned(ctx, body))?;
    c.workspace = ws;
    let out = coll::created_body(&c);
    st.seq += 1;
    let seq = st.seq;
    let id = c.id.clone();
    st.collections
        .insert(id.clone(), CollEntry { seq, version: 1, c });
    drop(st);
    sh.dirty();
    if req.body.len() >= RENDER_AHEAD_FROM {
        render_ahead(&sh, id);
    }
    Ok(Out::ok(out))
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

async fn put(State(sh): Sh, user: User, Id(raw): Id, req: Req) -> Result<Out, ApiError> {
    let (User { id: u, now }, now_s) = (user, iso(user.now));
    tasks::settle(&sh);
    let body = req.json()?;
    let is_async = req
        .header("prefer")
        .is_some_and(|p| p.to_ascii_lowercase().contains("respond-async"));
    let mut st = write(&sh.state);
    let entry = editable(&st, &raw, u)?;
    let id = entry.c.id.clone();
    if is_async {
        if let Some(e) = async_shape_error(&body, &raw) {
            return Err(e);
        }
    }
    if tasks::running(&sh, &id) {
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
        coll::replace_owned(ctx, &mut c, &raw, body, &is_foreign)
    });
    if is_async {
        res.map_err(async_error)?;
        let task_id = st.rng.uuid();
        drop(st);
        tasks::enqueue(&sh, task_id.clone(), c, now);
        return Ok(Out::json(
            202,
            &json!({"task": {"id": task_id, "status": "in-progress"}}),
        ));
    }
    res?;
    let out = coll::replaced_body(&c);
    commit(&sh, st, c);
    if req.body.len() >= RENDER_AHEAD_FROM {
        render_ahead(&sh, id);
    }
    Ok(Out::ok(out))
}

async fn patch(State(sh): Sh, user: User, Id(raw): Id, req: Req) -> Result<Out, ApiError> {
    let (u, now_s) = (user.id, iso(user.now));
    tasks::settle(&sh);
    let body = req.json()?;
    let mut st = write(&sh.state);
    let mut c = editable(&st, &raw, u)?.c.clone();
    let out = st
        .rng
        .with_ctx(&now_s, u, |ctx| coll::patch(ctx, &mut c, &body))?;
    commit(&sh, st, c);
    Ok(Out::ok(out))
}

async fn delete(State(sh): Sh, User { id: u, .. }: User, Id(raw): Id) -> Result<Out, ApiError> {
    tasks::settle(&sh);
    let mut st = write(&sh.state);
    let id = editable(&st, &raw, u)?.c.id.clone();
    let removed: Option<StoredCollection> = st.collections.remove(&id).map(|e| e.c);
    drop(st);
    lock(&sh.cache).retain(|k, _| k.0 != id);
    sh.dirty();
    match removed {
        Some(c) => Ok(Out::ok(coll::deleted_body(&c))),
        None => Err(coll::instance_not_found_error(&raw)),
    }
}

#[cfg(test)]
mod tests {
    use super::{at_least, large_ones, RENDER_AHEAD_FROM};
    use crate::collections::StoredCollection;
    use crate::state::CollEntry;
    use serde_json::{json, Value};

    fn entry(id: &str, updated_at: &str, doc: Value) -> CollEntry {
        CollEntry {
            seq: 0,
            version: 1,
            c: StoredCollection {
                id: id.into(),
                owner: 1,
                workspace: "w".into(),
                created_at: updated_at.into(),
                updated_at: updated_at.into(),
                last_updated_by: 1,
                doc,
                is_public: false,
                fork: None,
            },
        }
    }

    /// A document of `n` requests whose bodies take `body` bytes each.
    fn doc(n: usize, body: usize) -> Value {
        let item: Vec<Value> = (0..n)
            .map(|i| json!({"name": format!("r{i}"), "request": {"method": "POST", "body": {"raw": "x".repeat(body)}}}))
            .collect();
        json!({"info": {"name": "c"}, "item": item})
    }

    #[test]
    fn the_estimate_counts_what_the_json_writes() {
        let d = doc(100, 1_000);
        let written = serde_json::to_vec(&d).unwrap().len();
        assert!(at_least(&d, written / 2));
        assert!(at_least(&d, written * 9 / 10), "close to the written size");
        assert!(!at_least(&d, written * 11 / 10));
        assert!(!at_least(
            &json!({"info": {"name": "small"}, "item": []}),
            100
        ));
        assert!(at_least(&json!([[[]]]), 6));
    }

    #[test]
    fn the_large_ones_are_the_most_recently_updated_first_and_a_few_at_most() {
        let big = || doc(2, RENDER_AHEAD_FROM);
        let entries = [
            entry("small", "2026-12-07T10:00:00.000Z", doc(3, 10)),
            entry("old", "2026-01-01T00:00:00.000Z", big()),
            entry("new", "2026-12-01T00:00:00.000Z", big()),
            entry("b", "2026-06-01T00:00:00.000Z", big()),
            entry("c", "2026-07-01T00:00:00.000Z", big()),
            entry("d", "2026-05-01T00:00:00.000Z", big()),
        ];
        assert_eq!(large_ones(entries.iter()), ["new", "c", "b", "d"]);
        assert!(large_ones(entries[..1].iter()).is_empty());
    }
}
