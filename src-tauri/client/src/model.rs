//! Typed responses, tolerant of every documented variant: ids as numbers or strings,
//! `event`/`events`, `lastUsedAt: ""`, wrapped or unwrapped objects, missing optional fields.
//! All serialise camelCase (they cross IPC).

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// An id that the docs give sometimes as a number, sometimes as a string. Always a string here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Id(pub String);

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Id(match Loose::deserialize(d)? {
            Loose::Text(s) => s,
            Loose::Number(n) => n.to_string(),
            Loose::Bool(b) => b.to_string(),
            Loose::Null => String::new(),
            Loose::Other(other) => other.to_string(),
        }))
    }
}

/// A JSON value read as what the lenient fields need, without making a `Value` for the usual
/// cases (a text, a number, a flag, null): a list of 10,000 collections has ~50,000 of them,
/// and making and dropping a `Value` for each was a tenth of the list's time in Rust. Objects
/// and arrays, rare in these fields, are read as `Value`s.
enum Loose {
    Text(String),
    Number(serde_json::Number),
    Bool(bool),
    Null,
    Other(Value),
}

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
        use serde::de::{MapAccess, SeqAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Loose;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, s: &str) -> Result<Loose, E> {
                Ok(Loose::Text(s.to_owned()))
            }
            fn visit_string<E>(self, s: String) -> Result<Loose, E> {
                Ok(Loose::Text(s))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Loose, E> {
                Ok(Loose::Number(n.into()))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Loose, E> {
                Ok(Loose::Number(n.into()))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Loose, E> {
                // As `Value` reads it: a number JSON cannot hold becomes null.
                Ok(serde_json::Number::from_f64(n).map_or(Loose::Null, Loose::Number))
            }
            fn visit_bool<E>(self, b: bool) -> Result<Loose, E> {
                Ok(Loose::Bool(b))
            }
            fn visit_unit<E>(self) -> Result<Loose, E> {
                Ok(Loose::Null)
            }
            fn visit_none<E>(self) -> Result<Loose, E> {
                Ok(Loose::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Loose, D::Error> {
                Loose::deserialize(d)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Loose, A::Error> {
                Value::deserialize(MapAccessDeserializer::new(map)).map(Loose::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Loose, A::Error> {
                Value::deserialize(SeqAccessDeserializer::new(seq)).map(Loose::Other)
            }
        }
        d.deserialize_any(V)
    }
}

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Strings that may come as numbers, `{content}` objects (descriptions), `null` or `""`.
pub(crate) fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Loose::deserialize(d)? {
        Loose::Text(s) if !s.is_empty() => Some(s),
        Loose::Number(n) => Some(n.to_string()),
        Loose::Bool(b) => Some(b.to_string()),
        Loose::Other(Value::Object(o)) => {
            o.get("content").and_then(Value::as_str).map(str::to_string)
        }
        _ => None,
    })
}

pub(crate) fn lenient_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Id>, D::Error> {
    Ok(lenient_string(d)?.map(Id))
}

pub(crate) fn lenient_f64<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_f64().unwrap_or(0.0),
        Value::String(s) => s.trim().parse().unwrap_or(0.0),
        _ => 0.0,
    })
}

/// `null` → default; any other malformed value is an error (a list is never silently empty).
pub(crate) fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A required text that may come as a number, `null` or garbage: numbers are kept as text,
/// anything else is `""`.
pub(crate) fn lenient_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(lenient_string(d)?.unwrap_or_default())
}

/// An optional part that may be malformed: `None`.
pub(crate) fn lenient_opt<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    Ok(serde_json::from_value(Value::deserialize(d)?).ok())
}

/// `GET /me`
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Me {
    pub user: User,
    #[serde(deserialize_with = "null_as_default")]
    pub operations: Vec<Operation>,
}

