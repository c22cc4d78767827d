//! The Collections and Environments domain (`library`) against the in-process sandbox over
//! loopback: open → edit → restart → save → verified through the API; PATCH for info-only
//! edits; conflicts; failures keep the draft; raw JSON; create/import/duplicate/export/delete;
//! environments with secrets. Every wait is bounded.

use std::path::PathBuf;
use std::time::Duration;

use postdesk_base::IpcError;
use postdesk_drafts::{DraftKind, SaveMethod, SaveOutcome};
use postdesk_library::{
    CollectionEdit, CollectionVariable, CollectionView, EnvVarType, EnvVariable, EnvironmentView,
    Library, LibraryError, RequestHeader,
};
use postman_client::Client;
use postman_sandbox::{Limits, Sandbox};
use serde_json::{json, Value};

mod common;
#[path = "common/saving.rs"]
mod saving;
use common::{
    add_fault, advance_clock, bounded, clear_faults, collection_doc, fetch_collection, item_ids,
    personal_workspace, raw, tmpdir, SCHEMA,
};
use saving::{assert_saved, expect_conflict};

/// A sandbox, a client acting as Taylor (one try a call) and a library over a scratch folder.
struct Fixture {
    sb: Sandbox,
    c: Client,
    dir: PathBuf,
    lib: Library,
}

impl Fixture {
    async fn new(name: &str) -> Self {
        let sb = common::sandbox(Limits::lifted(), Duration::from_millis(200)).await;
        let c = common::client(&sb, 1);
        let dir = tmpdir(name);
        let lib = Library::new(&dir, sb.clock()).unwrap();
        Fixture { sb, c, dir, lib }
    }

    /// "Restart": the library is dropped and a new one made over the same folder.
    fn restart(self) -> Self {
        let Fixture { sb, c, dir, lib } = self;
        drop(lib);
        let lib = Library::new(&dir, sb.clock()).unwrap();
        Fixture { sb, c, dir, lib }
    }

    fn calls(&self) -> usize {
        self.c.activity().len()
    }

    /// A collection with a folder of `n` requests and one root request, created through the
    /// library in Taylor's personal workspace; returns its uid.
    async fn new_collection(&self, name: &str, n: usize) -> String {
        let ws = personal_workspace(&self.c).await;
        let doc = collection_doc(name, n).to_string();
        let create = self
            .lib
            .create_collection(&self.c, Some(&ws), None, Some(&doc));
        bounded(10, create)
            .await
            .expect("created")
            .uid
            .expect("uid")
    }

    /// [`Fixture::new_collection`], opened for editing.
    async fn open_new_collection(&self, name: &str, n: usize) -> String {
        let uid = self.new_collection(name, n).await;
        self.open(&uid).await;
        uid
    }

    async fn open(&self, uid: &str) -> CollectionView {
        bounded(10, self.lib.open_collection(&self.c, uid, false))
            .await
            .unwrap()
    }

    async fn open_environment(&self, id: &str) -> EnvironmentView {
        bounded(10, self.lib.open_environment(&self.c, id, false))
            .await
            .unwrap()
    }

    fn edit(&self, uid: &str, edit: CollectionEdit) -> CollectionView {
        self.lib.edit_collection(uid, &edit).unwrap()
    }

    /// Saves a draft (over a conflicting change when `overwrite`), within 20 s.
    async fn save(
        &self,
        kind: DraftKind,
        id: &str,
        overwrite: bool,
    ) -> Result<SaveOutcome, LibraryError> {
        let mut quiet = |_| {};
        bounded(20, self.lib.save(&self.c, kind, id, overwrite, &mut quiet)).await
    }

    async fn save_collection(&self, uid: &str) -> Result<SaveOutcome, LibraryError> {
        self.save(DraftKind::Collection, uid, false).await
    }

