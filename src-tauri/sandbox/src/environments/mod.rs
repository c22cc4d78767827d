//! Environments: pure domain logic behind `/environments*` (REFERENCE.md §4).
//!
//! - [`validate`]: POST/PUT body validation, create and replace;
//! - [`patch`](mod@patch): the JSON-Patch style PATCH;
//! - [`render`]: every response body;
//! - [`errors`]: the documented error bodies.
//!
//! The UNCONFIRMED choices of this resource and the stored form are below.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub mod errors;
pub mod patch;
pub mod render;
pub mod validate;

#[cfg(test)]
use crate::model::Ctx;
pub use errors::{
    invalid_id_error, malformed_error, not_found_error, patch_empty_value_error,
    patch_invalid_path_error, patch_not_array_error, patch_not_found_error,
    patch_path_missing_error,
};
pub use patch::patch;
pub use render::{created_body, deleted_body, render_full, render_patched, replaced_body, summary};
pub use validate::{create, replace};

// ---------------------------------------------------------------------------------------------
// UNCONFIRMED choices (REFERENCE.md marks these as not confirmed by any official source).
// ---------------------------------------------------------------------------------------------

/// Whether `value` of a `type:"secret"` variable is returned or masked is UNCONFIRMED (the spec
/// only says "masked", meaning masked in the Postman UI). We return values exactly as stored.
pub const MASK_SECRET_VALUES: bool = false;

/// PUT: `name` absent keeps the current name; `values` absent keeps the current variables
/// (`{"environment":{"values":[]}}` is how every variable is removed, per the spec example).
pub const PUT_ABSENT_VALUES_KEEPS_VARIABLES: bool = true;

/// PATCH: the spec text says "send only one operation type per call", but the official example
/// "Remove and Add Variable" mixes `remove` and `add`. We accept mixed operation types.
pub const PATCH_ENFORCES_SINGLE_OP_TYPE: bool = false;

/// Stored variables get the fields the real API always returns, when absent: `type:"default"`,
/// `enabled:true`, and `value:""` (not for vault/cloud secrets with `secret:true`, whose GET
/// example carries no `value`). Every other field is stored as sent.
pub fn normalize_variable(v: &mut Map<String, Value>) {
    if !v.contains_key("value") && v.get("secret") != Some(&Value::Bool(true)) {
        v.insert("value".into(), Value::String(String::new()));
    }
    if !v.contains_key("enabled") {
        v.insert("enabled".into(), Value::Bool(true));
    }
    if !v.contains_key("type") {
        v.insert("type".into(), Value::String("default".into()));
    }
}

/// PATCH errors not shown in the spec use the shapes of the documented ones: an unsupported
/// `op`, a non-object operation or a wrong value type give the documented array-`detail`
/// (`["/values/1/value: must be a string"]`) form, with paths as in the example.
pub const PATCH_TYPE_ERRORS_AS_DETAIL_ARRAY: bool = true;

/// Variable description limit (spec `maxLength: 512`), counted in Unicode code points.
pub const DESCRIPTION_MAX_CHARS: usize = 512;

// ---------------------------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredEnvironment {
    pub id: String,
    pub owner: u64,
    /// Set by the caller after create.
    pub workspace: String,
    pub created_at: String,
    pub updated_at: String,
    pub name: String,
    /// Variable objects (`key`, `value`, `enabled`, `type`, `description`, and for vault/cloud
    /// secrets `secret` + `source`), normalized by [`normalize_variable`].
    pub values: Vec<Value>,
    #[serde(default)]
    pub is_public: bool,
}

impl StoredEnvironment {
    pub fn uid(&self) -> String {
        format!("{}-{}", self.owner, self.id)
    }
}

#[cfg(test)]
pub(crate) mod tests;
