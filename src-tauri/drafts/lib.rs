//! Collections and environments editing with drafts that are never lost (issue 6). Plain Rust
//! over `postman-client`; the command layer exposes it to the UI.
//!
//! - [`store`]: [`DraftStore`], one JSON file per unsaved edit in the app's data folder
//!   (atomic writes), listed again after a restart or a crash; damaged files are kept aside.
//! - [`validate`]: [`validate_collection_text`], the v2.1 schema check whose errors point at the
//!   JSON path and the line/column in the edited text.
//! - [`save`]: [`save_draft`], conflict check by `updatedAt`, then PATCH or PUT (async for big
//!   documents), discarding the draft only once the server has it.
//!
//! # Secrets
//! An environment draft holds its variables' values, secrets included, exactly like Postman's
//! own local cache does: drafts live in the app's data folder (which only the user can read)
//! and their contents are never logged nor put into an error message.

pub mod save;
pub mod store;
pub mod validate;

pub use save::{save_draft, SaveMethod, SaveOptions, SaveOutcome, SaveProgress};
pub use store::{tree_digest, Draft, DraftKind, DraftListing, DraftMeta, DraftStore, DRAFTS_DIR};
pub use validate::{validate_collection, validate_collection_text, DraftError};

use postdesk_base::error::{Code, DomainError, DraftsCode};

/// Every failure of the drafts domain.
#[derive(Debug, thiserror::Error)]
pub enum DraftsError {
    #[error("The draft could not be stored in {path}: {reason}")]
    Storage { path: String, reason: String },
    #[error("No unsaved draft of this {kind} was found.")]
    NotFound { kind: &'static str },
    #[error("The draft is not valid ({} problem(s)); nothing was sent. First: {}", .0.len(), .0.first().map(|e| e.to_string()).unwrap_or_default())]
    Invalid(Vec<DraftError>),
    #[error("Someone else changed this {kind} on the server since you started editing; nothing was sent. Compare both versions and save again.")]
    Conflict { kind: &'static str },
    #[error("The update task on the server {0}; your draft is kept.")]
    TaskFailed(String),
    #[error("{0} Your draft is kept.")]
    Api(#[from] postman_client::Error),
}

impl DomainError for DraftsError {
    fn code(&self) -> Code {
        match self {
            DraftsError::Storage { .. } => DraftsCode::Storage.into(),
            DraftsError::NotFound { .. } => DraftsCode::NotFound.into(),
            DraftsError::Invalid(_) => DraftsCode::Invalid.into(),
            DraftsError::Conflict { .. } => DraftsCode::Conflict.into(),
            DraftsError::TaskFailed(_) => DraftsCode::TaskFailed.into(),
            DraftsError::Api(e) => e.code(),
        }
    }
}
