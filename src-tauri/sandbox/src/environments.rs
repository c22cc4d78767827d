//! Environments: pure domain logic behind `/environments*` (REFERENCE.md §4).

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::error::ApiError;
use crate::model::{json_type, Ctx};

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

// ---------------------------------------------------------------------------------------------
// Documented error bodies
// ---------------------------------------------------------------------------------------------

/// `{"error":{"name":"malformedRequestError","message":"Found N errors with the supplied
/// environment.","details":[…]}}`
pub fn malformed_error(details: Vec<String>) -> ApiError {
    ApiError::new(
        400,
        json!({"error": {"name": "malformedRequestError",
            "message": format!("Found {} errors with the supplied environment.", details.len()),
            "details": details}}),
    )
}

/// `{"error":{"name":"malformedRequestError","message":"Invalid type: null (expected object) at
/// environment.values.0"}}`
fn invalid_type_error(got: &Value, expected: &str, at: &str) -> ApiError {
    ApiError::new(
        400,
        json!({"error": {"name": "malformedRequestError",
            "message": format!("Invalid type: {} (expected {expected}) at {at}", json_type(got))}}),
    )
}

fn problem_400(detail: Value, instance: Option<String>) -> ApiError {
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

// ---------------------------------------------------------------------------------------------
// POST / PUT validation
// ---------------------------------------------------------------------------------------------

/// Expected JSON type of each known variable field.
fn field_type(field: &str) -> Option<&'static str> {
    match field {
        "key" | "value" | "type" | "description" => Some("string"),
        "enabled" | "secret" => Some("boolean"),
        "source" => Some("object"),
        _ => None,
    }
}

fn has_type(v: &Value, t: &str) -> bool {
    match t {
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        _ => true,
    }
}

/// Validated `(name, values)` of a POST/PUT body.
fn parse_body(
    body: &Value,
    require_name: bool,
) -> Result<(Option<String>, Option<Vec<Value>>), ApiError> {
    let Some(env) = body.get("environment") else {
        return Err(malformed_error(vec![
            ": must have required property 'environment'".into(),
        ]));
    };
    let Value::Object(env) = env else {
        return Err(malformed_error(vec!["environment: must be object".into()]));
    };
    let mut errors = Vec::new();
    match env.get("name") {
        None if require_name => {
            errors.push("environment: must have required property 'name'".to_string())
        }
        Some(n) if !n.is_string() => errors.push("environment.name: must be string".to_string()),
        _ => {}
    }
    match env.get("values") {
        Some(v) if !v.is_array() => errors.push("environment.values: must be array".to_string()),
        _ => {}
    }
    if !errors.is_empty() {
        return Err(malformed_error(errors));
    }
    let values = match env.get("values") {
        Some(Value::Array(vals)) => Some(check_values(vals)?),
        _ => None,
    };
    let name = env.get("name").and_then(Value::as_str).map(str::to_owned);
    Ok((name, values))
}

