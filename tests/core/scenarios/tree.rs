//! A collection's tree built up in the app (a folder, a request in it, its details, the
//! variables, a move into a folder), a save while Postman cannot be reached and its retry; and
//! names that look like markup, which stay text; and a tree too large to send whole, whose
//! folders beyond the first level come when opened.

use postdesk_core::Core;
use serde_json::{json, Value};

use super::{collection, create, Sandbox, SCHEMA};
use crate::host::TestHost;
use crate::record::Recorder;

/// The names of `tree`'s items, in order.
fn names(tree: &Value) -> Vec<&str> {
    tree.as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect()
}

/// The collection `uid` as the conflict scenario left it: Health, then the Orders folder with
/// "List my orders" and "Create order".
pub async fn build(core: &Core, rec: &Recorder, sb: &Sandbox, uid: &str) {
    rec.scenario("library: folders, requests and variables, saved once Postman answers again");
    let edit = |e: Value| async move {
        let args = json!({"uid": uid, "edit": e});
        rec.ok(core, "library_edit_collection", args).await
    };
    let v = edit(json!({"op": "addFolder", "parent": "1", "name": "Drafts"})).await;
    let orders = ["List my orders", "Create order", "Drafts"];
    assert_eq!(names(&v["tree"][1]["children"]), orders);
    edit(
        json!({"op": "addRequest", "parent": "1/2", "name": "Cancel order",
        "method": "DELETE", "url": "https://api.example.com/orders/1"}),
    )
    .await;
    let v = edit(
        json!({"op": "setRequest", "path": "1/2/0", "method": "DELETE",
        "url": "{{base}}/orders/{{order}}",
        "headers": [{"key": "Accept", "value": "application/json", "disabled": false}],
        "rawBody": null}),
    )
    .await;
    let cancel = &v["tree"][1]["children"][2]["children"][0];
    assert_eq!(cancel["url"], "{{base}}/orders/{{order}}");
    let vars = json!([
        {"key": "base", "value": "https://api.example.com", "disabled": false},
        {"key": "order", "value": "1", "disabled": false}
    ]);
    let v = edit(json!({"op": "setVariables", "variables": vars})).await;
    assert_eq!(v["variables"], vars);
    // Health into the Orders folder, first.
    let v = edit(json!({"op": "moveItem", "from": "0", "toParent": "1", "index": 0})).await;
    assert_eq!(names(&v["tree"]), ["Orders"]);
    let moved = ["Health", "List my orders", "Create order", "Drafts"];
    assert_eq!(names(&v["tree"][0]["children"]), moved);

    // Every connection to Postman is reset: the save says so and keeps the draft.
    let save = json!({"kind": "collection", "id": uid, "overwrite": false});
    sb.fail(json!({"route": "*", "reset": true})).await;
    let msg = rec
        .err(core, "library_save", save.clone(), "net.unreachable")
        .await;
    assert!(msg.contains("draft is kept"), "{msg}");
    sb.heal().await;
    let drafts = rec.ok(core, "library_drafts", json!({})).await;
    assert_eq!(drafts["drafts"][0]["id"], uid, "{drafts}");
    let saved = rec.ok(core, "library_save", save).await;
    assert_eq!(
        (&saved["outcome"], &saved["method"]),
        (&json!("saved"), &json!("put"))
    );
    // Open again for the scenarios that follow (a PUT drops the working copy).
    let open = json!({"uid": uid, "force": false});
    let v = rec.ok(core, "library_open_collection", open).await;
    assert_eq!(v["requestCount"], 4);
}

/// A collection and a request named like markup: listed, opened and deleted by that name.
pub async fn markup(core: &Core, rec: &Recorder, ws: &str) {
    rec.scenario("library: names with markup");
    let hostile = "<img src=x onerror=alert(1)>";
    let script = "<script>alert(2)</script>";
    let mut doc = collection(hostile);
    doc["item"][1]["name"] = json!(script);
    let import = json!({"workspace": ws, "name": null, "import": doc.to_string()});
    let uid = create(core, rec, "library_create_collection", import, "uid").await;
    let listed = json!({"workspace": ws, "force": true});
    let list = rec.ok(core, "library_collections", listed).await;
    assert!(list["name"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n == hostile));
    let open = json!({"uid": uid, "force": false});
    let view = rec.ok(core, "library_open_collection", open).await;
    assert_eq!(
        (&view["name"], &view["tree"][1]["name"]),
        (&json!(hostile), &json!(script))
    );
    let delete = json!({"uid": uid, "confirmName": hostile});
    rec.ok(core, "library_delete_collection", delete).await;
}

/// 45 folders of 45 requests (2,070 items, over the backend's budget of 2,000): the view sends
/// the folders without their items, and `library_collection_folder` sends a folder's items.
pub async fn large(core: &Core, rec: &Recorder, host: &TestHost, ws: &str) {
    rec.scenario("library: a large collection's tree comes in parts");
    let folders: Vec<Value> = (0..45)
        .map(|f| {
            let calls: Vec<Value> = (0..45)
                .map(|r| json!({"name": format!("Call {f}.{r}"), "request": {"method": "GET", "url": format!("https://api.example.com/{f}/{r}")}}))
                .collect();
            json!({"name": format!("Area {f}"), "item": calls})
        })
        .collect();
    let doc = json!({"info": {"name": "Large tree", "schema": SCHEMA}, "item": folders});
    // Through the open dialog: the 200 kB document stays out of the recording.
    let file = host.dir.join("Large tree.postman_collection.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    host.seen().open_file = Some(file);
    let picked = json!({"workspace": ws});
    let uid = create(core, rec, "library_import_collection_file", picked, "uid").await;
    let listed = json!({"workspace": ws, "force": true});
    rec.ok(core, "library_collections", listed).await;
    let open = json!({"uid": uid, "force": false});
    let view = rec.ok(core, "library_open_collection", open).await;
    assert_eq!(view["requestCount"], 2025);
    let top = view["tree"].as_array().unwrap();
    assert_eq!(top.len(), 45);
    assert!(top
        .iter()
        .all(|f| f["childCount"] == 45 && f["children"] == json!([])));
    let folder = json!({"uid": uid, "path": "3"});
    let items = rec.ok(core, "library_collection_folder", folder).await;
    assert_eq!(items.as_array().unwrap().len(), 45);
    assert_eq!(
        (&items[7]["name"], &items[7]["url"]),
        (&json!("Call 3.7"), &json!("https://api.example.com/3/7"))
    );
    let item = json!({"uid": uid, "path": "3/7"});
    let detail = rec.ok(core, "library_collection_item", item).await;
    assert_eq!(detail["name"], "Call 3.7");
    let delete = json!({"uid": uid, "confirmName": "Large tree"});
    rec.ok(core, "library_delete_collection", delete).await;
}