impl Me {
    /// The monthly Postman API meter (`api_usage`), if present.
    pub fn api_usage(&self) -> Option<&Operation> {
        self.operations.iter().find(|o| o.name == "api_usage")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct User {
    pub id: Id,
    #[serde(deserialize_with = "lenient_string")]
    pub sub: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub username: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub email: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub full_name: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub avatar: Option<String>,
    #[serde(deserialize_with = "lenient_opt")]
    pub is_public: Option<bool>,
    #[serde(deserialize_with = "lenient_opt")]
    pub email_verified: Option<bool>,
    #[serde(deserialize_with = "lenient_id")]
    pub team_id: Option<Id>,
    #[serde(deserialize_with = "lenient_string")]
    pub team_name: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub team_domain: Option<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub roles: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Operation {
    #[serde(deserialize_with = "lenient_text")]
    pub name: String,
    #[serde(deserialize_with = "lenient_f64")]
    pub limit: f64,
    #[serde(deserialize_with = "lenient_f64")]
    pub usage: f64,
    #[serde(deserialize_with = "lenient_f64")]
    pub overage: f64,
}

/// An element of `GET /workspaces`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WorkspaceSummary {
    pub id: Id,
    #[serde(deserialize_with = "lenient_text")]
    pub name: String,
    #[serde(rename = "type", deserialize_with = "lenient_string")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub visibility: Option<String>,
    #[serde(deserialize_with = "lenient_id")]
    pub created_by: Option<Id>,
    #[serde(deserialize_with = "lenient_string")]
    pub about: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub created_at: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub updated_at: Option<String>,
}

/// One page of `GET /workspaces`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspacePage {
    pub workspaces: Vec<WorkspaceSummary>,
    /// `None` on the last page (`""`, `null` or absent).
    pub next_cursor: Option<String>,
}

/// `{id, name, uid}` references inside a workspace or a write response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ElementRef {
    pub id: Id,
    #[serde(deserialize_with = "lenient_string")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub uid: Option<String>,
    #[serde(deserialize_with = "lenient_opt")]
    pub deactivated: Option<bool>,
    #[serde(deserialize_with = "lenient_string")]
    pub description: Option<String>,
}

/// `GET /workspaces/{id}`
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Workspace {
    pub id: Id,
    #[serde(deserialize_with = "lenient_text")]
    pub name: String,
    #[serde(rename = "type", deserialize_with = "lenient_string")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub description: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub visibility: Option<String>,
    #[serde(deserialize_with = "lenient_id")]
    pub created_by: Option<Id>,
    #[serde(deserialize_with = "lenient_id")]
    pub updated_by: Option<Id>,
    #[serde(deserialize_with = "lenient_string")]
    pub created_at: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub updated_at: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub about: Option<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub collections: Vec<ElementRef>,
    #[serde(deserialize_with = "null_as_default")]
    pub environments: Vec<ElementRef>,
    #[serde(deserialize_with = "null_as_default")]
    pub mocks: Vec<ElementRef>,
    #[serde(deserialize_with = "null_as_default")]
    pub monitors: Vec<ElementRef>,
    #[serde(deserialize_with = "null_as_default")]
    pub apis: Vec<ElementRef>,
    #[serde(deserialize_with = "null_as_default")]
    pub specs: Vec<ElementRef>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Fork {
    #[serde(deserialize_with = "lenient_string")]
    pub label: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub created_at: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub from: Option<String>,
}

/// An element of `GET /collections`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CollectionSummary {
    pub id: Id,
    #[serde(deserialize_with = "lenient_text")]
    pub name: String,
    #[serde(deserialize_with = "lenient_id")]
    pub owner: Option<Id>,
    #[serde(deserialize_with = "lenient_string")]
    pub uid: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub created_at: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub updated_at: Option<String>,
    #[serde(deserialize_with = "lenient_opt")]
    pub is_public: Option<bool>,
    #[serde(deserialize_with = "lenient_opt")]
    pub fork: Option<Fork>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PageMeta {
    pub total: Option<u64>,
    pub offset: Option<u64>,
    pub limit: Option<u64>,
}

/// `GET /collections`
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CollectionList {
    #[serde(deserialize_with = "null_as_default")]
    pub collections: Vec<CollectionSummary>,
    #[serde(deserialize_with = "lenient_opt")]
    pub meta: Option<PageMeta>,
}

/// `collection.info`
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CollectionInfo {
    #[serde(rename = "_postman_id", deserialize_with = "lenient_string")]
    pub postman_id: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    pub name: String,
    #[serde(deserialize_with = "lenient_string")]
    pub description: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub schema: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub uid: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub created_at: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub updated_at: Option<String>,
    #[serde(deserialize_with = "lenient_id")]
    pub last_updated_by: Option<Id>,
    #[serde(deserialize_with = "lenient_opt")]
    pub fork: Option<Fork>,
}

/// `GET /collections/{uid}`: the full document plus typed parts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Collection {
    pub info: CollectionInfo,
    /// Scripts, whether the server called them `event` (full model) or `events` (minimal).
    pub events: Vec<Value>,
    /// `model=minimal` only.
    pub root_level_requests: Vec<String>,
    pub root_level_folders: Vec<String>,
    /// The whole `collection` object as returned.
    pub raw: Value,
}

