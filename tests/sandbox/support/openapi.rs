//! OpenAPI 3.0 response validator for the conformance suite.
//!
//! Loads the vendored official Postman API description (`tests/sandbox/spec/openapi-1.45.0.yaml`),
//! finds the response declared for `(method, path template, status)` (following `$ref`s into
//! `#/components/responses`), converts its schema from the OpenAPI 3.0 dialect to JSON Schema
//! draft 7 and validates JSON bodies with the `jsonschema` crate.
//!
//! OpenAPI 3.0 → JSON Schema conversion:
//! - `nullable: true` adds `"null"` to `type` (and to `enum` when present); a nullable `$ref` or
//!   type-less schema becomes `anyOf: [<schema>, {type: null}]`;
//! - boolean `exclusiveMinimum`/`exclusiveMaximum` (draft-4 style) become the numeric draft-7 form;
//! - `example`, `examples`, `discriminator`, `xml`, `externalDocs`, `deprecated`, `readOnly`,
//!   `writeOnly` and every `x-*` extension are dropped (annotations only);
//! - siblings of a `$ref` are ignored, as OpenAPI 3.0 says;
//! - `oneOf`/`anyOf`/`allOf`/`not` are kept.
//!
//! The conversion is schema-aware: a *property named* `example` (or `nullable`) is kept; only the
//! keyword is dropped.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use jsonschema::error::ValidationErrorKind;
use jsonschema::{ValidationError, Validator};
use serde_json::{json, Map, Value};

/// Directory holding the vendored spec and official examples.
pub fn spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/sandbox/spec")
}

/// The operations the sandbox implements (and this suite covers), as `(METHOD, template)`.
pub const SCOPE: [(&str, &str); 21] = [
    ("GET", "/me"),
    ("GET", "/workspaces"),
    ("POST", "/workspaces"),
    ("GET", "/workspaces/{workspaceId}"),
    ("PUT", "/workspaces/{workspaceId}"),
    ("DELETE", "/workspaces/{workspaceId}"),
    ("GET", "/collections"),
    ("POST", "/collections"),
    ("GET", "/collections/{collectionId}"),
    ("PUT", "/collections/{collectionId}"),
    ("PATCH", "/collections/{collectionId}"),
    ("DELETE", "/collections/{collectionId}"),
    ("GET", "/collection-updates-tasks/{taskId}"),
    ("GET", "/environments"),
    ("POST", "/environments"),
    ("GET", "/environments/{environmentId}"),
    ("PUT", "/environments/{environmentId}"),
    ("PATCH", "/environments/{environmentId}"),
    ("DELETE", "/environments/{environmentId}"),
    ("GET", "/collection-access-keys"),
    ("DELETE", "/collection-access-keys/{keyId}"),
];

/// One schema violation, with everything needed to find it.
#[derive(Debug, Clone)]
pub struct Violation {
    /// JSON pointer into the validated body.
    pub pointer: String,
    /// JSON pointer into the (converted) schema.
    pub schema_path: String,
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "(root)"
        } else {
            &self.pointer
        };
        write!(
            f,
            "at {pointer}: {} [schema {}]",
            self.message, self.schema_path
        )
    }
}

/// A resolved response declaration.
#[derive(Debug, Clone)]
pub struct ResponseDecl {
    /// Name in `#/components/responses` if the operation referenced one, else a pointer.
    pub name: String,
    /// The response object (after `$ref` resolution).
    pub object: Value,
}

impl ResponseDecl {
    /// `(media type, example name)` for every `$ref: #/components/examples/<name>` example.
    pub fn example_refs(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let Some(content) = self.object.get("content").and_then(Value::as_object) {
            for (media, m) in content {
                if let Some(examples) = m.get("examples").and_then(Value::as_object) {
                    for ex in examples.values() {
                        if let Some(name) = ex
                            .get("$ref")
                            .and_then(Value::as_str)
                            .and_then(|r| r.strip_prefix("#/components/examples/"))
                        {
                            out.push((media.clone(), name.to_string()));
                        }
                    }
                }
            }
        }
        out
    }
}

