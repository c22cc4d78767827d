//! Edits of a collection document (Collection Format v2.1) in place: the operations the
//! Collections view offers. Items are addressed by index paths (`"0/3/2"`: the third child of
//! the fourth child of the first root item), the same keys the UI's tree rows carry.
//! Every function checks its input and changes nothing when it fails.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use ts_rs::TS;

/// A collection variable as the Info tab edits it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CollectionVariable {
    pub key: String,
    pub value: String,
    pub disabled: bool,
}

/// A request header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RequestHeader {
    pub key: String,
    pub value: String,
    pub disabled: bool,
}

/// One edit of a collection.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "op")]
pub enum CollectionEdit {
    /// The collection's name.
    Rename {
        name: String,
    },
    Describe {
        description: String,
    },
    SetVariables {
        variables: Vec<CollectionVariable>,
    },
    /// A folder at the end of `parent` (`None`: the root).
    #[serde(rename_all = "camelCase")]
    AddFolder {
        parent: Option<String>,
        name: String,
    },
    #[serde(rename_all = "camelCase")]
    AddRequest {
        parent: Option<String>,
        name: String,
        method: String,
        url: String,
    },
    RenameItem {
        path: String,
        name: String,
    },
    DeleteItem {
        path: String,
    },
    /// Moves the item at `from` into `to_parent` (`None`: the root) at `index`, counted in the
    /// target list as it is once the item has been taken out.
    #[serde(rename_all = "camelCase")]
    MoveItem {
        from: String,
        to_parent: Option<String>,
        index: u32,
    },
    /// The request basics. `raw_body`: `None` leaves the body alone, `""` removes it, any other
    /// text becomes a raw body.
    #[serde(rename_all = "camelCase")]
    SetRequest {
        path: String,
        method: String,
        url: String,
        headers: Vec<RequestHeader>,
        raw_body: Option<String>,
    },
}

/// What an edit can refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError(pub String);

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(msg: impl Into<String>) -> Result<T, EditError> {
    Err(EditError(msg.into()))
}

/// Longest name accepted for a collection, folder or request.
pub const NAME_MAX: usize = 255;
/// Longest URL accepted.
pub const URL_MAX: usize = 8_192;

fn clean_name(name: &str, what: &str) -> Result<String, EditError> {
    let n = name.trim();
    if n.is_empty() {
        return err(format!("A {what} needs a name."));
    }
    if n.chars().count() > NAME_MAX {
        return err(format!(
            "A {what} name can be at most {NAME_MAX} characters."
        ));
    }
    if n.chars().any(|c| c.is_control()) {
        return err(format!(
            "A {what} name cannot contain control characters (line breaks, tabs…)."
        ));
    }
    Ok(n.to_owned())
}

/// `GET`, `post` → `POST`; an HTTP token of at most 32 characters.
pub fn clean_method(method: &str) -> Result<String, EditError> {
    let m = method.trim().to_ascii_uppercase();
    if m.is_empty()
        || m.len() > 32
        || !m
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    {
        return err(format!(
            "\"{}\" is not an HTTP method (GET, POST, PUT, PATCH, DELETE, …).",
            method.chars().take(40).collect::<String>()
        ));
    }
    Ok(m)
}

fn clean_url(url: &str) -> Result<String, EditError> {
    let u = url.trim();
    if u.len() > URL_MAX {
        return err(format!("A URL can be at most {URL_MAX} characters."));
    }
    if u.chars().any(|c| c.is_control()) {
        return err("A URL cannot contain line breaks or other control characters.");
    }
    Ok(u.to_owned())
}

