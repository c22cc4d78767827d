//! `/mocks*`: every operation's answers (success and error) against the spec's schemas, and
//! the errors against its named examples (REFERENCE-monitors-mocks.md §3.0, §3.9).

use super::*;

const T_LIST: &str = "/mocks";
const T_ONE: &str = "/mocks/{mockId}";
const T_LOGS: &str = "/mocks/{mockId}/call-logs";
const T_PUBLISH: &str = "/mocks/{mockId}/publish";
const T_UNPUBLISH: &str = "/mocks/{mockId}/unpublish";
const T_SRS: &str = "/mocks/{mockId}/server-responses";
const T_SR: &str = "/mocks/{mockId}/server-responses/{serverResponseId}";

/// The official body `name` with our collection and environment.
fn with_targets(name: &str, collection: &str, environment: &str) -> Value {
    let mut body = official(name);
    body["mock"]["collection"] = json!(collection);
    body["mock"]["environment"] = json!(environment);
    body
}

#[tokio::test]
async fn mocks() {
    let live = Live::start().await;
    let ws = first_workspace(&live).await;
    let (_, collection) = create_collection(&live, &ws, "Mocked").await;
    let (_, environment) = create_environment(&live, &ws, "Mock env").await;

    // Create: the official body; a missing collection; no key.
    let target = format!("/mocks?workspace={ws}");
    let body = with_targets("createMock", &collection, &environment);
    let r = live.call("POST", &target, Body::Json(body.clone())).await;
    let created = live.expect(&r, T_LIST, 200);
    has_keys(
        &live,
        &r,
        "/mock",
        "id owner uid collection mockUrl name config createdAt updatedAt environment",
    );
    let id = r.str_at("/mock/id").unwrap_or_default().to_string();
    let uid = r.str_at("/mock/uid").unwrap_or_default().to_string();
    assert!(
        created && !id.is_empty(),
        "POST /mocks failed: cannot go on"
    );
    let r = live
        .call(
            "POST",
            &target,
            Body::Json(json!({"mock": {"name": "No collection"}})),
        )
        .await;
    live.expect_example(&r, T_LIST, 400, "paramMissing400ErrorCollection");
    expect_401(&live, "POST", &target, T_LIST, Body::Json(body)).await;

    // List: all of mine, one workspace's, an unknown workspace's.
    for q in ["", &format!("?workspace={ws}")] {
        let r = live.get(&format!("/mocks{q}")).await;
        if live.expect(&r, T_LIST, 200) {
            live.check(
                r.ids("mocks").contains(&json!(id)),
                &r,
                "the new mock is listed",
            );
        }
    }
    let r = live.get(&format!("/mocks?workspace={UNKNOWN_ID}")).await;
    if live.expect(&r, T_LIST, 200) {
        live.expect_official(&r, "getMocksNoMocksFound");
    }
    expect_401(&live, "GET", "/mocks", T_LIST, Body::None).await;

    // Read, by ID and by UID; unknown.
    for path_id in [&id, &uid] {
        let r = live.get(&format!("/mocks/{path_id}")).await;
        if live.expect(&r, T_ONE, 200) {
            has_keys(
                &live,
                &r,
                "/mock",
                "id owner uid collection mockUrl name config isPublic deactivated",
            );
            has_keys(
                &live,
                &r,
                "/mock/config",
                "headers matchBody matchQueryParams matchWildcards delay serverResponseId",
            );
        }
    }
    let unknown = format!("/mocks/{UNKNOWN_ID}");
    let r = live.get(&unknown).await;
    live.expect_example(&r, T_ONE, 404, "mock404ErrorInstanceNotFound");
    let path = format!("/mocks/{id}");
    expect_401(&live, "GET", &path, T_ONE, Body::None).await;

    // Update with each official body; the documented 400s; unknown.
    for name in ["updateMock", "updateMockCollectionEnvironment"] {
        let body = with_targets(name, &collection, &environment);
        let r = live.call("PUT", &path, Body::Json(body)).await;
        if live.expect(&r, T_ONE, 200) {
            has_keys(&live, &r, "/mock", "id uid collection mockUrl name config");
        }
    }
    let r = live
        .call("PUT", &path, Body::Json(json!({"mock": {}})))
        .await;
    live.expect_example(&r, T_ONE, 400, "mock400ErrorPutMissingParam");
    let r = live
        .call("PUT", &path, Body::Json(json!({"mock": {"name": "x"}})))
        .await;
    if live.expect(&r, T_ONE, 400) {
        live.check(
            r.body["error"]["details"]["param"] == "collection",
            &r,
            "a PUT without collection names it (a string)",
        );
    }
    let body = with_targets("updateMock", &collection, &environment);
    let r = live.call("PUT", &unknown, Body::Json(body.clone())).await;
    live.expect_example(&r, T_ONE, 404, "mock404ErrorInstanceNotFound");
    expect_401(&live, "PUT", &path, T_ONE, Body::Json(body)).await;

    // Publish and unpublish: the official bodies, the "already" 400s, unknown, no key. The
    // official create body made it private.
    let publish = format!("{path}/publish");
    let unpublish = format!("{path}/unpublish");
    let r = live.call("POST", &publish, Body::None).await;
    if live.expect(&r, T_PUBLISH, 200) {
        live.check(
            r.body == json!({"mock": {"id": id}}),
            &r,
            "publish answers {mock:{id}}",
        );
    }
    let r = live.call("POST", &publish, Body::None).await;
    live.expect_example(&r, T_PUBLISH, 400, "mock400ErrorAlreadyPublished");
    let r = live.call("DELETE", &unpublish, Body::None).await;
    live.expect(&r, T_UNPUBLISH, 200);
    let r = live.call("DELETE", &unpublish, Body::None).await;
    live.expect_example(&r, T_UNPUBLISH, 400, "mock400ErrorAlreadyUnpublished");
    let r = live
        .call("POST", &format!("{unknown}/publish"), Body::None)
        .await;
    live.expect_example(&r, T_PUBLISH, 404, "mock404ErrorInstanceNotFound");
    let r = live
        .call("DELETE", &format!("{unknown}/unpublish"), Body::None)
        .await;
    live.expect_example(&r, T_UNPUBLISH, 404, "mock404ErrorInstanceNotFound");
    expect_401(&live, "POST", &publish, T_PUBLISH, Body::None).await;
    expect_401(&live, "DELETE", &unpublish, T_UNPUBLISH, Body::None).await;

    // Server responses: the official bodies, their 400s and 404s.
    let srs = format!("{path}/server-responses");
    let r = live
        .call(
            "POST",
            &srs,
            Body::Json(official("createMockServerResponse")),
        )
        .await;
    let sr = if live.expect(&r, T_SRS, 200) {
        has_keys(
            &live,
            &r,
            "",
            "id name statusCode headers language body createdBy updatedBy mock createdAt updatedAt",
        );
        r.str_at("/id").unwrap_or_default().to_string()
    } else {
        String::new()
    };
    for (body, example) in [
        (
            json!({"serverResponse": {"statusCode": 500}}),
            "paramMissing400ErrorName",
        ),
        (
            json!({"serverResponse": {"name": "x"}}),
            "paramMissing400ErrorResponseStatusCode",
        ),
        (json!({"name": "x"}), "paramMissing400ErrorServerResponse"),
    ] {
        let r = live.call("POST", &srs, Body::Json(body)).await;
        live.expect_example(&r, T_SRS, 400, example);
    }
    let r = live.get(&srs).await;
    if live.expect(&r, T_SRS, 200) {
        live.check(
            r.body.as_array().is_some_and(|a| a.len() == 1),
            &r,
            "a bare array of one",
        );
    }
    let one = format!("{srs}/{sr}");
    let r = live.get(&one).await;
    live.expect(&r, T_SR, 200);
    let r = live
        .call(
            "PUT",
            &one,
            Body::Json(official("updateMockServerResponse")),
        )
        .await;
    live.expect(&r, T_SR, 200);
    let r = live.get(&format!("{srs}/{UNKNOWN_ID}")).await;
    live.expect_example(
        &r,
        T_SR,
        404,
        "mockServerResponse404ErrorServerResponseNotFound",
    );
    let r = live.get(&format!("{unknown}/server-responses")).await;
    live.expect_example(&r, T_SRS, 404, "mockServerResponse404ErrorMockNotFound");
    expect_401(&live, "GET", &srs, T_SRS, Body::None).await;
    expect_401(&live, "GET", &one, T_SR, Body::None).await;

    // A call to the mock URL (the sandbox serves it), then the call logs.
    let url = live.get(&path).await.body["mock"]["mockUrl"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let answer = reqwest::Client::new()
        .get(format!("{url}/anything"))
        .header("x-api-key", live.key())
        .send()
        .await
        .map(|r| r.status().as_u16());
    assert_eq!(
        answer.ok(),
        Some(404),
        "the mock URL answers (no example matches)"
    );
    let logs = format!("{path}/call-logs");
    let r = live.get(&logs).await;
    if live.expect(&r, T_LOGS, 200) {
        live.check(
            r.items("call-logs").len() == 1 && r.body["meta"]["nextCursor"].is_null(),
            &r,
            "one call logged, the last page's cursor null",
        );
    }
    let r = live
        .get(&format!("{logs}?since=2000-01-01T00:00:00Z"))
        .await;
    live.expect_example(&r, T_LOGS, 400, "mock400ErrorLogRetentionPeriodExceeded");
    let r = live.get(&format!("{unknown}/call-logs")).await;
    live.expect_example(&r, T_LOGS, 404, "mock404ErrorInstanceNotFound");
    expect_401(&live, "GET", &logs, T_LOGS, Body::None).await;

    // Delete the server response, then the mock, twice.
    let r = live.call("DELETE", &one, Body::None).await;
    live.expect(&r, T_SR, 200);
    let r = live.call("DELETE", &one, Body::None).await;
    live.expect_example(
        &r,
        T_SR,
        404,
        "mockServerResponse404ErrorServerResponseNotFound",
    );
    let (first, again) = delete_twice(&live, &path, T_ONE).await;
    if live.expect(&first, T_ONE, 200) {
        live.check(
            first.body == json!({"mock": {"id": id, "uid": uid}}),
            &first,
            "the delete answers {id, uid}",
        );
    }
    live.expect_example(&again, T_ONE, 404, "mock404ErrorInstanceNotFound");
    live.finish("mocks").await;
}
