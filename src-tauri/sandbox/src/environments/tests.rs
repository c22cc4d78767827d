use super::*;
use crate::test_fuzz::Fuzz;
use serde_json::json;

const T0: &str = "2025-03-10T15:37:00.000Z";
const T1: &str = "2025-03-10T15:56:19.000Z";
const OWNER: u64 = 12345678;
const ENV_ID: &str = "5daabc50-8451-43f6-922d-96b403b4f28e";

fn with_ctx<R>(now: &str, f: impl FnOnce(&mut Ctx) -> R) -> R {
    let mut gen = || ENV_ID.to_string();
    let mut ctx = Ctx {
        now,
        user_id: OWNER,
        new_id: &mut gen,
    };
    f(&mut ctx)
}

/// The official request examples, vendored with the conformance suite (tests/sandbox/spec/).
pub(crate) fn request_bodies() -> Value {
    let text = include_str!("../../../../tests/sandbox/spec/request-bodies.json");
    serde_json::from_str(text).expect("json")
}

fn var(key: &str, value: &str) -> Value {
    json!({"key": key, "value": value, "enabled": true, "type": "default"})
}

fn env_with(values: Vec<Value>) -> StoredEnvironment {
    let body = json!({"environment": {"name": "Test Environment", "values": values}});
    with_ctx(T0, |ctx| create(ctx, &body)).expect("create")
}

fn patch_ok(env: &mut StoredEnvironment, ops: Value) {
    with_ctx(T1, |ctx| patch(ctx, env, &ops, ENV_ID)).expect("patch");
}

fn patch_err(env: &StoredEnvironment, ops: Value) -> Value {
    let mut e = env.clone();
    let err = with_ctx(T1, |ctx| patch(ctx, &mut e, &ops, ENV_ID)).expect_err("patch error");
    assert_eq!(err.status, 400);
    assert_eq!(&e, env, "a failed PATCH leaves the environment unchanged");
    err.body
}

// ---------------------------------------------------------------------------------------------
// POST / PUT
// ---------------------------------------------------------------------------------------------

#[test]
fn create_official_example_and_bodies() {
    let rb = request_bodies();
    let body = &rb["POST /environments :: Create Environment"];
    let e = with_ctx(T0, |ctx| create(ctx, body)).expect("create");
    assert_eq!(e.name, "Test Environment");
    assert_eq!(e.values.len(), 3);
    assert_eq!(e.values[0], body["environment"]["values"][0]);
    assert_eq!(
        created_body(&e),
        json!({"environment": {"id": ENV_ID, "name": "Test Environment", "uid": format!("{OWNER}-{ENV_ID}")}})
    );
    let full = render_full(&e);
    assert_eq!(full["environment"]["owner"], json!("12345678"));
    assert_eq!(full["environment"]["isPublic"], json!(false));
    assert_eq!(full["environment"]["values"], body["environment"]["values"]);
    assert_eq!(
        summary(&e),
        json!({"id": ENV_ID, "name": "Test Environment", "createdAt": T0, "updatedAt": T0,
               "owner": "12345678", "uid": format!("{OWNER}-{ENV_ID}"), "isPublic": false})
    );
    assert_eq!(
        deleted_body(&e),
        json!({"environment": {"id": ENV_ID, "uid": format!("{OWNER}-{ENV_ID}")}})
    );
}

#[test]
fn create_normalizes_variables() {
    let e = env_with(vec![
        json!({"key": "a"}),
        json!({"key": "s", "secret": true, "source": {}}),
    ]);
    assert_eq!(
        e.values[0],
        json!({"key": "a", "value": "", "enabled": true, "type": "default"})
    );
    assert!(e.values[1].get("value").is_none());
    let e = env_with(vec![]);
    assert!(e.values.is_empty());
    let e = with_ctx(T0, |ctx| {
        create(ctx, &json!({"environment": {"name": "n"}}))
    })
    .expect("no values");
    assert!(e.values.is_empty());
}

