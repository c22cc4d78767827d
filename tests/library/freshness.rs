//! Freshness: every list and document says where its data comes from; a refresh that fails
//! keeps the copy shown, says why and how old it is, and never passes it off as new.

use serde_json::json;

use super::common::{self, add_fault, advance_clock, bounded, clear_faults, personal_workspace};
use super::saving::assert_saved;
use super::Fixture;
use postdesk_drafts::{DraftKind, SaveMethod};
use postdesk_library::CollectionEdit;

#[tokio::test]
async fn a_failed_refresh_says_why_and_how_old_the_copy_is() {
    let f = Fixture::new("freshness").await;
    let uid = f.new_collection("Dated", 2).await;
    // The sandbox's clock runs (from a pinned start): times are read off it around each call.
    let before = f.sb.clock().now_ms() as f64;

    let list = bounded(10, f.lib().collections(&f.c, None, true))
        .await
        .unwrap();
    let at = list.source.fetched_at;
    assert!(at >= before && at < before + 5_000.0, "{at} vs {before}");
    assert_eq!(
        (list.source.from_cache, &list.source.failure),
        (false, &None)
    );
    let view = bounded(10, f.lib().open_collection(&f.c, &uid, true))
        .await
        .unwrap();
    let source = view.source.expect("opened from the server");
    assert!(
        source.fetched_at >= at && source.failure.is_none(),
        "{source:?}"
    );
    let opened_at = source.fetched_at;

    let workspaces = bounded(10, f.lib().workspaces(&f.c, false)).await.unwrap();
    assert_eq!(workspaces.source.failure, None);

    // Ten minutes later Postman answers 503: the list and the document stay, each saying
    // that the refresh failed, why, and from when the copy shown is.
    advance_clock(&f.sb, 600_000).await;
    add_fault(&f.sb, "*", json!({"status": 503})).await;
    let list = bounded(10, f.lib().collections(&f.c, None, true))
        .await
        .unwrap();
    assert!(list.rows.iter().any(|r| r.uid == uid));
    assert_eq!(list.source.fetched_at, at, "the copy's own time, not now");
    let why = list.source.failure.expect("the failure is said");
    assert!(
        why.contains("503") || why.to_lowercase().contains("unavailable"),
        "{why}"
    );
    let view = bounded(10, f.lib().open_collection(&f.c, &uid, true))
        .await
        .expect("the open copy stays");
    let source = view.source.expect("dated");
    assert_eq!(source.fetched_at, opened_at, "the copy's own time");
    assert!(source.failure.is_some(), "{source:?}");
    let workspaces = bounded(10, f.lib().workspaces(&f.c, true)).await.unwrap();
    assert!(
        workspaces.source.failure.is_some(),
        "{:?}",
        workspaces.source
    );
    // With no copy to show, a failed read is an error.
    let none = f.lib().environments(&f.c, Some("no-such-workspace"), true);
    assert!(bounded(10, none).await.is_err());

    // Once Postman answers again, a refresh is new and says so.
    clear_faults(&f.sb).await;
    let list = bounded(10, f.lib().collections(&f.c, None, true))
        .await
        .unwrap();
    assert!(
        list.source.fetched_at >= at + 600_000.0,
        "{:?}",
        list.source
    );
    assert_eq!(list.source.failure, None);
    let view = bounded(10, f.lib().open_collection(&f.c, &uid, true))
        .await
        .unwrap();
    assert_eq!(view.source.unwrap().failure, None);
    f.finish().await;
}

#[tokio::test]
async fn a_refresh_of_a_document_gone_from_the_server_is_an_error() {
    let f = Fixture::new("freshness-gone").await;
    let uid = f.new_collection("Gone soon", 1).await;
    f.open(&uid).await;
    let path = format!("/collections/{uid}");
    super::common::raw_ok(&f.sb, "DELETE", &path, serde_json::Value::Null).await;
    let gone = bounded(10, f.lib().open_collection(&f.c, &uid, true)).await;
    assert!(
        matches!(
            gone,
            Err(postdesk_library::LibraryError::Api(
                postman_client::Error::NotFound { .. }
            ))
        ),
        "{gone:?}"
    );
    f.finish().await;
}

