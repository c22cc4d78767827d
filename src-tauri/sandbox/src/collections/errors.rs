//! The documented error bodies of `/collections*`, and the helpers that build the
//! `badRequest` / `paramMissingError` families of PATCH.

use serde_json::json;

use crate::error::ApiError;

/// `{"error":{"name":"paramMissingError","message":"Parameter is missing in the request.",
/// "details":{"param":["collection"]}}}` (spec example `paramMissing400ErrorCollection`).
pub fn missing_collection_error() -> ApiError {
    ApiError::new(
        400,
        json!({"error": {"name": "paramMissingError", "message": "Parameter is missing in the request.",
            "details": {"param": ["collection"]}}}),
    )
}

/// PUT: `info._postman_id` differs from the path id.
pub fn mismatch_error() -> ApiError {
    ApiError::new(
        400,
        json!({"error": {"name": "collectionMismatchError",
            "message": "The collection ID in the path does not match the collection ID in the request body."}}),
    )
}

/// `malformedRequestError` with ajv-style details.
pub fn malformed_error(details: Vec<String>) -> ApiError {
    ApiError::malformed("collection", details)
}

/// 404 (PUT/PATCH/DELETE, family A): `details.id` is the id as given in the path.
pub fn instance_not_found_error(path_id: &str) -> ApiError {
    ApiError::new(
        404,
        json!({"error": {"name": "instanceNotFoundError", "message": "The specified item does not exist.",
            "details": {"item": "collection", "id": path_id}}}),
    )
}

/// GET not found (REFERENCE §3.2: the spec files it under 400, observed as 404; we use 404).
pub fn get_not_found_error() -> ApiError {
    ApiError::new(
        404,
        json!({"error": {"name": "instanceNotFoundError",
            "message": "We could not find the collection you are looking for"}}),
    )
}

pub(super) fn param_missing(message: String, param: &str) -> ApiError {
    ApiError::new(
        400,
        json!({"error": {"name": "paramMissingError", "message": message, "details": {"param": param}}}),
    )
}

fn bad_request(message: String) -> ApiError {
    ApiError::new(
        400,
        json!({"error": {"name": "badRequest", "message": message}}),
    )
}

/// `('a', 'b')` as in "Parameters required: ('type', 'exec') for key: …".
fn tuple(names: &[&str]) -> String {
    let inner: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    format!("({})", inner.join(", "))
}

pub(super) fn invalid_params(names: &[&str], key: &str) -> ApiError {
    bad_request(format!(
        "Invalid parameters: {} for key: '{key}'",
        tuple(names)
    ))
}

pub(super) fn params_required(names: &[&str], key: &str) -> ApiError {
    bad_request(format!(
        "Parameters required: {} for key: '{key}'",
        tuple(names)
    ))
}

pub(super) fn server_error() -> ApiError {
    ApiError::new(
        500,
        json!({"error": {"name": "serverError", "message": "An error has occurred on the server."}}),
    )
}
