//! `/environments*`, including the JSON-patch PATCH.

use super::*;

const T_LIST: &str = "/environments";
const T_ONE: &str = "/environments/{environmentId}";

/// A well-formed environment path that names no environment.
const UNKNOWN_ENVIRONMENT: &str = "/environments/00000000-0000-4000-8000-000000000000";

/// How many variables a response's `environment.values` holds.
fn values_len(r: &Resp) -> Option<usize> {
    let values = r.body.pointer("/environment/values");
    values.and_then(Value::as_array).map(Vec::len)
}

#[tokio::test]
async fn environments() {
    let live = Live::start().await;
    let ws = first_workspace(&live).await;

    let r = live.get("/environments").await;
    live.expect(&r, T_LIST, 200);
    expect_unknown_workspace_lists_nothing(&live, "environments").await;
    expect_401(&live, "GET", "/environments", T_LIST, Body::None).await;

    let official = official_request("POST", T_LIST, "Create Environment");
    let target = format!("/environments?workspace={ws}");
    let (_, id, uid) = expect_created(&live, "environment", &target, official.clone()).await;
    for (bad, example) in [
        (
            Body::Json(json!({"environment": {"values": []}})),
            Some("environments400ErrorMalformedRequest"),
        ),
        (
            Body::Json(json!({"environment": {"name": "n", "values": [null]}})),
            Some("environments400ErrorInvalidType"),
        ),
        (
            Body::Raw("application/json", b"{\"environment\"".to_vec()),
            None,
        ),
    ] {
        let r = live.call("POST", &target, bad).await;
        if live.expect(&r, T_LIST, 400) {
            live.expect_error_name(&r, "malformedRequestError");
            if let Some(example) = example {
                live.expect_official(&r, example);
            }
        }
    }
    expect_401(&live, "POST", &target, T_LIST, Body::Json(official.clone())).await;
    assert!(!id.is_empty(), "POST /environments failed: cannot go on");

    let r = live.get("/environments").await;
    if live.expect(&r, T_LIST, 200) {
        let listed = r.body["environments"]
            .as_array()
            .and_then(|a| a.iter().find(|e| e["id"] == json!(id)));
        live.check(
            listed.is_some_and(|e| {
                [
                    "id",
                    "name",
                    "createdAt",
                    "updatedAt",
                    "owner",
                    "uid",
                    "isPublic",
                ]
                .iter()
                .all(|k| e.get(*k).is_some())
            }),
            &r,
            "the new environment is listed with {id,name,createdAt,updatedAt,owner,uid,isPublic}",
        );
    }
    for path_id in [&id, &uid] {
        let r = live.get(&format!("/environments/{path_id}")).await;
        if live.expect(&r, T_ONE, 200) {
            let fields = "id name owner createdAt updatedAt values isPublic";
            has_keys(&live, &r, "/environment", fields);
            let n = official["environment"]["values"].as_array().map(Vec::len);
            live.check(values_len(&r) == n, &r, "every posted variable is stored");
        }
    }
    // Not found: the spec files it under 400 (environments404Error); REFERENCE recommends 404.
    let r = live.get(UNKNOWN_ENVIRONMENT).await;
    if live.expect_decl(&r, T_ONE, 404, Decl::AsStatus(400)) {
        live.expect_body_one_of(&r, &env_not_found(UNKNOWN_ID));
    }
    expect_401(
        &live,
        "GET",
        &format!("/environments/{id}"),
        T_ONE,
        Body::None,
    )
    .await;

    // PUT: both official bodies.
    let path = format!("/environments/{id}");
    for (summary, body) in Examples::get().request_bodies_for("PUT", T_ONE) {
        let r = live.call("PUT", &path, Body::Json(body.clone())).await;
        if !live.expect(&r, T_ONE, 200) {
            live.fail(format!(
                "official PUT environment body {summary:?} was refused"
            ));
            continue;
        }
        has_keys(&live, &r, "/environment", "id name uid");
        let g = live.get(&path).await;
        let want = body["environment"]["values"].as_array().map(Vec::len);
        live.check(
            values_len(&g) == want,
            &g,
            &format!("after PUT {summary:?} the environment has exactly the sent variables"),
        );
    }
    let r = live
        .call("PUT", &path, Body::Json(json!({"environment": "x"})))
        .await;
    live.expect(&r, T_ONE, 400);
    let put = json!({"environment": {"name": "n", "values": []}});
    // PUT declares no 404: validate against the environments' not-found response.
    let r = live
        .call("PUT", UNKNOWN_ENVIRONMENT, Body::Json(put.clone()))
        .await;
    if live.expect_decl(&r, T_ONE, 404, Decl::Component("environments404Error")) {
        live.expect_body_one_of(&r, &env_not_found(UNKNOWN_ID));
    }
    expect_401(&live, "PUT", &path, T_ONE, Body::Json(put)).await;

    // DELETE.
    let (r, again) = delete_twice(&live, &path, T_ONE).await;
    if live.expect(&r, T_ONE, 200) {
        live.check_str(&r, "/environment/id", &id, "environment.id");
        live.check_str(&r, "/environment/uid", &uid, "environment.uid");
    }
    if live.expect(&again, T_ONE, 404) {
        live.expect_body_one_of(&again, &env_not_found(&id));
    }
    live.finish("environments").await;
}