/// The v2.1 URL object Postman itself stores for `raw` (protocol, host, port, path, query,
/// hash), so the Postman app shows the parts; `{{variables}}` stay as written.
pub fn url_object(raw: &str) -> Value {
    let mut o = Map::new();
    o.insert("raw".into(), json!(raw));
    if raw.is_empty() {
        return Value::Object(o);
    }
    let (rest, hash) = match raw.split_once('#') {
        Some((a, h)) => (a, Some(h)),
        None => (raw, None),
    };
    let (rest, query) = match rest.split_once('?') {
        Some((a, q)) => (a, Some(q)),
        None => (rest, None),
    };
    let rest = match rest.split_once("://") {
        Some((proto, r)) if !proto.is_empty() && !proto.contains('/') => {
            o.insert("protocol".into(), json!(proto));
            r
        }
        _ => rest,
    };
    let (authority, path) = match rest.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (rest, None),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => (h, Some(p)),
        _ => (authority, None),
    };
    if !host.is_empty() {
        let parts: Vec<&str> = if host.starts_with("{{") && host.ends_with("}}") {
            vec![host]
        } else {
            host.split('.').collect()
        };
        o.insert("host".into(), json!(parts));
    }
    if let Some(p) = port {
        o.insert("port".into(), json!(p));
    }
    if let Some(p) = path {
        o.insert("path".into(), json!(p.split('/').collect::<Vec<_>>()));
    }
    if let Some(q) = query {
        let pairs: Vec<Value> = q
            .split('&')
            .filter(|s| !s.is_empty())
            .map(|pair| match pair.split_once('=') {
                Some((k, v)) => json!({"key": k, "value": v}),
                None => json!({"key": pair, "value": null}),
            })
            .collect();
        o.insert("query".into(), Value::Array(pairs));
    }
    if let Some(h) = hash {
        o.insert("hash".into(), json!(h));
    }
    Value::Object(o)
}

fn parse_path(path: &str) -> Result<Vec<usize>, EditError> {
    if path.is_empty() {
        return err("No item was chosen.");
    }
    path.split('/')
        .map(|p| {
            p.parse::<usize>()
                .map_err(|_| EditError(format!("\"{path}\" is not an item path.")))
        })
        .collect()
}

/// The `item` list of the root (`[]`) or of the folder at `path`.
fn list_mut<'a>(doc: &'a mut Value, path: &[usize]) -> Result<&'a mut Vec<Value>, EditError> {
    let mut cur = doc;
    for (depth, &i) in path.iter().enumerate() {
        let list = cur
            .get_mut("item")
            .and_then(Value::as_array_mut)
            .ok_or_else(|| EditError("That folder no longer exists.".into()))?;
        cur = list.get_mut(i).ok_or_else(|| {
            EditError(format!(
                "That item no longer exists (position {} at depth {}).",
                i + 1,
                depth + 1
            ))
        })?;
    }
    if !cur.is_object() {
        return err("That item is not a folder.");
    }
    if path.is_empty() && cur.get("item").is_none() {
        cur["item"] = json!([]);
    }
    cur.get_mut("item")
        .and_then(Value::as_array_mut)
        .ok_or_else(|| EditError("That item is a request, not a folder.".into()))
}

fn item_mut<'a>(doc: &'a mut Value, path: &[usize]) -> Result<&'a mut Value, EditError> {
    let (last, parent) = path
        .split_last()
        .ok_or_else(|| EditError("No item was chosen.".into()))?;
    list_mut(doc, parent)?
        .get_mut(*last)
        .ok_or_else(|| EditError("That item no longer exists.".into()))
}

/// The item at `path`, read-only.
pub fn item_at<'a>(doc: &'a Value, path: &str) -> Result<&'a Value, EditError> {
    let mut cur = doc;
    for i in parse_path(path)? {
        cur = cur
            .get("item")
            .and_then(Value::as_array)
            .and_then(|l| l.get(i))
            .ok_or_else(|| EditError("That item no longer exists.".into()))?;
    }
    Ok(cur)
}

fn parent_path(p: Option<&str>) -> Result<Vec<usize>, EditError> {
    match p {
        None | Some("") => Ok(Vec::new()),
        Some(p) => parse_path(p),
    }
}

