//! Collections: pure domain logic behind `/collections*` (REFERENCE.md §3).
//!
//! The HTTP layer resolves paths, auth and workspaces; everything about the collection body
//! itself (validation, item ids, the exact response bodies) lives here.
//!
//! Storage model: [`StoredCollection::doc`] is the Collection Format v2.1 body as the user sent
//! it, with two differences:
//! - `info` never holds server fields (`_postman_id`, `uid`, `createdAt`, `updatedAt`,
//!   `lastUpdatedBy`, `fork`): those are rendered from the struct fields;
//! - every folder, request and saved response carries `id`, `uid`, `createdAt`, `updatedAt`,
//!   exactly as `GET /collections/{id}` returns them (so rendering is one clone).

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::error::ApiError;
use crate::model::Ctx;

// ---------------------------------------------------------------------------------------------
// UNCONFIRMED choices (REFERENCE.md marks these as not confirmed by any official source).
// ---------------------------------------------------------------------------------------------

/// POST /collections: the spec documents only `instanceFoundError` for 400. We answer schema
/// violations with the same `malformedRequestError` body that is documented for PUT (§3.3).
pub const POST_VALIDATION_USES_MALFORMED_REQUEST: bool = true;

/// POST /collections: a supplied `info._postman_id` and item `id`s are ignored, and the new
/// collection and all of its items get fresh ids ("Items do not need `id` on create"). This
/// mirrors importing the same exported file twice, which yields two independent collections.
pub const POST_KEEPS_SUPPLIED_IDS: bool = false;

/// PUT /collections/{id}: an item `id` that belongs to *another* collection fails the request
/// ("otherwise the request errors", §3.4). The body is not documented; we answer the documented
/// family-A `instanceFoundError` ("The specified item already exists."), with `details.item`
/// naming the kind of element (`folder`, `request` or `response`) and `details.id` the id.
/// The same error answers an id used twice within one request body.
pub fn foreign_item_error(kind: &str, id: &str) -> ApiError {
    ApiError::new(
        400,
        json!({"error": {"name": "instanceFoundError", "message": "The specified item already exists.",
            "details": {"item": kind, "id": id}}}),
    )
}

/// PUT /collections/{id}: an item `id` unknown to every collection is kept (the item is
/// created with that id), as Postman clients generate item ids client-side.
pub const PUT_KEEPS_UNKNOWN_IDS: bool = true;

/// PUT /collections/{id}: an item kept by id keeps its `createdAt`; its `updatedAt` only moves
/// when its own content (ignoring children and server fields) changed.
pub const PUT_KEEPS_UPDATED_AT_OF_UNCHANGED_ITEMS: bool = true;

/// `info.schema`: the v2.1 JSON schema types it as any string; both hosts
/// (`schema.getpostman.com`, `schema.postman.com`) are accepted and the stored value is
/// emitted back unchanged (§3.2).
pub const ACCEPT_ANY_SCHEMA_URL: bool = true;

/// ajv `instancePath` rendering in `malformedRequestError.details`: the documented examples
/// are `": must have required property 'item'"` (root) and `"info: must …"`. For deeper
/// paths we join segments with `.` (as the environment errors do: `environment.values.0`).
pub fn ajv_path(pointer: &str) -> String {
    pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect::<Vec<_>>()
        .join(".")
}

/// PATCH `variable[]`: the spec says "A list of the collection's variables to add or update".
/// We merge by `key`: an existing variable with the same key is replaced, new keys are appended,
/// other variables are kept.
pub const PATCH_VARIABLES_MERGE_BY_KEY: bool = true;

/// PATCH `events[]`: events are matched by `listen`; a patched `prerequest`/`test` event replaces
/// the stored one of the same `listen`, others are kept.
pub const PATCH_EVENTS_MERGE_BY_LISTEN: bool = true;

/// `model=minimal`: keys whose value is absent from the collection (`variable`, `auth`,
/// `events`) are omitted rather than rendered as `null`/`[]`.
pub const MINIMAL_OMITS_ABSENT_KEYS: bool = true;

// ---------------------------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------------------------

/// The Collection Format v2.1.0 JSON schema (the `postman-schemas` crate's).
pub use postman_schemas::COLLECTION_V21 as SCHEMA_V210;

