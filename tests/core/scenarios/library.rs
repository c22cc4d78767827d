//! Collections and environments: lists, open, edit (a draft before each answer), one request,
//! raw JSON, save (PATCH, PUT, a conflict with both versions, keep mine), duplicate, export,
//! delete by typed name, and the same for environments with a secret variable.

use postdesk_core::{Core, Event};
use serde_json::{json, Value};

use super::{collection, Sandbox};
use crate::host::TestHost;
use crate::record::Recorder;

async fn personal_workspace(core: &Core, rec: &Recorder) -> String {
    let ws = rec
        .ok(core, "library_workspaces", json!({"force": false}))
        .await;
    ws["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["kind"] == "personal")
        .and_then(|w| w["id"].as_str())
        .expect("a personal workspace")
        .to_owned()
}

/// Whether the collection list (its columns) marks `uid` as having an unsaved draft.
fn has_draft(list: &Value, uid: &str) -> bool {
    let at = list["uid"]
        .as_array()
        .unwrap()
        .iter()
        .position(|u| u == uid)
        .unwrap_or_else(|| panic!("{uid} is listed"));
    list["drafted"].as_array().unwrap().iter().any(|i| i == at)
}

fn row<'a>(list: &'a Value, uid: &str) -> &'a Value {
    list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == uid)
        .unwrap_or_else(|| panic!("{uid} is listed"))
}

pub async fn run(core: &Core, rec: &Recorder, host: &TestHost, sb: &Sandbox) {
    let ws = collections(core, rec, host, sb).await;
    super::tree::markup(core, rec, &ws).await;
    super::tree::large(core, rec, host, &ws).await;
    picked_files(core, rec, host, &ws).await;
    environments(core, rec).await;
    super::drafts::environment_elsewhere(core, rec, host, sb, &ws).await;
    super::drafts::remembered_workspace(core, rec, &ws).await;
}

