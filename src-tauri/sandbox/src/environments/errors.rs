//! The documented error bodies of `/environments*`.

use serde_json::{json, Value};

use crate::error::ApiError;
use crate::model::json_type;

/// `{"error":{"name":"malformedRequestError","message":"Found N errors with the supplied
/// environment.","details":[…]}}`
pub fn malformed_error(details: Vec<String>) -> ApiError {
    ApiError::malformed("environment", details)
}

/// `{"error":{"name":"malformedRequestError","message":"Invalid type: null (expected object) at
/// environment.values.0"}}`
pub(super) fn invalid_type_error(got: &Value, expected: &str, at: &str) -> ApiError {
    ApiError::new(
        400,
        json!({"error": {"name": "malformedRequestError",
            "message": format!("Invalid type: {} (expected {expected}) at {at}", json_type(got))}}),
    )
}

pub(super) fn problem_400(detail: Value, instance: Option<String>) -> ApiError {
    let mut body = json!({"type": "https://api.postman.com/problems/bad-request", "status": 400,
        "title": "Bad Request", "detail": detail});
    if let (Some(i), Some(o)) = (instance, body.as_object_mut()) {
        o.insert("instance".into(), Value::String(i));
    }
    ApiError::new(400, body)
}

/// PATCH body not an array.
pub fn patch_not_array_error() -> ApiError {
    problem_400(json!("Patch sequence must be an array"), None)
}

/// PATCH operation on a path that does not exist.
pub fn patch_path_missing_error(path_id: &str) -> ApiError {
    problem_400(
        json!("Cannot perform the operation at a path that does not exist"),
        Some(format!("/environments/{path_id}")),
    )
}

/// PATCH operation with a path the API does not support.
pub fn patch_invalid_path_error(path_id: &str) -> ApiError {
    problem_400(
        json!("Invalid path in JSON Patch operation"),
        Some(format!("/environments/{path_id}")),
    )
}

/// PATCH `add`/`replace` without a value.
pub fn patch_empty_value_error() -> ApiError {
    problem_400(
        json!("Patch operations with empty value are not supported"),
        None,
    )
}

/// `{"type":…/bad-request,…,"detail":"Invalid Environment ID","instance":"/environments/<id>"}`
pub fn invalid_id_error(path_id: &str) -> ApiError {
    problem_400(
        json!("Invalid Environment ID"),
        Some(format!("/environments/{path_id}")),
    )
}

/// 404 for GET/PUT/DELETE (family A variant "We could not find the environment you are
/// looking for").
pub fn not_found_error() -> ApiError {
    ApiError::new(
        404,
        json!({"error": {"name": "instanceNotFoundError",
            "message": "We could not find the environment you are looking for"}}),
    )
}

/// 404 for PATCH (the family-B variant, with `instance`).
pub fn patch_not_found_error(path_id: &str) -> ApiError {
    ApiError::new(
        404,
        json!({"type": "https://api.postman.com/problems/not-found", "status": 404, "title": "Not Found",
            "detail": "Not Found", "instance": format!("/environments/{path_id}")}),
    )
}