/// `info` keys owned by the server: never stored in `doc.info`, always rendered from fields.
const SERVER_INFO_KEYS: [&str; 6] = [
    "_postman_id",
    "uid",
    "createdAt",
    "updatedAt",
    "lastUpdatedBy",
    "fork",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredCollection {
    pub id: String,
    pub owner: u64,
    /// Set by the caller after create.
    pub workspace: String,
    pub created_at: String,
    pub updated_at: String,
    pub last_updated_by: u64,
    /// The v2.1 body (`info`, `item`, `event`, `variable`, `auth`, `protocolProfileBehavior`),
    /// items stamped with `id`, `uid`, `createdAt`, `updatedAt`.
    pub doc: Value,
    #[serde(default)]
    pub is_public: bool,
    /// `{label, createdAt, from}` when the collection is a fork.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fork: Option<Value>,
}

impl StoredCollection {
    pub fn uid(&self) -> String {
        format!("{}-{}", self.owner, self.id)
    }

    pub fn name(&self) -> &str {
        self.doc
            .get("info")
            .and_then(|i| i.get("name"))
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    fn description(&self) -> Option<&Value> {
        self.doc.get("info").and_then(|i| i.get("description"))
    }
}

// ---------------------------------------------------------------------------------------------
// Documented error bodies
// ---------------------------------------------------------------------------------------------

/// `{"error":{"name":"paramMissingError","message":"Parameter is missing in the request.",
/// "details":{"param":["collection"]}}}` (spec example `paramMissing400ErrorCollection`).
pub fn missing_collection_error() -> ApiError {
    ApiError::new(
        400,
        json!({"error": {"name": "paramMissingError", "message": "Parameter is missing in the request.",
            "details": {"param": ["collection"]}}}),
    )
}

/// PUT: `info._postman_id` differs from the path id.
pub fn mismatch_error() -> ApiError {
    ApiError::new(
        400,
        json!({"error": {"name": "collectionMismatchError",
            "message": "The collection ID in the path does not match the collection ID in the request body."}}),
    )
}

/// `malformedRequestError` with ajv-style details.
pub fn malformed_error(details: Vec<String>) -> ApiError {
    ApiError::new(
        400,
        json!({"error": {"name": "malformedRequestError",
            "message": format!("Found {} errors with the supplied collection.", details.len()),
            "details": details}}),
    )
}

/// 404 (PUT/PATCH/DELETE, family A): `details.id` is the id as given in the path.
pub fn instance_not_found_error(path_id: &str) -> ApiError {
    ApiError::new(
        404,
        json!({"error": {"name": "instanceNotFoundError", "message": "The specified item does not exist.",
            "details": {"item": "collection", "id": path_id}}}),
    )
}

/// GET not found (REFERENCE §3.2: the spec files it under 400, observed as 404; we use 404).
pub fn get_not_found_error() -> ApiError {
    ApiError::new(
        404,
        json!({"error": {"name": "instanceNotFoundError",
            "message": "We could not find the collection you are looking for"}}),
    )
}

fn param_missing(message: String, param: &str) -> ApiError {
    ApiError::new(
        400,
        json!({"error": {"name": "paramMissingError", "message": message, "details": {"param": param}}}),
    )
}

fn bad_request(message: String) -> ApiError {
    ApiError::new(
        400,
        json!({"error": {"name": "badRequest", "message": message}}),
    )
}

/// `('a', 'b')` as in "Parameters required: ('type', 'exec') for key: …".
fn tuple(names: &[&str]) -> String {
    let inner: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    format!("({})", inner.join(", "))
}

fn invalid_params(names: &[&str], key: &str) -> ApiError {
    bad_request(format!(
        "Invalid parameters: {} for key: '{key}'",
        tuple(names)
    ))
}

fn params_required(names: &[&str], key: &str) -> ApiError {
    bad_request(format!(
        "Parameters required: {} for key: '{key}'",
        tuple(names)
    ))
}

// ---------------------------------------------------------------------------------------------
// Schema validation (ajv-style messages)
// ---------------------------------------------------------------------------------------------

/// Validate a v2.1 collection body (the value of the `collection` key) and return the
/// ajv-style error strings, in ajv order (shallower paths first, stable otherwise).
pub fn schema_errors(collection: &Value) -> Vec<String> {
    let v = postman_schemas::collection_v21();
    if v.is_valid(collection) {
        return Vec::new();
    }
    let mut out: Vec<(Vec<Seg>, String)> = Vec::new();
    for err in v.iter_errors(collection) {
        push_ajv(&err, &mut out);
    }
    // ajv order (approximated): depth first along the instance, an object's own errors
    // (`required`, `type`) before its properties' errors, a `oneOf`/`anyOf` summary after
    // everything beneath it. Sibling properties sort by name, array elements by index.
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.into_iter().map(|(_, s)| s).collect()
}

/// One instance-path segment, as a sort key.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Seg {
    Index(u64),
    Name(String),
    /// Sorts after every descendant (combinator summaries).
    After,
}

fn sort_key(pointer: &str) -> Vec<Seg> {
    pointer
        .split('/')
        .skip(1)
        .map(|s| match s.parse::<u64>() {
            Ok(i) => Seg::Index(i),
            Err(_) => Seg::Name(s.to_owned()),
        })
        .collect()
}

fn push_ajv(err: &jsonschema::ValidationError<'_>, out: &mut Vec<(Vec<Seg>, String)>) {
    use jsonschema::error::ValidationErrorKind as K;
    let pointer = err.instance_path().as_str();
    let mut key = sort_key(pointer);
    let path = ajv_path(pointer);
    let msg = match err.kind() {
        K::Required { property } => {
            let p = property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_owned);
            format!("must have required property '{p}'")
        }
        K::Type { kind } => format!("must be {}", type_kind(kind)),
        K::Enum { .. } => "must be equal to one of the allowed values".into(),
        K::Constant { .. } => "must be equal to constant".into(),
        K::AdditionalProperties { .. } => "must NOT have additional properties".into(),
        K::MaxLength { limit } => format!("must NOT have more than {limit} characters"),
        K::MinLength { limit } => format!("must NOT have fewer than {limit} characters"),
        K::MaxItems { limit } => format!("must NOT have more than {limit} items"),
        K::MinItems { limit } => format!("must NOT have fewer than {limit} items"),
        K::Pattern { pattern } => format!("must match pattern \"{pattern}\""),
        K::Format { format } => format!("must match format \"{format}\""),
        K::Minimum { limit } => format!("must be >= {limit}"),
        K::Maximum { limit } => format!("must be <= {limit}"),
        K::ExclusiveMinimum { limit } => format!("must be > {limit}"),
        K::ExclusiveMaximum { limit } => format!("must be < {limit}"),
        K::UniqueItems => "must NOT have duplicate items".into(),
        K::Not { .. } => "must NOT be valid".into(),
        K::FalseSchema => "boolean schema is false".into(),
        K::OneOfMultipleValid { .. } => "must match exactly one schema in oneOf".into(),
        // ajv (allErrors) reports every branch's errors, then the combinator failure itself.
        K::OneOfNotValid { context } | K::AnyOf { context } => {
            for e in context.iter().flatten() {
                push_ajv(e, out);
            }
            key.push(Seg::After);
            if matches!(err.kind(), K::AnyOf { .. }) {
                "must match a schema in anyOf".into()
            } else {
                "must match exactly one schema in oneOf".into()
            }
        }
        other => format!("must pass \"{}\" keyword validation", other.keyword()),
    };
    out.push((key, format!("{path}: {msg}")));
}

