use super::*;
use crate::test_fuzz::Fuzz;
use serde_json::json;

const T0: &str = "2026-11-23T10:00:00.000Z";
const T1: &str = "2026-11-23T11:00:00.000Z";
const OWNER: u64 = 12345678;

/// Run `f` with a deterministic context whose ids are `…-{prefix}{n}`.
fn with_ctx<R>(now: &str, prefix: u64, f: impl FnOnce(&mut Ctx) -> R) -> R {
    let mut n = 0u64;
    let mut gen = move || {
        n += 1;
        format!("00000000-0000-4000-8000-{:012}", prefix * 1_000_000 + n)
    };
    let mut ctx = Ctx {
        now,
        user_id: OWNER,
        new_id: &mut gen,
    };
    f(&mut ctx)
}

/// The 25 example collections (the crate's vendored seed copies).
fn examples() -> Vec<(String, Value)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seed");
    let mut out = Vec::new();
    for e in std::fs::read_dir(&dir).expect("examples dir") {
        let p = e.expect("entry").path();
        if p.extension().and_then(|x| x.to_str()) == Some("json") {
            let text = std::fs::read_to_string(&p).expect("read");
            if let Ok(v) = serde_json::from_str::<Value>(&text) {
                if v.get("info").is_some() && v.get("item").is_some() {
                    out.push((p.display().to_string(), v));
                }
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Requests (items with `request`) as (name, request) pairs, depth first.
fn requests(items: &[Value]) -> Vec<(Value, Value)> {
    let mut out = Vec::new();
    for it in items {
        if let Some(children) = it.get("item").and_then(Value::as_array) {
            out.extend(requests(children));
        } else {
            out.push((
                it.get("name").cloned().unwrap_or(Value::Null),
                it.get("request").cloned().unwrap_or(Value::Null),
            ));
        }
    }
    out
}

fn basic_body() -> Value {
    json!({"collection": {
        "info": {"name": "Test Collection", "description": "d",
                 "schema": "https://schema.postman.com/json/collection/v2.1.0/collection.json"},
        "item": [
            {"name": "Folder 1", "item": [
                {"name": "Req A", "request": {"method": "GET", "url": "https://postman-echo.com/get"},
                 "response": [{"name": "ok", "code": 200, "body": "{}"}]}
            ]},
            {"name": "Req B", "request": "https://postman-echo.com/headers"}
        ],
        "variable": [{"key": "userId", "value": "1"}],
        "event": [{"listen": "test", "script": {"id": "s1", "type": "text/javascript", "exec": [""]}}]
    }})
}

fn created() -> StoredCollection {
    with_ctx(T0, 1, |ctx| create(ctx, &basic_body())).expect("create")
}

fn no_foreign(_: &str) -> bool {
    false
}

/// [`replace`] at `T1` (new ids from generator 2): a PUT of `body` to `path_id`.
fn replace_at_t1(
    existing: &mut StoredCollection,
    path_id: &str,
    body: &Value,
    is_foreign: &dyn Fn(&str) -> bool,
) -> Result<(), ApiError> {
    with_ctx(T1, 2, |ctx| {
        replace(ctx, existing, path_id, body, is_foreign)
    })
}

// ---------------------------------------------------------------------------------------------
// Schema and examples
// ---------------------------------------------------------------------------------------------

#[test]
fn examples_round_trip() {
    let ex = examples();
    assert!(
        ex.len() >= 25,
        "expected the 25 example collections, got {}",
        ex.len()
    );
    for (name, doc) in ex {
        assert!(
            schema_errors(&doc).is_empty(),
            "{name}: {:?}",
            schema_errors(&doc)
        );
        let c = with_ctx(T0, 1, |ctx| import_seed(ctx, &doc));
        let full = render_full(&c);
        let coll = &full["collection"];
        assert!(
            schema_errors(coll).is_empty(),
            "{name}: {:?}",
            schema_errors(coll)
        );
        // Every request is kept, in order, unchanged but for the shorthands stored in long form
        // (see `shorthands_are_stored_in_long_form`).
        let mut canonical = doc.clone();
        normalize_doc(&mut canonical);
        let before = requests(canonical["item"].as_array().expect("item"));
        let after = requests(coll["item"].as_array().expect("item"));
        assert_eq!(before, after, "{name}");
        // Server info fields.
        let info = &coll["info"];
        assert_eq!(info["_postman_id"], json!(c.id));
        assert_eq!(info["uid"], json!(format!("{OWNER}-{}", c.id)));
        assert_eq!(info["lastUpdatedBy"], json!(OWNER.to_string()));
        assert_eq!(
            info["schema"], doc["info"]["schema"],
            "{name}: schema emitted as stored"
        );
        assert_eq!(info["name"], doc["info"]["name"]);
        // Every element has id/uid/createdAt/updatedAt, ids unique.
        let ids = item_ids(&c);
        let unique: HashSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{name}");
        walk(doc_items(&c.doc), &mut |o| {
            let id = o["id"].as_str().expect("id");
            assert_eq!(o["uid"], json!(format!("{OWNER}-{id}")));
            assert_eq!(o["createdAt"], json!(T0));
            assert_eq!(o["updatedAt"], json!(T0));
        });
        // A GET body can be PUT back unchanged (ids kept, nothing recreated).
        let mut again = c.clone();
        let put = replace_at_t1(&mut again, &c.uid(), &full, &no_foreign);
        assert!(put.is_ok(), "{name}: {put:?}");
        assert_eq!(item_ids(&again), ids, "{name}");
        assert_eq!(
            again.doc["item"], c.doc["item"],
            "{name}: unchanged items keep updatedAt"
        );
    }
}

#[test]
fn shorthands_are_stored_in_long_form() {
    let doc = json!({
        "info": {"name": "short", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "event": [{"listen": "test", "script": {"type": "text/javascript", "exec": "a();\nb();"}}],
        "item": [{
            "name": "r",
            "request": {"method": "POST", "body": null, "url": {"raw": "https://api.example.com/v1/x", "host": "api.example.com", "path": "/v1/x"}},
            "response": [{"name": "saved", "originalRequest": "https://api.example.com/v1/x", "responseTime": "42", "code": 200}]
        }, {
            "name": "s",
            "request": "https://example.com/ping",
            "response": [{"name": "manual", "responseTime": "n/a"}]
        }]
    });
    let c = with_ctx(T0, 1, |ctx| import_seed(ctx, &doc));
    let coll = &render_full(&c)["collection"];
    assert_eq!(coll["event"][0]["script"]["exec"], json!(["a();", "b();"]));
    let r = &coll["item"][0];
    assert!(
        r["request"].get("body").is_none(),
        "body: null means no body"
    );
    assert_eq!(
        r["request"]["url"]["host"],
        json!(["api", "example", "com"])
    );
    assert_eq!(r["request"]["url"]["path"], json!(["v1", "x"]));
    assert_eq!(
        r["request"]["url"]["raw"],
        json!("https://api.example.com/v1/x")
    );
    assert_eq!(
        r["response"][0]["originalRequest"],
        json!({"url": "https://api.example.com/v1/x", "method": "GET"})
    );
    assert_eq!(r["response"][0]["responseTime"], json!(42.0));
    let s = &coll["item"][1];
    assert_eq!(
        s["request"],
        json!({"url": "https://example.com/ping", "method": "GET"})
    );
    assert_eq!(s["response"][0]["responseTime"], Value::Null);
    assert!(schema_errors(coll).is_empty(), "{:?}", schema_errors(coll));
}

#[test]
fn import_is_deterministic_and_fresh() {
    let doc = json!({"info": {"_postman_id": "keep-me?", "name": "n", "schema": "s"},
                     "item": [{"id": "old", "name": "r", "request": "http://x"}]});
    let a = with_ctx(T0, 1, |ctx| import_seed(ctx, &doc));
    let b = with_ctx(T0, 1, |ctx| import_seed(ctx, &doc));
    assert_eq!(a, b);
    assert_ne!(a.id, "keep-me?");
    assert_ne!(item_ids(&a), vec!["old".to_string()]);
    assert!(a.doc["info"].get("_postman_id").is_none());
}

#[test]
fn import_seed_never_panics_on_garbage() {
    for doc in [
        json!(null),
        json!([]),
        json!("x"),
        json!({"info": 3, "item": {}}),
        json!({"item": [1, null, {"item": "x"}, {"response": [null, 1]}]}),
    ] {
        let c = with_ctx(T0, 1, |ctx| import_seed(ctx, &doc));
        let _ = render_full(&c);
        let _ = render_minimal(&c);
        let _ = summary(&c);
    }
}

// ---------------------------------------------------------------------------------------------
// Create
// ---------------------------------------------------------------------------------------------

#[test]
fn create_stamps_everything() {
    let c = created();
    assert_eq!(c.owner, OWNER);
    assert_eq!(c.last_updated_by, OWNER);
    assert_eq!(c.created_at, T0);
    assert_eq!(
        created_body(&c),
        json!({"collection": {"id": c.id, "name": "Test Collection", "uid": c.uid()}})
    );
    let ids = item_ids(&c);
    assert_eq!(ids.len(), 4, "folder, 2 requests, 1 response");
    let resp = &c.doc["item"][0]["item"][0]["response"][0];
    assert_eq!(
        resp["uid"],
        json!(format!("{OWNER}-{}", resp["id"].as_str().expect("id")))
    );
    assert_eq!(resp["createdAt"], json!(T0));
}

#[test]
fn create_ignores_supplied_ids() {
    let mut body = basic_body();
    body["collection"]["info"]["_postman_id"] = json!("aaaa");
    body["collection"]["item"][1]["id"] = json!("bbbb");
    let c = with_ctx(T0, 1, |ctx| create(ctx, &body)).expect("create");
    assert_ne!(c.id, "aaaa");
    assert!(!item_ids(&c).contains(&"bbbb".to_string()));
}

#[test]
fn create_documented_malformed_example() {
    let body = json!({"collection": {"info": {"name": "x"}}});
    let err = with_ctx(T0, 1, |ctx| create(ctx, &body)).expect_err("invalid");
    assert_eq!(err.status, 400);
    assert_eq!(
        err.body,
        json!({"error":{"name":"malformedRequestError","message":"Found 2 errors with the supplied collection.",
            "details":[": must have required property 'item'","info: must have required property 'schema'"]}})
    );
}

#[test]
fn create_missing_collection_is_param_missing() {
    for body in [
        json!({}),
        json!(null),
        json!([]),
        json!({"collection": null}),
        json!({"collection": "x"}),
        json!({"info": {}, "item": []}),
    ] {
        let err = with_ctx(T0, 1, |ctx| create(ctx, &body)).expect_err("missing");
        assert_eq!(
            err.body,
            json!({"error":{"name":"paramMissingError","message":"Parameter is missing in the request.","details":{"param":["collection"]}}})
        );
    }
}

#[test]
fn create_accepts_both_schema_hosts() {
    for host in [
        "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        "https://schema.postman.com/json/collection/v2.1.0/collection.json",
    ] {
        let mut body = basic_body();
        body["collection"]["info"]["schema"] = json!(host);
        let c = with_ctx(T0, 1, |ctx| create(ctx, &body)).expect("create");
        assert_eq!(render_full(&c)["collection"]["info"]["schema"], json!(host));
    }
}

#[test]
fn nested_errors_use_dotted_paths_and_one_of() {
    let body = json!({"collection": {"info": {"name": 1, "schema": "s"}, "item": [{"name": "x"}]}});
    let err = with_ctx(T0, 1, |ctx| create(ctx, &body)).expect_err("invalid");
    let details: Vec<String> =
        serde_json::from_value(err.body["error"]["details"].clone()).expect("details");
    assert!(
        details.contains(&"info.name: must be string".to_string()),
        "{details:?}"
    );
    assert!(
        details.contains(&"item.0: must match exactly one schema in oneOf".to_string()),
        "{details:?}"
    );
    assert!(
        details.contains(&"item.0: must have required property 'request'".to_string()),
        "{details:?}"
    );
    let n = details.len();
    assert_eq!(
        err.body["error"]["message"],
        json!(format!("Found {n} errors with the supplied collection."))
    );
}

#[test]
fn malformed_bodies_never_panic() {
    let bodies = [
        json!(null),
        json!(1),
        json!("s"),
        json!([]),
        json!({}),
        json!({"collection": {}}),
        json!({"collection": {"info": null, "item": null}}),
        json!({"collection": {"info": {"name": "n", "schema": "s"}, "item": [null, 1, "x", [], {}]}}),
        json!({"collection": {"info": {"name": "n", "schema": "s"}, "item": [{"item": [{"item": {}}]}]}}),
        json!({"collection": {"info": {"name": "n", "schema": "s", "_postman_id": 5}, "item": [], "auth": 3}}),
    ];
    let mut c = created();
    for b in &bodies {
        let _ = with_ctx(T0, 1, |ctx| create(ctx, b));
        let _ = replace_at_t1(&mut c, "x", b, &no_foreign);
        let _ = with_ctx(T1, 2, |ctx| patch(ctx, &mut c, b));
    }
    let _ = render_full(&c);
}

// ---------------------------------------------------------------------------------------------
// PUT
// ---------------------------------------------------------------------------------------------

fn get_body(c: &StoredCollection) -> Value {
    render_full(c)
}

#[test]
fn put_keeps_ids_and_created_at_recreates_missing() {
    let c = created();
    let mut body = get_body(&c);
    // Drop the id of "Req B": it must be recreated with a new id.
    let old_b = body["collection"]["item"][1]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    body["collection"]["item"][1]
        .as_object_mut()
        .expect("obj")
        .remove("id");
    // Change Req A: keeps id + createdAt, updatedAt moves.
    body["collection"]["item"][0]["item"][0]["name"] = json!("Req A2");
    let mut put = c.clone();
    replace_at_t1(&mut put, &c.id, &body, &no_foreign).expect("put");
    let folder = &put.doc["item"][0];
    let a = &folder["item"][0];
    let b = &put.doc["item"][1];
    assert_eq!(folder["id"], c.doc["item"][0]["id"]);
    assert_eq!(
        folder["updatedAt"],
        json!(T0),
        "unchanged folder keeps updatedAt"
    );
    assert_eq!(a["id"], c.doc["item"][0]["item"][0]["id"]);
    assert_eq!(a["createdAt"], json!(T0));
    assert_eq!(a["updatedAt"], json!(T1));
    assert_ne!(b["id"], json!(old_b));
    assert_eq!(b["createdAt"], json!(T1));
    assert_eq!(put.updated_at, T1);
    assert_eq!(put.created_at, T0);
    assert_eq!(replaced_body(&put)["collection"]["id"], json!(c.id));
}

#[test]
fn put_by_uid_and_full_replace_of_collection_level_keys() {
    let c = created();
    let body = json!({"collection": {"info": {"_postman_id": c.id, "name": "New", "schema": "s"}, "item": []}});
    let mut put = c.clone();
    replace_at_t1(&mut put, &c.uid(), &body, &no_foreign).expect("put");
    assert_eq!(put.name(), "New");
    assert!(put.doc.get("variable").is_none());
    assert!(put.doc.get("event").is_none());
    assert!(item_ids(&put).is_empty());
    assert!(put.doc["info"].get("description").is_none());
}

#[test]
fn put_mismatch() {
    let c = created();
    let mut body = get_body(&c);
    body["collection"]["info"]["_postman_id"] = json!("ffffffff-0000-4000-8000-000000000000");
    let mut put = c.clone();
    let err = replace_at_t1(&mut put, &c.id, &body, &no_foreign).expect_err("mismatch");
    assert_eq!(
        err.body,
        json!({"error":{"name":"collectionMismatchError","message":"The collection ID in the path does not match the collection ID in the request body."}})
    );
    assert_eq!(put, c);
    // Uid in body with id in path (and the reverse) is the same collection.
    body["collection"]["info"]["_postman_id"] = json!(c.uid());
    replace_at_t1(&mut put, &c.id, &body, &no_foreign).expect("same");
}

#[test]
fn put_foreign_and_duplicate_ids_fail_without_mutation() {
    let c = created();
    let mut body = get_body(&c);
    body["collection"]["item"][1]["id"] = json!("foreign-id");
    let is_foreign = |id: &str| id == "foreign-id";
    let mut put = c.clone();
    let err = replace_at_t1(&mut put, &c.id, &body, &is_foreign).expect_err("foreign");
    assert_eq!(
        err.body,
        json!({"error":{"name":"instanceFoundError","message":"The specified item already exists.","details":{"item":"request","id":"foreign-id"}}})
    );
    assert_eq!(put, c);
    let mut body = get_body(&c);
    let dup = body["collection"]["item"][0]["id"].clone();
    body["collection"]["item"][1]["id"] = dup.clone();
    let err = replace_at_t1(&mut put, &c.id, &body, &no_foreign).expect_err("dup");
    assert_eq!(err.body["error"]["details"]["id"], dup);
    assert_eq!(put, c);
}

#[test]
fn put_unknown_id_is_kept() {
    let c = created();
    let mut body = get_body(&c);
    body["collection"]["item"][1]["id"] = json!("brand-new-id");
    let mut put = c.clone();
    replace_at_t1(&mut put, &c.id, &body, &no_foreign).expect("put");
    assert_eq!(put.doc["item"][1]["id"], json!("brand-new-id"));
    assert_eq!(put.doc["item"][1]["createdAt"], json!(T1));
}

#[test]
fn put_validates_before_mutating() {
    let c = created();
    let mut put = c.clone();
    let body = json!({"collection": {"info": {"name": "x"}}});
    let err = replace_at_t1(&mut put, &c.id, &body, &no_foreign).expect_err("bad");
    assert_eq!(err.body["error"]["name"], json!("malformedRequestError"));
    assert_eq!(put, c);
    let err = replace_at_t1(&mut put, &c.id, &json!({}), &no_foreign).expect_err("bad");
    assert_eq!(err.body["error"]["name"], json!("paramMissingError"));
    assert_eq!(put, c);
}

#[test]
fn put_strips_server_info_fields() {
    let c = created();
    let body = get_body(&c);
    let mut put = c.clone();
    replace_at_t1(&mut put, &c.id, &body, &no_foreign).expect("put");
    for k in SERVER_INFO_KEYS {
        assert!(put.doc["info"].get(k).is_none(), "{k}");
    }
    assert_eq!(
        render_full(&put)["collection"]["info"]["lastUpdatedBy"],
        json!(OWNER.to_string())
    );
}

mod patch;
mod render;