#[tokio::test]
async fn environments_patch() {
    let live = Live::start().await;
    let ws = first_workspace(&live).await;
    let bodies = Examples::get().request_bodies_for("PATCH", T_ONE);
    assert_eq!(bodies.len(), 10, "official PATCH environment bodies");
    // Each official body is applied to a fresh environment with five variables (the official
    // "Remove Multiple Variables" body removes /values/4..1).
    for (summary, body) in bodies {
        let (id, _) = create_environment(&live, &ws, &format!("PATCH {summary}")).await;
        let path = format!("/environments/{id}");
        // values[1] is the official cloud-secret variable (the "Update Variable" body replaces
        // its `secret` and `source`).
        let secret = Examples::get().request_body("PUT", T_ONE, "Replace Environment Data")
            ["environment"]["values"]
            .as_array()
            .and_then(|a| a.iter().find(|v| v.get("source").is_some()))
            .cloned()
            .expect("the official PUT body has a secret variable");
        let values: Vec<Value> = (0..5)
            .map(|i| {
                if i == 1 {
                    secret.clone()
                } else {
                    json!({"key": format!("k{i}"), "value": format!("v{i}"), "enabled": true, "type": "default", "description": format!("d{i}")})
                }
            })
            .collect();
        let five = json!({"environment": {"name": "five", "values": values}});
        let r = live.call("PUT", &path, Body::Json(five)).await;
        assert_eq!(r.status, 200, "PUT five variables: {}", r.text);
        let r = live.call("PATCH", &path, Body::Json(body.clone())).await;
        if !live.expect(&r, T_ONE, 200) {
            live.fail(format!(
                "official PATCH environment body {summary:?} was refused"
            ));
            continue;
        }
        let fields = "id name owner createdAt updatedAt values uid";
        has_keys(&live, &r, "/environment", fields);
        let g = live.get(&path).await;
        live.check(
            g.body.pointer("/environment/values") == r.body.pointer("/environment/values"),
            &g,
            &format!("GET after PATCH {summary:?} shows the patched values"),
        );
        let n = values_len(&g);
        let expected = match summary.as_str() {
            "Add Variable" | "Add Secret Variable" => Some(6),
            "Remove Variable" => Some(4),
            "Remove Multiple Variables" => Some(1),
            "Remove and Add Variable" => Some(4),
            _ => Some(5),
        };
        live.check(
            n == expected,
            &g,
            &format!("after {summary:?} there are {expected:?} variables, got {n:?}"),
        );
        if summary == "Update Environment Name" {
            live.check_str(
                &g,
                "/environment/name",
                "Test API Environment",
                "name replaced",
            );
        }
    }
    let (id, uid) = create_environment(&live, &ws, "PATCH errors").await;
    let path = format!("/environments/{id}");
    // Clients send the patch array as application/json-patch+json or as application/json
    // (REFERENCE §11), and address environments by id or UID.
    let rename = json!([{"op": "replace", "path": "/name", "value": "Renamed by UID"}]);
    let r = live
        .call(
            "PATCH",
            &format!("/environments/{uid}"),
            Body::Raw(
                "application/json-patch+json",
                serde_json::to_vec(&rename).unwrap(),
            ),
        )
        .await;
    if live.expect(&r, T_ONE, 200) {
        live.check_str(
            &r,
            "/environment/name",
            "Renamed by UID",
            "PATCH by UID with application/json-patch+json applies",
        );
    }
    let r = live
        .call(
            "PATCH",
            &path,
            Body::Json(json!({"op": "replace", "path": "/name", "value": "x"})),
        )
        .await;
    live.expect_example(&r, T_ONE, 400, "patchEnvironment400ErrorInvalidPatchBody");
    let r = live
        .call(
            "PATCH",
            &path,
            Body::Json(json!([{"op": "replace", "path": "/values/99/value", "value": "x"}])),
        )
        .await;
    if live.expect(&r, T_ONE, 400) {
        let mut want = official("patchEnvironment400ErrorPath");
        want["instance"] = json!(path);
        live.expect_body_one_of(&r, &[("patchEnvironment400ErrorPath", want)]);
    }
    for (bad, detail) in [(
        json!([{"op": "frobnicate", "path": "/name", "value": "x"}]),
        "",
    )] {
        let r = live.call("PATCH", &path, Body::Json(bad)).await;
        if live.expect(&r, T_ONE, 400) {
            live.expect_problem(&r, "bad-request");
            if !detail.is_empty() {
                live.check_str(&r, "/detail", detail, &format!("detail is {detail:?}"));
            }
        }
    }
    let ok = json!([{"op": "replace", "path": "/name", "value": "x"}]);
    let r = live
        .call("PATCH", UNKNOWN_ENVIRONMENT, Body::Json(ok.clone()))
        .await;
    if live.expect(&r, T_ONE, 404) {
        live.expect_body_one_of(&r, &env_not_found(UNKNOWN_ID));
    }
    expect_401(&live, "PATCH", &path, T_ONE, Body::Json(ok)).await;
    live.finish("environments_patch").await;
}