pub struct Spec {
    doc: Value,
    /// `components.schemas`, converted to JSON Schema.
    schemas: Map<String, Value>,
    validators: Mutex<HashMap<String, Arc<Validator>>>,
}

impl Spec {
    /// The vendored spec, parsed once per test binary.
    pub fn get() -> &'static Spec {
        static SPEC: OnceLock<Spec> = OnceLock::new();
        SPEC.get_or_init(|| {
            let path = spec_dir().join("openapi-1.45.0.yaml");
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
            let doc: Value = serde_yaml::from_str(&text)
                .unwrap_or_else(|e| panic!("parse {}: {e}", path.display()));
            Spec::from_doc(doc)
        })
    }

    pub fn from_doc(doc: Value) -> Spec {
        let mut schemas = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), convert_schema(v)))
                    .collect::<Map<_, _>>()
            })
            .unwrap_or_default();
        patch_schemas(&mut schemas);
        Spec {
            doc,
            schemas,
            validators: Mutex::new(HashMap::new()),
        }
    }

    /// `(METHOD, template)` of every in-scope operation; panics if the spec lacks one.
    pub fn operations(&self) -> Vec<(String, String)> {
        SCOPE
            .iter()
            .map(|(m, t)| {
                assert!(
                    self.operation(m, t).is_some(),
                    "the spec has no operation {m} {t}"
                );
                (m.to_string(), t.to_string())
            })
            .collect()
    }

    pub fn operation(&self, method: &str, template: &str) -> Option<&Value> {
        self.doc
            .get("paths")?
            .get(template)?
            .get(method.to_ascii_lowercase())
    }

    /// Statuses declared for an operation, as written in the spec (`"200"`, `"4XX"`, `"default"`).
    pub fn statuses(&self, method: &str, template: &str) -> Vec<String> {
        self.operation(method, template)
            .and_then(|op| op.get("responses"))
            .and_then(Value::as_object)
            .map(|r| r.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The response an operation declares for `status` (exact code, then `NXX`, then `default`).
    pub fn response(
        &self,
        method: &str,
        template: &str,
        status: u16,
    ) -> Result<ResponseDecl, String> {
        let op = self
            .operation(method, template)
            .ok_or_else(|| format!("the spec has no operation {method} {template}"))?;
        let responses = op
            .get("responses")
            .and_then(Value::as_object)
            .ok_or_else(|| format!("{method} {template} declares no responses"))?;
        let range = format!("{}XX", status / 100);
        let raw = responses
            .get(&status.to_string())
            .or_else(|| responses.get(&range))
            .or_else(|| responses.get("default"))
            .ok_or_else(|| {
                format!(
                    "the spec declares no {status} response for {method} {template} (declared: {:?})",
                    responses.keys().collect::<Vec<_>>()
                )
            })?;
        self.resolve_response(
            raw,
            &format!("#/paths/{template}/{method}/responses/{status}"),
        )
    }

    /// A response from `#/components/responses/<name>`.
    pub fn component_response(&self, name: &str) -> Result<ResponseDecl, String> {
        let raw = self
            .doc
            .pointer(&format!("/components/responses/{}", escape_pointer(name)))
            .ok_or_else(|| format!("the spec has no #/components/responses/{name}"))?;
        let resolved = self.resolve_response(raw, name)?;
        Ok(ResponseDecl {
            name: name.to_string(),
            ..resolved
        })
    }

    fn resolve_response(&self, raw: &Value, fallback_name: &str) -> Result<ResponseDecl, String> {
        let mut current = raw;
        let mut name = fallback_name.to_string();
        for _ in 0..16 {
            match current.get("$ref").and_then(Value::as_str) {
                Some(r) => {
                    let pointer = r
                        .strip_prefix('#')
                        .ok_or_else(|| format!("external $ref not supported: {r}"))?;
                    current = self
                        .doc
                        .pointer(pointer)
                        .ok_or_else(|| format!("dangling $ref {r}"))?;
                    name = r
                        .strip_prefix("#/components/responses/")
                        .unwrap_or(r)
                        .to_string();
                }
                None => {
                    return Ok(ResponseDecl {
                        name,
                        object: current.clone(),
                    })
                }
            }
        }
        Err(format!("$ref cycle resolving {fallback_name}"))
    }

    /// The converted JSON Schema (self-contained: reachable component schemas are embedded
    /// under `components.schemas`) for one media type of a response, `None` if it has no body.
    pub fn body_schema(&self, decl: &ResponseDecl, media: Option<&str>) -> Option<Value> {
        let content = decl.object.get("content")?.as_object()?;
        let entry = match media {
            Some(m) => content.get(m)?,
            None => ["application/json", "application/problem+json"]
                .iter()
                .find_map(|m| content.get(*m))
                .or_else(|| content.values().next())?,
        };
        let schema = convert_schema(entry.get("schema")?);
        Some(self.bundle(schema))
    }

    fn bundle(&self, root: Value) -> Value {
        let mut needed = BTreeSet::new();
        let mut queue = Vec::new();
        collect_refs(&root, &mut queue);
        while let Some(name) = queue.pop() {
            if needed.insert(name.clone()) {
                if let Some(s) = self.schemas.get(&name) {
                    collect_refs(s, &mut queue);
                }
            }
        }
        let embedded: Map<String, Value> = needed
            .into_iter()
            .filter_map(|n| self.schemas.get(&n).map(|s| (n, s.clone())))
            .collect();
        json!({
            "$schema": "http://json-schema.org/draft-07/schema#",
            "allOf": [root],
            "components": { "schemas": embedded },
        })
    }

    fn validator(&self, key: &str, schema: &Value) -> Result<Arc<Validator>, String> {
        if let Some(v) = self.validators.lock().unwrap().get(key) {
            return Ok(v.clone());
        }
        let built = jsonschema::draft7::options()
            .should_validate_formats(true)
            .should_ignore_unknown_formats(true)
            .build(schema)
            .map_err(|e| format!("schema for {key} does not compile: {e}"))?;
        let built = Arc::new(built);
        self.validators
            .lock()
            .unwrap()
            .insert(key.to_string(), built.clone());
        Ok(built)
    }

    /// Validate `body` against a resolved response declaration. `media` picks a content type
    /// (default: `application/json`, then `application/problem+json`, then any).
    pub fn validate_decl(
        &self,
        decl: &ResponseDecl,
        media: Option<&str>,
        body: &Value,
    ) -> Result<(), Vec<Violation>> {
        let Some(schema) = self.body_schema(decl, media) else {
            return Err(vec![Violation {
                pointer: String::new(),
                schema_path: String::new(),
                message: format!(
                    "response {} declares no JSON body schema{}",
                    decl.name,
                    media.map(|m| format!(" for {m}")).unwrap_or_default()
                ),
            }]);
        };
        let key = format!("{}|{}", decl.name, media.unwrap_or("*"));
        let validator = self.validator(&key, &schema).map_err(|message| {
            vec![Violation {
                pointer: String::new(),
                schema_path: String::new(),
                message,
            }]
        })?;
        let mut out = Vec::new();
        for error in validator.iter_errors(body) {
            flatten(&error, &mut out, 0);
        }
        if out.is_empty() {
            Ok(())
        } else {
            Err(out)
        }
    }

    /// Validate a body for `(method, template, status)`.
    pub fn validate(
        &self,
        method: &str,
        template: &str,
        status: u16,
        body: &Value,
    ) -> Result<(), Vec<Violation>> {
        let decl = self.response(method, template, status).map_err(|message| {
            vec![Violation {
                pointer: String::new(),
                schema_path: String::new(),
                message,
            }]
        })?;
        self.validate_decl(&decl, None, body)
    }

    /// The official example values `#/components/examples/<name>/value` (for cross-checks).
    pub fn example_value(&self, name: &str) -> Option<&Value> {
        self.doc.pointer(&format!(
            "/components/examples/{}/value",
            escape_pointer(name)
        ))
    }
}

/// Corrections to the spec's schemas where the spec contradicts itself. Each widens one
/// keyword, never more, and is listed in the suite's report.
///
/// 1. The auth `type` enum: the response/PUT schema `auth-2` lacks `noauth` (which the POST
///    schema `auth` has) and `auth` lacks `jwt`/`asap` (which `auth-2` has). REFERENCE §3.2:
///    "Type enum (treat it as partial)". Both get the union.
/// 2. `auth-attribute.value`: declared as string or array, while the same object's `type`
///    declares `"string","boolean","number","array","object","any"`; Postman's own
///    collections carry e.g. `{"key":"addParamsToHeader","value":true,"type":"boolean"}`.
///    The value may be any of the types its `type` names.
pub fn patch_schemas(schemas: &mut Map<String, Value>) {
    let mut union: Vec<Value> = Vec::new();
    for name in ["auth", "auth-2"] {
        if let Some(Value::Array(e)) = schemas
            .get(name)
            .and_then(|s| s.pointer("/properties/type/enum"))
        {
            for v in e {
                if !union.contains(v) {
                    union.push(v.clone());
                }
            }
        }
    }
    for name in ["auth", "auth-2"] {
        if let Some(e) = schemas
            .get_mut(name)
            .and_then(|s| s.pointer_mut("/properties/type/enum"))
        {
            *e = Value::Array(union.clone());
        }
    }
    if let Some(value) = schemas
        .get_mut("auth-attribute")
        .and_then(|s| s.pointer_mut("/properties/value"))
    {
        *value = json!({"type": ["string", "array", "boolean", "number", "object", "null"]});
    }
}

fn flatten(error: &ValidationError<'_>, out: &mut Vec<Violation>, depth: usize) {
    let indent = "  ".repeat(depth);
    out.push(Violation {
        pointer: error.instance_path().to_string(),
        schema_path: error.schema_path().to_string(),
        message: format!("{indent}{}", error.masked()),
    });
    if depth > 3 {
        return;
    }
    let branches = match error.kind() {
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            context
        }
        _ => return,
    };
    for (i, branch) in branches.iter().enumerate() {
        out.push(Violation {
            pointer: error.instance_path().to_string(),
            schema_path: format!("{}/{i}", error.schema_path()),
            message: format!("{indent}  branch {i}:"),
        });
        for e in branch {
            flatten(e, out, depth + 2);
        }
    }
}

fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(name) = m
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                let name = name.split('/').next().unwrap_or(name);
                out.push(name.replace("~1", "/").replace("~0", "~"));
            }
            for child in m.values() {
                collect_refs(child, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|c| collect_refs(c, out)),
        _ => {}
    }
}

/// Keywords whose value is a single subschema.
const SCHEMA_KEYWORDS: [&str; 3] = ["items", "not", "additionalProperties"];
/// Keywords whose value is an array of subschemas.
const SCHEMA_ARRAY_KEYWORDS: [&str; 3] = ["allOf", "anyOf", "oneOf"];
/// Annotation-only keywords dropped by the conversion.
const DROPPED: [&str; 8] = [
    "example",
    "examples",
    "discriminator",
    "xml",
    "externalDocs",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// Convert one OpenAPI 3.0 Schema Object to JSON Schema draft 7.
pub fn convert_schema(schema: &Value) -> Value {
    let Value::Object(src) = schema else {
        // `true`/`false` schemas (additionalProperties) pass through.
        return schema.clone();
    };
    let nullable = src.get("nullable").and_then(Value::as_bool) == Some(true);
    if let Some(r) = src.get("$ref") {
        let reference = json!({ "$ref": r });
        return if nullable {
            json!({ "anyOf": [reference, { "type": "null" }] })
        } else {
            reference
        };
    }
    let mut out = Map::new();
    for (k, v) in src {
        if k == "nullable" || k.starts_with("x-") || DROPPED.contains(&k.as_str()) {
            continue;
        }
        let converted = if k == "properties" {
            match v {
                Value::Object(props) => Value::Object(
                    props
                        .iter()
                        .map(|(name, s)| (name.clone(), convert_schema(s)))
                        .collect(),
                ),
                other => other.clone(),
            }
        } else if SCHEMA_KEYWORDS.contains(&k.as_str()) {
            match v {
                Value::Array(items) => Value::Array(items.iter().map(convert_schema).collect()),
                other => convert_schema(other),
            }
        } else if SCHEMA_ARRAY_KEYWORDS.contains(&k.as_str()) {
            match v {
                Value::Array(items) => Value::Array(items.iter().map(convert_schema).collect()),
                other => other.clone(),
            }
        } else {
            v.clone()
        };
        out.insert(k.clone(), converted);
    }
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        match out.get(flag) {
            Some(Value::Bool(true)) => {
                if let Some(b) = out.remove(bound) {
                    out.insert(flag.to_string(), b);
                } else {
                    out.remove(flag);
                }
            }
            Some(Value::Bool(false)) => {
                out.remove(flag);
            }
            _ => {}
        }
    }
    if nullable {
        match out.get("type").cloned() {
            Some(Value::String(t)) => {
                out.insert("type".into(), json!([t, "null"]));
                if let Some(Value::Array(values)) = out.get_mut("enum") {
                    if !values.contains(&Value::Null) {
                        values.push(Value::Null);
                    }
                }
            }
            Some(Value::Array(mut types)) => {
                if !types.contains(&json!("null")) {
                    types.push(json!("null"));
                }
                out.insert("type".into(), Value::Array(types));
            }
            _ => return json!({ "anyOf": [Value::Object(out), { "type": "null" }] }),
        }
    }
    Value::Object(out)
}