fn type_kind(kind: &jsonschema::error::TypeKind) -> String {
    match kind {
        jsonschema::error::TypeKind::Single(t) => t.to_string(),
        jsonschema::error::TypeKind::Multiple(set) => set
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(","),
    }
}

// ---------------------------------------------------------------------------------------------
// Item stamping (ids, uids, timestamps)
// ---------------------------------------------------------------------------------------------

enum IdMode<'a, 'e> {
    /// Every element gets a fresh id (create, seed import).
    Fresh,
    /// PUT: supplied ids are kept when they are this collection's or unknown.
    Keep {
        /// This collection's stored elements by id.
        existing: HashMap<&'e str, &'e Map<String, Value>>,
        is_foreign: &'a dyn Fn(&str) -> bool,
        seen: HashSet<String>,
    },
}

struct Stamper<'c, 'a, 'm, 'e> {
    ctx: &'c mut Ctx<'a>,
    owner: u64,
    mode: IdMode<'m, 'e>,
}

const ITEM_SERVER_KEYS: [&str; 4] = ["id", "uid", "createdAt", "updatedAt"];

/// Is `k` part of an element's own content (not a child list, not a server field)?
fn is_own_key(k: &str) -> bool {
    !ITEM_SERVER_KEYS.contains(&k) && k != "item" && k != "response"
}

/// Same own content (ignoring children and server fields), without cloning.
fn same_own_content(a: &Map<String, Value>, b: &Map<String, Value>) -> bool {
    let count = |m: &Map<String, Value>| m.keys().filter(|k| is_own_key(k)).count();
    count(a) == count(b)
        && a.iter()
            .filter(|(k, _)| is_own_key(k))
            .all(|(k, v)| b.get(k) == Some(v))
}

