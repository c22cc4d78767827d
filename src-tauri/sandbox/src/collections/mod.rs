//! Collections: pure domain logic behind `/collections*` (REFERENCE.md §3).
//!
//! The HTTP layer (`routes::collections`) resolves paths, auth and workspaces; everything about
//! the collection body itself (validation, item ids, the exact response bodies) lives here:
//! - [`model`]: the stored form, item walking and normalisation;
//! - [`canonical`]: the v2.1 shorthands expanded to their long forms;
//! - [`schema`]: v2.1 schema validation with ajv-style messages;
//! - [`stamp`]: item ids, uids and timestamps (fresh, or kept on PUT);
//! - [`ops`]: create, import and replace (PUT);
//! - [`patch`](mod@patch): PATCH validation and merging;
//! - [`render`]: every response body;
//! - [`errors`]: the documented error bodies.
//!
//! The UNCONFIRMED choices of this resource are the constants below.
//!
//! Storage model: [`StoredCollection::doc`] is the Collection Format v2.1 body as the user sent
//! it, with two differences:
//! - `info` never holds server fields (`_postman_id`, `uid`, `createdAt`, `updatedAt`,
//!   `lastUpdatedBy`, `fork`): those are rendered from the struct fields;
//! - every folder, request and saved response carries `id`, `uid`, `createdAt`, `updatedAt`,
//!   exactly as `GET /collections/{id}` returns them (so rendering is one clone).

use serde_json::json;

use crate::error::ApiError;

pub mod canonical;
pub mod errors;
pub mod model;
pub mod ops;
pub mod patch;
pub mod render;
pub mod schema;
pub mod stamp;

pub use errors::{
    get_not_found_error, instance_not_found_error, malformed_error, mismatch_error,
    missing_collection_error,
};
pub use model::{item_ids, StoredCollection, SCHEMA_V210};
pub use ops::{create, create_owned, import_seed, replace, replace_owned};
pub use patch::patch;
pub use render::{
    created_body, deleted_body, render_full, render_full_bytes, render_minimal, replaced_body,
    summary, Summary,
};
pub use schema::schema_errors;
#[cfg(test)]
use {
    crate::model::Ctx,
    model::{doc_items, normalize_doc, walk, SERVER_INFO_KEYS},
    serde_json::Value,
    std::collections::HashSet,
};

// ---------------------------------------------------------------------------------------------
// UNCONFIRMED choices (REFERENCE.md marks these as not confirmed by any official source).
// ---------------------------------------------------------------------------------------------

/// POST /collections: the spec documents only `instanceFoundError` for 400. We answer schema
/// violations with the same `malformedRequestError` body that is documented for PUT (§3.3).
pub const POST_VALIDATION_USES_MALFORMED_REQUEST: bool = true;

/// POST /collections: a supplied `info._postman_id` and item `id`s are ignored, and the new
/// collection and all of its items get fresh ids ("Items do not need `id` on create"). This
/// mirrors importing the same exported file twice, which yields two independent collections.
pub const POST_KEEPS_SUPPLIED_IDS: bool = false;

/// PUT /collections/{id}: an item `id` that belongs to *another* collection fails the request
/// ("otherwise the request errors", §3.4). The body is not documented; we answer the documented
/// family-A `instanceFoundError` ("The specified item already exists."), with `details.item`
/// naming the kind of element (`folder`, `request` or `response`) and `details.id` the id.
/// The same error answers an id used twice within one request body.
pub fn foreign_item_error(kind: &str, id: &str) -> ApiError {
    ApiError::new(
        400,
        json!({"error": {"name": "instanceFoundError", "message": "The specified item already exists.",
            "details": {"item": kind, "id": id}}}),
    )
}

/// PUT /collections/{id}: an item `id` unknown to every collection is kept (the item is
/// created with that id), as Postman clients generate item ids client-side.
pub const PUT_KEEPS_UNKNOWN_IDS: bool = true;

/// PUT /collections/{id}: an item kept by id keeps its `createdAt`; its `updatedAt` only moves
/// when its own content (ignoring children and server fields) changed.
pub const PUT_KEEPS_UPDATED_AT_OF_UNCHANGED_ITEMS: bool = true;

/// `info.schema`: the v2.1 JSON schema types it as any string; both hosts
/// (`schema.getpostman.com`, `schema.postman.com`) are accepted and the stored value is
/// emitted back unchanged (§3.2).
pub const ACCEPT_ANY_SCHEMA_URL: bool = true;

/// ajv `instancePath` rendering in `malformedRequestError.details`: the documented examples
/// are `": must have required property 'item'"` (root) and `"info: must …"`. For deeper
/// paths we join segments with `.` (as the environment errors do: `environment.values.0`).
pub fn ajv_path(pointer: &str) -> String {
    postman_schemas::pointer_tokens(pointer)
        .collect::<Vec<_>>()
        .join(".")
}

/// PATCH `variable[]`: the spec says "A list of the collection's variables to add or update".
/// We merge by `key`: an existing variable with the same key is replaced, new keys are appended,
/// other variables are kept.
pub const PATCH_VARIABLES_MERGE_BY_KEY: bool = true;

/// PATCH `events[]`: events are matched by `listen`; a patched `prerequest`/`test` event replaces
/// the stored one of the same `listen`, others are kept.
pub const PATCH_EVENTS_MERGE_BY_LISTEN: bool = true;

/// `model=minimal`: keys whose value is absent from the collection (`variable`, `auth`,
/// `events`) are omitted rather than rendered as `null`/`[]`.
pub const MINIMAL_OMITS_ABSENT_KEYS: bool = true;

#[cfg(test)]
mod tests;
