//! What the UI sees of an open document: the collection's view (tree outline, info, counts,
//! variables, auth, scripts) and one request at a time; the environment's table. Plain
//! projections of the working copy, no call.

use postdesk_drafts::DraftError;
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::edit::{CollectionVariable, RequestHeader};
use crate::environments::{EnvVarType, EnvVariable};
use crate::tree::{tree_summary, TreeNode};
use crate::working::Working;

/// An open collection as the detail view shows it (the tree outline, not the document).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CollectionView {
    pub uid: String,
    pub name: String,
    pub description: Option<String>,
    /// The server's `updatedAt` the working copy is based on.
    pub base_updated_at: Option<String>,
    pub tree: Vec<TreeNode>,
    pub request_count: u32,
    pub folder_count: u32,
    /// Size of the document as JSON.
    pub bytes: f64,
    pub variables: Vec<CollectionVariable>,
    /// `Bearer token`, `API key`, … or `None` (no auth at the collection level).
    pub auth: Option<String>,
    /// Collection-level scripts present: `prerequest`, `test`.
    pub scripts: Vec<String>,
    /// Folders and requests that carry scripts of their own.
    pub items_with_scripts: u32,
    /// When the unsaved draft was last stored; `None`: no unsaved change.
    pub draft_saved_at_ms: Option<f64>,
    /// Where the server's version came from (fetched at, saved at, or a refresh that failed
    /// and the copy shown); `None`: read from the draft kept on disk.
    pub source: Option<postman_client::Freshness>,
}

/// One request, for the request editor.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RequestDetail {
    pub path: String,
    pub name: String,
    pub method: String,
    pub url: String,
    pub headers: Vec<RequestHeader>,
    /// `raw`, `urlencoded`, `formdata`, `file`, `graphql` or `None`.
    pub body_mode: Option<String>,
    pub raw_body: Option<String>,
    pub description: Option<String>,
}

/// The result of replacing a collection with edited raw JSON: problems (nothing applied) or
/// the new view.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TextOutcome {
    pub errors: Vec<DraftError>,
    pub view: Option<CollectionView>,
}

/// An open environment.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentView {
    pub id: String,
    pub name: String,
    pub base_updated_at: Option<String>,
    pub values: Vec<EnvVariable>,
    pub draft_saved_at_ms: Option<f64>,
    /// Where the server's version came from (fetched at, saved at, or a refresh that failed
    /// and the copy shown); `None`: read from the draft kept on disk.
    pub source: Option<postman_client::Freshness>,
}

fn s(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_owned)
}

pub(crate) fn collection_view(uid: &str, w: &Working) -> CollectionView {
    let doc = &w.draft.doc;
    let info = doc.get("info");
    let tree = tree_summary(doc);
    let (mut requests, mut folders, mut scripted) = (0u32, 0u32, 0u32);
    count(
        doc.get("item"),
        &mut requests,
        &mut folders,
        &mut scripted,
        0,
    );
    let variables = objects(doc.get("variable"))
        .map(|v| CollectionVariable {
            key: s(v.get("key")).unwrap_or_default(),
            value: value_text(v),
            disabled: v.get("disabled").and_then(Value::as_bool).unwrap_or(false),
        })
        .collect();
    CollectionView {
        uid: uid.to_owned(),
        name: s(info.and_then(|i| i.get("name"))).unwrap_or_default(),
        description: match info.and_then(|i| i.get("description")) {
            Some(Value::String(d)) => Some(d.clone()),
            Some(o) => s(o.get("content")),
            None => None,
        },
        base_updated_at: w.draft.base_updated_at.clone(),
        tree,
        request_count: requests,
        folder_count: folders,
        bytes: w.bytes as f64,
        variables,
        auth: doc.get("auth").and_then(auth_label),
        scripts: scripts_of(doc),
        items_with_scripts: scripted,
        draft_saved_at_ms: w.dirty.then_some(w.draft.saved_at_ms),
        source: w.source.clone(),
    }
}

fn count(items: Option<&Value>, req: &mut u32, fol: &mut u32, scripted: &mut u32, depth: u32) {
    let Some(list) = items.and_then(Value::as_array) else {
        return;
    };
    if depth > 200 {
        return;
    }
    for it in list {
        if !scripts_of(it).is_empty() {
            *scripted += 1;
        }
        if it.get("item").is_some() {
            *fol += 1;
            count(it.get("item"), req, fol, scripted, depth + 1);
        } else {
            *req += 1;
        }
    }
}