impl Stamper<'_, '_, '_, '_> {
    fn items(&mut self, items: &mut [Value]) -> Result<(), ApiError> {
        for item in items {
            let Some(obj) = item.as_object_mut() else {
                continue;
            };
            let is_folder = obj.get("item").is_some_and(Value::is_array);
            self.stamp(obj, if is_folder { "folder" } else { "request" })?;
            if is_folder {
                if let Some(Value::Array(children)) = obj.get_mut("item") {
                    self.items(children)?;
                }
            } else if let Some(Value::Array(responses)) = obj.get_mut("response") {
                for r in responses.iter_mut() {
                    if let Some(robj) = r.as_object_mut() {
                        self.stamp(robj, "response")?;
                    }
                }
            }
        }
        Ok(())
    }

    fn stamp(&mut self, obj: &mut Map<String, Value>, kind: &str) -> Result<(), ApiError> {
        let now = self.ctx.now.to_owned();
        let supplied = match obj.get("id") {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            _ => None,
        };
        let (id, created_at, updated_at) = match (&mut self.mode, supplied) {
            (
                IdMode::Keep {
                    existing,
                    is_foreign,
                    seen,
                },
                Some(id),
            ) => {
                if !seen.insert(id.clone()) {
                    return Err(foreign_item_error(kind, &id));
                }
                if let Some(old) = existing.get(id.as_str()) {
                    let stamp = |k: &str| old.get(k).and_then(Value::as_str).map(str::to_owned);
                    let unchanged =
                        PUT_KEEPS_UPDATED_AT_OF_UNCHANGED_ITEMS && same_own_content(obj, old);
                    let updated = stamp("updatedAt")
                        .filter(|_| unchanged)
                        .unwrap_or_else(|| now.clone());
                    let created = stamp("createdAt").unwrap_or_else(|| now.clone());
                    (id, created, updated)
                } else if is_foreign(&id) {
                    return Err(foreign_item_error(kind, &id));
                } else if PUT_KEEPS_UNKNOWN_IDS {
                    (id, now.clone(), now)
                } else {
                    ((self.ctx.new_id)(), now.clone(), now)
                }
            }
            _ => ((self.ctx.new_id)(), now.clone(), now),
        };
        obj.insert(
            "uid".into(),
            Value::String(format!("{}-{}", self.owner, id)),
        );
        obj.insert("id".into(), Value::String(id));
        obj.insert("createdAt".into(), Value::String(created_at));
        obj.insert("updatedAt".into(), Value::String(updated_at));
        Ok(())
    }
}

/// Visit every folder, request and saved response object of an item tree.
fn walk<'v>(items: &'v [Value], f: &mut dyn FnMut(&'v Map<String, Value>)) {
    for item in items {
        let Some(obj) = item.as_object() else {
            continue;
        };
        f(obj);
        match obj.get("item") {
            Some(Value::Array(children)) => walk(children, f),
            _ => {
                if let Some(Value::Array(responses)) = obj.get("response") {
                    for r in responses {
                        if let Some(robj) = r.as_object() {
                            f(robj);
                        }
                    }
                }
            }
        }
    }
}