/// A delete whose answer was lost (or a collection someone else deleted): deleting it again is
/// done, not "not found", and its working copy and draft go with it.
#[tokio::test]
async fn deleting_a_collection_already_gone_is_done() {
    let f = Fixture::new("delete-gone").await;
    let uid = f.new_collection("Deleted elsewhere", 1).await;
    f.open(&uid).await;
    f.edit(&uid, super::rename("Renamed before the delete"));
    assert_eq!(f.lib().drafts().unwrap().drafts.len(), 1);
    let path = format!("/collections/{uid}");
    super::common::raw_ok(&f.sb, "DELETE", &path, serde_json::Value::Null).await;
    bounded(
        10,
        f.lib().delete_collection(&f.c, &uid, "Deleted elsewhere"),
    )
    .await
    .expect("done");
    assert!(
        f.lib().drafts().unwrap().drafts.is_empty(),
        "the draft went too"
    );
    assert!(
        f.lib().collection_view(&uid).is_err(),
        "and the working copy"
    );
    f.finish().await;
}

/// A large collection is held once while it is open (by its working copy: the client's cache lets
/// go of its copy), and goes back to the cache when it is closed unchanged: reopening it costs no
/// call, and with Postman unreachable it is the dated copy, as it was before it was opened.
#[tokio::test]
async fn a_large_open_collection_is_held_once_and_given_back_when_closed() {
    let f = Fixture::new("held-once").await;
    let uid = f.new_collection("Large", 10_000).await;
    let before = f.calls();
    let view = f.open(&uid).await;
    assert!(
        view.bytes >= 1024.0 * 1024.0,
        "large enough: {} bytes",
        view.bytes
    );
    assert_eq!(f.calls(), before + 1, "opening it is one call");
    let fetched_at = view.source.expect("read from the server").fetched_at;

    f.lib().close(Some(&f.c), DraftKind::Collection, &uid);
    let again = f.open(&uid).await;
    assert_eq!(f.calls(), before + 1, "reopened from the cache: no call");
    let source = again.source.expect("dated");
    assert!(
        source.from_cache && source.fetched_at == fetched_at,
        "{source:?}"
    );

    // Past the cache's time, Postman unreachable: the copy given back is shown, dated.
    f.lib().close(Some(&f.c), DraftKind::Collection, &uid);
    advance_clock(&f.sb, 600_000).await;
    add_fault(&f.sb, "*", json!({"status": 503})).await;
    let offline = bounded(10, f.lib().open_collection(&f.c, &uid, false))
        .await
        .expect("the dated copy");
    let source = offline.source.expect("dated");
    assert_eq!(source.fetched_at, fetched_at, "{source:?}");
    assert!(source.failure.is_some(), "the failure is said: {source:?}");
    assert_eq!(offline.request_count, view.request_count);
    clear_faults(&f.sb).await;

    // While it is open, the client's cache does not hold it: a read of it is a call.
    let open = f.calls();
    bounded(10, f.c.get_collection(&uid, false, false))
        .await
        .expect("read");
    assert_eq!(f.calls(), open + 1, "not cached while the library holds it");
    f.finish().await;
}

#[tokio::test]
async fn a_small_open_collection_stays_cached_and_its_first_edit_still_saves_as_a_patch() {
    let f = Fixture::new("small-cached").await;
    let uid = f.new_collection("Small", 3).await;
    let before = f.calls();
    let view = f.open(&uid).await;
    assert!(view.bytes < 1024.0 * 1024.0, "{} bytes", view.bytes);
    assert_eq!(f.calls(), before + 1, "opening it is one call");
    // A copy stays in the client's cache: another read of it while it is open costs nothing.
    bounded(10, f.c.get_collection(&uid, false, false))
        .await
        .expect("read");
    assert_eq!(f.calls(), before + 1, "read from the cache");
    // Opened without walking its tree: the digest a save compares with is taken at the first
    // edit, so a change of the collection's own parts is still sent as a PATCH.
    f.edit(
        &uid,
        CollectionEdit::Describe {
            description: "Described".into(),
        },
    );
    assert_saved(&f.save_collection(&uid).await.unwrap(), SaveMethod::Patch);
    f.finish().await;
}

