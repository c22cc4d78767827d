//! Collection Format v2.1 schema validation, reported as ajv (the real API's validator) words
//! it: messages, instance paths and order.

use serde_json::Value;

use super::ajv_path;

/// Validate a v2.1 collection body (the value of the `collection` key) and return the
/// ajv-style error strings, in ajv order (shallower paths first, stable otherwise).
pub fn schema_errors(collection: &Value) -> Vec<String> {
    let v = postman_schemas::collection_v21();
    if v.is_valid(collection) {
        return Vec::new();
    }
    let mut out: Vec<(Vec<Seg>, String)> = Vec::new();
    for err in v.iter_errors(collection) {
        push_ajv(&err, &mut out);
    }
    // ajv order (approximated): depth first along the instance, an object's own errors
    // (`required`, `type`) before its properties' errors, a `oneOf`/`anyOf` summary after
    // everything beneath it. Sibling properties sort by name, array elements by index.
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.into_iter().map(|(_, s)| s).collect()
}

/// One instance-path segment, as a sort key.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Seg {
    Index(u64),
    Name(String),
    /// Sorts after every descendant (combinator summaries).
    After,
}

fn sort_key(pointer: &str) -> Vec<Seg> {
    pointer
        .split('/')
        .skip(1)
        .map(|s| match s.parse::<u64>() {
            Ok(i) => Seg::Index(i),
            Err(_) => Seg::Name(s.to_owned()),
        })
        .collect()
}

fn push_ajv(err: &jsonschema::ValidationError<'_>, out: &mut Vec<(Vec<Seg>, String)>) {
    use jsonschema::error::ValidationErrorKind as K;
    let pointer = err.instance_path().as_str();
    let mut key = sort_key(pointer);
    let path = ajv_path(pointer);
    let msg = match err.kind() {
        // Objects.
        K::Required { property } => {
            let p = postman_schemas::required_name(property);
            format!("must have required property '{p}'")
        }
        K::AdditionalProperties { .. } => "must NOT have additional properties".into(),
        // Any value.
        K::Type { kind } => format!("must be {}", postman_schemas::type_names(kind, ",")),
        K::Enum { .. } => "must be equal to one of the allowed values".into(),
        K::Constant { .. } => "must be equal to constant".into(),
        // Numbers.
        K::Minimum { limit } => format!("must be >= {limit}"),
        K::Maximum { limit } => format!("must be <= {limit}"),
        K::ExclusiveMinimum { limit } => format!("must be > {limit}"),
        K::ExclusiveMaximum { limit } => format!("must be < {limit}"),
        // Strings.
        K::MaxLength { limit } => not_more_than(*limit, "characters"),
        K::MinLength { limit } => not_fewer_than(*limit, "characters"),
        K::Pattern { pattern } => format!("must match pattern \"{pattern}\""),
        K::Format { format } => format!("must match format \"{format}\""),
        // Arrays.
        K::MaxItems { limit } => not_more_than(*limit, "items"),
        K::MinItems { limit } => not_fewer_than(*limit, "items"),
        K::UniqueItems => "must NOT have duplicate items".into(),
        // Schemas.
        K::Not { .. } => "must NOT be valid".into(),
        K::FalseSchema => "boolean schema is false".into(),
        K::OneOfMultipleValid { .. } => "must match exactly one schema in oneOf".into(),
        // ajv (allErrors) reports every branch's errors, then the combinator failure itself.
        K::OneOfNotValid { context } | K::AnyOf { context } => {
            for e in context.iter().flatten() {
                push_ajv(e, out);
            }
            key.push(Seg::After);
            if matches!(err.kind(), K::AnyOf { .. }) {
                "must match a schema in anyOf".into()
            } else {
                "must match exactly one schema in oneOf".into()
            }
        }
        other => format!("must pass \"{}\" keyword validation", other.keyword()),
    };
    out.push((key, format!("{path}: {msg}")));
}

/// ajv's words for a `maxLength` / `maxItems` failure.
fn not_more_than(limit: u64, unit: &str) -> String {
    format!("must NOT have more than {limit} {unit}")
}

/// ajv's words for a `minLength` / `minItems` failure.
fn not_fewer_than(limit: u64, unit: &str) -> String {
    format!("must NOT have fewer than {limit} {unit}")
}
