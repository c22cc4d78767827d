//! Create (POST), seed import and full replace (PUT) of a collection body.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::errors::{malformed_error, mismatch_error, missing_collection_error};
use super::model::{doc_items, normalize_doc, walk, StoredCollection};
use super::schema::schema_errors;
use super::stamp::{IdMode, Stamper};
use crate::error::ApiError;
use crate::model::Ctx;

/// The `collection` object of a request body, or the documented "missing" error.
fn collection_of(body: &Value) -> Result<&Value, ApiError> {
    match body.get("collection") {
        Some(c) if c.is_object() => Ok(c),
        _ => Err(missing_collection_error()),
    }
}

/// POST /collections. `body` is the whole request JSON `{"collection":{…}}`.
pub fn create(ctx: &mut Ctx, body: &Value) -> Result<StoredCollection, ApiError> {
    let collection = checked_for_create(body)?;
    let mut doc = collection.clone();
    normalize_doc(&mut doc);
    Ok(build(ctx, doc))
}

/// [`create`] taking the request body by value (no copy of the collection tree).
pub fn create_owned(ctx: &mut Ctx, mut body: Value) -> Result<StoredCollection, ApiError> {
    checked_for_create(&body)?;
    let mut doc = take_collection(&mut body);
    normalize_doc(&mut doc);
    Ok(build(ctx, doc))
}

fn checked_for_create(body: &Value) -> Result<&Value, ApiError> {
    let collection = collection_of(body)?;
    let errors = schema_errors(collection);
    if !errors.is_empty() {
        return Err(malformed_error(errors));
    }
    Ok(collection)
}

fn take_collection(body: &mut Value) -> Value {
    body.as_object_mut()
        .and_then(|o| o.remove("collection"))
        .unwrap_or(Value::Null)
}

/// A collection from a raw example/exported collection file (not wrapped in `collection`).
/// Never fails: whatever the file holds is stored (normalized: `info` object, `item` array).
/// The collection and every item get fresh ids from `ctx.new_id` (deterministic under the
/// sandbox seed); `info._postman_id` and item ids in the file are not kept, so the same file
/// can be imported twice.
pub fn import_seed(ctx: &mut Ctx, doc: &Value) -> StoredCollection {
    let mut doc = doc.clone();
    normalize_doc(&mut doc);
    build(ctx, doc)
}

fn build(ctx: &mut Ctx, mut doc: Value) -> StoredCollection {
    let id = (ctx.new_id)();
    let owner = ctx.user_id;
    let now = ctx.now.to_owned();
    if let Some(Value::Array(items)) = doc.get_mut("item") {
        let mut st = Stamper {
            ctx,
            owner,
            mode: IdMode::Fresh,
        };
        // Fresh mode never fails.
        let _ = st.items(items);
    }
    StoredCollection {
        id,
        owner,
        workspace: String::new(),
        created_at: now.clone(),
        updated_at: now,
        last_updated_by: owner,
        doc,
        is_public: false,
        fork: None,
    }
}

/// PUT /collections/{path_id}: full replace (see the UNCONFIRMED consts above for id rules).
/// Validates everything before mutating: on error `existing` is unchanged.
pub fn replace(
    ctx: &mut Ctx,
    existing: &mut StoredCollection,
    path_id: &str,
    body: &Value,
    is_foreign_id: &dyn Fn(&str) -> bool,
) -> Result<(), ApiError> {
    let collection = checked_for_replace(existing, path_id, body)?;
    replace_doc(ctx, existing, collection.clone(), is_foreign_id)
}

/// [`replace`] taking the request body by value (no copy of the collection tree).
pub fn replace_owned(
    ctx: &mut Ctx,
    existing: &mut StoredCollection,
    path_id: &str,
    mut body: Value,
    is_foreign_id: &dyn Fn(&str) -> bool,
) -> Result<(), ApiError> {
    checked_for_replace(existing, path_id, &body)?;
    let doc = take_collection(&mut body);
    replace_doc(ctx, existing, doc, is_foreign_id)
}

/// PUT checks that need no id bookkeeping: body shape, schema, `_postman_id` vs path.
fn checked_for_replace<'b>(
    existing: &StoredCollection,
    path_id: &str,
    body: &'b Value,
) -> Result<&'b Value, ApiError> {
    let collection = collection_of(body)?;
    let errors = schema_errors(collection);
    if !errors.is_empty() {
        return Err(malformed_error(errors));
    }
    if let Some(pid) = collection
        .get("info")
        .and_then(|i| i.get("_postman_id"))
        .and_then(Value::as_str)
    {
        if !pid.is_empty() && !same_collection(pid, path_id, existing) {
            return Err(mismatch_error());
        }
    }
    Ok(collection)
}

/// Stamp a validated collection body against `existing`'s ids; commit only on success.
fn replace_doc(
    ctx: &mut Ctx,
    existing: &mut StoredCollection,
    mut doc: Value,
    is_foreign_id: &dyn Fn(&str) -> bool,
) -> Result<(), ApiError> {
    let mut old: HashMap<&str, &Map<String, Value>> = HashMap::new();
    walk(doc_items(&existing.doc), &mut |o| {
        if let Some(Value::String(id)) = o.get("id") {
            old.insert(id.as_str(), o);
        }
    });
    normalize_doc(&mut doc);
    if let Some(Value::Array(items)) = doc.get_mut("item") {
        let mut st = Stamper {
            ctx,
            owner: existing.owner,
            mode: IdMode::Keep {
                existing: old,
                is_foreign: is_foreign_id,
                seen: HashSet::new(),
            },
        };
        st.items(items)?;
    }
    existing.doc = doc;
    existing.updated_at = ctx.now.to_owned();
    existing.last_updated_by = ctx.user_id;
    Ok(())
}

/// Does `pid` (from the body) name the collection addressed by `path_id`?
fn same_collection(pid: &str, path_id: &str, c: &StoredCollection) -> bool {
    let bare = |s: &str| -> String {
        let prefix = format!("{}-", c.owner);
        s.strip_prefix(&prefix).unwrap_or(s).to_owned()
    };
    let pid = bare(pid);
    pid == bare(path_id) && pid == c.id
}
