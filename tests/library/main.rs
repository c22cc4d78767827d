//! The Collections and Environments domain (`library`) against the in-process sandbox over
//! loopback: open → edit → restart → save → verified through the API; PATCH for info-only
//! edits; conflicts; failures keep the draft; raw JSON; create/import/duplicate/export/delete;
//! environments with secrets. Every wait is bounded. One test target; the tests are in one
//! module per area, the fixture they share is here.

mod accounts;
mod collections;
mod conflicts;
mod environments;
mod freshness;
mod lifecycle;

use std::time::Duration;

use postdesk_drafts::{DraftKind, SaveOutcome};
use postdesk_library::{CollectionEdit, CollectionView, EnvironmentView, Library, LibraryError};

use serde_json::Value;

#[path = "../common/mod.rs"]
mod common;
#[path = "../common/saving.rs"]
mod saving;
use common::{bounded, collection_doc, personal_workspace, raw};

/// The sandbox, a client acting as Taylor (one try a call) and a library over a scratch folder.
type Fixture = common::Fixture<Library>;

impl Fixture {
    async fn new(name: &str) -> Self {
        Fixture::start(name, Duration::from_millis(200), 1, Library::new).await
    }

    fn lib(&self) -> &Library {
        &self.domain
    }

    /// "Restart": the library is dropped and a new one made over the same folder.
    fn restart(self) -> Self {
        let Fixture { sb, c, dir, domain } = self;
        drop(domain);
        let domain = Library::new(&dir, sb.clock()).unwrap();
        Fixture { sb, c, dir, domain }
    }

    /// A collection with a folder of `n` requests and one root request, created through the
    /// library in Taylor's personal workspace; returns its uid.
    async fn new_collection(&self, name: &str, n: usize) -> String {
        let ws = personal_workspace(&self.c).await;
        let doc = collection_doc(name, n).to_string();
        let create = self
            .lib()
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
        bounded(10, self.lib().open_collection(&self.c, uid, false))
            .await
            .unwrap()
    }

    async fn open_environment(&self, id: &str) -> EnvironmentView {
        bounded(10, self.lib().open_environment(&self.c, id, false))
            .await
            .unwrap()
    }

    fn edit(&self, uid: &str, edit: CollectionEdit) -> CollectionView {
        self.lib().edit_collection(uid, &edit).unwrap()
    }

    /// Saves a draft (over a conflicting change when `overwrite`), within 20 s.
    async fn save(
        &self,
        kind: DraftKind,
        id: &str,
        overwrite: bool,
    ) -> Result<SaveOutcome, LibraryError> {
        let mut quiet = |_| {};
        bounded(
            20,
            self.lib().save(&self.c, kind, id, overwrite, &mut quiet),
        )
        .await
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
