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
//! # Modules
//! - [`working`]: the working set (load, change-and-store, close);
//! - [`rows`]: the lists; [`views`] and [`tree`]: what the UI sees of an open document;
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
pub mod rows;
pub mod saving;
pub mod transfer;
pub mod tree;
pub mod views;
pub mod working;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use postdesk_base::SharedClock;
use postdesk_drafts::{DraftStore, SaveOptions};
use serde::Serialize;
use ts_rs::TS;

pub use edit::{CollectionEdit, CollectionVariable, RequestHeader};
pub use environments::{EnvVarType, EnvVariable};
pub use error::LibraryError;
pub use rows::{CollectionRow, DraftInfo, DraftsOverview, EnvironmentRow, WorkspaceRow};
pub use saving::SaveProgressEvent;
pub use transfer::{
    parse_collection_import, parse_environment_import, portable_collection, safe_file_stem,
};
pub use tree::{tree_summary, TreeNode};
pub use views::{CollectionView, EnvironmentView, RequestDetail, TextOutcome};
use working::{WorkKey, Working};

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
    store: DraftStore,
    /// Dates drafts and exports.
    clock: SharedClock,
    open: Mutex<HashMap<WorkKey, Working>>,
    save_opts: SaveOptions,
}

impl Library {
    /// The library whose drafts live in `<data_dir>/drafts`, dated by `clock`.
    pub fn new(data_dir: &Path, clock: SharedClock) -> Result<Self, LibraryError> {
        Ok(Library {
            store: DraftStore::open(data_dir.join(postdesk_drafts::DRAFTS_DIR), clock.clone())?,
            clock,
            open: Mutex::new(HashMap::new()),
            save_opts: SaveOptions::default(),
        })
    }

    /// Changes how saves are made (tests use a small async threshold).
    pub fn with_save_options(mut self, opts: SaveOptions) -> Self {
        self.save_opts = opts;
        self
    }
}
