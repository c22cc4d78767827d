//! [`MocksError`]: what can go wrong in the mocks domain, each with its closed code.

use postdesk_base::error::{Code, DomainError, MocksCode};
use postdesk_monitors::HistoryError;

#[derive(Debug, thiserror::Error)]
pub enum MocksError {
    #[error(transparent)]
    Api(#[from] postman_client::Error),
    #[error("{0} Mocks still work; their call logs are not kept until it can be opened.")]
    History(#[from] HistoryError),
    #[error("The name typed is not the mock's name; nothing was deleted.")]
    NameMismatch,
    #[error("The call log could not be saved ({0}).")]
    Export(String),
    #[error("The local mock could not start: {0}")]
    LocalStart(String),
    #[error("No local mock runs as {0} (it was stopped).")]
    LocalNotRunning(String),
    #[error("The mock's URL ({0}) is neither Postman's mock service nor this computer: Postdesk does not send it a request.")]
    UntrustedUrl(String),
    #[error("Postman's API cannot set a mock's delay or matching options; set them in Postman, or use them when running the collection locally.")]
    OptionsNotSettable,
    #[error("Postdesk failed while reading the call log ({0}).")]
    Task(String),
}

impl DomainError for MocksError {
    fn code(&self) -> Code {
        match self {
            MocksError::Api(e) => e.code(),
            MocksError::History(_) | MocksError::Task(_) => MocksCode::History.into(),
            MocksError::NameMismatch => MocksCode::NameMismatch.into(),
            MocksError::Export(_) => MocksCode::Export.into(),
            MocksError::LocalStart(_) => MocksCode::LocalStart.into(),
            MocksError::LocalNotRunning(_) => MocksCode::LocalNotRunning.into(),
            MocksError::UntrustedUrl(_) => MocksCode::UntrustedUrl.into(),
            MocksError::OptionsNotSettable => MocksCode::OptionsNotSettable.into(),
        }
    }
}