#[test]
fn create_documented_errors() {
    let err = with_ctx(T0, |ctx| {
        create(ctx, &json!({"environment": {"values": []}}))
    })
    .expect_err("no name");
    assert_eq!(
        err.body,
        json!({"error":{"name":"malformedRequestError","message":"Found 1 errors with the supplied environment.","details":["environment: must have required property 'name'"]}})
    );
    let err = with_ctx(T0, |ctx| {
        create(
            ctx,
            &json!({"environment": {"name": "n", "values": [null]}}),
        )
    })
    .expect_err("null");
    assert_eq!(
        err.body,
        json!({"error":{"name":"malformedRequestError","message":"Invalid type: null (expected object) at environment.values.0"}})
    );
    let err = with_ctx(T0, |ctx| {
        create(
            ctx,
            &json!({"environment": {"name": "n", "values": [{"key": "k", "value": 3}]}}),
        )
    })
    .expect_err("number");
    assert_eq!(
        err.body["error"]["message"],
        json!("Invalid type: number (expected string) at environment.values.0.value")
    );
    let err = with_ctx(T0, |ctx| create(ctx, &json!({}))).expect_err("missing");
    assert_eq!(
        err.body["error"]["details"],
        json!([": must have required property 'environment'"])
    );
    let err = with_ctx(T0, |ctx| {
        create(
            ctx,
            &json!({"environment": {"name": "n", "values": [{"key": "k", "type": "any"}]}}),
        )
    })
    .expect_err("enum");
    assert_eq!(
        err.body["error"]["details"],
        json!(["environment.values.0.type: must be equal to one of the allowed values"])
    );
}

#[test]
fn description_length_limit() {
    let ok = "é".repeat(512);
    let e = env_with(vec![json!({"key": "k", "value": "v", "description": ok})]);
    assert_eq!(
        e.values[0]["description"]
            .as_str()
            .map(|s| s.chars().count()),
        Some(512)
    );
    let long = "a".repeat(513);
    let err = with_ctx(T0, |ctx| {
        create(
            ctx,
            &json!({"environment": {"name": "n", "values": [{"key": "k", "description": long}]}}),
        )
    })
    .expect_err("too long");
    assert_eq!(
        err.body,
        json!({"error":{"name":"malformedRequestError","message":"Found 1 errors with the supplied environment.",
            "details":["environment.values.0.description: must NOT have more than 512 characters"]}})
    );
    // PATCH too.
    let e = env_with(vec![var("k", "v")]);
    let body = patch_err(
        &e,
        json!([{"op": "add", "path": "/values/0/description", "value": "b".repeat(513)}]),
    );
    assert_eq!(
        body["detail"],
        json!(["/values/0/description: must NOT have more than 512 characters"])
    );
}

#[test]
fn put_replaces_and_empties() {
    let rb = request_bodies();
    let mut e = env_with(vec![var("a", "1"), var("b", "2")]);
    let body = &rb["PUT /environments/{environmentId} :: Replace Environment Data"];
    with_ctx(T1, |ctx| replace(ctx, &mut e, body)).expect("put");
    assert_eq!(e.name, "Test A Environment");
    assert_eq!(
        e.values,
        body["environment"]["values"]
            .as_array()
            .cloned()
            .expect("values")
    );
    assert_eq!(e.updated_at, T1);
    assert_eq!(e.created_at, T0);
    let body = &rb["PUT /environments/{environmentId} :: Remove Variables"];
    with_ctx(T1, |ctx| replace(ctx, &mut e, body)).expect("empty");
    assert!(e.values.is_empty());
    assert_eq!(e.name, "Test A Environment");
    assert_eq!(
        replaced_body(&e)["environment"]["name"],
        json!("Test A Environment")
    );
}

#[test]
fn put_error_changes_nothing() {
    let e = env_with(vec![var("a", "1")]);
    let mut put = e.clone();
    let err = with_ctx(T1, |ctx| {
        replace(
            ctx,
            &mut put,
            &json!({"environment": {"name": "x", "values": [1]}}),
        )
    })
    .expect_err("bad");
    assert_eq!(
        err.body["error"]["message"],
        json!("Invalid type: number (expected object) at environment.values.0")
    );
    assert_eq!(put, e);
}

// ---------------------------------------------------------------------------------------------
// PATCH
// ---------------------------------------------------------------------------------------------

