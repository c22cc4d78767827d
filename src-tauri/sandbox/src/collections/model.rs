//! The stored form of a collection ([`StoredCollection`]), walking its item tree, and the
//! normalisation every stored body goes through.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::canonical::{canonicalize_events, canonicalize_items};

/// The Collection Format v2.1.0 JSON schema (the `postman-schemas` crate's).
pub use postman_schemas::COLLECTION_V21 as SCHEMA_V210;

/// `info` keys owned by the server: never stored in `doc.info`, always rendered from fields.
pub(super) const SERVER_INFO_KEYS: [&str; 6] = [
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

    pub(super) fn description(&self) -> Option<&Value> {
        self.doc.get("info").and_then(|i| i.get("description"))
    }
}

/// Visit every folder, request and saved response object of an item tree.
pub(super) fn walk<'v>(items: &'v [Value], f: &mut dyn FnMut(&'v Map<String, Value>)) {
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

pub(super) fn doc_items(doc: &Value) -> &[Value] {
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
pub(super) fn normalize_doc(doc: &mut Value) {
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