/// The official examples shipped beside the spec, keyed by example name.
pub struct Examples {
    pub success: BTreeMap<String, Value>,
    pub errors: BTreeMap<String, Value>,
    pub request_bodies: BTreeMap<String, Value>,
}

impl Examples {
    pub fn get() -> &'static Examples {
        static EXAMPLES: OnceLock<Examples> = OnceLock::new();
        EXAMPLES.get_or_init(|| {
            let load = |file: &str| -> BTreeMap<String, Value> {
                let path = spec_dir().join(file);
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
                serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("parse {}: {e}", path.display()))
            };
            Examples {
                success: load("success.json"),
                errors: load("errors.json"),
                request_bodies: load("request-bodies.json"),
            }
        })
    }

    /// A response example by name (success or error file).
    pub fn response(&self, name: &str) -> Option<&Value> {
        self.success.get(name).or_else(|| self.errors.get(name))
    }

    /// The official request body `"<METHOD> <template> :: <summary>"`.
    pub fn request_body(&self, method: &str, template: &str, summary: &str) -> &Value {
        let key = format!("{method} {template} :: {summary}");
        self.request_bodies
            .get(&key)
            .unwrap_or_else(|| panic!("no official request body {key:?}"))
    }

    /// Every official request body for one operation: `(summary, body)`.
    pub fn request_bodies_for(&self, method: &str, template: &str) -> Vec<(String, Value)> {
        let prefix = format!("{method} {template} :: ");
        self.request_bodies
            .iter()
            .filter_map(|(k, v)| k.strip_prefix(&prefix).map(|s| (s.to_string(), v.clone())))
            .collect()
    }
}

/// The Collection Format v2.1.0 JSON schema (the `postman-schemas` crate's, vendored from
/// shared/collection-format): `GET /collections/{id}` must return a valid v2.1 collection
/// inside its envelope.
pub fn collection_format() -> &'static Validator {
    postman_schemas::collection_v21()
}

/// Violations of the Collection Format v2.1.0 schema.
pub fn collection_format_violations(collection: &Value) -> Vec<Violation> {
    let mut out = Vec::new();
    for error in collection_format().iter_errors(collection) {
        flatten(&error, &mut out, 0);
    }
    out
}
