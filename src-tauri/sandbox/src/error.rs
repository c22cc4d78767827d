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

    /// A family-A (classic) error: `{"error":{"name":…,"message":…}}`.
    pub fn classic(status: u16, name: &str, message: &str) -> Self {
        Self::new(
            status,
            serde_json::json!({"error": {"name": name, "message": message}}),
        )
    }

    /// A family-B (RFC 7807) problem in the order `type`, `title`, `status`, `detail`, its
    /// `type` being `https://api.postman.com/problems/<slug>`.
    pub fn problem(status: u16, slug: &str, title: &str, detail: &str) -> Self {
        let kind = format!("https://api.postman.com/problems/{slug}");
        Self::new(
            status,
            serde_json::json!({"type": kind, "title": title, "status": status, "detail": detail}),
        )
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