/// `listen` names of the scripts with code in `v["event"]`.
fn scripts_of(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v
        .get("event")
        .or_else(|| v.get("events"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|e| {
                    let exec = e.get("script").and_then(|s| s.get("exec"));
                    match exec {
                        Some(Value::String(s)) => !s.trim().is_empty(),
                        Some(Value::Array(lines)) => lines
                            .iter()
                            .any(|l| l.as_str().is_some_and(|l| !l.trim().is_empty())),
                        _ => false,
                    }
                })
                .filter_map(|e| s(e.get("listen")))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out.dedup();
    out
}

fn auth_label(auth: &Value) -> Option<String> {
    let t = auth.get("type")?.as_str()?;
    Some(
        match t {
            "noauth" => "No auth",
            "apikey" => "API key",
            "awsv4" => "AWS Signature",
            "basic" => "Basic auth",
            "bearer" => "Bearer token",
            "digest" => "Digest auth",
            "edgegrid" => "Akamai EdgeGrid",
            "hawk" => "Hawk authentication",
            "oauth1" => "OAuth 1.0",
            "oauth2" => "OAuth 2.0",
            "ntlm" => "NTLM authentication",
            "jwt" => "JWT bearer",
            "asap" => "ASAP (Atlassian)",
            other => other,
        }
        .to_owned(),
    )
}

pub(crate) fn request_detail(path: &str, item: &Value) -> RequestDetail {
    let req = item.get("request");
    let (method, url) = match req {
        Some(Value::String(u)) => ("GET".to_owned(), u.clone()),
        Some(r) => (
            s(r.get("method"))
                .unwrap_or_else(|| "GET".into())
                .to_ascii_uppercase(),
            match r.get("url") {
                Some(Value::String(u)) => u.clone(),
                Some(u) => s(u.get("raw")).unwrap_or_default(),
                None => String::new(),
            },
        ),
        None => (String::new(), String::new()),
    };
    let headers = req
        .and_then(|r| r.get("header"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|h| h.is_object())
                .map(|h| RequestHeader {
                    key: s(h.get("key")).unwrap_or_default(),
                    value: s(h.get("value")).unwrap_or_default(),
                    disabled: h.get("disabled").and_then(Value::as_bool).unwrap_or(false),
                })
                .collect()
        })
        .unwrap_or_default();
    let body = req.and_then(|r| r.get("body"));
    let description = match req
        .and_then(|r| r.get("description"))
        .or_else(|| item.get("description"))
    {
        Some(Value::String(d)) => Some(d.clone()),
        Some(o) => s(o.get("content")),
        None => None,
    };
    RequestDetail {
        path: path.to_owned(),
        name: s(item.get("name")).unwrap_or_default(),
        method,
        url,
        headers,
        body_mode: s(body.and_then(|b| b.get("mode"))),
        raw_body: s(body.and_then(|b| b.get("raw"))),
        description,
    }
}

/// The objects of a JSON array (variables, values); nothing when it is missing or not an array.
fn objects(list: Option<&Value>) -> impl Iterator<Item = &Value> {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|v| v.is_object())
}

/// A variable's `value` as the tables show it: text as it is, nothing for none, JSON otherwise.
fn value_text(v: &Value) -> String {
    match v.get("value") {
        Some(Value::String(s)) => s.clone(),
        None | Some(Value::Null) => String::new(),
        Some(other) => other.to_string(),
    }
}

pub(crate) fn environment_view(id: &str, w: &Working) -> EnvironmentView {
    let doc = &w.draft.doc;
    let values = objects(doc.get("values"))
        .map(|v| EnvVariable {
            key: s(v.get("key")).unwrap_or_default(),
            value: value_text(v),
            kind: if v.get("type").and_then(Value::as_str) == Some("secret")
                || v.get("secret").and_then(Value::as_bool) == Some(true)
            {
                EnvVarType::Secret
            } else {
                EnvVarType::Default
            },
            enabled: v.get("enabled").and_then(Value::as_bool).unwrap_or(true),
            description: s(v.get("description")).unwrap_or_default(),
        })
        .collect();
    EnvironmentView {
        id: id.to_owned(),
        name: s(doc.get("name")).unwrap_or_default(),
        base_updated_at: w.draft.base_updated_at.clone(),
        values,
        draft_saved_at_ms: w.dirty.then_some(w.draft.saved_at_ms),
        source: w.source.clone(),
    }
}