/// Applies `edit` to `doc`. On error `doc` is unchanged.
pub fn apply(doc: &mut Value, edit: &CollectionEdit) -> Result<(), EditError> {
    if !doc.is_object() {
        return err("The collection is not a JSON object.");
    }
    match edit {
        CollectionEdit::Rename { name } => {
            let name = clean_name(name, "collection")?;
            info_mut(doc).insert("name".into(), json!(name));
        }
        CollectionEdit::Describe { description } => {
            if description.len() > 1_000_000 {
                return err("A description can be at most 1,000,000 bytes.");
            }
            info_mut(doc).insert("description".into(), json!(description));
        }
        CollectionEdit::SetVariables { variables } => {
            let mut out = Vec::with_capacity(variables.len());
            for (i, v) in variables.iter().enumerate() {
                let key = v.key.trim();
                if key.is_empty() {
                    return err(format!("Variable {} needs a name.", i + 1));
                }
                let mut o = Map::new();
                o.insert("key".into(), json!(key));
                o.insert("value".into(), json!(v.value));
                if v.disabled {
                    o.insert("disabled".into(), json!(true));
                }
                out.push(Value::Object(o));
            }
            doc["variable"] = Value::Array(out);
        }
        CollectionEdit::AddFolder { parent, name } => {
            let name = clean_name(name, "folder")?;
            let p = parent_path(parent.as_deref())?;
            list_mut(doc, &p)?.push(json!({"name": name, "item": []}));
        }
        CollectionEdit::AddRequest {
            parent,
            name,
            method,
            url,
        } => {
            let name = clean_name(name, "request")?;
            let method = clean_method(method)?;
            let url = clean_url(url)?;
            let p = parent_path(parent.as_deref())?;
            list_mut(doc, &p)?.push(json!({
                "name": name,
                "request": {"method": method, "header": [], "url": url_object(&url)},
                "response": [],
            }));
        }
        CollectionEdit::RenameItem { path, name } => {
            let p = parse_path(path)?;
            let what = if item_mut(doc, &p)?.get("item").is_some() {
                "folder"
            } else {
                "request"
            };
            let name = clean_name(name, what)?;
            item_mut(doc, &p)?["name"] = json!(name);
        }
        CollectionEdit::DeleteItem { path } => {
            let p = parse_path(path)?;
            let (last, parent) = p.split_last().expect("parse_path is never empty");
            let list = list_mut(doc, parent)?;
            if *last >= list.len() {
                return err("That item no longer exists.");
            }
            list.remove(*last);
        }
        CollectionEdit::MoveItem {
            from,
            to_parent,
            index,
        } => move_item(doc, from, to_parent.as_deref(), *index as usize)?,
        CollectionEdit::SetRequest {
            path,
            method,
            url,
            headers,
            raw_body,
        } => {
            let p = parse_path(path)?;
            let method = clean_method(method)?;
            let url = clean_url(url)?;
            let mut hs = Vec::with_capacity(headers.len());
            for (i, h) in headers.iter().enumerate() {
                let key = h.key.trim();
                if key.is_empty() {
                    return err(format!("Header {} needs a name.", i + 1));
                }
                if key
                    .chars()
                    .chain(h.value.chars())
                    .any(|c| c == '\r' || c == '\n')
                {
                    return err(format!("Header \"{key}\" cannot contain a line break."));
                }
                let mut o = Map::new();
                o.insert("key".into(), json!(key));
                o.insert("value".into(), json!(h.value));
                if h.disabled {
                    o.insert("disabled".into(), json!(true));
                }
                hs.push(Value::Object(o));
            }
            let item = item_mut(doc, &p)?;
            if item.get("item").is_some() {
                return err("That item is a folder, not a request.");
            }
            let req = item
                .as_object_mut()
                .ok_or_else(|| EditError("That item is not an object.".into()))?
                .entry("request")
                .or_insert_with(|| json!({}));
            if let Value::String(u) = req {
                *req = json!({"url": u.clone()});
            }
            let r = req
                .as_object_mut()
                .ok_or_else(|| EditError("That request is not an object.".into()))?;
            r.insert("method".into(), json!(method));
            let same_url = match r.get("url") {
                Some(Value::String(u)) => *u == url,
                Some(o) => o.get("raw").and_then(Value::as_str) == Some(url.as_str()),
                None => url.is_empty(),
            };
            if !same_url {
                r.insert("url".into(), url_object(&url));
            }
            r.insert("header".into(), Value::Array(hs));
            match raw_body.as_deref() {
                None => {}
                Some("") => {
                    r.remove("body");
                }
                Some(text) => {
                    let body = r.entry("body").or_insert_with(|| json!({}));
                    if body.get("mode").and_then(Value::as_str) != Some("raw") || !body.is_object()
                    {
                        *body = json!({"mode": "raw"});
                    }
                    body["raw"] = json!(text);
                }
            }
        }
    }
    Ok(())
}

