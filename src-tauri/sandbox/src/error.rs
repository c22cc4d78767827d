//! The one error type every handler and domain function returns: an HTTP status and the exact
//! JSON body the real Postman API sends for it (see shared/postman-api/REFERENCE.md §1.4).

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub body: Value,
}

impl ApiError {
    pub fn new(status: u16, body: Value) -> Self {
        Self { status, body }
    }

    /// `{"error":{"name":"malformedRequestError","message":"Found N errors with the supplied
    /// <what>.","details":[…]}}` (a collection's or an environment's validation errors).
    pub fn malformed(what: &str, details: Vec<String>) -> Self {
        let message = format!("Found {} errors with the supplied {what}.", details.len());
        Self::new(
            400,
            serde_json::json!({"error": {"name": "malformedRequestError", "message": message,
                "details": details}}),
        )
    }
}
