//! Mock servers over HTTP (REFERENCE-monitors-mocks.md §3, §4): the API's operations with their
//! documented shapes and errors, and the mock URL, one test per rule of the matching
//! algorithm (method, path variables, wildcards, query, each `x-mock-*` header, ties, nothing
//! matched), private mocks, server responses, delays, call logs, `mock_usage`, rate and quota.

#[path = "util/mod.rs"]
mod util;

use postman_sandbox::Sandbox;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use util::*;

/// An example (saved response) of `method url`, with an optional request body and headers.
fn example(
    name: &str,
    code: u16,
    method: &str,
    url: Value,
    req_body: Option<&str>,
    body: &str,
) -> Value {
    let mut original = json!({"method": method, "url": url, "header": []});
    if let Some(b) = req_body {
        original["body"] = json!({"mode": "raw", "raw": b});
    }
    json!({"name": name, "code": code, "status": "", "originalRequest": original,
        "header": [{"key": "Content-Type", "value": "application/json"}], "body": body})
}

fn request(name: &str, method: &str, url: Value, examples: Vec<Value>) -> Value {
    json!({"name": name, "request": {"method": method, "url": url}, "response": examples})
}

/// The collection the tests mock: one request per rule.
fn pets() -> Value {
    let pet_url = json!({"raw": "{{url}}/pets/:petId", "host": ["{{url}}"], "path": ["pets", ":petId"],
        "variable": [{"key": "petId", "value": ""}]});
    let mut tenant_b = example(
        "Created for tenant B",
        201,
        "POST",
        json!("{{url}}/tenants"),
        None,
        "{\"tenant\":\"b\"}",
    );
    tenant_b["originalRequest"]["header"] = json!([{"key": "X-Tenant", "value": "b"}]);
    let mut tenant_a = example(
        "Created for tenant A",
        201,
        "POST",
        json!("{{url}}/tenants"),
        None,
        "{\"tenant\":\"a\"}",
    );
    tenant_a["originalRequest"]["header"] = json!([{"key": "X-Tenant", "value": "a"}]);
    json!({"collection": {"info": {"name": "Pets", "schema": SCHEMA},
    "variable": [{"key": "url", "value": "https://pets.example.com"}],
    "item": [
        request("List pets", "GET", json!("{{url}}/pets"), vec![
            example("All pets", 200, "GET", json!("{{url}}/pets"), None, "[{\"id\":1},{\"id\":2}]"),
            example("Dogs", 200, "GET", json!("{{url}}/pets?type=dog"), None, "[{\"id\":2,\"type\":\"dog\"}]"),
            example("Server down", 503, "GET", json!("{{url}}/pets"), None, "{\"error\":\"down\"}"),
        ]),
        request("Get pet", "GET", pet_url.clone(), vec![
            example("Pet found", 200, "GET", pet_url, None, "{\"id\":\"{{petId}}\"}"),
        ]),
        request("Owner", "GET", json!("{{url}}/owners/{{ownerId}}"), vec![
            example("Owner", 200, "GET", json!("{{url}}/owners/{{ownerId}}"), None,
                "{\"owner\":\"{{ownerId}}\",\"x\":\"{{$queryParams 'x'}}\"}"),
        ]),
        request("Create pet", "POST", json!("{{url}}/pets"), vec![
            example("Created", 201, "POST", json!("{{url}}/pets"), Some("{\"name\":\"Rex\"}"),
                "{\"id\":3,\"name\":\"{{$body 'name'}}\"}"),
            example("Invalid", 400, "POST", json!("{{url}}/pets"), Some("{\"name\":\"\"}"),
                "{\"error\":\"name required\"}"),
        ]),
        request("Tenants", "POST", json!("{{url}}/tenants"), vec![tenant_a, tenant_b]),
        request("Tie", "GET", json!("{{url}}/tie"), vec![
            example("Tie 201", 201, "GET", json!("{{url}}/tie"), None, "{\"n\":201}"),
            example("Tie 200", 200, "GET", json!("{{url}}/tie"), None, "{\"n\":200}"),
        ]),
    ]}})
}

