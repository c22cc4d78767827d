//! Validator self-tests (no server needed).

use super::*;

/// Every official example in success.json / errors.json validates against the schema of the
/// response (of an in-scope operation) that lists it.
#[test]
fn validator_accepts_every_official_example() {
    let spec = Spec::get();
    let examples = Examples::get();
    let mut failures = Vec::new();
    let mut covered = BTreeSet::new();
    let mut checked = 0usize;
    for (method, template) in spec.operations() {
        for status in spec.statuses(&method, &template) {
            let code: u16 = status.parse().expect("numeric status");
            let decl = spec
                .response(&method, &template, code)
                .unwrap_or_else(|e| panic!("{e}"));
            for (media, name) in decl.example_refs() {
                // success.json/errors.json carry the examples of the read-side endpoints; the
                // workspace write examples exist only inline in the spec.
                let from_files = examples.response(&name);
                let Some(body) = from_files.or_else(|| spec.example_value(&name)) else {
                    failures.push(format!(
                        "{method} {template} {status} ({media}): example {name} has no value anywhere"
                    ));
                    continue;
                };
                if let (Some(file), Some(inline)) = (from_files, spec.example_value(&name)) {
                    if file != inline {
                        failures.push(format!(
                            "example {name}: the vendored JSON differs from the spec's inline value"
                        ));
                    }
                }
                covered.insert(name.clone());
                checked += 1;
                if let Err(violations) = spec.validate_decl(&decl, Some(&media), body) {
                    for v in violations {
                        failures.push(format!(
                            "{method} {template} {status} ({media}) example {name}: {v}"
                        ));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let all: BTreeSet<String> = examples
        .success
        .keys()
        .chain(examples.errors.keys())
        .cloned()
        .collect();
    let uncovered: Vec<_> = all.difference(&covered).collect();
    assert!(
        uncovered.is_empty(),
        "examples not reachable from any in-scope response: {uncovered:?}"
    );
    assert!(checked >= all.len(), "checked only {checked} examples");
    eprintln!(
        "validated {checked} official examples ({} distinct)",
        covered.len()
    );
}

/// The validator is not vacuous: wrong types, wrong enums and nulls where the spec does not
/// allow them are reported with the JSON pointer of the offending value.
#[test]
fn validator_rejects_bodies_that_break_the_spec() {
    let spec = Spec::get();
    let cases: Vec<(&str, &str, u16, Value, &str)> = vec![
        (
            "GET",
            "/me",
            200,
            json!({"user": {"id": "12345678"}}),
            "/user/id",
        ),
        (
            "GET",
            "/me",
            200,
            json!({"user": {"avatar": 5}}),
            "/user/avatar",
        ),
        (
            "GET",
            "/me",
            200,
            json!({"operations": [{"usage": "1"}]}),
            "/operations/0/usage",
        ),
        (
            "GET",
            "/collections",
            200,
            json!({"collections": [{"id": 1}]}),
            "/collections/0/id",
        ),
        (
            "GET",
            "/collection-updates-tasks/{taskId}",
            200,
            json!({"id": "x", "status": "done"}),
            "/status",
        ),
        (
            "GET",
            "/workspaces",
            200,
            json!({"workspaces": [{"id": "w", "type": "galaxy"}]}),
            "/workspaces/0/type",
        ),
        (
            "GET",
            "/environments/{environmentId}",
            200,
            json!({"environment": {"values": [{"enabled": "yes"}]}}),
            "/environment/values/0/enabled",
        ),
        (
            "GET",
            "/collection-access-keys",
            200,
            json!({"data": [{"userId": "12345678"}]}),
            "/data/0/userId",
        ),
        ("GET", "/me", 401, json!("Unauthorized"), ""),
    ];
    let mut problems = Vec::new();
    for (method, template, status, body, pointer) in cases {
        match spec.validate(method, template, status, &body) {
            Ok(()) => problems.push(format!("{method} {template} {status} accepted {body}")),
            Err(violations) => {
                if !violations.iter().any(|v| v.pointer.starts_with(pointer)) {
                    problems.push(format!(
                        "{method} {template} {status}: no violation at {pointer}: {violations:?}"
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // `nullable: true` is honoured on a real spec property.
    spec.validate("GET", "/me", 200, &json!({"user": {"avatar": null}}))
        .expect("avatar is nullable in the spec");
    // A status the operation does not declare is an error, not a silent pass.
    let err = spec
        .validate("GET", "/me", 418, &json!({}))
        .expect_err("418 is not declared");
    assert!(err[0].message.contains("declares no 418"), "{err:?}");
}

/// Unit checks of the OpenAPI 3.0 → JSON Schema conversion.
#[test]
fn conversion_of_openapi_specifics() {
    let check = |schema: Value, ok: Value, bad: Value| {
        let converted = convert_schema(&schema);
        let v = jsonschema::draft7::new(&converted).expect("compiles");
        assert!(v.is_valid(&ok), "{schema} → {converted} should accept {ok}");
        assert!(
            !v.is_valid(&bad),
            "{schema} → {converted} should reject {bad}"
        );
    };
    check(
        json!({"type": "string", "nullable": true}),
        json!(null),
        json!(1),
    );
    check(json!({"type": "string"}), json!("x"), json!(null));
    check(
        json!({"type": "string", "enum": ["a"], "nullable": true}),
        json!(null),
        json!("b"),
    );
    check(
        json!({"allOf": [{"type": "object"}], "nullable": true}),
        json!(null),
        json!(3),
    );
    check(
        json!({"type": "number", "minimum": 0, "exclusiveMinimum": true}),
        json!(0.5),
        json!(0),
    );
    // Annotations are dropped, but a *property* called `example` is kept.
    let converted = convert_schema(&json!({
        "type": "object",
        "example": {"a": 1},
        "x-internal": true,
        "discriminator": {"propertyName": "kind"},
        "properties": {"example": {"type": "string", "example": "e"}},
    }));
    assert_eq!(
        converted,
        json!({"type": "object", "properties": {"example": {"type": "string"}}})
    );
    // `$ref` siblings are ignored (OpenAPI 3.0), nullable refs accept null.
    assert_eq!(
        convert_schema(&json!({"$ref": "#/components/schemas/x", "description": "d"})),
        json!({"$ref": "#/components/schemas/x"})
    );
    assert_eq!(
        convert_schema(&json!({"$ref": "#/components/schemas/x", "nullable": true})),
        json!({"anyOf": [{"$ref": "#/components/schemas/x"}, {"type": "null"}]})
    );
}

/// Referenced responses resolve to their component, and the not-found responses the suite
/// relies on exist where the spec files them.
#[test]
fn spec_response_resolution() {
    let spec = Spec::get();
    let decl = spec
        .response("GET", "/collections/{collectionId}", 400)
        .unwrap();
    assert_eq!(decl.name, "collection400ErrorCollectionNotFound");
    let decl = spec
        .response("GET", "/environments/{environmentId}", 400)
        .unwrap();
    assert_eq!(decl.name, "environments404Error");
    assert!(spec
        .response("GET", "/collections/{collectionId}", 404)
        .is_err());
    assert_eq!(spec.operations().len(), 21);
}

/// The Collection Format v2.1 validator accepts the official examples (request body and the
/// `getCollection` response) and rejects a collection without `info.schema`.
#[test]
fn collection_format_schema_self_test() {
    let ex = Examples::get();
    let create = &ex.request_body("POST", "/collections", "Create Collection")["collection"];
    assert!(collection_format_violations(create).is_empty());
    let got = &ex.success["getCollection"]["collection"];
    let v = collection_format_violations(got);
    assert!(v.is_empty(), "{v:?}");
    let mut broken = create.clone();
    broken["info"].as_object_mut().unwrap().remove("schema");
    assert!(!collection_format_violations(&broken).is_empty());
}
