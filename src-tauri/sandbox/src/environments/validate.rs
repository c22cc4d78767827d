//! POST and PUT: validation of `{"environment":{name, values}}` (type errors first, then
//! ajv-style schema errors) and the create / replace operations.

use serde_json::Value;

use super::errors::{invalid_type_error, malformed_error};
use super::PUT_ABSENT_VALUES_KEEPS_VARIABLES;
use super::{normalize_variable, StoredEnvironment, DESCRIPTION_MAX_CHARS};
use crate::error::ApiError;
use crate::model::Ctx;

/// Expected JSON type of each known variable field.
pub(super) fn field_type(field: &str) -> Option<&'static str> {
    match field {
        "key" | "value" | "type" | "description" => Some("string"),
        "enabled" | "secret" => Some("boolean"),
        "source" => Some("object"),
        _ => None,
    }
}

pub(super) fn has_type(v: &Value, t: &str) -> bool {
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
