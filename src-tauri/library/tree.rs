//! [`tree_summary`]: the folders and requests of a collection document (method, name, URL), for
//! the tree view. Tolerant: anything that is not shaped like an item is skipped.
//!
//! A large tree is sent in parts: [`tree_summary`] and [`folder_children`] give whole levels,
//! from the top, as long as they hold at most [`TREE_BUDGET`] nodes together (the first level
//! always). A folder below them comes with its `child_count` and no `children`; the UI asks for
//! them when the folder is opened. The tree starts closed, so the first answer stays small
//! (18 MB with 10,000 requests in 100 folders: 110 nodes instead of 10,110).

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

/// The most nodes one answer carries beyond its first level (whole levels only).
pub const TREE_BUDGET: usize = 2_000;

/// Deeper than this, items are not read (a hostile document cannot exhaust the stack).
const MAX_DEPTH: usize = 200;

/// One folder or request.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TreeNode {
    pub id: Option<String>,
    pub name: String,
    /// `None` for a folder.
    pub method: Option<String>,
    pub url: Option<String>,
    /// A folder's items, when this answer carries them: empty with `child_count > 0` means
    /// "not sent" (ask [`folder_children`] for them).
    pub children: Vec<TreeNode>,
    /// How many items the folder holds (0 for a request).
    pub child_count: u32,
}

/// The tree of `doc["item"]`: whole levels within [`TREE_BUDGET`].
pub fn tree_summary(doc: &Value) -> Vec<TreeNode> {
    tree_of(doc.get("item"), TREE_BUDGET)
}

/// The items of the folder `folder` (an item of the document), whole levels within
/// [`TREE_BUDGET`] as [`tree_summary`] gives them.
pub fn folder_children(folder: &Value) -> Vec<TreeNode> {
    tree_of(folder.get("item"), TREE_BUDGET)
}

fn objects(v: Option<&Value>) -> impl Iterator<Item = &Value> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|i| i.is_object())
}

fn tree_of(v: Option<&Value>, budget: usize) -> Vec<TreeNode> {
    items(v, 0, levels_within(v, budget))
}

/// How many levels under `v`, from the top, hold at most `budget` nodes together (at least 1).
fn levels_within(v: Option<&Value>, budget: usize) -> usize {
    let mut level: Vec<&Value> = objects(v).collect();
    let (mut total, mut depth) = (0usize, 0usize);
    while !level.is_empty() && depth < MAX_DEPTH {
        if depth > 0 && total + level.len() > budget {
            break;
        }
        total += level.len();
        depth += 1;
        level = level.iter().flat_map(|i| objects(i.get("item"))).collect();
    }
    depth.max(1)
}

fn items(v: Option<&Value>, depth: usize, levels: usize) -> Vec<TreeNode> {
    let Some(arr) = v.and_then(Value::as_array) else {
        return Vec::new();
    };
    if depth >= levels.min(MAX_DEPTH) {
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
            // A request's own `item` (not valid v2.1) is not shown.
            let (children, child_count) = match method {
                None => (
                    items(i.get("item"), depth + 1, levels),
                    objects(i.get("item")).count() as u32,
                ),
                Some(_) => (Vec::new(), 0),
            };
            TreeNode {
                id: s("id"),
                name: s("name").unwrap_or_default(),
                method,
                url,
                children,
                child_count,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `folders` folders of `per` requests each.
    fn doc(folders: usize, per: usize) -> Value {
        let item: Vec<Value> = (0..folders)
            .map(|f| {
                let reqs: Vec<Value> = (0..per)
                    .map(|r| json!({"name": format!("R{f}.{r}"), "request": {"method": "post", "url": {"raw": format!("https://x.test/{f}/{r}")}}}))
                    .collect();
                json!({"name": format!("F{f}"), "item": reqs})
            })
            .collect();
        json!({"info": {"name": "T"}, "item": item})
    }

    #[test]
    fn a_tree_within_the_budget_is_sent_whole() {
        let tree = tree_summary(&doc(4, 10));
        assert_eq!(tree.len(), 4);
        assert!(tree
            .iter()
            .all(|f| f.child_count == 10 && f.children.len() == 10));
        let r = &tree[2].children[5];
        assert_eq!(
            (
                r.name.as_str(),
                r.method.as_deref(),
                r.url.as_deref(),
                r.child_count
            ),
            ("R2.5", Some("post"), Some("https://x.test/2/5"), 0)
        );
    }

    #[test]
    fn a_larger_tree_is_sent_by_whole_levels_and_its_folders_on_request() {
        // 3 + 3 × 700 = 2,103 nodes: the second level would pass the budget.
        let d = doc(3, 700);
        let tree = tree_summary(&d);
        assert_eq!(tree.len(), 3);
        assert!(tree
            .iter()
            .all(|f| f.child_count == 700 && f.children.is_empty()));
        let kids = folder_children(&d["item"][1]);
        assert_eq!(kids.len(), 700);
        assert_eq!(kids[699].name, "R1.699");
        // Exactly the budget still fits.
        let at = doc(2, (TREE_BUDGET - 2) / 2);
        assert!(tree_summary(&at)
            .iter()
            .all(|f| f.children.len() == f.child_count as usize));
    }

    #[test]
    fn the_first_level_is_always_sent_however_long() {
        let item: Vec<Value> = (0..TREE_BUDGET + 5)
            .map(|i| json!({"name": format!("{i}"), "item": [{"name": "in", "request": "https://x.test"}]}))
            .collect();
        let tree = tree_summary(&json!({ "item": item }));
        assert_eq!(tree.len(), TREE_BUDGET + 5);
        assert!(tree
            .iter()
            .all(|f| f.child_count == 1 && f.children.is_empty()));
    }

    #[test]
    fn odd_items_are_skipped_and_counted_as_the_tree_shows_them() {
        let d = json!({"item": [
            {"name": "F", "item": [1, "x", {"name": "a", "request": "https://a.test"}, null]},
            "not an item",
            {"name": "Req with items", "request": {"url": "https://b.test"}, "item": [{"name": "hidden"}]},
            {"name": "Empty folder"}
        ]});
        let tree = tree_summary(&d);
        assert_eq!(tree.len(), 3);
        assert_eq!((tree[0].child_count, tree[0].children.len()), (1, 1));
        assert_eq!(tree[0].children[0].method.as_deref(), Some("GET"));
        assert_eq!(
            (
                tree[1].method.as_deref(),
                tree[1].child_count,
                tree[1].children.len()
            ),
            (Some("GET"), 0, 0)
        );
        assert_eq!((tree[2].method.as_deref(), tree[2].child_count), (None, 0));
    }

    #[test]
    fn a_deep_chain_is_cut_and_its_rest_can_be_asked_for() {
        let mut d = json!({"name": "leaf", "request": "https://x.test"});
        for i in 0..(MAX_DEPTH + 50) {
            d = json!({"name": format!("L{i}"), "item": [d]});
        }
        let doc = json!({ "item": [d] });
        let tree = tree_summary(&doc);
        let mut depth = 0;
        let mut node = &tree[0];
        while let Some(n) = node.children.first() {
            node = n;
            depth += 1;
        }
        assert_eq!(depth, MAX_DEPTH - 1, "cut at MAX_DEPTH levels");
        assert_eq!(
            (node.child_count, node.children.len()),
            (1, 0),
            "the cut says more is there"
        );
    }
}