    /// What the API serves at `path` to another app, which must be there: its JSON.
    async fn served(&self, path: &str) -> Value {
        let (status, body) = raw(&self.sb, "GET", path, Value::Null).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    async fn served_collection(&self, uid: &str) -> Value {
        self.served(&format!("/collections/{uid}")).await["collection"].clone()
    }

    async fn served_environment(&self, id: &str) -> Value {
        self.served(&format!("/environments/{id}")).await["environment"].clone()
    }
}

fn rename(name: &str) -> CollectionEdit {
    CollectionEdit::Rename { name: name.into() }
}

fn rename_item(path: &str, name: &str) -> CollectionEdit {
    CollectionEdit::RenameItem {
        path: path.into(),
        name: name.into(),
    }
}

#[tokio::test]
async fn edit_restart_save_and_reload_through_the_api() {
    let f = Fixture::new("roundtrip").await;
    let uid = f.new_collection("Orders API", 3).await;

    let before = f.calls();
    let view = f.open(&uid).await;
    assert_eq!(f.calls() - before, 1, "opening costs one call");
    assert_eq!((view.request_count, view.folder_count), (4, 1));
    assert_eq!(view.draft_saved_at_ms, None);
    let ids_before = item_ids(&fetch_collection(&f.c, &uid).await);
    let before = f.calls();

    // Rename a request and add a variable: each edit is on disk before the call returns.
    let v = f.edit(
        &uid,
        rename_item("0/1", "<img src=x onerror=alert(1)> renamed"),
    );
    assert!(v.draft_saved_at_ms.is_some());
    f.edit(
        &uid,
        CollectionEdit::SetVariables {
            variables: vec![CollectionVariable {
                key: "baseUrl".into(),
                value: "https://echo.test".into(),
                disabled: false,
            }],
        },
    );
    assert_eq!(f.calls(), before, "edits cost no call");

    // "Restart": a new library over the same folder finds the draft and opens it without a call.
    let f = f.restart();
    let drafts = f.lib.drafts().unwrap().drafts;
    assert_eq!(drafts.len(), 1);
    assert_eq!(
        (drafts[0].kind, drafts[0].id.as_str()),
        (DraftKind::Collection, uid.as_str())
    );
    let n = f.calls();
    let v = f.open(&uid).await;
    assert_eq!(f.calls(), n, "a restored draft opens without a call");
    assert_eq!(
        v.tree[0].children[1].name,
        "<img src=x onerror=alert(1)> renamed"
    );
    let rows = bounded(10, f.lib.collections(&f.c, None, false))
        .await
        .unwrap();
    assert!(rows.iter().any(|r| r.uid == uid && r.has_draft));

    let n = f.calls();
    assert_saved(&f.save_collection(&uid).await.unwrap(), SaveMethod::Put);
    assert_eq!(f.calls() - n, 3, "check + PUT + read-back");
    assert!(
        f.lib.drafts().unwrap().drafts.is_empty(),
        "the draft is gone once saved"
    );

    // Reload through the API: the rename and the variable are there, item ids unchanged.
    let col = f.served_collection(&uid).await;
    assert_eq!(
        col["item"][0]["item"][1]["name"],
        "<img src=x onerror=alert(1)> renamed"
    );
    assert_eq!(col["variable"][0]["key"], "baseUrl");
    assert_eq!(item_ids(&col), ids_before, "PUT keeps every item id");
    let v = f.open(&uid).await;
    assert_eq!(v.draft_saved_at_ms, None);
    assert_eq!(v.variables.len(), 1);
}

#[tokio::test]
async fn info_only_edit_is_a_patch_and_tree_edits_keep_the_rest() {
    let f = Fixture::new("patch").await;
    let uid = f.open_new_collection("Billing", 2).await;
    f.edit(&uid, rename("Billing v2"));
    f.edit(
        &uid,
        CollectionEdit::Describe {
            description: "Invoices & refunds".into(),
        },
    );
    assert_saved(&f.save_collection(&uid).await.unwrap(), SaveMethod::Patch);
    // The working copy stays open after a PATCH: the next save is based on the new updatedAt.
    let v = f.lib.collection_view(&uid).unwrap();
    assert_eq!(v.name, "Billing v2");
    assert_eq!(v.draft_saved_at_ms, None);

    // Tree edits: add a folder, a request in it, move the root request into it, set its basics.
    f.edit(
        &uid,
        CollectionEdit::AddFolder {
            parent: None,
            name: "Refunds".into(),
        },
    );
    f.edit(
        &uid,
        CollectionEdit::AddRequest {
            parent: Some("2".into()),
            name: "Create refund".into(),
            method: "post".into(),
            url: "{{baseUrl}}/refunds".into(),
        },
    );
    let v = f.edit(
        &uid,
        CollectionEdit::MoveItem {
            from: "1".into(),
            to_parent: Some("2".into()),
            index: 0,
        },
    );
    assert_eq!(v.tree.len(), 2);
    assert_eq!(
        v.tree[1]
            .children
            .iter()
            .map(|n| n.name.as_str())
            .collect::<Vec<_>>(),
        ["Root request", "Create refund"]
    );
    f.edit(
        &uid,
        CollectionEdit::SetRequest {
            path: "1/0".into(),
            method: "PUT".into(),
            url: "https://echo.test/put".into(),
            headers: vec![RequestHeader {
                key: "Content-Type".into(),
                value: "application/json".into(),
                disabled: false,
            }],
            raw_body: Some("{\"amount\": 5}".into()),
        },
    );
    let detail = f.lib.collection_item(&uid, "1/0").unwrap();
    assert_eq!(
        (detail.method.as_str(), detail.url.as_str()),
        ("PUT", "https://echo.test/put")
    );
    assert_saved(&f.save_collection(&uid).await.unwrap(), SaveMethod::Put);
    let col = f.served_collection(&uid).await;
    let moved = &col["item"][1]["item"][0];
    assert_eq!(moved["name"], "Root request");
    assert_eq!(moved["request"]["method"], "PUT");
    assert_eq!(moved["request"]["body"]["raw"], "{\"amount\": 5}");
    assert_eq!(col["info"]["description"], "Invoices & refunds");
}

#[tokio::test]
async fn a_concurrent_change_shows_a_conflict_then_keep_mine_or_take_theirs() {
    let f = Fixture::new("conflict").await;
    let uid = f.open_new_collection("Shared", 1).await;
    f.edit(&uid, rename_item("1", "Mine"));
    // Someone else renames the collection meanwhile, a few seconds later.
    advance_clock(&f.sb, 5_000).await;
    let theirs = json!({"collection": {"info": {"name": "Theirs"}}});
    let (status, _) = raw(&f.sb, "PATCH", &format!("/collections/{uid}"), theirs).await;
    assert_eq!(status, 200);
    let (mine, theirs) = expect_conflict(f.save_collection(&uid).await.unwrap());
    assert_eq!(mine["item"][1]["name"], "Mine");
    assert_eq!(theirs["info"]["name"], "Theirs");
    assert_eq!(f.lib.drafts().unwrap().drafts.len(), 1, "the draft is kept");
    assert_eq!(
        f.served_collection(&uid).await["item"][1]["name"],
        "Root request",
        "nothing was written"
    );

    // Keep mine: overwrites on purpose.
    let out = f.save(DraftKind::Collection, &uid, true).await.unwrap();
    assert!(matches!(out, SaveOutcome::Saved { .. }), "{out:?}");
    assert_eq!(f.served_collection(&uid).await["item"][1]["name"], "Mine");

    // Take theirs: discard drops the draft and the next open shows the server's version.
    f.open(&uid).await;
    f.edit(&uid, rename("Local only"));
    f.lib.discard(DraftKind::Collection, &uid).unwrap();
    assert!(f.lib.drafts().unwrap().drafts.is_empty());
    assert_ne!(f.open(&uid).await.name, "Local only");
}

#[tokio::test]
async fn a_failed_save_keeps_the_draft_and_a_retry_succeeds() {
    let f = Fixture::new("failure").await;
    let uid = f.open_new_collection("Flaky", 1).await;
    f.edit(&uid, CollectionEdit::DeleteItem { path: "0/0".into() });
    add_fault(
        &f.sb,
        json!({"route": "PUT /collections/{id}", "status": 503}),
    )
    .await;
    let err = f.save_collection(&uid).await.unwrap_err();
    let ipc = IpcError::from(err);
    assert!(
        ipc.message.contains("Your draft is kept"),
        "{}",
        ipc.message
    );
    assert_eq!(f.lib.drafts().unwrap().drafts.len(), 1);
    assert!(f
        .lib
        .collection_view(&uid)
        .unwrap()
        .draft_saved_at_ms
        .is_some());
    clear_faults(&f.sb).await;
    let out = f.save_collection(&uid).await.unwrap();
    assert!(matches!(out, SaveOutcome::Saved { .. }));
    let col = f.served_collection(&uid).await;
    assert_eq!(col["item"][0]["item"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn raw_json_errors_point_at_the_line_and_change_nothing() {
    let f = Fixture::new("raw").await;
    let uid = f.open_new_collection("Raw", 1).await;
    let text = f.lib.collection_text(&uid).unwrap();
    let n = f.calls();
    // Malformed JSON: a clear error with a position; nothing changes, nothing is sent.
    let broken = text.replacen("\"Root request\"", "\"Root request\",,", 1);
    let out = f.lib.set_collection_text(&uid, &broken).unwrap();
    assert!(out.view.is_none());
    assert!(out.errors[0].line > 1, "{:?}", out.errors);
    // Valid JSON that breaks the schema: the path is named.
    let wrong = text.replacen("\"POST\"", "7", 1);
    let out = f.lib.set_collection_text(&uid, &wrong).unwrap();
    assert!(
        out.errors.iter().any(|e| e.path.contains("method")),
        "{:?}",
        out.errors
    );
    assert_eq!(
        f.lib.collection_view(&uid).unwrap().draft_saved_at_ms,
        None,
        "no draft from an invalid text"
    );
    assert_eq!(f.calls(), n, "nothing sent");
    // A valid edit applies.
    let ok = text.replacen("\"Root request\"", "\"Edited in raw mode\"", 1);
    let out = f.lib.set_collection_text(&uid, &ok).unwrap();
    assert!(out.errors.is_empty());
    assert_eq!(out.view.unwrap().tree[1].name, "Edited in raw mode");
}

#[tokio::test]
async fn create_import_duplicate_export_and_delete_by_name() {
    let f = Fixture::new("lifecycle").await;
    let (c, lib) = (&f.c, &f.lib);
    let ws = personal_workspace(c).await;
    let empty = bounded(
        10,
        lib.create_collection(c, Some(&ws), Some("  Empty one "), None),
    )
    .await
    .unwrap();
    assert_eq!(empty.name, "Empty one");
    assert!(
        bounded(10, lib.create_collection(c, Some(&ws), Some("   "), None))
            .await
            .is_err()
    );
    let uid = f.new_collection("../Original <b>", 2).await;
    let copy = bounded(10, lib.duplicate_collection(c, &uid, Some(&ws)))
        .await
        .unwrap();
    assert_eq!(copy.name, "../Original <b> (copy)");
    let ia = item_ids(&f.served_collection(&uid).await);
    let ib = item_ids(&f.served_collection(copy.uid.as_deref().unwrap()).await);
    assert_eq!(ia.len(), ib.len());
    assert!(
        ia.iter().all(|id| !ib.contains(id)),
        "a duplicate gets fresh ids"
    );
    let rows = bounded(10, lib.collections(c, Some(&ws), true))
        .await
        .unwrap();
    for name in ["Empty one", "../Original <b>", "../Original <b> (copy)"] {
        assert!(rows.iter().any(|r| r.name == name), "{name} listed");
    }

    // Export: a safe file name in the chosen folder, never overwriting, importable again.
    let out = tmpdir("lifecycle-out");
    let p1 = bounded(10, lib.export_collection(c, &uid, &out))
        .await
        .unwrap();
    let p2 = bounded(10, lib.export_collection(c, &uid, &out))
        .await
        .unwrap();
    assert!(
        p1.ends_with("_Original _b_.postman_collection.json"),
        "{p1}"
    );
    assert!(
        p2.ends_with("_Original _b_ (2).postman_collection.json"),
        "{p2}"
    );
    assert!(std::path::Path::new(&p1).parent().unwrap() == out);
    let text = std::fs::read_to_string(&p1).unwrap();
    let exported: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(exported["info"]["schema"], SCHEMA);
    assert!(exported["info"].get("updatedAt").is_none());
    let again = bounded(
        10,
        lib.create_collection(c, Some(&ws), Some("Reimported"), Some(&text)),
    )
    .await
    .unwrap();
    assert_eq!(again.name, "Reimported");

    // Import errors are clear and create nothing.
    let n = f.calls();
    for bad in ["{\"info\": {\"name\": \"x\"", "[1, 2]", "{\"info\": {\"name\": \"x\", \"schema\": \"https://schema.getpostman.com/json/collection/v2.0.0/collection.json\"}, \"item\": []}"] {
        assert!(bounded(10, lib.create_collection(c, Some(&ws), None, Some(bad))).await.is_err(), "{bad}");
    }
    assert_eq!(f.calls(), n, "an invalid import sends nothing");

    // Delete needs the exact name.
    let wrong = bounded(10, lib.delete_collection(c, &uid, "../original <b>"))
        .await
        .unwrap_err();
    assert!(IpcError::from(wrong)
        .message
        .contains("nothing was deleted"));
    bounded(10, lib.delete_collection(c, &uid, "../Original <b>"))
        .await
        .unwrap();
    let (status, _) = raw(&f.sb, "GET", &format!("/collections/{uid}"), Value::Null).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn environments_keep_secrets_and_unmodelled_fields() {
    let f = Fixture::new("env").await;
    let ws = personal_workspace(&f.c).await;
    let import = json!({"name": "Staging", "values": [
        {"key": "baseUrl", "value": "https://staging.test", "type": "default", "enabled": true},
        {"key": "token", "value": "s3cr3t-value", "type": "secret", "enabled": true}
    ], "_postman_variable_scope": "environment"});
    let made = bounded(
        10,
        f.lib
            .create_environment(&f.c, Some(&ws), None, Some(&import.to_string())),
    )
    .await
    .unwrap();
    assert_eq!(made.name, "Staging");
    let rows = bounded(10, f.lib.environments(&f.c, Some(&ws), false))
        .await
        .unwrap();
    assert!(rows.iter().any(|r| r.id == made.id));
    let v = f.open_environment(&made.id).await;
    assert_eq!(v.values[1].kind, EnvVarType::Secret);

    // Change a value, add a variable, rename: the draft survives a restart, then saves.
    let mut values = v.values.clone();
    values[1].value = "rotated".into();
    values.push(EnvVariable {
        key: "region".into(),
        value: "eu".into(),
        kind: EnvVarType::Default,
        enabled: false,
        description: "EU only".into(),
    });
    let too_long = EnvVariable {
        description: "x".repeat(513),
        ..values[2].clone()
    };
    assert!(f
        .lib
        .edit_environment(&made.id, "Staging", &[too_long])
        .is_err());
    assert!(f.lib.edit_environment(&made.id, "  ", &values).is_err());
    f.lib
        .edit_environment(&made.id, "Staging EU", &values)
        .unwrap();
    let f = f.restart();
    let v = f.open_environment(&made.id).await;
    assert_eq!(v.name, "Staging EU");
    assert!(v.draft_saved_at_ms.is_some());
    let out = f.save(DraftKind::Environment, &made.id, false).await;
    assert_saved(&out.unwrap(), SaveMethod::Put);
    let env = f.served_environment(&made.id).await;
    assert_eq!(env["name"], "Staging EU");
    assert_eq!(env["values"][1]["value"], "rotated");
    assert_eq!(env["values"][1]["type"], "secret");
    assert_eq!(env["values"][2]["enabled"], false);

    // A value-only edit is a PATCH.
    let v = f.open_environment(&made.id).await;
    let mut values = v.values.clone();
    values[0].value = "https://staging2.test".into();
    f.lib.edit_environment(&made.id, &v.name, &values).unwrap();
    let out = f.save(DraftKind::Environment, &made.id, false).await;
    assert_saved(&out.unwrap(), SaveMethod::Patch);

    // Export writes the Postman environment format; delete needs the exact name.
    let out_dir = tmpdir("env-out");
    let p = bounded(10, f.lib.export_environment(&f.c, &made.id, &out_dir))
        .await
        .unwrap();
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
    assert_eq!(file["_postman_variable_scope"], "environment");
    assert_eq!(file["values"][0]["value"], "https://staging2.test");
    assert!(
        bounded(10, f.lib.delete_environment(&f.c, &made.id, "staging eu"))
            .await
            .is_err()
    );
    bounded(10, f.lib.delete_environment(&f.c, &made.id, "Staging EU"))
        .await
        .unwrap();
    let path = format!("/environments/{}", made.id);
    let (status, _) = raw(&f.sb, "GET", &path, Value::Null).await;
    assert!(status == 404 || status == 400, "{status}");
}