impl Collection {
    pub(crate) fn from_body(v: &Value) -> Result<Self, String> {
        let c = v
            .get("collection")
            .ok_or("the answer has no \"collection\" object")?;
        if !c.is_object() {
            return Err("\"collection\" is not an object".into());
        }
        let info: CollectionInfo = c
            .get("info")
            .map(CollectionInfo::deserialize)
            .transpose()
            .map_err(|e| format!("collection info: {e}"))?
            .unwrap_or_default();
        let arr = |k: &str| c.get(k).and_then(Value::as_array).cloned();
        let strs = |k: &str| -> Vec<String> {
            arr(k)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        };
        Ok(Collection {
            info,
            events: arr("event").or_else(|| arr("events")).unwrap_or_default(),
            root_level_requests: strs("rootLevelRequests"),
            root_level_folders: strs("rootLevelFolders"),
            raw: c.clone(),
        })
    }
}

/// Task state of an async collection update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TaskStatus {
    InProgress,
    Successful,
    Failed,
    Other(String),
}

impl From<&str> for TaskStatus {
    fn from(s: &str) -> Self {
        match s {
            "in-progress" => TaskStatus::InProgress,
            "successful" => TaskStatus::Successful,
            "failed" => TaskStatus::Failed,
            o => TaskStatus::Other(o.to_string()),
        }
    }
}

/// An async update task (`202 {"task":{…}}` or `GET /collection-updates-tasks/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateTask {
    pub id: String,
    pub status: TaskStatus,
}

impl UpdateTask {
    pub(crate) fn from_body(v: &Value) -> Result<Self, String> {
        let t = v.get("task").unwrap_or(v);
        let id = t
            .get("id")
            .and_then(Value::as_str)
            .ok_or("the task has no id")?;
        let status = t.get("status").and_then(Value::as_str).unwrap_or("");
        Ok(UpdateTask {
            id: id.to_string(),
            status: status.into(),
        })
    }
}

/// An element of `GET /environments`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EnvironmentSummary {
    pub id: Id,
    #[serde(deserialize_with = "lenient_text")]
    pub name: String,
    #[serde(deserialize_with = "lenient_id")]
    pub owner: Option<Id>,
    #[serde(deserialize_with = "lenient_string")]
    pub uid: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub created_at: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub updated_at: Option<String>,
    #[serde(deserialize_with = "lenient_opt")]
    pub is_public: Option<bool>,
}

/// One environment variable.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EnvVar {
    #[serde(deserialize_with = "lenient_text")]
    pub key: String,
    #[serde(
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "lenient_opt")]
    pub enabled: Option<bool>,
    #[serde(
        rename = "type",
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<String>,
    #[serde(
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "lenient_opt")]
    pub secret: Option<bool>,
}

/// `GET /environments/{id}` (and the PATCH answer).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Environment {
    pub id: Id,
    #[serde(deserialize_with = "lenient_text")]
    pub name: String,
    #[serde(deserialize_with = "lenient_id")]
    pub owner: Option<Id>,
    #[serde(deserialize_with = "lenient_string")]
    pub uid: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub created_at: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub updated_at: Option<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub values: Vec<EnvVar>,
    #[serde(deserialize_with = "lenient_opt")]
    pub is_public: Option<bool>,
}

