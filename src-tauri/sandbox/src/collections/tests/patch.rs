//! PATCH: validation messages and merging.

use super::*;

fn patch_err(body: Value) -> Value {
    let mut c = created();
    let before = c.clone();
    let err = with_ctx(T1, 2, |ctx| patch(ctx, &mut c, &body)).expect_err("patch error");
    assert_eq!(err.status, 400);
    assert_eq!(c, before, "failed PATCH changes nothing");
    err.body
}

#[test]
fn patch_info_documented_response() {
    let mut c = created();
    let body =
        json!({"collection": {"info": {"name": "Test Collection v2", "description": "new"}}});
    let out = with_ctx(T1, 2, |ctx| patch(ctx, &mut c, &body)).expect("patch");
    assert_eq!(
        out,
        json!({"collection": {"id": c.id, "name": "Test Collection v2", "description": "new"}})
    );
    assert_eq!(c.updated_at, T1);
    assert_eq!(
        render_full(&c)["collection"]["info"]["name"],
        json!("Test Collection v2")
    );
}

#[test]
fn patch_official_request_bodies() {
    let auth = json!({"collection": {"auth": {"type": "apikey", "apikey": [{"key": "value", "value": "{{apiKey}}"},
        {"key": "key", "value": "X-Api-Key"}, {"key": "in", "value": "header"}]}}});
    let events = json!({"collection": {"events": [
        {"listen": "prerequest", "script": {"id": "e74ce0d0", "type": "text/javascript", "exec": [""]}},
        {"listen": "test", "script": {"id": "28dc4f71", "type": "text/javascript", "exec": [""]}}]}});
    let vars = json!({"collection": {"variable": [{"key": "userId", "value": "2", "disabled": true}, {"key": "n", "value": 3}]}});
    let mut c = created();
    with_ctx(T1, 2, |ctx| patch(ctx, &mut c, &auth)).expect("auth");
    assert_eq!(c.doc["auth"], auth["collection"]["auth"]);
    with_ctx(T1, 2, |ctx| patch(ctx, &mut c, &events)).expect("events");
    // Merged by `listen`: the stored `test` event is replaced in place, `prerequest` appended.
    let ev = &events["collection"]["events"];
    assert_eq!(c.doc["event"], json!([ev[1], ev[0]]));
    with_ctx(T1, 2, |ctx| patch(ctx, &mut c, &vars)).expect("vars");
    assert_eq!(
        c.doc["variable"],
        json!([{"key": "userId", "value": "2", "disabled": true}, {"key": "n", "value": 3}])
    );
    let min = render_minimal(&c);
    assert_eq!(min["collection"]["events"], c.doc["event"]);
    assert_eq!(min["collection"]["auth"], auth["collection"]["auth"]);
}

#[test]
fn patch_documented_errors() {
    assert_eq!(
        patch_err(json!({"collection": {}})),
        json!({"error":{"name":"paramMissingError","message":"'info' key is mandatory when 'collection' is empty.","details":{"param":"info"}}})
    );
    assert_eq!(
        patch_err(json!({"collection": {"auth": {"type": "apikey"}}})),
        json!({"error":{"name":"paramMissingError","message":"The key 'apikey' must be present in 'collection.auth' when 'type' is 'apikey'.","details":{"param":"apikey"}}})
    );
    assert_eq!(
        patch_err(
            json!({"collection": {"events": [{"id": "x", "listen": "test", "script": {"id": "a", "type": "text/javascript", "exec": []}}]}})
        ),
        json!({"error":{"name":"badRequest","message":"Invalid parameters: ('id') for key: 'collection.events'"}})
    );
    assert_eq!(
        patch_err(json!({"collection": {"variable": [{"key": "k"}]}})),
        json!({"error":{"name":"badRequest","message":"Parameters required: ('value') for key: 'collection.variables'"}})
    );
    assert_eq!(
        patch_err(json!({"collection": {"events": [{"listen": "test", "script": {"id": "a"}}]}})),
        json!({"error":{"name":"badRequest","message":"Parameters required: ('type', 'exec') for key: 'collection.events.script'"}})
    );
    assert_eq!(
        patch_err(json!({"collection": {"variable": [{"key": "k", "value": "v", "property": 1}]}})),
        json!({"error":{"name":"badRequest","message":"Invalid parameters: ('property') for key: 'collection.variables'"}})
    );
    assert_eq!(
        patch_err(
            json!({"collection": {"events": [{"listen": "test", "script": {"id": "a", "type": "t", "exec": [], "property": 1}}]}})
        ),
        json!({"error":{"name":"badRequest","message":"Invalid parameters: ('property') for key: 'collection.events.script'"}})
    );
    assert_eq!(
        patch_err(json!({"collection": {"auth": {"type": "apikeys", "apikeys": []}}})),
        json!({"error":{"name":"badRequest","message":"Invalid parameters: ('apikeys') for key: 'collection.auth.type'"}})
    );
    assert_eq!(
        patch_err(json!({"collection": {"item": []}})),
        json!({"error":{"name":"badRequest","message":"Invalid parameters: ('item') for key: 'collection'"}})
    );
    assert_eq!(
        patch_err(json!({"collection": {"info": {"schema": "x"}}})),
        json!({"error":{"name":"badRequest","message":"Invalid parameters: ('schema') for key: 'collection.info'"}})
    );
    // The official "Update Variables" body: its secret variable has no `value`.
    let rb = crate::environments::tests::request_bodies();
    assert_eq!(
        patch_err(rb["PATCH /collections/{collectionId} :: Update Variables"].clone()),
        json!({"error":{"name":"badRequest","message":"Parameters required: ('value') for key: 'collection.variables'"}})
    );
    // Secret variables can't be set through PATCH.
    let secret = patch_err(
        json!({"collection": {"variable": [{"key": "apiKey", "secret": true, "value": ""}]}}),
    );
    assert_eq!(secret["error"]["name"], json!("badRequest"));
    // Missing collection.
    assert_eq!(
        patch_err(json!({}))["error"]["name"],
        json!("paramMissingError")
    );
    // Event without script id.
    assert_eq!(
        patch_err(
            json!({"collection": {"events": [{"listen": "test", "script": {"type": "t", "exec": []}}]}})
        ),
        json!({"error":{"name":"badRequest","message":"Parameters required: ('id') for key: 'collection.events.script'"}})
    );
}

#[test]
fn patch_variable_with_description_is_accepted() {
    let mut c = created();
    let body = json!({"collection": {"variable": [{"key": "userId", "value": "12345678", "disabled": true,
        "description": "The user's ID."}]}});
    with_ctx(T1, 2, |ctx| patch(ctx, &mut c, &body)).expect("patch");
    assert_eq!(c.doc["variable"], body["collection"]["variable"]);
    let long = json!({"collection": {"variable": [{"key": "k", "value": "v", "description": "d".repeat(513)}]}});
    assert_eq!(
        patch_err(long),
        json!({"error":{"name":"badRequest","message":"Invalid parameters: ('description') for key: 'collection.variables'"}})
    );
}
