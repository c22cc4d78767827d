//! How errors cross IPC: every domain has one error type that implements [`DomainError`]; the
//! command layer turns it into an [`IpcError`] `{code, message}`. The message is written for a
//! person and never contains a secret; the code is stable for the UI to branch on.

use serde::Serialize;
use ts_rs::TS;

/// Implemented by each domain's error enum.
pub trait DomainError: std::error::Error {
    /// A stable, dotted machine code, e.g. `app.dataDirUnavailable`.
    fn code(&self) -> &'static str;
}

/// The only error shape the webview ever sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IpcError {
    pub code: String,
    pub message: String,
}

impl<E: DomainError> From<E> for IpcError {
    fn from(err: E) -> Self {
        Self {
            code: err.code().to_owned(),
            message: err.to_string(),
        }
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    enum Sample {
        #[error("The thing could not be found.")]
        Missing,
    }

    impl DomainError for Sample {
        fn code(&self) -> &'static str {
            "sample.missing"
        }
    }

    #[test]
    fn domain_errors_cross_ipc_as_code_and_message() {
        let ipc = IpcError::from(Sample::Missing);
        let json = serde_json::to_value(&ipc).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "sample.missing", "message": "The thing could not be found."})
        );
    }
}
