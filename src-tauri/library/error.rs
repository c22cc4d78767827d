//! The library's one error type. A list or an open that fails says so (and nothing about a
//! draft); a save that fails is the drafts' error, which says the draft is kept.

use postdesk_base::error::{Code, DomainError, LibraryCode};
use postdesk_drafts::{DraftError, DraftsError};

#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("This {kind} is not open any more (the active key may have changed): open it again.")]
    NotOpen { kind: &'static str },
    /// Open, with unsaved edits, under another account than the active key's.
    #[error("This {kind} has unsaved edits made as {account}: make that account's key active to see or save them (they are kept).")]
    OtherAccount { kind: &'static str, account: String },
    /// An edit, a name or a value that cannot be used; nothing changed.
    #[error("{}", .0.first().map(|e| e.message.clone()).unwrap_or_default())]
    InvalidEdit(Vec<DraftError>),
    /// A file offered for import that is not what it should be; nothing was sent.
    #[error("The file cannot be imported ({} problem(s)); nothing was sent. First: {}", .0.len(), .0.first().map(|e| e.to_string()).unwrap_or_default())]
    InvalidImport(Vec<DraftError>),
    #[error("The name typed does not match the {kind}'s name; nothing was deleted.")]
    ConfirmMismatch { kind: &'static str },
    #[error("The document is {mb} MB; Postman accepts at most 30 MB.")]
    TooLarge { mb: usize },
    #[error("The export could not be written to {path}: {reason}")]
    Export { path: String, reason: String },
    #[error(transparent)]
    Api(#[from] postman_client::Error),
    #[error(transparent)]
    Drafts(#[from] DraftsError),
}

impl LibraryError {
    /// An edit refused at `path` (`""`: the whole document) with a sentence for a person.
    pub fn invalid_edit(path: &str, message: impl Into<String>) -> Self {
        LibraryError::InvalidEdit(vec![DraftError {
            path: path.to_owned(),
            line: 1,
            column: 1,
            message: message.into(),
        }])
    }

    /// An import refused at `path` with a sentence for a person.
    pub fn invalid_import(path: &str, message: impl Into<String>) -> Self {
        LibraryError::InvalidImport(vec![DraftError {
            path: path.to_owned(),
            line: 1,
            column: 1,
            message: message.into(),
        }])
    }
}

impl DomainError for LibraryError {
    fn code(&self) -> Code {
        match self {
            LibraryError::NotOpen { .. } => LibraryCode::NotOpen.into(),
            LibraryError::OtherAccount { .. } => LibraryCode::OtherAccount.into(),
            LibraryError::InvalidEdit(_) => LibraryCode::InvalidEdit.into(),
            LibraryError::InvalidImport(_) => LibraryCode::InvalidImport.into(),
            LibraryError::ConfirmMismatch { .. } => LibraryCode::ConfirmMismatch.into(),
            LibraryError::TooLarge { .. } => LibraryCode::TooLarge.into(),
            LibraryError::Export { .. } => LibraryCode::ExportFailed.into(),
            LibraryError::Api(e) => e.code(),
            LibraryError::Drafts(e) => e.code(),
        }
    }
}
