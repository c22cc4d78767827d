//! The mock-service error (REFERENCE §4.7): 404 `mockRequestNotFoundError` with a `header` title.

use serde_json::{json, Value};

/// The `name` of every matching error.
pub const ERROR_NAME: &str = "mockRequestNotFoundError";
/// Nothing matched (also: unknown `x-mock-response-id` / `x-mock-response-name`).
pub const NO_MATCH_HEADER: &str = "No matching requests";
pub const NO_MATCH_MESSAGE: &str = "Double check your method and the request path and try again.";
/// The collection has no examples at all.
pub const NO_EXAMPLES_HEADER: &str = "You need an example";
pub const NO_EXAMPLES_MESSAGE: &str =
    "To mock this request add an example response for the mock server to return.";

/// A matching failure, as the mock answers it.
#[derive(Debug, Clone, PartialEq)]
pub struct MockError {
    pub status: u16,
    pub name: String,
    pub header: String,
    pub message: String,
    /// from `x-mock-response-delay`, applied to the error as well
    pub delay_ms: Option<u64>,
}

impl MockError {
    pub(crate) fn no_match(delay_ms: Option<u64>) -> MockError {
        MockError::new(NO_MATCH_HEADER, NO_MATCH_MESSAGE, delay_ms)
    }

    pub(crate) fn no_examples(delay_ms: Option<u64>) -> MockError {
        MockError::new(NO_EXAMPLES_HEADER, NO_EXAMPLES_MESSAGE, delay_ms)
    }

    fn new(header: &str, message: &str, delay_ms: Option<u64>) -> MockError {
        MockError {
            status: 404,
            name: ERROR_NAME.to_string(),
            header: header.to_string(),
            message: message.to_string(),
            delay_ms,
        }
    }

    /// `{"error":{"name","message","header"}}`
    pub fn body(&self) -> Value {
        json!({"error": {"name": self.name, "message": self.message, "header": self.header}})
    }
}