#[test]
fn patch_official_examples() {
    let rb = request_bodies();
    let op = |name: &str| rb[format!("PATCH /environments/{{environmentId}} :: {name}")].clone();

    let mut e = env_with(vec![var("x-api-key", "{{x-api-key}}")]);
    patch_ok(&mut e, op("Update Environment Name"));
    assert_eq!(e.name, "Test API Environment");
    assert_eq!(e.updated_at, T1);

    patch_ok(&mut e, op("Add Description to Existing Variable"));
    assert_eq!(e.values[0]["description"], json!("A valid API key."));

    patch_ok(
        &mut e,
        json!([{"op": "replace", "path": "/values/0/type", "value": "secret"}]),
    );
    patch_ok(&mut e, op("Add Variable"));
    let out = render_patched(&e);
    assert_eq!(
        out,
        json!({"environment": {"id": ENV_ID, "name": "Test API Environment", "owner": "12345678", "createdAt": T0,
            "updatedAt": T1, "values": [
                {"key": "x-api-key", "value": "{{x-api-key}}", "type": "secret", "enabled": true, "description": "A valid API key."},
                {"key": "collectionId", "value": "12345678-12ece9e1-2abf-4edc-8e34-de66e74114d2", "type": "default", "enabled": true, "description": "The collection's ID."}],
            "uid": format!("{OWNER}-{ENV_ID}")}})
    );

    patch_ok(&mut e, op("Add Secret Variable"));
    assert_eq!(e.values.len(), 3);
    assert_eq!(e.values[1]["secret"], json!(true));

    patch_ok(
        &mut e,
        json!([{"op": "replace", "path": "/values/0/enabled", "value": false}]),
    );
    patch_ok(&mut e, op("Enable Variable"));
    assert_eq!(e.values[0]["enabled"], json!(true));

    patch_ok(&mut e, op("Update Variable"));
    assert_eq!(e.values[0]["key"], json!("x-api-key"));
    assert_eq!(e.values[0]["enabled"], json!(false));
    assert_eq!(
        e.values[1]["source"]["postman"]["secretId"],
        json!("082351ca-810e-476b-8437-d098b20fba4b")
    );

    patch_ok(&mut e, op("Unshare Variable"));
    assert!(e.values[0].get("key").is_none());

    patch_ok(&mut e, op("Remove Variable"));
    assert_eq!(e.values.len(), 2);

    patch_ok(&mut e, op("Remove and Add Variable"));
    assert_eq!(
        e.values,
        vec![
            json!({"key": "x-api-key", "value": "{{x-api-key}}", "type": "default", "enabled": true, "description": "A valid API key."})
        ]
    );

    let mut five = env_with((0..5).map(|i| var(&format!("k{i}"), "v")).collect());
    patch_ok(&mut five, op("Remove Multiple Variables"));
    assert_eq!(five.values, vec![var("k0", "v")]);
}

#[test]
fn patch_append_with_dash() {
    let mut e = env_with(vec![var("a", "1")]);
    patch_ok(
        &mut e,
        json!([{"op": "add", "path": "/values/-", "value": {"key": "b", "value": "2"}}]),
    );
    assert_eq!(e.values[1], var("b", "2"));
    patch_ok(
        &mut e,
        json!([{"op": "add", "path": "/values/2", "value": {"key": "c", "value": "3"}}]),
    );
    assert_eq!(e.values.len(), 3);
}

#[test]
fn patch_errors() {
    let e = env_with(vec![var("a", "1"), var("b", "2")]);
    let bad = |detail: &str| json!({"type": "https://api.postman.com/problems/bad-request", "status": 400, "title": "Bad Request", "detail": detail});
    let bad_at = |detail: &str| {
        let mut b = bad(detail);
        b["instance"] = json!(format!("/environments/{ENV_ID}"));
        b
    };
    for body in [
        json!({}),
        json!(null),
        json!("x"),
        json!({"op": "remove", "path": "/values/0"}),
    ] {
        assert_eq!(patch_err(&e, body), bad("Patch sequence must be an array"));
    }
    let missing = bad_at("Cannot perform the operation at a path that does not exist");
    assert_eq!(
        patch_err(&e, json!([{"op": "remove", "path": "/values/5"}])),
        missing
    );
    assert_eq!(
        patch_err(
            &e,
            json!([{"op": "replace", "path": "/values/2/value", "value": "x"}])
        ),
        missing
    );
    assert_eq!(
        patch_err(
            &e,
            json!([{"op": "add", "path": "/values/3", "value": {"key": "k"}}])
        ),
        missing
    );
    assert_eq!(
        patch_err(
            &e,
            json!([{"op": "replace", "path": "/values/0/description", "value": "d"}])
        ),
        missing
    );
    assert_eq!(
        patch_err(
            &e,
            json!([{"op": "remove", "path": "/values/0/description"}])
        ),
        missing
    );
    // Atomic: the first op would succeed, the second fails.
    assert_eq!(
        patch_err(
            &e,
            json!([{"op": "remove", "path": "/values/0"}, {"op": "remove", "path": "/values/1"}])
        ),
        missing
    );
    let invalid = bad_at("Invalid path in JSON Patch operation");
    for path in [
        "/id",
        "/values",
        "/values/x",
        "/values/01",
        "/values/0/foo",
        "name",
        "",
        "/values/0/value/x",
    ] {
        assert_eq!(
            patch_err(&e, json!([{"op": "replace", "path": path, "value": "v"}])),
            invalid,
            "{path}"
        );
    }
    assert_eq!(
        patch_err(&e, json!([{"op": "remove", "path": "/name"}])),
        invalid
    );
    assert_eq!(patch_err(&e, json!([{"op": "remove"}])), invalid);
    assert_eq!(
        patch_err(&e, json!([{"op": "replace", "path": "/values/0/value"}])),
        bad("Patch operations with empty value are not supported")
    );
    assert_eq!(
        patch_err(
            &e,
            json!([{"op": "add", "path": "/values/0", "value": null}])
        ),
        bad("Patch operations with empty value are not supported")
    );
    // Values the environment schema refuses: the schema messages as `detail`.
    let mut typed = bad("");
    for (ops, detail) in [
        (
            json!([{"op": "replace", "path": "/values/1/value", "value": 5}]),
            json!(["/values/1/value: must be a string"]),
        ),
        (
            json!([{"op": "replace", "path": "/values/0/enabled", "value": "yes"},
                   {"op": "replace", "path": "/name", "value": 1}]),
            json!([
                "/values/0/enabled: must be a boolean",
                "/name: must be a string"
            ]),
        ),
        (
            json!([{"op": "replace", "path": "/values/0/type", "value": "x"}]),
            json!(["/values/0/type: must be equal to one of the allowed values"]),
        ),
        (
            json!([{"op": "add", "path": "/values/2", "value": {"key": "k", "value": 1}}]),
            json!(["/values/2/value: must be a string"]),
        ),
        (
            json!([{"op": "move", "from": "/values/0", "path": "/values/1"}]),
            json!(["/0/op: must be equal to one of the allowed values"]),
        ),
    ] {
        typed["detail"] = detail;
        assert_eq!(patch_err(&e, ops.clone()), typed, "{ops}");
    }
}

