//! Each account's work stays its own: a document open with unsaved edits under one account is
//! neither shown nor saved under another, its draft waits on disk and comes back with its
//! account; drafts kept before accounts were told apart go to the first account.

use postdesk_base::Account;
use postdesk_drafts::{DraftKind, SaveOutcome};
use postdesk_library::LibraryError;

use super::common::bounded;
use super::{rename, Fixture};

fn taylor() -> Account {
    Account::new("sandbox", "1", "taylor-lee on the built-in sandbox")
}

fn sam() -> Account {
    Account::new("sandbox", "2", "sam-rivera on the built-in sandbox")
}

/// Unsaved edits of one account are invisible to the other, and back with their account.
#[tokio::test]
async fn another_accounts_draft_is_hidden_refused_and_comes_back() {
    let f = Fixture::new("accounts").await;
    f.lib().set_account(taylor());
    let uid = f.open_new_collection("Taylor's draft", 1).await;
    f.edit(&uid, rename("Taylor's draft, edited"));
    let clean = f.new_collection("Opened, not edited", 1).await;
    f.open(&clean).await;

    f.lib().set_account(sam());
    assert!(
        f.lib().drafts().unwrap().drafts.is_empty(),
        "Sam sees no draft of Taylor's"
    );
    let rows = bounded(10, f.lib().collections(&f.c, None, false))
        .await
        .unwrap()
        .rows;
    let row = rows.iter().find(|r| r.uid == uid).expect("listed");
    assert!(
        !row.has_draft,
        "the list does not mark Taylor's draft for Sam"
    );
    let refused = f.lib().collection_view(&uid).unwrap_err();
    assert!(
        matches!(&refused, LibraryError::OtherAccount { account, .. } if account.contains("taylor-lee")),
        "{refused:?}"
    );
    assert!(
        refused
            .to_string()
            .contains("make that account's key active"),
        "{refused}"
    );
    let save = f.save_collection(&uid).await.unwrap_err();
    assert!(
        matches!(save, LibraryError::OtherAccount { .. }),
        "{save:?}"
    );
    assert!(
        matches!(
            f.lib().edit_collection(&uid, &rename("Sam's edit")),
            Err(LibraryError::OtherAccount { .. })
        ),
        "no edit either"
    );
    assert!(
        matches!(
            f.lib().collection_view(&clean),
            Err(LibraryError::NotOpen { .. })
        ),
        "a clean working copy of Taylor's was closed"
    );

    f.lib().set_account(taylor());
    let drafts = f.lib().drafts().unwrap().drafts;
    assert_eq!(drafts.len(), 1);
    assert_eq!(
        (drafts[0].kind, drafts[0].id.as_str()),
        (DraftKind::Collection, uid.as_str())
    );
    assert_eq!(
        f.lib().collection_view(&uid).unwrap().name,
        "Taylor's draft, edited"
    );
    assert!(matches!(
        f.save_collection(&uid).await.unwrap(),
        SaveOutcome::Saved { .. }
    ));
    assert_eq!(
        f.served_collection(&uid).await["info"]["name"],
        "Taylor's draft, edited"
    );
}

/// The draft of each account survives a restart in its own folder and opens only for it.
#[tokio::test]
async fn drafts_are_filed_per_account_across_a_restart() {
    let f = Fixture::new("accounts-restart").await;
    f.lib().set_account(taylor());
    let uid = f.open_new_collection("Shared collection", 1).await;
    f.edit(&uid, rename("Taylor's name for it"));
    f.lib().set_account(sam());
    f.open(&uid).await;
    f.edit(&uid, rename("Sam's name for it"));

    let f = f.restart();
    for (account, name) in [
        (sam(), "Sam's name for it"),
        (taylor(), "Taylor's name for it"),
    ] {
        f.lib().set_account(account.clone());
        assert_eq!(f.lib().drafts().unwrap().drafts.len(), 1);
        assert_eq!(f.open(&uid).await.name, name, "{account}'s own draft");
        assert!(f.dir.join("drafts").join(account.slug()).is_dir());
    }
}

/// Drafts lying loose in `drafts/` (kept before accounts were told apart) are not lost: the
/// first account to open the library takes them.
#[tokio::test]
async fn loose_drafts_go_to_the_first_account() {
    let f = Fixture::new("accounts-loose").await;
    f.lib().set_account(taylor());
    let uid = f.open_new_collection("Old draft", 1).await;
    f.edit(&uid, rename("Old draft, edited"));
    // As an earlier version kept it: loose in drafts/.
    let folder = f.dir.join("drafts").join(taylor().slug());
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        std::fs::rename(&path, f.dir.join("drafts").join(path.file_name().unwrap())).unwrap();
    }
    let f = f.restart();
    f.lib().set_account(sam());
    let drafts = f.lib().drafts().unwrap().drafts;
    assert_eq!(
        drafts.len(),
        1,
        "the first account after the upgrade has it"
    );
    assert_eq!(f.open(&uid).await.name, "Old draft, edited");
}
