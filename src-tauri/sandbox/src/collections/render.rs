//! Every response body of `/collections*`: the full and minimal GET, list summaries and the
//! short create/replace/delete bodies.

use serde::Serialize;
use serde_json::{json, Map, Value};

use super::model::{doc_items, StoredCollection};
use super::MINIMAL_OMITS_ABSENT_KEYS;

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

/// One element of `GET /collections`, written straight to the answer's bytes: a list of 10,000
/// built as `Value`s first spent most of its time making and dropping their maps.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary<'a> {
    id: &'a str,
    name: &'a str,
    owner: String,
    created_at: &'a str,
    updated_at: &'a str,
    uid: String,
    is_public: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    fork: Option<&'a Value>,
}

/// One element of `GET /collections`.
pub fn summary(c: &StoredCollection) -> Summary<'_> {
    Summary {
        id: &c.id,
        name: c.name(),
        owner: c.owner.to_string(),
        created_at: &c.created_at,
        updated_at: &c.updated_at,
        uid: c.uid(),
        is_public: c.is_public,
        fork: c.fork.as_ref(),
    }
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