fn doc_items(doc: &Value) -> &[Value] {
    doc.get("item")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Every item id (folders, requests, saved responses) of the collection.
pub fn item_ids(c: &StoredCollection) -> Vec<String> {
    let mut ids = Vec::new();
    walk(doc_items(&c.doc), &mut |o| {
        if let Some(Value::String(id)) = o.get("id") {
            ids.push(id.clone());
        }
    });
    ids
}

/// Strip server fields from `info`; make sure `info` is an object and `item` an array.
fn normalize_doc(doc: &mut Value) {
    if !doc.is_object() {
        *doc = json!({});
    }
    let Some(obj) = doc.as_object_mut() else {
        return;
    };
    if !obj.get("info").is_some_and(Value::is_object) {
        obj.insert("info".into(), json!({}));
    }
    if let Some(Value::Object(info)) = obj.get_mut("info") {
        for k in SERVER_INFO_KEYS {
            info.remove(k);
        }
    }
    if !obj.get("item").is_some_and(Value::is_array) {
        obj.insert("item".into(), json!([]));
    }
    canonicalize_events(obj);
    if let Some(Value::Array(items)) = obj.get_mut("item") {
        canonicalize_items(items);
    }
}

// ---------------------------------------------------------------------------------------------
// Canonical forms. The v2.1 format allows loose shorthands that the API's getCollection schema
// does not (a script's `exec` as one string, a URL's `host`/`path` as strings, a saved
// response's `originalRequest` as a URL string, `responseTime` as a string, `body: null`).
// Postman stores a collection through its collection SDK, which expands every shorthand into
// the documented long form; the sandbox does the same on create, PUT and seed, expanding only
// what the format itself defines (nothing is guessed: a URL string stays a string, since the
// schema allows it). UNCONFIRMED in the details, kept together here.
// ---------------------------------------------------------------------------------------------

fn canonicalize_items(items: &mut [Value]) {
    for item in items {
        let Some(obj) = item.as_object_mut() else {
            continue;
        };
        canonicalize_events(obj);
        if let Some(Value::Array(children)) = obj.get_mut("item") {
            canonicalize_items(children);
        }
        if let Some(request) = obj.get_mut("request") {
            canonicalize_request(request);
        }
        if let Some(Value::Array(responses)) = obj.get_mut("response") {
            for response in responses.iter_mut().filter_map(Value::as_object_mut) {
                if let Some(request) = response.get_mut("originalRequest") {
                    canonicalize_request(request);
                }
                if let Some(Value::String(t)) = response.get("responseTime") {
                    let ms = t
                        .trim()
                        .parse::<f64>()
                        .ok()
                        .and_then(serde_json::Number::from_f64);
                    response.insert("responseTime".into(), ms.map_or(Value::Null, Value::Number));
                }
            }
        }
    }
}

/// `script.exec` given as one string is the same script as the array of its lines.
fn canonicalize_events(obj: &mut Map<String, Value>) {
    let Some(Value::Array(events)) = obj.get_mut("event") else {
        return;
    };
    for script in events
        .iter_mut()
        .filter_map(|e| e.get_mut("script").and_then(Value::as_object_mut))
    {
        if let Some(Value::String(exec)) = script.get("exec") {
            let lines: Vec<Value> = exec
                .split('\n')
                .map(|l| Value::String(l.to_owned()))
                .collect();
            script.insert("exec".into(), Value::Array(lines));
        }
    }
}

/// A request given as a string is a GET of that URL (v2.1); `body: null` means no body; a URL
/// object's `host` string is its dot-separated parts and its `path` string its `/` segments.
fn canonicalize_request(request: &mut Value) {
    if let Value::String(url) = request {
        *request = json!({"url": std::mem::take(url), "method": "GET"});
        return;
    }
    let Some(obj) = request.as_object_mut() else {
        return;
    };
    if obj.get("body").is_some_and(Value::is_null) {
        obj.remove("body");
    }
    if let Some(Value::Object(url)) = obj.get_mut("url") {
        if let Some(Value::String(host)) = url.get("host") {
            let parts: Vec<Value> = host
                .split('.')
                .map(|p| Value::String(p.to_owned()))
                .collect();
            url.insert("host".into(), Value::Array(parts));
        }
        if let Some(Value::String(path)) = url.get("path") {
            let parts: Vec<Value> = path
                .split('/')
                .filter(|p| !p.is_empty())
                .map(|p| Value::String(p.to_owned()))
                .collect();
            url.insert("path".into(), Value::Array(parts));
        }
    }
}

/// The `collection` object of a request body, or the documented "missing" error.
fn collection_of(body: &Value) -> Result<&Value, ApiError> {
    match body.get("collection") {
        Some(c) if c.is_object() => Ok(c),
        _ => Err(missing_collection_error()),
    }
}

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

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

/// PATCH /collections/{id}. Returns the documented 200 body `{"collection":{id,name,description}}`.
pub fn patch(
    ctx: &mut Ctx,
    existing: &mut StoredCollection,
    body: &Value,
) -> Result<Value, ApiError> {
    let Some(Value::Object(c)) = body.get("collection") else {
        return Err(missing_collection_error());
    };
    if c.is_empty() {
        return Err(param_missing(
            "'info' key is mandatory when 'collection' is empty.".into(),
            "info",
        ));
    }
    const ALLOWED: [&str; 4] = ["info", "variable", "auth", "events"];
    let unknown: Vec<&str> = c
        .keys()
        .map(String::as_str)
        .filter(|k| !ALLOWED.contains(k))
        .collect();
    if !unknown.is_empty() {
        return Err(invalid_params(&unknown, "collection"));
    }
    // Validate everything first.
    if let Some(info) = c.get("info") {
        check_patch_info(info)?;
    }
    if let Some(vars) = c.get("variable") {
        check_patch_variables(vars)?;
    }
    if let Some(auth) = c.get("auth") {
        check_patch_auth(auth)?;
    }
    if let Some(events) = c.get("events") {
        check_patch_events(events)?;
    }
    // Apply.
    if !existing.doc.is_object() {
        normalize_doc(&mut existing.doc);
    }
    let Some(doc) = existing.doc.as_object_mut() else {
        return Err(server_error());
    };
    if let Some(Value::Object(info)) = c.get("info") {
        if let Some(Value::Object(stored)) = doc.get_mut("info") {
            for (k, v) in info {
                stored.insert(k.clone(), v.clone());
            }
        }
    }
    if let Some(Value::Array(vars)) = c.get("variable") {
        let list = doc.entry("variable").or_insert_with(|| json!([]));
        if !list.is_array() {
            *list = json!([]);
        }
        if let Value::Array(list) = list {
            for v in vars {
                let key = v.get("key");
                match list.iter_mut().find(|x| x.get("key") == key) {
                    Some(slot) if PATCH_VARIABLES_MERGE_BY_KEY => *slot = v.clone(),
                    _ => list.push(v.clone()),
                }
            }
        }
    }
    if let Some(auth) = c.get("auth") {
        doc.insert("auth".into(), auth.clone());
    }
    if let Some(Value::Array(events)) = c.get("events") {
        let list = doc.entry("event").or_insert_with(|| json!([]));
        if !list.is_array() {
            *list = json!([]);
        }
        if let Value::Array(list) = list {
            for e in events {
                let listen = e.get("listen");
                match list.iter_mut().find(|x| x.get("listen") == listen) {
                    Some(slot) if PATCH_EVENTS_MERGE_BY_LISTEN => *slot = e.clone(),
                    _ => list.push(e.clone()),
                }
            }
        }
    }
    existing.updated_at = ctx.now.to_owned();
    existing.last_updated_by = ctx.user_id;
    let mut out = json!({"id": existing.id, "name": existing.name()});
    if let (Some(d), Some(o)) = (existing.description(), out.as_object_mut()) {
        o.insert("description".into(), d.clone());
    }
    Ok(json!({ "collection": out }))
}

fn server_error() -> ApiError {
    ApiError::new(
        500,
        json!({"error": {"name": "serverError", "message": "An error has occurred on the server."}}),
    )
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn check_patch_info(info: &Value) -> Result<(), ApiError> {
    let Value::Object(info) = info else {
        return Err(invalid_params(&[json_type(info)], "collection.info"));
    };
    let unknown: Vec<&str> = info
        .keys()
        .map(String::as_str)
        .filter(|k| *k != "name" && *k != "description")
        .collect();
    if !unknown.is_empty() {
        return Err(invalid_params(&unknown, "collection.info"));
    }
    for k in ["name", "description"] {
        if let Some(v) = info.get(k) {
            if !v.is_string() {
                return Err(invalid_params(&[k], "collection.info"));
            }
        }
    }
    Ok(())
}

/// Keys a PATCH collection variable may carry. The schema (`collection-variable`) lists `key`,
/// `value`, `disabled`; the official "Update Variables" request body also sends `description`
/// (declared on GET variables), so we accept it too. Secret variables (`secret`, `source`,
/// `enabled`) are rejected: "Secret variables can't be set through this endpoint".
const PATCH_VARIABLE_KEYS: [&str; 4] = ["key", "value", "disabled", "description"];

fn check_patch_variables(vars: &Value) -> Result<(), ApiError> {
    let Value::Array(vars) = vars else {
        return Err(invalid_params(&["variable"], "collection"));
    };
    let key = "collection.variables";
    for v in vars {
        let Value::Object(o) = v else {
            return Err(invalid_params(&[json_type(v)], key));
        };
        // Required first: the official body with a secret variable (no `value`) gets the
        // documented "Parameters required: ('value') …".
        let missing: Vec<&str> = ["key", "value"]
            .into_iter()
            .filter(|k| !o.contains_key(*k))
            .collect();
        if !missing.is_empty() {
            return Err(params_required(&missing, key));
        }
        let unknown: Vec<&str> = o
            .keys()
            .map(String::as_str)
            .filter(|k| !PATCH_VARIABLE_KEYS.contains(k))
            .collect();
        if !unknown.is_empty() {
            return Err(invalid_params(&unknown, key));
        }
        let scalar = |v: &Value| v.is_string() || v.is_boolean() || v.is_i64() || v.is_u64();
        let bad: Vec<&str> = PATCH_VARIABLE_KEYS
            .into_iter()
            .filter(|k| match (*k, o.get(*k)) {
                (_, None) => false,
                ("value", Some(v)) => !scalar(v),
                ("disabled", Some(v)) => !v.is_boolean(),
                ("description", Some(v)) => v.as_str().is_none_or(|d| d.chars().count() > 512),
                (_, Some(v)) => !v.is_string(),
            })
            .collect();
        if !bad.is_empty() {
            return Err(invalid_params(&bad, key));
        }
    }
    Ok(())
}

/// `auth-2` type enum (PATCH/PUT schema).
const AUTH_TYPES: [&str; 12] = [
    "basic", "bearer", "apikey", "digest", "oauth1", "oauth2", "hawk", "awsv4", "ntlm", "edgegrid",
    "jwt", "asap",
];

fn check_patch_auth(auth: &Value) -> Result<(), ApiError> {
    let Value::Object(a) = auth else {
        return Err(invalid_params(&[json_type(auth)], "collection.auth"));
    };
    let Some(t) = a.get("type") else {
        return Err(params_required(&["type"], "collection.auth"));
    };
    let Some(t) = t.as_str().filter(|t| AUTH_TYPES.contains(t)) else {
        let shown = t.as_str().map_or_else(|| t.to_string(), str::to_owned);
        return Err(invalid_params(&[shown.as_str()], "collection.auth.type"));
    };
    let unknown: Vec<&str> = a
        .keys()
        .map(String::as_str)
        .filter(|k| *k != "type" && !AUTH_TYPES.contains(k))
        .collect();
    if !unknown.is_empty() {
        return Err(invalid_params(&unknown, "collection.auth"));
    }
    match a.get(t) {
        None => Err(param_missing(
            format!("The key '{t}' must be present in 'collection.auth' when 'type' is '{t}'."),
            t,
        )),
        Some(Value::Array(attrs)) => {
            for attr in attrs {
                let Value::Object(o) = attr else {
                    return Err(invalid_params(
                        &[json_type(attr)],
                        &format!("collection.auth.{t}"),
                    ));
                };
                if !o.get("key").is_some_and(Value::is_string) {
                    return Err(params_required(&["key"], &format!("collection.auth.{t}")));
                }
            }
            Ok(())
        }
        Some(_) => Err(invalid_params(&[t], "collection.auth")),
    }
}

fn check_patch_events(events: &Value) -> Result<(), ApiError> {
    let Value::Array(events) = events else {
        return Err(invalid_params(&["events"], "collection"));
    };
    for e in events {
        let Value::Object(o) = e else {
            return Err(invalid_params(&[json_type(e)], "collection.events"));
        };
        let unknown: Vec<&str> = o
            .keys()
            .map(String::as_str)
            .filter(|k| *k != "listen" && *k != "script")
            .collect();
        if !unknown.is_empty() {
            return Err(invalid_params(&unknown, "collection.events"));
        }
        let missing: Vec<&str> = ["listen", "script"]
            .into_iter()
            .filter(|k| !o.contains_key(*k))
            .collect();
        if !missing.is_empty() {
            return Err(params_required(&missing, "collection.events"));
        }
        match o.get("listen").and_then(Value::as_str) {
            Some("test" | "prerequest") => {}
            Some(other) => return Err(invalid_params(&[other], "collection.events.listen")),
            None => return Err(invalid_params(&["listen"], "collection.events")),
        }
        let Some(Value::Object(script)) = o.get("script") else {
            return Err(invalid_params(&["script"], "collection.events"));
        };
        let unknown: Vec<&str> = script
            .keys()
            .map(String::as_str)
            .filter(|k| !["id", "type", "exec", "packages"].contains(k))
            .collect();
        if !unknown.is_empty() {
            return Err(invalid_params(&unknown, "collection.events.script"));
        }
        let missing: Vec<&str> = ["id", "type", "exec"]
            .into_iter()
            .filter(|k| !script.contains_key(*k))
            .collect();
        if !missing.is_empty() {
            return Err(params_required(&missing, "collection.events.script"));
        }
        let exec_ok = script
            .get("exec")
            .and_then(Value::as_array)
            .is_some_and(|lines| lines.iter().all(|l| l.is_string() || l.is_null()));
        let bad: Vec<&str> = [
            ("id", script.get("id").is_some_and(Value::is_string)),
            ("type", script.get("type").is_some_and(Value::is_string)),
            ("exec", exec_ok),
        ]
        .into_iter()
        .filter(|(_, ok)| !ok)
        .map(|(k, _)| k)
        .collect();
        if !bad.is_empty() {
            return Err(invalid_params(&bad, "collection.events.script"));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

fn render_info(c: &StoredCollection, with_schema: bool) -> Value {
    let mut info = Map::new();
    info.insert("_postman_id".into(), Value::String(c.id.clone()));
    let stored = c.doc.get("info").and_then(Value::as_object);
    if let Some(name) = stored.and_then(|i| i.get("name")) {
        info.insert("name".into(), name.clone());
    }
    if let Some(d) = stored.and_then(|i| i.get("description")) {
        info.insert("description".into(), d.clone());
    }
    if with_schema {
        if let Some(s) = stored.and_then(|i| i.get("schema")) {
            info.insert("schema".into(), s.clone());
        }
    }
    info.insert("updatedAt".into(), Value::String(c.updated_at.clone()));
    info.insert("createdAt".into(), Value::String(c.created_at.clone()));
    info.insert(
        "lastUpdatedBy".into(),
        Value::String(c.last_updated_by.to_string()),
    );
    info.insert("uid".into(), Value::String(c.uid()));
    if let Some(fork) = &c.fork {
        info.insert("fork".into(), fork.clone());
    }
    if with_schema {
        // Any other stored info keys (e.g. `version`) follow.
        if let Some(stored) = stored {
            for (k, v) in stored {
                if !info.contains_key(k) {
                    info.insert(k.clone(), v.clone());
                }
            }
        }
    }
    Value::Object(info)
}

/// GET /collections/{id}: `{"collection":{info, item, …}}`.
pub fn render_full(c: &StoredCollection) -> Value {
    let mut out = Map::new();
    out.insert("info".into(), render_info(c, true));
    if let Some(doc) = c.doc.as_object() {
        for (k, v) in doc {
            if k != "info" {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    if !out.contains_key("item") {
        out.insert("item".into(), json!([]));
    }
    json!({ "collection": Value::Object(out) })
}

/// [`render_full`] serialized straight from the stored tree, without building (cloning) the
/// response `Value`: the fast path for large collections. Same JSON content as `render_full`.
pub fn render_full_bytes(c: &StoredCollection) -> Vec<u8> {
    serde_json::to_vec(&FullView(c)).unwrap_or_default()
}

struct FullView<'a>(&'a StoredCollection);
struct FullInner<'a>(&'a StoredCollection);

impl Serialize for FullView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("collection", &FullInner(self.0))?;
        m.end()
    }
}

impl Serialize for FullInner<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let c = self.0;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("info", &render_info(c, true))?;
        let doc = c.doc.as_object();
        if let Some(doc) = doc {
            for (k, v) in doc {
                if k != "info" {
                    m.serialize_entry(k, v)?;
                }
            }
        }
        if !doc.is_some_and(|d| d.contains_key("item")) {
            m.serialize_entry("item", &json!([]))?;
        }
        m.end()
    }
}

/// GET /collections/{id}?model=minimal.
pub fn render_minimal(c: &StoredCollection) -> Value {
    let mut out = Map::new();
    out.insert("info".into(), render_info(c, false));
    for (from, to) in [
        ("variable", "variable"),
        ("auth", "auth"),
        ("event", "events"),
    ] {
        match c.doc.get(from) {
            Some(v) => {
                out.insert(to.into(), v.clone());
            }
            None if !MINIMAL_OMITS_ABSENT_KEYS => {
                out.insert(to.into(), Value::Null);
            }
            None => {}
        }
    }
    let mut requests = Vec::new();
    let mut folders = Vec::new();
    for item in doc_items(&c.doc) {
        let Some(uid) = item.get("uid").cloned() else {
            continue;
        };
        if item.get("item").is_some_and(Value::is_array) {
            folders.push(uid);
        } else {
            requests.push(uid);
        }
    }
    out.insert("rootLevelRequests".into(), Value::Array(requests));
    out.insert("rootLevelFolders".into(), Value::Array(folders));
    json!({ "collection": Value::Object(out) })
}

/// One element of `GET /collections`.
pub fn summary(c: &StoredCollection) -> Value {
    let mut s = json!({
        "id": c.id,
        "name": c.name(),
        "owner": c.owner.to_string(),
        "createdAt": c.created_at,
        "updatedAt": c.updated_at,
        "uid": c.uid(),
        "isPublic": c.is_public,
    });
    if let (Some(fork), Some(o)) = (&c.fork, s.as_object_mut()) {
        o.insert("fork".into(), fork.clone());
    }
    s
}

/// POST and PUT (sync) 200 body: `{"collection":{id,name,uid}}`.
pub fn created_body(c: &StoredCollection) -> Value {
    json!({"collection": {"id": c.id, "name": c.name(), "uid": c.uid()}})
}

/// PUT (sync) 200 body (same shape as create).
pub fn replaced_body(c: &StoredCollection) -> Value {
    created_body(c)
}

/// DELETE 200 body: `{"collection":{id,uid}}`.
pub fn deleted_body(c: &StoredCollection) -> Value {
    json!({"collection": {"id": c.id, "uid": c.uid()}})
}

#[cfg(test)]
mod tests;
