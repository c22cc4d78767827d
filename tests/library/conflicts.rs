//! When a save cannot simply go through: a concurrent change (keep mine or take theirs) and a
//! server failure (the draft is kept, a retry succeeds).

use postdesk_base::IpcError;
use postdesk_drafts::{DraftKind, SaveOutcome};
use postdesk_library::CollectionEdit;
use serde_json::json;

use super::common::{add_fault, advance_clock, clear_faults, raw};
use super::saving::expect_conflict;
use super::{rename, rename_item, Fixture};

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
    assert_eq!(
        f.lib().drafts().unwrap().drafts.len(),
        1,
        "the draft is kept"
    );
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
    f.lib().discard(DraftKind::Collection, &uid).unwrap();
    assert!(f.lib().drafts().unwrap().drafts.is_empty());
    assert_ne!(f.open(&uid).await.name, "Local only");
}

#[tokio::test]
async fn a_failed_save_keeps_the_draft_and_a_retry_succeeds() {
    let f = Fixture::new("failure").await;
    let uid = f.open_new_collection("Flaky", 1).await;
    f.edit(&uid, CollectionEdit::DeleteItem { path: "0/0".into() });
    add_fault(&f.sb, "PUT /collections/{id}", json!({"status": 503})).await;
    let err = f.save_collection(&uid).await.unwrap_err();
    let ipc = IpcError::from(err);
    assert!(
        ipc.message.contains("Your draft is kept"),
        "{}",
        ipc.message
    );
    assert_eq!(f.lib().drafts().unwrap().drafts.len(), 1);
    assert!(f
        .lib()
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