/// Returns the personal workspace.
async fn collections(core: &Core, rec: &Recorder, host: &TestHost, sb: &Sandbox) -> String {
    rec.scenario("library: a collection from import to save");
    rec.ok(core, "library_drafts", json!({})).await;
    let ws = personal_workspace(core, rec).await;
    let made = rec
        .ok(
            core,
            "library_create_collection",
            json!({"workspace": ws, "name": null, "import": collection("Orders API").to_string()}),
        )
        .await;
    let uid = made["uid"].as_str().unwrap().to_owned();
    assert_eq!(made["name"], "Orders API");
    rec.err(
        core,
        "library_create_collection",
        json!({"workspace": ws, "name": null, "import": "{\"info\": "}),
        "library.invalidImport",
    )
    .await;
    rec.err(
        core,
        "library_create_collection",
        json!({"workspace": ws, "name": "  ", "import": null}),
        "library.invalidEdit",
    )
    .await;
    let list = rec
        .ok(
            core,
            "library_collections",
            json!({"workspace": ws, "force": true}),
        )
        .await;
    assert!(!has_draft(&list, &uid));
    let view = rec
        .ok(
            core,
            "library_open_collection",
            json!({"uid": uid, "force": false}),
        )
        .await;
    assert_eq!(
        (view["requestCount"].as_u64(), view["folderCount"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(view["draftSavedAtMs"], Value::Null);
    let item = rec
        .ok(
            core,
            "library_collection_item",
            json!({"uid": uid, "path": "0/1"}),
        )
        .await;
    assert_eq!(
        (item["method"].as_str(), item["name"].as_str()),
        (Some("POST"), Some("Create order"))
    );
    rec.err(
        core,
        "library_collection_item",
        json!({"uid": uid, "path": "9"}),
        "library.invalidEdit",
    )
    .await;
    // A folder's items, as the UI asks for them when the view did not carry them.
    let (folder, request) = (
        json!({"uid": uid, "path": "0"}),
        json!({"uid": uid, "path": "0/1"}),
    );
    let items = rec.ok(core, "library_collection_folder", folder).await;
    assert_eq!(items, view["tree"][0]["children"]);
    let refused = "library.invalidEdit";
    rec.err(core, "library_collection_folder", request, refused)
        .await;
    let edited = rec
        .ok(
            core,
            "library_edit_collection",
            json!({"uid": uid, "edit": {"op": "renameItem", "path": "0/0", "name": "List my orders"}}),
        )
        .await;
    assert!(
        edited["draftSavedAtMs"].is_number(),
        "stored as a draft before the answer"
    );
    rec.ok(
        core,
        "library_edit_collection",
        json!({"uid": uid, "edit": {"op": "moveItem", "from": "1", "toParent": null, "index": 0}}),
    )
    .await;
    rec.err(
        core,
        "library_edit_collection",
        json!({"uid": uid, "edit": {"op": "deleteItem", "path": "7"}}),
        "library.invalidEdit",
    )
    .await;
    let drafts = rec.ok(core, "library_drafts", json!({})).await;
    assert_eq!(drafts["drafts"][0]["id"], uid);
    let list = rec
        .ok(
            core,
            "library_collections",
            json!({"workspace": ws, "force": false}),
        )
        .await;
    assert!(has_draft(&list, &uid));
    let text = rec
        .ok(core, "library_collection_text", json!({"uid": uid}))
        .await;
    assert!(text.as_str().unwrap().contains("List my orders"));
    let bad = rec
        .ok(
            core,
            "library_set_collection_text",
            json!({"uid": uid, "text": "{\n  \"info\": {,\n}"}),
        )
        .await;
    assert_eq!(
        (bad["errors"][0]["line"].as_u64(), bad["view"].is_null()),
        (Some(2), true)
    );
    let mut doc: Value = serde_json::from_str(text.as_str().unwrap()).unwrap();
    doc["info"]["name"] = json!("Orders API v2");
    let good = rec
        .ok(
            core,
            "library_set_collection_text",
            json!({"uid": uid, "text": doc.to_string()}),
        )
        .await;
    assert_eq!(good["view"]["name"], "Orders API v2");
    host.seen().events.clear();
    let saved = rec
        .ok(
            core,
            "library_save",
            json!({"kind": "collection", "id": uid, "overwrite": false}),
        )
        .await;
    assert_eq!(saved["outcome"], "saved");
    assert_eq!(saved["method"], "put", "the tree changed: a PUT");
    let events = host.seen().events.clone();
    assert!(events.iter().any(|e| matches!(e, Event::SaveProgress(_))));
    rec.events(&events);
    let (_, server) = sb
        .api("GET", &format!("/collections/{uid}"), Value::Null)
        .await;
    assert_eq!(
        server["collection"]["item"][1]["item"][0]["name"],
        "List my orders"
    );

    rec.scenario("library: both versions after someone else's change, then keep mine");
    rec.ok(
        core,
        "library_open_collection",
        json!({"uid": uid, "force": true}),
    )
    .await;
    rec.ok(
        core,
        "library_edit_collection",
        json!({"uid": uid, "edit": {"op": "rename", "name": "Orders (mine)"}}),
    )
    .await;
    sb.advance(5_000).await;
    let (status, _) = sb
        .api(
            "PATCH",
            &format!("/collections/{uid}"),
            json!({"collection": {"info": {"name": "Orders (theirs)"}}}),
        )
        .await;
    assert_eq!(status, 200);
    let conflict = rec
        .ok(
            core,
            "library_save",
            json!({"kind": "collection", "id": uid, "overwrite": false}),
        )
        .await;
    assert_eq!(conflict["outcome"], "conflict");
    assert_eq!(conflict["theirs"]["info"]["name"], "Orders (theirs)");
    let mine = rec
        .ok(
            core,
            "library_save",
            json!({"kind": "collection", "id": uid, "overwrite": true}),
        )
        .await;
    assert_eq!(
        (mine["outcome"].as_str(), mine["method"].as_str()),
        (Some("saved"), Some("patch"))
    );
    super::tree::build(core, rec, sb, &uid).await;

    rec.scenario("library: duplicate, export, discard, close, delete by name");
    let copy = rec
        .ok(
            core,
            "library_duplicate_collection",
            json!({"uid": uid, "workspace": ws}),
        )
        .await;
    assert_eq!(copy["name"], "Orders (mine) (copy)");
    let copy_uid = copy["uid"].as_str().unwrap().to_owned();
    let path = rec
        .ok(core, "library_export_collection", json!({"uid": uid}))
        .await;
    assert!(
        path.as_str()
            .unwrap()
            .ends_with("Orders (mine).postman_collection.json"),
        "{path}"
    );
    rec.ok(
        core,
        "library_edit_collection",
        json!({"uid": uid, "edit": {"op": "describe", "description": "Not kept"}}),
    )
    .await;
    rec.ok(
        core,
        "library_discard",
        json!({"kind": "collection", "id": uid}),
    )
    .await;
    rec.err(
        core,
        "library_edit_collection",
        json!({"uid": uid, "edit": {"op": "rename", "name": "x"}}),
        "library.notOpen",
    )
    .await;
    rec.ok(
        core,
        "library_open_collection",
        json!({"uid": uid, "force": false}),
    )
    .await;
    rec.ok(
        core,
        "library_close",
        json!({"kind": "collection", "id": uid}),
    )
    .await;
    rec.delete_by_name(
        core,
        "library_delete_collection",
        json!({"uid": copy_uid}),
        ["Orders", "Orders (mine) (copy)"],
        "library.confirmMismatch",
    )
    .await;
    rec.err(
        core,
        "library_open_collection",
        json!({"uid": copy_uid, "force": false}),
        "api.notFound",
    )
    .await;
    ws
}

async fn environments(core: &Core, rec: &Recorder) {
    rec.scenario("library: an environment with a secret");
    let ws = personal_workspace(core, rec).await;
    let made = rec
        .ok(
            core,
            "library_create_environment",
            json!({"workspace": ws, "name": "Staging", "import": null}),
        )
        .await;
    let id = made["id"].as_str().unwrap().to_owned();
    rec.err(
        core,
        "library_create_environment",
        json!({"workspace": ws, "name": null, "import": "[1, 2]"}),
        "library.invalidImport",
    )
    .await;
    let list = rec
        .ok(
            core,
            "library_environments",
            json!({"workspace": ws, "force": true}),
        )
        .await;
    assert_eq!(row(&list, &id)["name"], "Staging");
    let view = rec
        .ok(
            core,
            "library_open_environment",
            json!({"id": id, "force": false}),
        )
        .await;
    assert_eq!(view["values"], json!([]));
    let values = json!([
        {"key": "base", "value": "https://staging.example.com", "type": "default", "enabled": true, "description": ""},
        {"key": "token", "value": "s3cr3t-value", "type": "secret", "enabled": true, "description": "Staging token"}
    ]);
    let edited = rec
        .ok(
            core,
            "library_edit_environment",
            json!({"id": id, "name": "Staging EU", "values": values}),
        )
        .await;
    assert_eq!(edited["values"][1]["type"], "secret");
    rec.err(
        core,
        "library_edit_environment",
        json!({"id": id, "name": " ", "values": values}),
        "library.invalidEdit",
    )
    .await;
    let saved = rec
        .ok(
            core,
            "library_save",
            json!({"kind": "environment", "id": id, "overwrite": false}),
        )
        .await;
    assert_eq!(saved["outcome"], "saved");
    let path = rec
        .ok(core, "library_export_environment", json!({"id": id}))
        .await;
    assert!(
        path.as_str()
            .unwrap()
            .ends_with("Staging EU.postman_environment.json"),
        "{path}"
    );
    rec.delete_by_name(
        core,
        "library_delete_environment",
        json!({"id": id}),
        ["Staging", "Staging EU"],
        "library.confirmMismatch",
    )
    .await;
}

/// Import through the OS open dialog: Rust reads only the file the user picked; a cancelled
/// dialog makes nothing; a file over 30 MB is refused before it is read; a file that is not
/// text is refused; nothing is sent for either.
async fn picked_files(core: &Core, rec: &Recorder, host: &TestHost, ws: &str) {
    rec.scenario("library: import a file picked in the OS dialog");
    let dir = host.dir.join("picked");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("Billing.postman_collection.json");
    std::fs::write(&file, collection("Billing API").to_string()).unwrap();
    host.seen().open_file = Some(file);
    let made = rec
        .ok(
            core,
            "library_import_collection_file",
            json!({"workspace": ws}),
        )
        .await;
    assert_eq!(made["name"], "Billing API");
    assert_eq!(
        host.seen().open_dialogs.last().map(String::as_str),
        Some("Postman collection (*.json)")
    );

    let env = dir.join("Prod.postman_environment.json");
    std::fs::write(
        &env,
        json!({"name": "Prod", "values": [{"key": "baseUrl", "value": "https://api.example.com", "enabled": true}]})
            .to_string(),
    )
    .unwrap();
    host.seen().open_file = Some(env);
    let made = rec
        .ok(
            core,
            "library_import_environment_file",
            json!({"workspace": ws}),
        )
        .await;
    assert_eq!(made["name"], "Prod");

    let huge = dir.join("huge.json");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(31 * 1024 * 1024)
        .unwrap();
    host.seen().open_file = Some(huge);
    let refused = rec
        .err(
            core,
            "library_import_collection_file",
            json!({"workspace": ws}),
            "library.invalidImport",
        )
        .await;
    assert!(refused.contains("at most 30 MB"), "{refused}");

    let binary = dir.join("image.json");
    std::fs::write(&binary, [0xff_u8, 0xfe, 0x00, 0x89]).unwrap();
    host.seen().open_file = Some(binary);
    rec.err(
        core,
        "library_import_collection_file",
        json!({"workspace": ws}),
        "library.invalidImport",
    )
    .await;

    host.seen().open_file = None;
    let cancelled = rec
        .ok(
            core,
            "library_import_collection_file",
            json!({"workspace": ws}),
        )
        .await;
    assert_eq!(cancelled, Value::Null);
}
