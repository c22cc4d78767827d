//! PATCH /environments/{id}: a JSON-Patch style sequence of `add` / `remove` / `replace` on
//! `/name`, `/values/N` and `/values/N/<field>`, validated whole before any is applied.

use serde_json::{json, Value};

use super::errors::{
    patch_empty_value_error, patch_invalid_path_error, patch_not_array_error,
    patch_path_missing_error, problem_400,
};
use super::validate::{field_type, has_type};
use super::PATCH_ENFORCES_SINGLE_OP_TYPE;
use super::{normalize_variable, StoredEnvironment, DESCRIPTION_MAX_CHARS};
use crate::error::ApiError;
use crate::model::Ctx;

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
/// The 200 body is [`render_patched`](super::render::render_patched).
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
