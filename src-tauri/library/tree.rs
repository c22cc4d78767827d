//! [`tree_summary`]: the folders and requests of a collection document (method, name, URL), for
//! the tree view. Tolerant: anything that is not shaped like an item is skipped.

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

/// One folder or request.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TreeNode {
    pub id: Option<String>,
    pub name: String,
    /// `None` for a folder.
    pub method: Option<String>,
    pub url: Option<String>,
    pub children: Vec<TreeNode>,
}

/// The tree of `doc["item"]`.
pub fn tree_summary(doc: &Value) -> Vec<TreeNode> {
    items(doc.get("item"), 0)
}

fn items(v: Option<&Value>, depth: usize) -> Vec<TreeNode> {
    let Some(arr) = v.and_then(Value::as_array) else {
        return Vec::new();
    };
    if depth > 200 {
        return Vec::new();
    }
    arr.iter()
        .filter(|i| i.is_object())
        .map(|i| {
            let s = |k: &str| i.get(k).and_then(Value::as_str).map(str::to_owned);
            let req = i.get("request");
            let (method, url) = match req {
                Some(Value::String(u)) => (Some("GET".to_owned()), Some(u.clone())),
                Some(r) => (
                    Some(
                        r.get("method")
                            .and_then(Value::as_str)
                            .unwrap_or("GET")
                            .to_owned(),
                    ),
                    match r.get("url") {
                        Some(Value::String(u)) => Some(u.clone()),
                        Some(u) => u.get("raw").and_then(Value::as_str).map(str::to_owned),
                        None => None,
                    },
                ),
                None => (None, None),
            };
            TreeNode {
                id: s("id"),
                name: s("name").unwrap_or_default(),
                method,
                url,
                children: items(i.get("item"), depth + 1),
            }
        })
        .collect()
}
