//! `postman-schemas`: the Postman Collection Format v2.1.0 JSON schema (draft-07, compiled from
//! `postmanlabs/schemas`, Apache-2.0) and its validator, compiled once per process. The app's
//! drafts check edited text against it (with line and column), the sandbox checks request
//! bodies (with the API's own messages), and the conformance tests check the sandbox's answers.

pub mod schedule;

/// The regions a monitor may run in (`distribution[].region`; REFERENCE-monitors-mocks.md
/// §1.1): what the sandbox accepts and the app's form offers.
pub const MONITOR_REGIONS: [&str; 9] = [
    "us-east",
    "us-west",
    "ap-southeast",
    "ca-central",
    "eu-central",
    "sa-east",
    "uk",
    "us-east-staticip",
    "us-west-staticip",
];

use std::sync::OnceLock;

pub use jsonschema;
use serde_json::Value;

/// The schema's text, as vendored.
pub const COLLECTION_V21: &str = include_str!("../collection-v2.1.0.schema.json");

/// The compiled Collection v2.1.0 validator.
pub fn collection_v21() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        let schema: Value =
            serde_json::from_str(COLLECTION_V21).expect("the vendored schema is JSON");
        jsonschema::draft7::new(&schema).expect("the vendored schema compiles")
    })
}

/// The property a `required` error names, as text.
pub fn required_name(property: &Value) -> String {
    property
        .as_str()
        .map_or_else(|| property.to_string(), str::to_owned)
}

/// The JSON type(s) a `type` error asks for, joined with `sep` when there are several.
pub fn type_names(kind: &jsonschema::error::TypeKind, sep: &str) -> String {
    match kind {
        jsonschema::error::TypeKind::Single(t) => t.to_string(),
        jsonschema::error::TypeKind::Multiple(set) => set
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(sep),
    }
}

/// The reference tokens of a JSON pointer (an error's instance path), unescaped: `~1` is `/`,
/// `~0` is `~`.
pub fn pointer_tokens(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn pointer_tokens_are_unescaped() {
        let tokens: Vec<String> = super::pointer_tokens("/item/0/a~1b/c~0d").collect();
        assert_eq!(tokens, ["item", "0", "a/b", "c~d"]);
        assert_eq!(super::pointer_tokens("").count(), 0);
    }

    #[test]
    fn the_vendored_schema_compiles_and_tells_good_from_bad() {
        let v = super::collection_v21();
        let ok = json!({
            "info": {"name": "A", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
            "item": [{"name": "r", "request": "https://example.com"}]
        });
        assert!(v.is_valid(&ok));
        assert!(!v.is_valid(&json!({"item": []})), "info is required");
        assert!(!v.is_valid(&json!({"info": {"name": 1}, "item": []})));
    }
}
