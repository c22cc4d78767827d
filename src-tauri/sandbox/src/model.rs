//! Shared context passed by the HTTP layer to the pure domain functions
//! (`collections`, `environments`), so those stay testable without a server.

use serde_json::Value;

/// What a domain operation needs to know about "now" and "who".
pub struct Ctx<'a> {
    /// The sandbox clock, ISO-8601 UTC with milliseconds, e.g. `2026-11-23T10:00:00.000Z`.
    pub now: &'a str,
    /// The acting user's numeric id: owner of new objects, `lastUpdatedBy`.
    pub user_id: u64,
    /// Fresh lowercase UUID-v4-formatted ids, deterministic under the sandbox seed.
    pub new_id: &'a mut dyn FnMut() -> String,
}

impl crate::rng::Rng {
    /// Runs a domain operation with a [`Ctx`] whose fresh ids come from this generator.
    pub fn with_ctx<T>(&mut self, now: &str, user_id: u64, op: impl FnOnce(&mut Ctx) -> T) -> T {
        let mut new_id = || self.uuid();
        let mut ctx = Ctx {
            now,
            user_id,
            new_id: &mut new_id,
        };
        op(&mut ctx)
    }
}

/// The JSON type name of a value, as validators word it (`null`, `boolean`, `number`, …).
pub fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