/// A sandbox as Taylor, the Pets collection (its UID) and a public mock of it: (sandbox, key,
/// collection UID, mock id, mock URL).
async fn mocked() -> (Sandbox, String, String, String, String) {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let r = post(&sb, "/collections", &k, pets()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let uid = r.string("/collection/uid");
    let r = post(
        &sb,
        "/mocks",
        &k,
        json!({"mock": {"name": "Pets mock", "collection": uid}}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let (id, url) = (r.string("/mock/id"), r.string("/mock/mockUrl"));
    (sb, k, uid, id, url)
}

/// A call to a mock URL (`path` after it), with headers and an optional body.
async fn hit(
    url: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Resp {
    let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut rb = client().request(m, format!("{url}{path}"));
    for (k, v) in headers {
        rb = rb.header(*k, *v);
    }
    if let Some(b) = body {
        rb = rb
            .header("Content-Type", "application/json")
            .body(b.to_string());
    }
    send(rb).await
}

/// The name of the example that answered: the newest call log's `responseName`.
async fn answered_by(sb: &Sandbox, k: &str, id: &str) -> String {
    let r = get(sb, &format!("/mocks/{id}/call-logs?limit=1"), k).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.string("/call-logs/0/responseName")
}

async fn expect_example(sb: &Sandbox, k: &str, id: &str, r: &Resp, status: u16, name: &str) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(answered_by(sb, k, id).await, name, "{}", r.text);
}

fn expect_no_match(r: &Resp) {
    assert_eq!(r.status, 404, "{}", r.text);
    assert_eq!(
        r.json,
        json!({"error": {"name": "mockRequestNotFoundError",
            "message": "Double check your method and the request path and try again.",
            "header": "No matching requests"}})
    );
}

fn usage(me: &Resp, name: &str) -> u64 {
    let ops = me.json["operations"].as_array().expect("operations");
    ops.iter().find(|o| o["name"] == name).expect(name)["usage"]
        .as_u64()
        .expect("usage")
}

#[tokio::test]
async fn create_read_list_update_publish_delete_with_the_documented_shapes() {
    let (sb, k, uid, id, url) = mocked().await;
    let owner = get(&sb, "/me", &k).await.json["user"]["id"].clone();
    assert_eq!(url, format!("http://127.0.0.1:{}/_mock/{id}", sb.port()));
    let r = get(&sb, &format!("/mocks/{id}"), &k).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let m = &r.json["mock"];
    assert_eq!(
        m["owner"],
        json!(owner.to_string()),
        "a mock's owner is a string"
    );
    assert_eq!(m["uid"], json!(format!("{owner}-{id}")));
    assert_eq!(m["collection"], json!(uid));
    assert_eq!(m["config"]["serverResponseId"], "", "none is \"\"");
    assert_eq!(m["config"]["matchQueryParams"], true);
    assert_eq!(m["config"]["delay"], Value::Null);
    assert_eq!(
        (m["isPublic"].clone(), m["deactivated"].clone()),
        (json!(false), json!(false))
    );
    assert!(m.get("environment").is_none(), "no environment: omitted");
    assert!(
        m["createdAt"].as_str().unwrap().ends_with(".000Z"),
        "whole seconds"
    );
    // By UID too; an unknown one is the documented 404.
    assert_eq!(
        get(&sb, &format!("/mocks/{owner}-{id}"), &k).await.status,
        200
    );
    let r = get(&sb, &format!("/mocks/{UNKNOWN_ID}"), &k).await;
    assert_eq!(r.status, 404);
    assert_eq!(
        r.json,
        json!({"error": {"name": "instanceNotFoundError",
        "message": "The specified mock does not exist.", "details": {}}})
    );

    // Lists: mine, a workspace's, a team's; another user who cannot see it does not.
    let ws = r_ws(&sb, &k, &id).await;
    for q in ["", &format!("?workspace={ws}")] {
        let r = get(&sb, &format!("/mocks{q}"), &k).await;
        assert_eq!(r.strings("/mocks", "id"), vec![id.clone()], "{q}");
        assert!(r.json["mocks"][0].get("deactivated").is_none());
    }
    let jordan = key(&sb, JORDAN);
    assert!(get(&sb, "/mocks", &jordan).await.json["mocks"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(get(&sb, &format!("/mocks/{id}"), &jordan).await.status, 404);

    // Create without a collection; with an unknown one; without a body.
    let r = post(&sb, "/mocks", &k, json!({"mock": {"name": "x"}})).await;
    assert_eq!(
        r.json["error"]["details"]["param"],
        json!(["collection"]),
        "{}",
        r.text
    );
    let r = post(
        &sb,
        "/mocks",
        &k,
        json!({"mock": {"collection": format!("1-{UNKNOWN_ID}")}}),
    )
    .await;
    assert_error(&r, 400, "invalidParamsError");
    let r = post(&sb, "/mocks", &k, json!({})).await;
    assert_eq!(
        (r.status, r.json["detail"].clone()),
        (400, json!("Request body is required"))
    );

    // Update: empty, without the collection, then a rename and private.
    let path = format!("/mocks/{id}");
    let r = put(&sb, &path, &k, json!({"mock": {}})).await;
    assert_eq!(
        r.json["error"]["message"],
        "At least one parameter must be provided."
    );
    let r = put(&sb, &path, &k, json!({"mock": {"name": "Renamed"}})).await;
    assert_eq!(
        r.json["error"]["details"]["param"], "collection",
        "a string here"
    );
    let r = put(
        &sb,
        &path,
        &k,
        json!({"mock": {"name": "Renamed", "collection": uid, "private": true}}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["mock"]["name"], "Renamed");
    assert!(
        r.json["mock"].get("isPublic").is_none(),
        "create/update answers have no isPublic"
    );

    // Publish and unpublish, each twice.
    let r = post(&sb, &format!("{path}/publish"), &k, Value::Null).await;
    assert_eq!(r.json, json!({"mock": {"id": id}}), "{}", r.text);
    let r = post(&sb, &format!("{path}/publish"), &k, Value::Null).await;
    assert_error(&r, 400, "mockAlreadyPublishedError");
    let r = delete(&sb, &format!("{path}/unpublish"), &k).await;
    assert_eq!(r.json, json!({"mock": {"id": id}}));
    let r = delete(&sb, &format!("{path}/unpublish"), &k).await;
    assert_error(&r, 400, "mockAlreadyUnpublishedError");

    // Delete, twice.
    let r = delete(&sb, &path, &k).await;
    assert_eq!(
        r.json,
        json!({"mock": {"id": id, "uid": format!("{owner}-{id}")}})
    );
    assert_eq!(delete(&sb, &path, &k).await.status, 404);
    let r = hit(&url, "GET", "/pets", &[], None).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json["error"]["name"], "mockNotFoundError");
}

/// The workspace of mock `id` (from the collection's list).
async fn r_ws(sb: &Sandbox, k: &str, _id: &str) -> String {
    let r = get(sb, "/workspaces", k).await;
    let all = r.strings("/workspaces", "id");
    for w in all {
        let m = get(sb, &format!("/mocks?workspace={w}"), k).await;
        if !m.json["mocks"].as_array().unwrap().is_empty() {
            return w;
        }
    }
    panic!("the mock's workspace");
}

#[tokio::test]
async fn a_mock_whose_collection_is_deleted_is_deactivated() {
    let (sb, k, uid, id, url) = mocked().await;
    assert_eq!(
        delete(&sb, &format!("/collections/{uid}"), &k).await.status,
        200
    );
    assert!(get(&sb, "/mocks", &k).await.json["mocks"]
        .as_array()
        .unwrap()
        .is_empty());
    let r = get(&sb, &format!("/mocks/{id}"), &k).await;
    assert_eq!(r.json["mock"]["deactivated"], true, "{}", r.text);
    let r = hit(&url, "GET", "/pets", &[], None).await;
    assert_eq!(r.json["error"]["name"], "mockNotFoundError");
}

#[tokio::test]
async fn the_method_must_match() {
    let (sb, k, _, id, url) = mocked().await;
    let r = hit(&url, "GET", "/pets", &[], None).await;
    expect_example(&sb, &k, &id, &r, 200, "All pets").await;
    assert_eq!(r.json, json!([{"id": 1}, {"id": 2}]));
    assert_eq!(r.header("content-type"), Some("application/json"));
    expect_no_match(&hit(&url, "DELETE", "/pets", &[], None).await);
    // Only the path after the mock URL counts, not the example's host.
    expect_no_match(&hit(&url, "GET", "/elsewhere", &[], None).await);
}

#[tokio::test]
async fn path_variables_and_wildcards_match_one_segment_and_fill_the_body() {
    let (sb, k, _, id, url) = mocked().await;
    let r = hit(&url, "GET", "/pets/42", &[], None).await;
    expect_example(&sb, &k, &id, &r, 200, "Pet found").await;
    assert_eq!(r.json, json!({"id": "42"}));
    let r = hit(&url, "GET", "/owners/carol?x=7", &[], None).await;
    expect_example(&sb, &k, &id, &r, 200, "Owner").await;
    assert_eq!(r.json, json!({"owner": "carol", "x": "7"}));
    // A wildcard is one whole segment.
    expect_no_match(&hit(&url, "GET", "/owners/carol/pets/more/than/one", &[], None).await);
}

#[tokio::test]
async fn the_query_scores_the_examples() {
    let (sb, k, _, id, url) = mocked().await;
    let r = hit(&url, "GET", "/pets?type=dog", &[], None).await;
    expect_example(&sb, &k, &id, &r, 200, "Dogs").await;
    // Without a query, the example without one wins.
    let r = hit(&url, "GET", "/pets", &[], None).await;
    expect_example(&sb, &k, &id, &r, 200, "All pets").await;
    // With query matching off, the query decides nothing.
    admin(
        &sb,
        "POST",
        &format!("/_sandbox/mocks/{id}"),
        json!({"matchQueryParams": false}),
    )
    .await;
    let r = hit(&url, "GET", "/pets?type=dog", &[], None).await;
    expect_example(&sb, &k, &id, &r, 200, "All pets").await;
}

#[tokio::test]
async fn x_mock_response_code_filters_by_status() {
    let (sb, k, _, id, url) = mocked().await;
    let r = hit(
        &url,
        "GET",
        "/pets",
        &[("x-mock-response-code", "503")],
        None,
    )
    .await;
    expect_example(&sb, &k, &id, &r, 503, "Server down").await;
    assert_eq!(r.json, json!({"error": "down"}));
}

#[tokio::test]
async fn x_mock_response_name_and_id_pick_the_example() {
    let (sb, k, uid, id, url) = mocked().await;
    let r = hit(
        &url,
        "GET",
        "/pets",
        &[("x-mock-response-name", "Dogs")],
        None,
    )
    .await;
    expect_example(&sb, &k, &id, &r, 200, "Dogs").await;
    let c = get(&sb, &format!("/collections/{uid}"), &k).await;
    let server_down = &c.json["collection"]["item"][0]["response"][2];
    assert_eq!(server_down["name"], "Server down");
    for ex in [
        server_down["uid"].as_str().unwrap(),
        server_down["id"].as_str().unwrap(),
    ] {
        let r = hit(&url, "GET", "/pets", &[("x-mock-response-id", ex)], None).await;
        expect_example(&sb, &k, &id, &r, 503, "Server down").await;
    }
    expect_no_match(
        &hit(
            &url,
            "GET",
            "/pets",
            &[("x-mock-response-id", UNKNOWN_ID)],
            None,
        )
        .await,
    );
    expect_no_match(
        &hit(
            &url,
            "GET",
            "/pets",
            &[("x-mock-response-name", "Cats")],
            None,
        )
        .await,
    );
}

#[tokio::test]
async fn x_mock_match_request_body_and_the_mocks_setting() {
    let (sb, k, _, id, url) = mocked().await;
    let body = [("x-mock-match-request-body", "true")];
    let r = hit(&url, "POST", "/pets", &body, Some("{\"name\": \"\"}")).await;
    expect_example(&sb, &k, &id, &r, 400, "Invalid").await;
    let r = hit(&url, "POST", "/pets", &body, Some("{ \"name\":\"Rex\" }")).await;
    expect_example(&sb, &k, &id, &r, 201, "Created").await;
    assert_eq!(r.json, json!({"id": 3, "name": "Rex"}), "{{$body 'name'}}");
    expect_no_match(&hit(&url, "POST", "/pets", &body, Some("{\"name\":\"Tom\"}")).await);
    // Off (the default), an equal body still adds +5: the Invalid example wins for its body.
    let r = hit(&url, "POST", "/pets", &[], Some("{\"name\":\"\"}")).await;
    expect_example(&sb, &k, &id, &r, 400, "Invalid").await;
    // The mock's own setting, and the header turning it off again.
    admin(
        &sb,
        "POST",
        &format!("/_sandbox/mocks/{id}"),
        json!({"matchBody": true}),
    )
    .await;
    expect_no_match(&hit(&url, "POST", "/pets", &[], Some("{\"name\":\"Tom\"}")).await);
    let off = [("x-mock-match-request-body", "false")];
    let r = hit(&url, "POST", "/pets", &off, Some("{\"name\":\"Tom\"}")).await;
    assert!(
        [201, 400].contains(&r.status),
        "matched by path alone: {}",
        r.text
    );
}

#[tokio::test]
async fn x_mock_match_request_headers_and_the_mocks_header_list() {
    let (sb, k, _, id, url) = mocked().await;
    let h = |tenant: &'static str| {
        [
            ("x-mock-match-request-headers", "X-Tenant"),
            ("X-Tenant", tenant),
        ]
    };
    let r = hit(&url, "POST", "/tenants", &h("b"), None).await;
    expect_example(&sb, &k, &id, &r, 201, "Created for tenant B").await;
    let r = hit(&url, "POST", "/tenants", &h("a"), None).await;
    expect_example(&sb, &k, &id, &r, 201, "Created for tenant A").await;
    expect_no_match(&hit(&url, "POST", "/tenants", &h("c"), None).await);
    admin(
        &sb,
        "POST",
        &format!("/_sandbox/mocks/{id}"),
        json!({"matchHeader": true, "headers": ["x-tenant"]}),
    )
    .await;
    let r = hit(&url, "POST", "/tenants", &[("X-Tenant", "b")], None).await;
    expect_example(&sb, &k, &id, &r, 201, "Created for tenant B").await;
}

#[tokio::test]
async fn a_tie_goes_to_the_200_example() {
    let (sb, k, _, id, url) = mocked().await;
    let r = hit(&url, "GET", "/tie", &[], None).await;
    expect_example(&sb, &k, &id, &r, 200, "Tie 200").await;
}

#[tokio::test]
async fn nothing_matched_and_a_collection_without_examples() {
    let (sb, k, _, id, url) = mocked().await;
    expect_no_match(&hit(&url, "PATCH", "/nothing/here", &[], None).await);
    assert_eq!(
        answered_by(&sb, &k, &id).await,
        "Double check your method and the request path and try again."
    );
    let r = post(&sb, "/collections", &k, empty_collection("Bare")).await;
    let bare = r.string("/collection/uid");
    let r = post(&sb, "/mocks", &k, json!({"mock": {"collection": bare}})).await;
    assert_eq!(
        r.json["mock"]["name"], "Bare",
        "unnamed: the collection's name"
    );
    let r = hit(&r.string("/mock/mockUrl"), "GET", "/", &[], None).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json["error"]["header"], "You need an example");
}

#[tokio::test]
async fn a_private_mock_needs_a_key_of_someone_who_sees_it() {
    let (sb, k, uid, id, url) = mocked().await;
    let r = put(
        &sb,
        &format!("/mocks/{id}"),
        &k,
        json!({"mock": {"collection": uid, "private": true}}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let denied = json!({"error": {"name": "invalidCredentialsError",
        "message": "Please provide the required `x-api-key` authentication header."}});
    let before = usage(&get(&sb, "/me", &k).await, "mock_usage");
    let jordan = key(&sb, JORDAN);
    for headers in [
        vec![],
        vec![("x-api-key", "PMAK-nope")],
        vec![("x-api-key", jordan.as_str())],
    ] {
        let r = hit(&url, "GET", "/pets", &headers, None).await;
        assert_eq!((r.status, &r.json), (401, &denied), "{headers:?}");
    }
    // Not as a query parameter either.
    let r = hit(&url, "GET", &format!("/pets?apikey={k}"), &[], None).await;
    assert_eq!(r.status, 401);
    let r = hit(&url, "GET", "/pets", &[("x-api-key", &k)], None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        usage(&get(&sb, "/me", &k).await, "mock_usage"),
        before + 1,
        "refused calls are not counted"
    );
    // The key is masked in the call log.
    let r = get(
        &sb,
        &format!("/mocks/{id}/call-logs?include=request.headers"),
        &k,
    )
    .await;
    let headers = r.json["call-logs"][0]["request"]["headers"]
        .as_array()
        .unwrap()
        .clone();
    let api_key = headers
        .iter()
        .find(|h| h["key"] == "x-api-key")
        .expect("x-api-key logged");
    assert_eq!(api_key["value"], "********");
    assert!(!r.text.contains(&k));
}

#[tokio::test]
async fn a_server_response_answers_every_call_while_active() {
    let (sb, k, uid, id, url) = mocked().await;
    let base = format!("/mocks/{id}/server-responses");
    let body = json!({"serverResponse": {"name": "Outage", "statusCode": 503,
        "headers": [{"key": "Content-Type", "value": "application/json"}, {"key": "Retry-After", "value": "30"}],
        "language": "json", "body": "{\"message\":\"down for maintenance\"}"}});
    let r = post(&sb, &base, &k, body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let sr = r.string("/id");
    assert_eq!(
        (r.json["mock"].clone(), r.json["statusCode"].clone()),
        (json!(id), json!(503))
    );
    // Errors: not 5xx, missing fields, unknown ones.
    let r = post(
        &sb,
        &base,
        &k,
        json!({"serverResponse": {"name": "x", "statusCode": 404}}),
    )
    .await;
    assert_eq!(
        r.json["error"]["details"]["param"], "statusCode",
        "{}",
        r.text
    );
    let r = post(
        &sb,
        &base,
        &k,
        json!({"serverResponse": {"statusCode": 500}}),
    )
    .await;
    assert_eq!(r.json["error"]["details"]["param"], json!(["name"]));
    let r = post(&sb, &base, &k, json!({"name": "x"})).await;
    assert_eq!(
        r.json["error"]["details"]["param"],
        json!(["serverResponse"])
    );
    let r = get(&sb, &format!("{base}/{UNKNOWN_ID}"), &k).await;
    assert_eq!(
        (r.status, r.json["error"]["name"].clone()),
        (404, json!("serverResponseNotFoundError"))
    );
    let r = get(&sb, &format!("/mocks/{UNKNOWN_ID}/server-responses"), &k).await;
    assert_eq!(
        (r.status, r.json["error"]["name"].clone()),
        (404, json!("mockNotFoundError"))
    );
    let r = get(&sb, &base, &k).await;
    assert_eq!(
        r.json.as_array().map(Vec::len),
        Some(1),
        "a bare array: {}",
        r.text
    );

    // Created, not active; then active for every path and method.
    assert_eq!(hit(&url, "GET", "/pets", &[], None).await.status, 200);
    let activate =
        |sr: Value| json!({"mock": {"collection": uid, "config": {"serverResponseId": sr}}});
    let r = put(&sb, &format!("/mocks/{id}"), &k, activate(json!(sr))).await;
    assert_eq!(
        r.json["mock"]["config"]["serverResponseId"],
        json!(sr),
        "{}",
        r.text
    );
    for (m, p) in [("GET", "/pets"), ("POST", "/anything/at/all")] {
        let r = hit(&url, m, p, &[], None).await;
        assert_eq!(r.status, 503);
        assert_eq!(r.json, json!({"message": "down for maintenance"}));
        assert_eq!(r.header("retry-after"), Some("30"));
        assert_eq!(answered_by(&sb, &k, &id).await, "Outage");
    }
    // Update it, then switch it off with null.
    let r = put(
        &sb,
        &format!("{base}/{sr}"),
        &k,
        json!({"serverResponse": {"statusCode": 500}}),
    )
    .await;
    assert_eq!(r.json["statusCode"], 500, "{}", r.text);
    assert_eq!(hit(&url, "GET", "/pets", &[], None).await.status, 500);
    put(&sb, &format!("/mocks/{id}"), &k, activate(Value::Null)).await;
    assert_eq!(hit(&url, "GET", "/pets", &[], None).await.status, 200);
    // Deleting the active one leaves its stale ID and answers from the examples again.
    put(&sb, &format!("/mocks/{id}"), &k, activate(json!(sr))).await;
    let r = delete(&sb, &format!("{base}/{sr}"), &k).await;
    assert!(
        r.json.get("updatedAt").is_none() && r.json["id"] == json!(sr),
        "{}",
        r.text
    );
    assert_eq!(
        get(&sb, &format!("/mocks/{id}"), &k).await.json["mock"]["config"]["serverResponseId"],
        json!(sr)
    );
    assert_eq!(hit(&url, "GET", "/pets", &[], None).await.status, 200);
    // An ID the mock does not have is refused.
    let r = put(
        &sb,
        &format!("/mocks/{id}"),
        &k,
        activate(json!(UNKNOWN_ID)),
    )
    .await;
    assert_error(&r, 400, "invalidParamsError");
}

#[tokio::test]
async fn the_delay_of_the_mock_and_of_the_header() {
    let (sb, _k, _, id, url) = mocked().await;
    admin(
        &sb,
        "POST",
        &format!("/_sandbox/mocks/{id}"),
        json!({"delay": {"type": "fixed", "preset": "1", "duration": 300}}),
    )
    .await;
    let t = Instant::now();
    assert_eq!(hit(&url, "GET", "/pets", &[], None).await.status, 200);
    assert!(
        t.elapsed() >= Duration::from_millis(300),
        "the configured 300 ms"
    );
    let t = Instant::now();
    assert_eq!(
        hit(
            &url,
            "GET",
            "/pets",
            &[("x-mock-response-delay", "20")],
            None
        )
        .await
        .status,
        200
    );
    let took = t.elapsed();
    assert!(
        took >= Duration::from_millis(20) && took < Duration::from_millis(300),
        "{took:?}"
    );
}

#[tokio::test]
async fn call_logs_filter_sort_page_and_include() {
    let (sb, k, _, id, url) = mocked().await;
    set_clock(&sb, T0).await;
    hit(&url, "GET", "/pets?type=dog", &[], None).await;
    advance_secs(&sb, 10).await;
    hit(&url, "POST", "/pets", &[], Some("{\"name\":\"Rex\"}")).await;
    advance_secs(&sb, 10).await;
    hit(&url, "DELETE", "/pets", &[], None).await;
    let logs = |q: &str| {
        let (sb, k, id) = (&sb, &k, &id);
        let q = q.to_string();
        async move { get(sb, &format!("/mocks/{id}/call-logs{q}"), k).await }
    };
    let r = logs("").await;
    assert_eq!(
        r.strings("/call-logs", "responseName"),
        [
            "Double check your method and the request path and try again.",
            "Created",
            "Dogs"
        ],
        "newest first"
    );
    assert_eq!(r.json["meta"]["nextCursor"], Value::Null);
    let first = &r.json["call-logs"][2];
    assert_eq!(
        first["request"],
        json!({"method": "GET", "path": "/pets?type=dog"})
    );
    assert_eq!(
        first["response"],
        json!({"type": "success", "statusCode": 200})
    );
    assert_eq!(first["servedAt"], "2026-11-23T10:00:00.000Z");
    assert!(first["id"].as_str().unwrap().starts_with(&id));
    // Filters.
    assert_eq!(
        logs("?requestMethod=post")
            .await
            .strings("/call-logs", "responseName"),
        ["Created"]
    );
    assert_eq!(
        logs("?requestPath=%2FPETS%3Ftype%3Ddog")
            .await
            .strings("/call-logs", "responseName"),
        ["Dogs"]
    );
    assert_eq!(
        logs("?responseStatusCode=201")
            .await
            .strings("/call-logs", "responseName"),
        ["Created"]
    );
    assert_eq!(
        logs("?responseType=ERROR")
            .await
            .pluck("/call-logs", "response")[0]["statusCode"],
        404
    );
    let since = logs("?since=2026-11-23T10:00:05Z&until=2026-11-23T10:00:15Z").await;
    assert_eq!(since.strings("/call-logs", "responseName"), ["Created"]);
    // Sort and pages.
    let asc = logs("?sort=servedAt&direction=ASC&limit=2").await;
    assert_eq!(
        asc.strings("/call-logs", "responseName"),
        ["Dogs", "Created"]
    );
    let next = asc.string("/meta/nextCursor");
    let rest = logs(&format!(
        "?sort=servedAt&direction=asc&limit=2&cursor={next}"
    ))
    .await;
    assert_eq!(rest.pluck("/call-logs", "response")[0]["type"], "error");
    assert_eq!(rest.json["meta"]["nextCursor"], Value::Null);
    // Include.
    let full = logs(
        "?include=request.headers,request.body,response.headers,response.body&requestMethod=POST",
    )
    .await;
    let c = &full.json["call-logs"][0];
    assert_eq!(
        c["request"]["body"],
        json!({"mode": "raw", "data": "{\"name\":\"Rex\"}"})
    );
    assert_eq!(c["response"]["body"]["data"], "{\"id\":3,\"name\":\"Rex\"}");
    assert!(c["response"]["headers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["key"] == "Content-Type"));
    // The documented 400s.
    for (q, param) in [
        ("?sort=servedAt", "direction"),
        ("?direction=asc", "sort"),
        (
            "?since=2026-11-23T11:00:00Z&until=2026-11-23T10:00:00Z",
            "since",
        ),
    ] {
        let r = logs(q).await;
        assert_eq!(
            (r.status, r.json["error"]["details"]["param"].clone()),
            (400, json!(param)),
            "{q}"
        );
    }
    let r = logs("?since=2026-10-01T00:00:00Z").await;
    assert_eq!(r.status, 400);
    assert!(r.json["error"]["message"]
        .as_str()
        .unwrap()
        .contains("retention period"));
    // Past the retention, old calls are gone; the month's usage counted the three calls.
    assert_eq!(usage(&get(&sb, "/me", &k).await, "mock_usage"), 3);
    advance_secs(&sb, 31 * 86_400).await;
    assert!(logs("").await.json["call-logs"]
        .as_array()
        .unwrap()
        .is_empty());
    let r = get(&sb, &format!("/mocks/{UNKNOWN_ID}/call-logs"), &k).await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn the_rate_and_the_monthly_quota() {
    let (sb, k, _, _id, url) = mocked().await;
    set_clock(&sb, T0).await;
    post_admin(&sb, "/_sandbox/limits", json!({"mockPerMinute": 2})).await;
    for _ in 0..2 {
        assert_eq!(hit(&url, "GET", "/pets", &[], None).await.status, 200);
    }
    let r = hit(&url, "GET", "/pets", &[], None).await;
    assert_eq!(
        (r.status, r.json["error"]["name"].clone()),
        (429, json!("rateLimitError"))
    );
    assert!(r.json["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("Rate limit exceeded. Retry after "));
    advance_secs(&sb, 60).await;
    assert_eq!(hit(&url, "GET", "/pets", &[], None).await.status, 200);
    post_admin(
        &sb,
        "/_sandbox/limits",
        json!({"mockPerMinute": 120, "mockMonthly": 3}),
    )
    .await;
    let before = get(&sb, "/me", &k).await.api_usage()["usage"]
        .as_u64()
        .unwrap();
    let r = hit(&url, "GET", "/pets", &[], None).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.json["error"]["name"], "usageLimitError");
    assert_eq!(r.json["error"]["header"], "Usage limit reached");
    let me = get(&sb, "/me", &k).await;
    let op = me.json["operations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "mock_usage")
        .cloned();
    assert_eq!(
        op.map(|o| (o["usage"].clone(), o["limit"].clone())),
        Some((json!(3), json!(3)))
    );
    // Calls to the mock spend no API calls: only the second /me itself.
    assert_eq!(me.api_usage()["usage"].as_u64().unwrap() - before, 1);
}

#[tokio::test]
async fn cors_and_any_body_type() {
    let (sb, k, _, id, url) = mocked().await;
    let r = hit(
        &url,
        "OPTIONS",
        "/pets",
        &[
            ("Origin", "https://app.example"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "x-mock-response-code"),
        ],
        None,
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        r.header("access-control-allow-headers"),
        Some("x-mock-response-code")
    );
    let r = hit(
        &url,
        "GET",
        "/pets",
        &[("Origin", "https://app.example")],
        None,
    )
    .await;
    assert_eq!(
        (r.status, r.header("access-control-allow-origin")),
        (200, Some("*"))
    );
    // A text body (the API itself takes JSON only) reaches the mock.
    let rb = client()
        .post(format!("{url}/pets"))
        .header("Content-Type", "text/plain")
        .body("hello");
    assert_ne!(send(rb).await.status, 415);
    let r = get(
        &sb,
        &format!("/mocks/{id}/call-logs?limit=1&include=request.body"),
        &k,
    )
    .await;
    assert_eq!(
        r.json["call-logs"][0]["request"]["body"]["data"], "hello",
        "{}",
        r.text
    );
}

#[tokio::test]
async fn mocks_persist_with_their_logs() {
    let dir = fresh_dir("mocks-persist");
    let file = dir.join("state.json");
    let (sb, k) = started_as(with_state_file(&file), TAYLOR).await;
    let uid = post(&sb, "/collections", &k, pets())
        .await
        .string("/collection/uid");
    let r = post(&sb, "/mocks", &k, json!({"mock": {"collection": uid}})).await;
    let (id, url) = (r.string("/mock/id"), r.string("/mock/mockUrl"));
    assert_eq!(hit(&url, "GET", "/pets", &[], None).await.status, 200);
    sb.shutdown().await;
    let (sb, k) = started_as(with_state_file(&file), TAYLOR).await;
    assert_eq!(get(&sb, &format!("/mocks/{id}"), &k).await.status, 200);
    assert_eq!(answered_by(&sb, &k, &id).await, "All pets");
    let url = get(&sb, &format!("/mocks/{id}"), &k)
        .await
        .string("/mock/mockUrl");
    assert_eq!(hit(&url, "GET", "/pets/1", &[], None).await.status, 200);
}