/// One JSON-patch operation for `PATCH /environments/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatchOp {
    pub op: String,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

impl PatchOp {
    pub fn replace(path: &str, value: Value) -> Self {
        PatchOp {
            op: "replace".into(),
            path: path.into(),
            value: Some(value),
        }
    }
    pub fn add(path: &str, value: Value) -> Self {
        PatchOp {
            op: "add".into(),
            path: path.into(),
            value: Some(value),
        }
    }
    pub fn remove(path: &str) -> Self {
        PatchOp {
            op: "remove".into(),
            path: path.into(),
            value: None,
        }
    }
}

/// An element of `GET /collection-access-keys` (the token is masked by the server).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AccessKeyInfo {
    #[serde(deserialize_with = "lenient_text")]
    pub id: String,
    #[serde(deserialize_with = "lenient_string")]
    pub token: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub status: Option<String>,
    #[serde(deserialize_with = "lenient_id")]
    pub team_id: Option<Id>,
    #[serde(deserialize_with = "lenient_id")]
    pub user_id: Option<Id>,
    #[serde(deserialize_with = "lenient_string")]
    pub collection_id: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub expires_after: Option<String>,
    /// `""` (never used) becomes `None`.
    #[serde(deserialize_with = "lenient_string")]
    pub last_used_at: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub created_at: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub updated_at: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub deleted_at: Option<String>,
}

/// One page of `GET /collection-access-keys`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessKeyPage {
    pub keys: Vec<AccessKeyInfo>,
    pub next_cursor: Option<String>,
    pub prev_cursor: Option<String>,
}

/// The cursor `meta.<k>` of a page (`nextCursor`, `prevCursor`); `None` when it is absent,
/// not a text, or `""` (the last page).
pub(crate) fn cursor(v: &Value, k: &str) -> Option<String> {
    v.get("meta")
        .and_then(|m| m.get(k))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    #[test]
    fn tolerant() {
        let k: AccessKeyInfo = serde_json::from_value(
            json!({"id":"x","teamId":123,"userId":"5","lastUsedAt":"","deletedAt":null}),
        )
        .unwrap();
        assert_eq!(k.last_used_at, None);
        assert_eq!(k.team_id, Some(Id("123".into())));
        let c = Collection::from_body(&json!({"collection":{"info":{"name":"n","description":{"content":"d"}},"events":[{"listen":"test"}]}})).unwrap();
        assert_eq!(c.events.len(), 1);
        assert_eq!(c.info.description.as_deref(), Some("d"));
        let u: User =
            serde_json::from_value(json!({"id":12345678,"teamId":0,"avatar":null,"roles":null}))
                .unwrap();
        assert_eq!(u.id.0, "12345678");
    }

    /// Every kind of value a lenient field or an id may hold, read from text (as answers are)
    /// and from a `Value`, to what they always became.
    #[test]
    fn lenient_fields_read_every_kind_of_value() {
        let cases = [
            (json!("abc"), Some("abc"), "abc"),
            (json!(""), None, ""),
            (json!(null), None, ""),
            (json!(42), Some("42"), "42"),
            (json!(-7), Some("-7"), "-7"),
            (json!(1.5), Some("1.5"), "1.5"),
            (json!(true), Some("true"), "true"),
            (
                json!({"content": "described", "type": "text/plain"}),
                Some("described"),
                r#"{"content":"described","type":"text/plain"}"#,
            ),
            (json!({"content": 3}), None, r#"{"content":3}"#),
            (json!(["a", {"b": [1]}]), None, r#"["a",{"b":[1]}]"#),
        ];
        for (value, text, id) in cases {
            let body = json!({"id": value, "name": value, "about": value});
            let from_text: WorkspaceSummary = serde_json::from_str(&body.to_string()).unwrap();
            let from_value: WorkspaceSummary = serde_json::from_value(body).unwrap();
            assert_eq!(from_text, from_value, "{value}");
            assert_eq!(from_text.about.as_deref(), text, "{value}");
            assert_eq!(from_text.name, text.unwrap_or(""), "{value}");
            assert_eq!(from_text.id.0, id, "{value}");
        }
    }
}