#[test]
fn patch_empty_sequence_is_a_no_op() {
    let mut e = env_with(vec![var("a", "1")]);
    let before = e.clone();
    patch_ok(&mut e, json!([]));
    assert_eq!(e, before);
}

#[test]
fn malformed_bodies_never_panic() {
    let e = env_with(vec![var("a", "1")]);
    let bodies = [
        json!(null),
        json!(1),
        json!([]),
        json!([null]),
        json!([1, "x", []]),
        json!({"environment": []}),
        json!({"environment": {"name": null, "values": {}}}),
        json!({"environment": {"values": [[], {"key": {}}]}}),
        json!([{"op": "add", "path": "/values/18446744073709551616", "value": {}}]),
        json!([{"op": "add", "path": "/values/0/key", "value": {}}]),
        json!([{"op": 1, "path": 2, "value": 3}]),
    ];
    for b in &bodies {
        let mut x = e.clone();
        let _ = with_ctx(T1, |ctx| create(ctx, b));
        let _ = with_ctx(T1, |ctx| replace(ctx, &mut x, b));
        let _ = with_ctx(T1, |ctx| patch(ctx, &mut x, b, ENV_ID));
        let _ = render_full(&x);
    }
}

#[test]
fn stored_environment_serde_round_trip() {
    let e = env_with(vec![var("a", "1")]);
    let back: StoredEnvironment =
        serde_json::from_str(&serde_json::to_string(&e).expect("ser")).expect("de");
    assert_eq!(back, e);
}

#[test]
fn fuzzed_bodies_never_panic() {
    let mut f = Fuzz(11);
    let base = env_with(vec![
        var("a", "1"),
        json!({"key": "b", "value": "2", "description": "d"}),
    ]);
    for _ in 0..1500 {
        let inner = f.value(4);
        let body = match f.next() % 3 {
            0 => json!({"environment": inner}),
            1 => {
                let op = f.pick(&["add", "remove", "replace", "move"]);
                let path = f.pick(&[
                    "/name",
                    "/values/0",
                    "/values/1/value",
                    "/values/-",
                    "/values/2",
                    "/values/0/description",
                    "/values/1/enabled",
                    "/x",
                ]);
                json!([{"op": op, "path": path, "value": inner}])
            }
            _ => inner,
        };
        let _ = with_ctx(T0, |ctx| create(ctx, &body));
        let mut e = base.clone();
        if with_ctx(T1, |ctx| replace(ctx, &mut e, &body)).is_err() {
            assert_eq!(e, base);
        }
        let mut e = base.clone();
        if with_ctx(T1, |ctx| patch(ctx, &mut e, &body, ENV_ID)).is_err() {
            assert_eq!(e, base);
        }
        let _ = render_full(&e);
        let _ = render_patched(&e);
    }
}
