//! `postdesk-library`: collections and environments per workspace — the lists, the open
//! documents being edited, and the operations of the Collections and Environments views. Plain
//! Rust over `postman-client` and `postdesk-drafts`; no Tauri.
//!
//! # The working copy
//! Opening a collection or an environment keeps its document here, in Rust (a 20 MB collection
//! never crosses IPC whole: the UI gets the tree outline and asks for one request at a time).
//! Every edit is applied to the working copy and immediately stored as a draft (atomic file
//! write) before the call returns, so a crash or a kill right after an edit loses nothing. A
//! save goes through the drafts' save protocol (conflict check, PATCH or PUT, async for big
//! documents); the draft is dropped only once the server has it.
//!
//! # Accounts
//! Working copies and drafts are one account's own ([`Library::set_account`]: the active
//! key's). Drafts live in `drafts/<account>/`; a document open under another account is
//! neither shown nor saved (`library.otherAccount`) until that account's key is active again,
//! and its draft waits on disk meanwhile. Drafts kept before accounts were told apart (loose in
//! `drafts/`) go to the first account that opens the library.
//!
//! # Modules
//! - [`working`]: the working set (load, change-and-store, close);
//! - [`rows`]: the lists; [`views`] and [`tree`]: what the UI sees of an open document;
//!   `outline`: what the view reads of a large collection, parsed first;
//! - [`collections`], [`environments`] (with the table merge): the operations;
//! - [`edit`]: tree edits by index path; [`transfer`]: import and export; [`saving`]: save;
//! - [`error`]: the library's one error type, [`LibraryError`].
//!
//! # Calls per task
//! - list collections / environments of a workspace: 1 (cached 60 s; `force` refreshes);
//! - open a collection or environment: 1 (none when a draft or the working copy is there);
//! - edit: 0; save: 3 for a collection, 2–3 for an environment (see `postdesk_drafts::save`);
//! - create / import: 1; duplicate: 1–2; delete: 1–2 (the name check reads the cached copy).

pub mod collections;
pub mod edit;
pub mod environments;
pub mod error;
mod outline;
pub mod rows;
pub mod saving;
pub mod transfer;
pub mod tree;
pub mod views;
pub mod working;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use postdesk_base::{Account, SharedClock};
use postdesk_drafts::{DraftStore, SaveOptions};
use serde::Serialize;
use ts_rs::TS;

pub use edit::{CollectionEdit, CollectionVariable, RequestHeader};
pub use environments::{EnvVarType, EnvVariable};
pub use error::LibraryError;
pub use rows::{
    CollectionColumns, CollectionRow, DraftInfo, DraftsOverview, EnvironmentRow, Listed,
    WorkspaceRow,
};
pub use saving::SaveProgressEvent;
pub use transfer::{
    parse_collection_import, parse_environment_import, portable_collection, read_import_file,
    safe_file_stem,
};
pub use tree::{folder_children, tree_summary, TreeNode, TREE_BUDGET};
pub use views::{CollectionView, EnvironmentView, RequestDetail, TextOutcome};

/// The v2.1 schema URL new collections carry.
pub const SCHEMA_V21: &str = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";
/// Largest document Postman accepts in a POST/PUT body (REFERENCE: 30 MB → 413).
pub const MAX_BODY_BYTES: usize = 30 * 1024 * 1024;
/// Largest file offered for import (what Postman would accept, with room for the wrapper).
pub const MAX_IMPORT_BYTES: usize = MAX_BODY_BYTES;

/// What a create, import or duplicate made.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Created {
    pub id: String,
    pub uid: Option<String>,
    pub name: String,
}

/// Collections and environments: lists, working copies and their drafts.
pub struct Library {
    /// `<data_dir>/drafts`: one folder per account.
    drafts_dir: PathBuf,
    /// Each account's draft store, made when first needed.
    stores: Mutex<HashMap<String, Arc<DraftStore>>>,
    /// Whose documents and drafts are shown.
    account: RwLock<Account>,
    /// Dates drafts and exports.
    clock: SharedClock,
    open: Arc<working::OpenSet>,
    /// Documents still being parsed behind their outline.
    parsing: Arc<working::Parsing>,
    save_opts: SaveOptions,
    /// The last collection list's rows, in order.
    sorted_rows: rows::SortedRows,
}

impl Library {
    /// The library whose drafts live in `<data_dir>/drafts`, dated by `clock`; until
    /// [`Library::set_account`], its account is [`Account::local`].
    pub fn new(data_dir: &Path, clock: SharedClock) -> Result<Self, LibraryError> {
        let drafts_dir = data_dir.join(postdesk_drafts::DRAFTS_DIR);
        postdesk_base::files::private_dir(&drafts_dir).map_err(|e| {
            postdesk_drafts::DraftsError::Storage {
                path: drafts_dir.display().to_string(),
                reason: e.to_string(),
            }
        })?;
        Ok(Library {
            drafts_dir,
            stores: Mutex::new(HashMap::new()),
            account: RwLock::new(Account::local()),
            clock,
            open: Arc::default(),
            parsing: Arc::default(),
            save_opts: SaveOptions::default(),
            sorted_rows: rows::SortedRows::default(),
        })
    }

    /// Shows `account`'s documents and drafts from now on (the active key's). Clean working
    /// copies of other accounts are closed; those with unsaved edits stay in memory, hidden,
    /// their drafts on disk, until their account is active again.
    pub fn set_account(&self, account: Account) {
        let slug = account.slug();
        *self.account.write().unwrap_or_else(|e| e.into_inner()) = account;
        self.sorted_rows.clear();
        self.lock()
            .retain(|(owner, ..), w| w.dirty || *owner == slug);
    }

    /// Whose documents and drafts are shown.
    pub fn account(&self) -> Account {
        self.account
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The draft store of the current account, made (owner-only) when first needed. The first
    /// account's store (not [`Account::local`]'s) also takes the drafts kept loose in `drafts/`
    /// before accounts were told apart.
    pub(crate) fn store(&self) -> Result<Arc<DraftStore>, LibraryError> {
        let account = self.account();
        let slug = account.slug();
        let mut stores = self.stores.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = stores.get(&slug) {
            return Ok(s.clone());
        }
        let store = Arc::new(DraftStore::open(
            self.drafts_dir.join(&slug),
            self.clock.clone(),
        )?);
        if account != Account::local() && !stores.keys().any(|s| *s != Account::local().slug()) {
            store.adopt_loose_drafts(&self.drafts_dir)?;
        }
        stores.insert(slug, store.clone());
        Ok(store)
    }

    /// Changes how saves are made (tests use a small async threshold).
    pub fn with_save_options(mut self, opts: SaveOptions) -> Self {
        self.save_opts = opts;
        self
    }
}
