//! The Collections and Environments domain (`library`) against the in-process sandbox over
//! loopback: open → edit → restart → save → verified through the API; PATCH for info-only
//! edits; conflicts; failures keep the draft; raw JSON; create/import/duplicate/export/delete;
//! environments with secrets. Every wait is bounded.

use std::time::Duration;

use postdesk_drafts::{DraftKind, SaveMethod, SaveOutcome, SaveProgress};
use postdesk_library::{
    CollectionEdit, CollectionVariable, EnvVarType, EnvVariable, Library, RequestHeader,
};
use postman_client::Client;
use postman_sandbox::{Limits, Sandbox};
use serde_json::{json, Value};

mod common;
use common::{advance, bounded, client as client_with, item_ids, raw_key, tmpdir, SCHEMA};

async fn sandbox() -> Sandbox {
    common::sandbox(Limits::lifted(), Duration::from_millis(200)).await
}

fn client(sb: &Sandbox) -> Client {
    client_with(sb, 1)
}

/// A call to the sandbox as another app would make it (or `/_sandbox/` admin).
async fn raw(sb: &Sandbox, method: &str, path: &str, body: Value) -> (u16, Value) {
    let c = reqwest::Client::new();
    let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = c
        .request(m, format!("{}{}", sb.url(), path))
        .header("x-api-key", raw_key(sb))
        .header("x-sandbox-token", sb.admin_token().expose());
    if !body.is_null() {
        req = req.json(&body);
    }
    let r = bounded(10, req.send()).await.expect("call");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn personal_workspace(c: &Client) -> String {
    let ws = bounded(10, c.get_all_workspaces(Some("personal"), false))
        .await
        .expect("workspaces");
    ws[0].id.0.clone()
}

/// A collection with a folder of `n` requests and one root request; returns its uid.
async fn new_collection(c: &Client, lib: &Library, name: &str, n: usize) -> String {
    let items: Vec<Value> = (0..n)
        .map(|i| json!({"name": format!("Request {i}"), "request": {"method": "GET", "url": format!("https://echo.test/get?i={i}")}}))
        .collect();
    let doc = json!({"info": {"name": name, "schema": SCHEMA},
        "item": [{"name": "Folder", "item": items}, {"name": "Root request", "request": {"method": "POST", "url": "https://echo.test/post"}}]});
    let ws = personal_workspace(c).await;
    let made = bounded(
        10,
        lib.create_collection(c, Some(&ws), None, Some(&doc.to_string())),
    )
    .await
    .expect("created");
    made.uid.expect("uid")
}

fn calls(c: &Client) -> usize {
    c.activity().len()
}

fn quiet() -> impl FnMut(SaveProgress) + Send {
    |_| {}
}

#[tokio::test]
async fn edit_restart_save_and_reload_through_the_api() {
    let sb = sandbox().await;
    let c = client(&sb);
    let dir = tmpdir("roundtrip");
    let lib = Library::new(&dir, sb.clock()).unwrap();
    let uid = new_collection(&c, &lib, "Orders API", 3).await;

    let before = calls(&c);
    let view = bounded(10, lib.open_collection(&c, &uid, false))
        .await
        .unwrap();
    assert_eq!(calls(&c) - before, 1, "opening costs one call");
    assert_eq!((view.request_count, view.folder_count), (4, 1));
    assert_eq!(view.draft_saved_at_ms, None);
    let mut ids_before = Vec::new();
    item_ids(
        &bounded(10, c.get_collection(&uid, false, true))
            .await
            .unwrap()
            .data
            .raw,
        &mut ids_before,
    );
    let before = calls(&c);

    // Rename a request and add a variable: each edit is on disk before the call returns.
    let v = lib
        .edit_collection(
            &uid,
            &CollectionEdit::RenameItem {
                path: "0/1".into(),
                name: "<img src=x onerror=alert(1)> renamed".into(),
            },
        )
        .unwrap();
    assert!(v.draft_saved_at_ms.is_some());
    lib.edit_collection(
        &uid,
        &CollectionEdit::SetVariables {
            variables: vec![CollectionVariable {
                key: "baseUrl".into(),
                value: "https://echo.test".into(),
                disabled: false,
            }],
        },
    )
    .unwrap();
    assert_eq!(calls(&c), before, "edits cost no call");

    // "Restart": a new library over the same folder finds the draft and opens it without a call.
    drop(lib);
    let lib = Library::new(&dir, sb.clock()).unwrap();
    let drafts = lib.drafts().unwrap().drafts;
    assert_eq!(drafts.len(), 1);
    assert_eq!(
        (drafts[0].kind, drafts[0].id.as_str()),
        (DraftKind::Collection, uid.as_str())
    );
    let n = calls(&c);
    let v = bounded(10, lib.open_collection(&c, &uid, false))
        .await
        .unwrap();
    assert_eq!(calls(&c), n, "a restored draft opens without a call");
    assert_eq!(
        v.tree[0].children[1].name,
        "<img src=x onerror=alert(1)> renamed"
    );
    let rows = bounded(10, lib.collections(&c, None, false)).await.unwrap();
    assert!(rows.iter().any(|r| r.uid == uid && r.has_draft));

    let n = calls(&c);
    let out = bounded(
        20,
        lib.save(&c, DraftKind::Collection, &uid, false, &mut quiet()),
    )
    .await
    .unwrap();
    assert!(
        matches!(
            out,
            SaveOutcome::Saved {
                method: SaveMethod::Put,
                ..
            }
        ),
        "{out:?}"
    );
    assert_eq!(calls(&c) - n, 3, "check + PUT + read-back");
    assert!(
        lib.drafts().unwrap().drafts.is_empty(),
        "the draft is gone once saved"
    );

    // Reload through the API: the rename and the variable are there, item ids unchanged.
    let (status, body) = raw(&sb, "GET", &format!("/collections/{uid}"), Value::Null).await;
    assert_eq!(status, 200);
    let col = &body["collection"];
    assert_eq!(
        col["item"][0]["item"][1]["name"],
        "<img src=x onerror=alert(1)> renamed"
    );
    assert_eq!(col["variable"][0]["key"], "baseUrl");
    let mut ids_after = Vec::new();
    item_ids(col, &mut ids_after);
    assert_eq!(ids_after, ids_before, "PUT keeps every item id");
    let v = bounded(10, lib.open_collection(&c, &uid, false))
        .await
        .unwrap();
    assert_eq!(v.draft_saved_at_ms, None);
    assert_eq!(v.variables.len(), 1);
}

#[tokio::test]
async fn info_only_edit_is_a_patch_and_tree_edits_keep_the_rest() {
    let sb = sandbox().await;
    let c = client(&sb);
    let lib = Library::new(&tmpdir("patch"), sb.clock()).unwrap();
    let uid = new_collection(&c, &lib, "Billing", 2).await;
    bounded(10, lib.open_collection(&c, &uid, false))
        .await
        .unwrap();
    lib.edit_collection(
        &uid,
        &CollectionEdit::Rename {
            name: "Billing v2".into(),
        },
    )
    .unwrap();
    lib.edit_collection(
        &uid,
        &CollectionEdit::Describe {
            description: "Invoices & refunds".into(),
        },
    )
    .unwrap();
    let out = bounded(
        20,
        lib.save(&c, DraftKind::Collection, &uid, false, &mut quiet()),
    )
    .await
    .unwrap();
    assert!(
        matches!(
            out,
            SaveOutcome::Saved {
                method: SaveMethod::Patch,
                ..
            }
        ),
        "{out:?}"
    );
    // The working copy stays open after a PATCH: the next save is based on the new updatedAt.
    let v = lib.collection_view(&uid).unwrap();
    assert_eq!(v.name, "Billing v2");
    assert_eq!(v.draft_saved_at_ms, None);

    // Tree edits: add a folder, a request in it, move the root request into it, set its basics.
    lib.edit_collection(
        &uid,
        &CollectionEdit::AddFolder {
            parent: None,
            name: "Refunds".into(),
        },
    )
    .unwrap();
    lib.edit_collection(
        &uid,
        &CollectionEdit::AddRequest {
            parent: Some("2".into()),
            name: "Create refund".into(),
            method: "post".into(),
            url: "{{baseUrl}}/refunds".into(),
        },
    )
    .unwrap();
    let v = lib
        .edit_collection(
            &uid,
            &CollectionEdit::MoveItem {
                from: "1".into(),
                to_parent: Some("2".into()),
                index: 0,
            },
        )
        .unwrap();
    assert_eq!(v.tree.len(), 2);
    assert_eq!(
        v.tree[1]
            .children
            .iter()
            .map(|n| n.name.as_str())
            .collect::<Vec<_>>(),
        ["Root request", "Create refund"]
    );
    lib.edit_collection(
        &uid,
        &CollectionEdit::SetRequest {
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
    )
    .unwrap();
    let detail = lib.collection_item(&uid, "1/0").unwrap();
    assert_eq!(
        (detail.method.as_str(), detail.url.as_str()),
        ("PUT", "https://echo.test/put")
    );
    let out = bounded(
        20,
        lib.save(&c, DraftKind::Collection, &uid, false, &mut quiet()),
    )
    .await
    .unwrap();
    assert!(
        matches!(
            out,
            SaveOutcome::Saved {
                method: SaveMethod::Put,
                ..
            }
        ),
        "{out:?}"
    );
    let (_, body) = raw(&sb, "GET", &format!("/collections/{uid}"), Value::Null).await;
    let moved = &body["collection"]["item"][1]["item"][0];
    assert_eq!(moved["name"], "Root request");
    assert_eq!(moved["request"]["method"], "PUT");
    assert_eq!(moved["request"]["body"]["raw"], "{\"amount\": 5}");
    assert_eq!(
        body["collection"]["info"]["description"],
        "Invoices & refunds"
    );
}

#[tokio::test]
async fn a_concurrent_change_shows_a_conflict_then_keep_mine_or_take_theirs() {
    let sb = sandbox().await;
    let c = client(&sb);
    let lib = Library::new(&tmpdir("conflict"), sb.clock()).unwrap();
    let uid = new_collection(&c, &lib, "Shared", 1).await;
    bounded(10, lib.open_collection(&c, &uid, false))
        .await
        .unwrap();
    lib.edit_collection(
        &uid,
        &CollectionEdit::RenameItem {
            path: "1".into(),
            name: "Mine".into(),
        },
    )
    .unwrap();
    // Someone else renames the collection meanwhile, a few seconds later.
    advance(&sb, 5_000).await;
    let (status, _) = raw(
        &sb,
        "PATCH",
        &format!("/collections/{uid}"),
        json!({"collection": {"info": {"name": "Theirs"}}}),
    )
    .await;
    assert_eq!(status, 200);
    let out = bounded(
        20,
        lib.save(&c, DraftKind::Collection, &uid, false, &mut quiet()),
    )
    .await
    .unwrap();
    let SaveOutcome::Conflict { mine, theirs } = out else {
        panic!("expected a conflict: {out:?}")
    };
    assert_eq!(mine["item"][1]["name"], "Mine");
    assert_eq!(theirs["info"]["name"], "Theirs");
    assert_eq!(lib.drafts().unwrap().drafts.len(), 1, "the draft is kept");
    let (_, body) = raw(&sb, "GET", &format!("/collections/{uid}"), Value::Null).await;
    assert_eq!(
        body["collection"]["item"][1]["name"], "Root request",
        "nothing was written"
    );

    // Keep mine: overwrites on purpose.
    let out = bounded(
        20,
        lib.save(&c, DraftKind::Collection, &uid, true, &mut quiet()),
    )
    .await
    .unwrap();
    assert!(matches!(out, SaveOutcome::Saved { .. }), "{out:?}");
    let (_, body) = raw(&sb, "GET", &format!("/collections/{uid}"), Value::Null).await;
    assert_eq!(body["collection"]["item"][1]["name"], "Mine");

    // Take theirs: discard drops the draft and the next open shows the server's version.
    bounded(10, lib.open_collection(&c, &uid, false))
        .await
        .unwrap();
    lib.edit_collection(
        &uid,
        &CollectionEdit::Rename {
            name: "Local only".into(),
        },
    )
    .unwrap();
    lib.discard(DraftKind::Collection, &uid).unwrap();
    assert!(lib.drafts().unwrap().drafts.is_empty());
    let v = bounded(10, lib.open_collection(&c, &uid, false))
        .await
        .unwrap();
    assert_ne!(v.name, "Local only");
}

#[tokio::test]
async fn a_failed_save_keeps_the_draft_and_a_retry_succeeds() {
    let sb = sandbox().await;
    let c = client(&sb);
    let dir = tmpdir("failure");
    let lib = Library::new(&dir, sb.clock()).unwrap();
    let uid = new_collection(&c, &lib, "Flaky", 1).await;
    bounded(10, lib.open_collection(&c, &uid, false))
        .await
        .unwrap();
    lib.edit_collection(&uid, &CollectionEdit::DeleteItem { path: "0/0".into() })
        .unwrap();
    raw(
        &sb,
        "POST",
        "/_sandbox/faults",
        json!({"route": "PUT /collections/{id}", "status": 503}),
    )
    .await;
    let err = bounded(
        20,
        lib.save(&c, DraftKind::Collection, &uid, false, &mut quiet()),
    )
    .await
    .unwrap_err();
    let ipc = postdesk_base::IpcError::from(err);
    assert!(
        ipc.message.contains("Your draft is kept"),
        "{}",
        ipc.message
    );
    assert_eq!(lib.drafts().unwrap().drafts.len(), 1);
    assert!(lib
        .collection_view(&uid)
        .unwrap()
        .draft_saved_at_ms
        .is_some());
    raw(&sb, "DELETE", "/_sandbox/faults", Value::Null).await;
    let out = bounded(
        20,
        lib.save(&c, DraftKind::Collection, &uid, false, &mut quiet()),
    )
    .await
    .unwrap();
    assert!(matches!(out, SaveOutcome::Saved { .. }));
    let (_, body) = raw(&sb, "GET", &format!("/collections/{uid}"), Value::Null).await;
    assert_eq!(
        body["collection"]["item"][0]["item"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[tokio::test]
async fn raw_json_errors_point_at_the_line_and_change_nothing() {
    let sb = sandbox().await;
    let c = client(&sb);
    let lib = Library::new(&tmpdir("raw"), sb.clock()).unwrap();
    let uid = new_collection(&c, &lib, "Raw", 1).await;
    bounded(10, lib.open_collection(&c, &uid, false))
        .await
        .unwrap();
    let text = lib.collection_text(&uid).unwrap();
    let n = calls(&c);
    // Malformed JSON: a clear error with a position; nothing changes, nothing is sent.
    let broken = text.replacen("\"Root request\"", "\"Root request\",,", 1);
    let out = lib.set_collection_text(&uid, &broken).unwrap();
    assert!(out.view.is_none());
    assert!(out.errors[0].line > 1, "{:?}", out.errors);
    // Valid JSON that breaks the schema: the path is named.
    let wrong = text.replacen("\"POST\"", "7", 1);
    let out = lib.set_collection_text(&uid, &wrong).unwrap();
    assert!(
        out.errors.iter().any(|e| e.path.contains("method")),
        "{:?}",
        out.errors
    );
    assert_eq!(
        lib.collection_view(&uid).unwrap().draft_saved_at_ms,
        None,
        "no draft from an invalid text"
    );
    assert_eq!(calls(&c), n, "nothing sent");
    // A valid edit applies.
    let ok = text.replacen("\"Root request\"", "\"Edited in raw mode\"", 1);
    let out = lib.set_collection_text(&uid, &ok).unwrap();
    assert!(out.errors.is_empty());
    assert_eq!(out.view.unwrap().tree[1].name, "Edited in raw mode");
}

#[tokio::test]
async fn create_import_duplicate_export_and_delete_by_name() {
    let sb = sandbox().await;
    let c = client(&sb);
    let dir = tmpdir("lifecycle");
    let lib = Library::new(&dir, sb.clock()).unwrap();
    let ws = personal_workspace(&c).await;
    let empty = bounded(
        10,
        lib.create_collection(&c, Some(&ws), Some("  Empty one "), None),
    )
    .await
    .unwrap();
    assert_eq!(empty.name, "Empty one");
    assert!(
        bounded(10, lib.create_collection(&c, Some(&ws), Some("   "), None))
            .await
            .is_err()
    );
    let uid = new_collection(&c, &lib, "../Original <b>", 2).await;
    let copy = bounded(10, lib.duplicate_collection(&c, &uid, Some(&ws)))
        .await
        .unwrap();
    assert_eq!(copy.name, "../Original <b> (copy)");
    let (_, a) = raw(&sb, "GET", &format!("/collections/{uid}"), Value::Null).await;
    let (_, b) = raw(
        &sb,
        "GET",
        &format!("/collections/{}", copy.uid.clone().unwrap()),
        Value::Null,
    )
    .await;
    let (mut ia, mut ib) = (Vec::new(), Vec::new());
    item_ids(&a["collection"], &mut ia);
    item_ids(&b["collection"], &mut ib);
    assert_eq!(ia.len(), ib.len());
    assert!(
        ia.iter().all(|id| !ib.contains(id)),
        "a duplicate gets fresh ids"
    );
    let rows = bounded(10, lib.collections(&c, Some(&ws), true))
        .await
        .unwrap();
    for name in ["Empty one", "../Original <b>", "../Original <b> (copy)"] {
        assert!(rows.iter().any(|r| r.name == name), "{name} listed");
    }

    // Export: a safe file name in the chosen folder, never overwriting, importable again.
    let out = tmpdir("lifecycle-out");
    let p1 = bounded(10, lib.export_collection(&c, &uid, &out))
        .await
        .unwrap();
    let p2 = bounded(10, lib.export_collection(&c, &uid, &out))
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
        lib.create_collection(&c, Some(&ws), Some("Reimported"), Some(&text)),
    )
    .await
    .unwrap();
    assert_eq!(again.name, "Reimported");

    // Import errors are clear and create nothing.
    let n = calls(&c);
    for bad in ["{\"info\": {\"name\": \"x\"", "[1, 2]", "{\"info\": {\"name\": \"x\", \"schema\": \"https://schema.getpostman.com/json/collection/v2.0.0/collection.json\"}, \"item\": []}"] {
        assert!(bounded(10, lib.create_collection(&c, Some(&ws), None, Some(bad))).await.is_err(), "{bad}");
    }
    assert_eq!(calls(&c), n, "an invalid import sends nothing");

    // Delete needs the exact name.
    let wrong = bounded(10, lib.delete_collection(&c, &uid, "../original <b>"))
        .await
        .unwrap_err();
    assert!(postdesk_base::IpcError::from(wrong)
        .message
        .contains("nothing was deleted"));
    bounded(10, lib.delete_collection(&c, &uid, "../Original <b>"))
        .await
        .unwrap();
    let (status, _) = raw(&sb, "GET", &format!("/collections/{uid}"), Value::Null).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn environments_keep_secrets_and_unmodelled_fields() {
    let sb = sandbox().await;
    let c = client(&sb);
    let dir = tmpdir("env");
    let lib = Library::new(&dir, sb.clock()).unwrap();
    let ws = personal_workspace(&c).await;
    let import = json!({"name": "Staging", "values": [
        {"key": "baseUrl", "value": "https://staging.test", "type": "default", "enabled": true},
        {"key": "token", "value": "s3cr3t-value", "type": "secret", "enabled": true}
    ], "_postman_variable_scope": "environment"});
    let made = bounded(
        10,
        lib.create_environment(&c, Some(&ws), None, Some(&import.to_string())),
    )
    .await
    .unwrap();
    assert_eq!(made.name, "Staging");
    let rows = bounded(10, lib.environments(&c, Some(&ws), false))
        .await
        .unwrap();
    assert!(rows.iter().any(|r| r.id == made.id));
    let v = bounded(10, lib.open_environment(&c, &made.id, false))
        .await
        .unwrap();
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
    assert!(lib
        .edit_environment(&made.id, "Staging", &[too_long])
        .is_err());
    assert!(lib.edit_environment(&made.id, "  ", &values).is_err());
    lib.edit_environment(&made.id, "Staging EU", &values)
        .unwrap();
    drop(lib);
    let lib = Library::new(&dir, sb.clock()).unwrap();
    let v = bounded(10, lib.open_environment(&c, &made.id, false))
        .await
        .unwrap();
    assert_eq!(v.name, "Staging EU");
    assert!(v.draft_saved_at_ms.is_some());
    let out = bounded(
        20,
        lib.save(&c, DraftKind::Environment, &made.id, false, &mut quiet()),
    )
    .await
    .unwrap();
    assert!(
        matches!(
            out,
            SaveOutcome::Saved {
                method: SaveMethod::Put,
                ..
            }
        ),
        "{out:?}"
    );
    let (_, body) = raw(
        &sb,
        "GET",
        &format!("/environments/{}", made.id),
        Value::Null,
    )
    .await;
    let env = &body["environment"];
    assert_eq!(env["name"], "Staging EU");
    assert_eq!(env["values"][1]["value"], "rotated");
    assert_eq!(env["values"][1]["type"], "secret");
    assert_eq!(env["values"][2]["enabled"], false);

    // A value-only edit is a PATCH.
    let v = bounded(10, lib.open_environment(&c, &made.id, false))
        .await
        .unwrap();
    let mut values = v.values.clone();
    values[0].value = "https://staging2.test".into();
    lib.edit_environment(&made.id, &v.name, &values).unwrap();
    let out = bounded(
        20,
        lib.save(&c, DraftKind::Environment, &made.id, false, &mut quiet()),
    )
    .await
    .unwrap();
    assert!(
        matches!(
            out,
            SaveOutcome::Saved {
                method: SaveMethod::Patch,
                ..
            }
        ),
        "{out:?}"
    );

    // Export writes the Postman environment format; delete needs the exact name.
    let out_dir = tmpdir("env-out");
    let p = bounded(10, lib.export_environment(&c, &made.id, &out_dir))
        .await
        .unwrap();
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
    assert_eq!(file["_postman_variable_scope"], "environment");
    assert_eq!(file["values"][0]["value"], "https://staging2.test");
    assert!(
        bounded(10, lib.delete_environment(&c, &made.id, "staging eu"))
            .await
            .is_err()
    );
    bounded(10, lib.delete_environment(&c, &made.id, "Staging EU"))
        .await
        .unwrap();
    let (status, _) = raw(
        &sb,
        "GET",
        &format!("/environments/{}", made.id),
        Value::Null,
    )
    .await;
    assert!(status == 404 || status == 400, "{status}");
}