/// A large collection's view is drawn from its outline (what the view reads, parsed first) while
/// the whole document is parsed behind it: the view is the one the whole document gives, and the
/// working copy is the whole document (what the outline leaves out is there for the editor, an
/// edit and a save).
#[tokio::test]
async fn a_large_collection_is_shown_from_its_outline_and_edited_whole() {
    let f = Fixture::new("outline").await;
    let mut doc = common::big_collection("Outlined", true);
    // What the view reads besides the tree, in the shapes the schema allows (the outline's unit
    // tests take shapes it does not).
    doc["info"]["description"] = json!({"content": "About it", "type": "text/markdown"});
    doc["variable"] = json!([{"key": "base", "value": "https://x"}, {"key": "n", "value": 3}]);
    doc["auth"] = json!({"type": "apikey", "apikey": [{"key": "value", "value": "{{k}}"}]});
    doc["event"] = json!([{"listen": "prerequest", "script": {"exec": ["pm.x = 1;"]}}]);
    let folder = &mut doc["item"][0];
    folder["event"] = json!([{"listen": "test", "script": {"exec": "pm.test('t', () => {});"}}]);
    folder["item"].as_array_mut().unwrap().extend([
        json!({"name": "Plain", "request": "https://plain.example.test"}),
        json!({"name": "Blank script", "request": {"method": "put"}, "event": [{"listen": "test", "script": {"exec": ["  "]}}]}),
    ]);
    let ws = personal_workspace(&f.c).await;
    let made = bounded(30, f.c.create_collection(Some(&ws), doc))
        .await
        .expect("created");
    let uid = made.uid.expect("uid");

    let shown = f.open(&uid).await;
    assert!(shown.bytes >= 1024.0 * 1024.0, "{} bytes", shown.bytes);
    assert_eq!(shown.request_count, 10_002);
    assert_eq!(shown.description.as_deref(), Some("About it"));
    assert_eq!(shown.auth.as_deref(), Some("API key"));
    assert_eq!(shown.scripts, ["prerequest"]);
    assert_eq!(shown.items_with_scripts, 1, "a blank script is no script");
    assert_eq!(shown.variables.len(), 2);
    // The whole document's view (it waits for the parse behind the outline).
    let whole = f.lib().collection_view(&uid).expect("open");
    assert_eq!(shown, whole);
    // A tree this large comes in parts: the folders (and folder 0's two requests), and a
    // folder's items when they are asked for, by the key the UI gives its row.
    let top = &shown.tree[0];
    assert_eq!((top.children.len(), top.child_count), (12, 12));
    let sub = &top.children[3];
    assert_eq!(
        (sub.name.as_str(), sub.children.len(), sub.child_count),
        ("Sub 0.3", 0, 100)
    );
    let requests = f.lib().collection_folder(&uid, "0/3").expect("folder");
    assert_eq!(requests.len(), 100);
    assert_eq!(
        (
            requests[7].name.as_str(),
            requests[7].method.as_deref(),
            requests[7].url.as_deref()
        ),
        (
            "Request 0.3.7",
            Some("DELETE"),
            Some("https://api.example.test/v1/folder0/sub3/items/7?page=1")
        )
    );
    assert!(
        requests.iter().all(|r| r.id.is_some()),
        "the server's item ids"
    );
    let refused = f
        .lib()
        .collection_folder(&uid, "0/3/7")
        .expect_err("a request");
    assert!(format!("{refused}").contains("not a folder"), "{refused}");
    assert!(
        f.lib().collection_folder(&uid, "0/99").is_err(),
        "no such folder"
    );
    // What the outline leaves out is in the working copy: the editor's headers and body.
    let request = f.lib().collection_item(&uid, "0/0/0").expect("request");
    assert_eq!(request.headers.len(), 2);
    assert!(request.raw_body.is_some_and(|b| b.contains("hello")));
    // An edit and a save send the whole document back.
    f.edit(
        &uid,
        CollectionEdit::RenameItem {
            path: "0/0/0".into(),
            name: "Renamed".into(),
        },
    );
    f.save_collection(&uid).await.expect("saved");
    let server = bounded(30, f.c.get_collection(&uid, false, true))
        .await
        .expect("read back")
        .data
        .raw;
    assert_eq!(server["item"][0]["item"][0]["item"][0]["name"], "Renamed");
    let headers = &server["item"][0]["item"][0]["item"][0]["request"]["header"];
    assert_eq!(headers.as_array().map(Vec::len), Some(2), "{headers}");
    f.finish().await;
}