fn check_values(vals: &[Value]) -> Result<Vec<Value>, ApiError> {
    // Type errors first (single-message form), then schema errors (ajv form).
    for (i, v) in vals.iter().enumerate() {
        let Value::Object(o) = v else {
            return Err(invalid_type_error(
                v,
                "object",
                &format!("environment.values.{i}"),
            ));
        };
        for (k, fv) in o {
            if let Some(t) = field_type(k) {
                if !has_type(fv, t) {
                    return Err(invalid_type_error(
                        fv,
                        t,
                        &format!("environment.values.{i}.{k}"),
                    ));
                }
            }
        }
    }
    let mut errors = Vec::new();
    for (i, v) in vals.iter().enumerate() {
        if let Some(t) = v.get("type").and_then(Value::as_str) {
            if t != "default" && t != "secret" {
                errors.push(format!(
                    "environment.values.{i}.type: must be equal to one of the allowed values"
                ));
            }
        }
        if let Some(d) = v.get("description").and_then(Value::as_str) {
            if d.chars().count() > DESCRIPTION_MAX_CHARS {
                errors.push(format!(
                    "environment.values.{i}.description: must NOT have more than {DESCRIPTION_MAX_CHARS} characters"
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(malformed_error(errors));
    }
    Ok(vals
        .iter()
        .map(|v| {
            let mut v = v.clone();
            if let Value::Object(o) = &mut v {
                normalize_variable(o);
            }
            v
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

/// POST /environments. `body` is the whole request JSON `{"environment":{name, values?}}`.
pub fn create(ctx: &mut Ctx, body: &Value) -> Result<StoredEnvironment, ApiError> {
    let (name, values) = parse_body(body, true)?;
    let now = ctx.now.to_owned();
    Ok(StoredEnvironment {
        id: (ctx.new_id)(),
        owner: ctx.user_id,
        workspace: String::new(),
        created_at: now.clone(),
        updated_at: now,
        name: name.unwrap_or_default(),
        values: values.unwrap_or_default(),
        is_public: false,
    })
}

/// PUT /environments/{id}: replaces the contents (see [`PUT_ABSENT_VALUES_KEEPS_VARIABLES`]).
/// On error `existing` is unchanged.
pub fn replace(
    ctx: &mut Ctx,
    existing: &mut StoredEnvironment,
    body: &Value,
) -> Result<(), ApiError> {
    let (name, values) = parse_body(body, false)?;
    if let Some(name) = name {
        existing.name = name;
    }
    match values {
        Some(values) => existing.values = values,
        None if !PUT_ABSENT_VALUES_KEEPS_VARIABLES => existing.values.clear(),
        None => {}
    }
    existing.updated_at = ctx.now.to_owned();
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// PATCH (JSON-Patch style)
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum Op {
    Add,
    Remove,
    Replace,
}

enum Target {
    Name,
    /// `/values/N`; `None` for `/values/-` (append).
    Var(Option<usize>),
    Field(usize, String),
}

/// Fields of a variable that `/values/N/<field>` may address.
const PATCHABLE_FIELDS: [&str; 7] = [
    "key",
    "value",
    "enabled",
    "type",
    "description",
    "secret",
    "source",
];

fn parse_index(s: &str) -> Option<usize> {
    // JSON Pointer array index: "0" or no leading zeros.
    if s.is_empty() || (s.len() > 1 && s.starts_with('0')) || !s.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    // An index too large for memory names a position that does not exist.
    Some(s.parse().unwrap_or(usize::MAX))
}

fn parse_path(path: &str) -> Option<Target> {
    let segs: Vec<&str> = path.split('/').collect();
    match segs.as_slice() {
        ["", "name"] => Some(Target::Name),
        ["", "values", "-"] => Some(Target::Var(None)),
        ["", "values", n] => parse_index(n).map(|i| Target::Var(Some(i))),
        ["", "values", n, f] if PATCHABLE_FIELDS.contains(f) => {
            parse_index(n).map(|i| Target::Field(i, (*f).to_owned()))
        }
        _ => None,
    }
}

/// Type/shape errors of a value set at `path` (for the array-`detail` error).
fn value_errors(path: &str, target: &Target, value: &Value, out: &mut Vec<String>) {
    match target {
        Target::Name => {
            if !value.is_string() {
                out.push(format!("{path}: must be a string"));
            }
        }
        Target::Field(_, f) => field_errors(path, f, value, out),
        Target::Var(_) => match value {
            Value::Object(o) => {
                let base = path.trim_end_matches('-').trim_end_matches('/');
                let base = if path.ends_with('-') {
                    format!("{base}/-")
                } else {
                    base.to_owned()
                };
                for (k, v) in o {
                    field_errors(&format!("{base}/{k}"), k, v, out);
                }
            }
            _ => out.push(format!("{path}: must be an object")),
        },
    }
}

fn field_errors(path: &str, field: &str, v: &Value, out: &mut Vec<String>) {
    let Some(t) = field_type(field) else { return };
    if !has_type(v, t) {
        let article = if t == "object" { "an" } else { "a" };
        out.push(format!("{path}: must be {article} {t}"));
        return;
    }
    match (field, v.as_str()) {
        ("type", Some(s)) if s != "default" && s != "secret" => {
            out.push(format!(
                "{path}: must be equal to one of the allowed values"
            ));
        }
        ("description", Some(s)) if s.chars().count() > DESCRIPTION_MAX_CHARS => {
            out.push(format!(
                "{path}: must NOT have more than {DESCRIPTION_MAX_CHARS} characters"
            ));
        }
        _ => {}
    }
}

/// PATCH /environments/{path_id}. Atomic: on any error `existing` is unchanged.
/// The 200 body is [`render_patched`].
pub fn patch(
    ctx: &mut Ctx,
    existing: &mut StoredEnvironment,
    body: &Value,
    path_id: &str,
) -> Result<(), ApiError> {
    let Value::Array(ops) = body else {
        return Err(patch_not_array_error());
    };
    // 1. Parse and validate every operation before applying any.
    let mut parsed: Vec<(Op, Target, Option<&Value>)> = Vec::with_capacity(ops.len());
    let mut type_errors = Vec::new();
    for (i, raw) in ops.iter().enumerate() {
        let Value::Object(o) = raw else {
            type_errors.push(format!("/{i}: must be an object"));
            continue;
        };
        let op = match o.get("op").and_then(Value::as_str) {
            Some("add") => Op::Add,
            Some("remove") => Op::Remove,
            Some("replace") => Op::Replace,
            _ => {
                type_errors.push(format!(
                    "/{i}/op: must be equal to one of the allowed values"
                ));
                continue;
            }
        };
        let Some(path) = o.get("path").and_then(Value::as_str) else {
            return Err(patch_invalid_path_error(path_id));
        };
        let Some(target) = parse_path(path) else {
            return Err(patch_invalid_path_error(path_id));
        };
        let invalid = matches!(
            (&target, op),
            (Target::Name, Op::Remove) | (Target::Var(None), Op::Remove | Op::Replace)
        );
        if invalid {
            return Err(patch_invalid_path_error(path_id));
        }
        let value = if op == Op::Remove {
            None
        } else {
            match o.get("value") {
                None | Some(Value::Null) => return Err(patch_empty_value_error()),
                Some(v) => {
                    value_errors(path, &target, v, &mut type_errors);
                    Some(v)
                }
            }
        };
        parsed.push((op, target, value));
    }
    if !type_errors.is_empty() {
        return Err(problem_400(json!(type_errors), None));
    }
    if PATCH_ENFORCES_SINGLE_OP_TYPE && parsed.windows(2).any(|w| w[0].0 != w[1].0) {
        return Err(patch_invalid_path_error(path_id));
    }
    // 2. Apply to a copy.
    let mut name = existing.name.clone();
    let mut values = existing.values.clone();
    let missing = || patch_path_missing_error(path_id);
    for (op, target, value) in parsed {
        match (target, value) {
            (Target::Name, Some(v)) => name = v.as_str().unwrap_or_default().to_owned(),
            (Target::Name, None) => return Err(missing()),
            (Target::Var(idx), v) => {
                let new_var = v.map(|v| {
                    let mut v = v.clone();
                    if let Value::Object(o) = &mut v {
                        normalize_variable(o);
                    }
                    v
                });
                match (op, idx, new_var) {
                    (Op::Add, None, Some(nv)) => values.push(nv),
                    (Op::Add, Some(i), Some(nv)) if i <= values.len() => values.insert(i, nv),
                    (Op::Replace, Some(i), Some(nv)) if i < values.len() => values[i] = nv,
                    (Op::Remove, Some(i), None) if i < values.len() => {
                        values.remove(i);
                    }
                    _ => return Err(missing()),
                }
            }
            (Target::Field(i, f), v) => {
                let Some(Value::Object(var)) = values.get_mut(i) else {
                    return Err(missing());
                };
                match (op, v) {
                    (Op::Add, Some(v)) => {
                        var.insert(f, v.clone());
                    }
                    (Op::Replace, Some(v)) if var.contains_key(&f) => {
                        var.insert(f, v.clone());
                    }
                    (Op::Remove, None) if var.contains_key(&f) => {
                        var.remove(&f);
                    }
                    _ => return Err(missing()),
                }
            }
        }
    }
    // A sequence that changes nothing (e.g. `[]`) leaves `updatedAt` alone.
    if name != existing.name || values != existing.values {
        existing.name = name;
        existing.values = values;
        existing.updated_at = ctx.now.to_owned();
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

fn rendered_values(e: &StoredEnvironment) -> Value {
    if !MASK_SECRET_VALUES {
        return Value::Array(e.values.clone());
    }
    Value::Array(
        e.values
            .iter()
            .map(|v| {
                let mut v = v.clone();
                if v.get("type").and_then(Value::as_str) == Some("secret") {
                    if let Some(o) = v.as_object_mut() {
                        o.insert("value".into(), Value::String(String::new()));
                    }
                }
                v
            })
            .collect(),
    )
}

/// GET /environments/{id}: `{"environment":{id,name,owner,createdAt,updatedAt,values,isPublic}}`.
pub fn render_full(e: &StoredEnvironment) -> Value {
    json!({"environment": {
        "id": e.id,
        "name": e.name,
        "owner": e.owner.to_string(),
        "createdAt": e.created_at,
        "updatedAt": e.updated_at,
        "values": rendered_values(e),
        "isPublic": e.is_public,
    }})
}

/// PATCH 200: `{"environment":{id,name,owner,createdAt,updatedAt,values,uid}}`.
pub fn render_patched(e: &StoredEnvironment) -> Value {
    json!({"environment": {
        "id": e.id,
        "name": e.name,
        "owner": e.owner.to_string(),
        "createdAt": e.created_at,
        "updatedAt": e.updated_at,
        "values": rendered_values(e),
        "uid": e.uid(),
    }})
}

/// One element of `GET /environments`.
pub fn summary(e: &StoredEnvironment) -> Value {
    json!({
        "id": e.id,
        "name": e.name,
        "createdAt": e.created_at,
        "updatedAt": e.updated_at,
        "owner": e.owner.to_string(),
        "uid": e.uid(),
        "isPublic": e.is_public,
    })
}

/// POST and PUT 200 body: `{"environment":{id,name,uid}}`.
pub fn created_body(e: &StoredEnvironment) -> Value {
    json!({"environment": {"id": e.id, "name": e.name, "uid": e.uid()}})
}

/// PUT 200 body (same shape as create).
pub fn replaced_body(e: &StoredEnvironment) -> Value {
    created_body(e)
}

/// DELETE 200 body: `{"environment":{id,uid}}`.
pub fn deleted_body(e: &StoredEnvironment) -> Value {
    json!({"environment": {"id": e.id, "uid": e.uid()}})
}

#[cfg(test)]
pub(crate) mod tests;