fn info_mut(doc: &mut Value) -> &mut Map<String, Value> {
    if !doc.get("info").is_some_and(Value::is_object) {
        doc["info"] = json!({});
    }
    doc["info"].as_object_mut().expect("just made an object")
}

fn move_item(
    doc: &mut Value,
    from: &str,
    to_parent: Option<&str>,
    index: usize,
) -> Result<(), EditError> {
    let src = parse_path(from)?;
    let mut dst = parent_path(to_parent)?;
    if dst.len() >= src.len() && dst[..src.len()] == src[..] {
        return err("A folder cannot be moved into itself.");
    }
    // Check both ends before touching anything.
    let (last, src_parent) = src.split_last().expect("parse_path is never empty");
    if *last >= list_mut(doc, src_parent)?.len() {
        return err("That item no longer exists.");
    }
    list_mut(doc, &dst)?;
    // Taking the item out shifts its later siblings: a target under one of them moves up.
    let depth = src_parent.len();
    if dst.len() > depth && dst[..depth] == src_parent[..] && dst[depth] > *last {
        dst[depth] -= 1;
    }
    let item = list_mut(doc, src_parent)?.remove(*last);
    let list = list_mut(doc, &dst)?;
    let at = index.min(list.len());
    list.insert(at, item);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        json!({"info": {"name": "C"}, "item": [
            {"name": "F1", "item": [
                {"name": "a", "request": {"method": "GET", "url": "https://x/a"}},
                {"name": "b", "request": "https://x/b"}
            ]},
            {"name": "r", "request": {"method": "POST", "url": {"raw": "https://x/r"}}},
            {"name": "F2", "item": []}
        ]})
    }

    fn names(v: &Value) -> Vec<String> {
        v["item"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn add_rename_delete() {
        let mut d = doc();
        apply(
            &mut d,
            &CollectionEdit::AddFolder {
                parent: Some("0".into()),
                name: " Sub ".into(),
            },
        )
        .unwrap();
        assert_eq!(d["item"][0]["item"][2], json!({"name": "Sub", "item": []}));
        apply(
            &mut d,
            &CollectionEdit::AddRequest {
                parent: None,
                name: "new".into(),
                method: "patch".into(),
                url: "{{base}}/u?x=1".into(),
            },
        )
        .unwrap();
        let r = &d["item"][3]["request"];
        assert_eq!(r["method"], "PATCH");
        assert_eq!(r["url"]["host"], json!(["{{base}}"]));
        assert_eq!(r["url"]["path"], json!(["u"]));
        assert_eq!(r["url"]["query"], json!([{"key": "x", "value": "1"}]));
        apply(
            &mut d,
            &CollectionEdit::RenameItem {
                path: "0/1".into(),
                name: "<img onerror=x>".into(),
            },
        )
        .unwrap();
        assert_eq!(d["item"][0]["item"][1]["name"], "<img onerror=x>");
        apply(&mut d, &CollectionEdit::DeleteItem { path: "1".into() }).unwrap();
        assert_eq!(names(&d), ["F1", "F2", "new"]);
        let before = d.clone();
        for bad in [
            CollectionEdit::DeleteItem { path: "9".into() },
            CollectionEdit::RenameItem {
                path: "0".into(),
                name: "  ".into(),
            },
            CollectionEdit::AddFolder {
                parent: Some("2".into()),
                name: "x".into(),
            },
            CollectionEdit::AddRequest {
                parent: None,
                name: "x".into(),
                method: "GE T".into(),
                url: "".into(),
            },
            CollectionEdit::RenameItem {
                path: "0/x".into(),
                name: "n".into(),
            },
        ] {
            assert!(apply(&mut d, &bad).is_err(), "{bad:?}");
        }
        assert_eq!(d, before);
    }

    #[test]
    fn moves_keep_the_item_and_refuse_cycles() {
        let mut d = doc();
        // r (root 1) into F2 (root 2): F2 becomes root 1 once r is out.
        apply(
            &mut d,
            &CollectionEdit::MoveItem {
                from: "1".into(),
                to_parent: Some("2".into()),
                index: 0,
            },
        )
        .unwrap();
        assert_eq!(names(&d), ["F1", "F2"]);
        assert_eq!(d["item"][1]["item"][0]["name"], "r");
        // Reorder within F1.
        apply(
            &mut d,
            &CollectionEdit::MoveItem {
                from: "0/1".into(),
                to_parent: Some("0".into()),
                index: 0,
            },
        )
        .unwrap();
        assert_eq!(d["item"][0]["item"][0]["name"], "b");
        // Out to the root, at the end.
        apply(
            &mut d,
            &CollectionEdit::MoveItem {
                from: "0/0".into(),
                to_parent: None,
                index: 99,
            },
        )
        .unwrap();
        assert_eq!(names(&d), ["F1", "F2", "b"]);
        let before = d.clone();
        assert!(apply(
            &mut d,
            &CollectionEdit::MoveItem {
                from: "0".into(),
                to_parent: Some("0".into()),
                index: 0
            }
        )
        .is_err());
        assert!(apply(
            &mut d,
            &CollectionEdit::MoveItem {
                from: "1".into(),
                to_parent: Some("1/0".into()),
                index: 0
            }
        )
        .is_err());
        assert_eq!(d, before);
    }

    #[test]
    fn set_request_and_variables() {
        let mut d = doc();
        let edit = CollectionEdit::SetRequest {
            path: "0/1".into(),
            method: "post".into(),
            url: "https://x/b2".into(),
            headers: vec![RequestHeader {
                key: "Accept".into(),
                value: "application/json".into(),
                disabled: false,
            }],
            raw_body: Some("{\"a\":1}".into()),
        };
        apply(&mut d, &edit).unwrap();
        let r = &d["item"][0]["item"][1]["request"];
        assert_eq!(r["method"], "POST");
        assert_eq!(r["url"]["raw"], "https://x/b2");
        assert_eq!(
            r["header"],
            json!([{"key": "Accept", "value": "application/json"}])
        );
        assert_eq!(r["body"], json!({"mode": "raw", "raw": "{\"a\":1}"}));
        let bad = CollectionEdit::SetRequest {
            path: "0/1".into(),
            method: "GET".into(),
            url: "u".into(),
            headers: vec![RequestHeader {
                key: "X".into(),
                value: "a\r\nInjected: 1".into(),
                disabled: false,
            }],
            raw_body: None,
        };
        assert!(apply(&mut d, &bad).is_err());
        apply(
            &mut d,
            &CollectionEdit::SetVariables {
                variables: vec![
                    CollectionVariable {
                        key: "base".into(),
                        value: "https://x".into(),
                        disabled: false,
                    },
                    CollectionVariable {
                        key: "old".into(),
                        value: "".into(),
                        disabled: true,
                    },
                ],
            },
        )
        .unwrap();
        assert_eq!(
            d["variable"],
            json!([{"key": "base", "value": "https://x"}, {"key": "old", "value": "", "disabled": true}])
        );
    }
}
