//! Collections: open, edit (the tree, the raw JSON), restart, save by PATCH or PUT, read back
//! through the API.

use postdesk_drafts::{DraftKind, SaveMethod};
use postdesk_library::{CollectionEdit, CollectionVariable, RequestHeader};

use super::common::{bounded, fetch_collection, item_ids};
use super::saving::assert_saved;
use super::{rename, rename_item, Fixture};

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
    let drafts = f.lib().drafts().unwrap().drafts;
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
    let rows = bounded(10, f.lib().collections(&f.c, None, false))
        .await
        .unwrap()
        .rows;
    assert!(rows.iter().any(|r| r.uid == uid && r.has_draft));

    let n = f.calls();
    assert_saved(&f.save_collection(&uid).await.unwrap(), SaveMethod::Put);
    assert_eq!(f.calls() - n, 3, "check + PUT + read-back");
    assert!(
        f.lib().drafts().unwrap().drafts.is_empty(),
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
    let v = f.lib().collection_view(&uid).unwrap();
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
    let detail = f.lib().collection_item(&uid, "1/0").unwrap();
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
async fn raw_json_errors_point_at_the_line_and_change_nothing() {
    let f = Fixture::new("raw").await;
    let uid = f.open_new_collection("Raw", 1).await;
    let text = f.lib().collection_text(&uid).unwrap();
    let n = f.calls();
    // Malformed JSON: a clear error with a position; nothing changes, nothing is sent.
    let broken = text.replacen("\"Root request\"", "\"Root request\",,", 1);
    let out = f.lib().set_collection_text(&uid, &broken).unwrap();
    assert!(out.view.is_none());
    assert!(out.errors[0].line > 1, "{:?}", out.errors);
    // Valid JSON that breaks the schema: the path is named.
    let wrong = text.replacen("\"POST\"", "7", 1);
    let out = f.lib().set_collection_text(&uid, &wrong).unwrap();
    assert!(
        out.errors.iter().any(|e| e.path.contains("method")),
        "{:?}",
        out.errors
    );
    assert_eq!(
        f.lib().collection_view(&uid).unwrap().draft_saved_at_ms,
        None,
        "no draft from an invalid text"
    );
    assert_eq!(f.calls(), n, "nothing sent");
    // A valid edit applies.
    let ok = text.replacen("\"Root request\"", "\"Edited in raw mode\"", 1);
    let out = f.lib().set_collection_text(&uid, &ok).unwrap();
    assert!(out.errors.is_empty());
    assert_eq!(out.view.unwrap().tree[1].name, "Edited in raw mode");
}
