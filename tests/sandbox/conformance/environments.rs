//! `/environments*`, including the JSON-patch PATCH.

use super::*;

#[tokio::test]
async fn environments() {
    let live = Live::start().await;
    let t_list = "/environments";
    let t_one = "/environments/{environmentId}";
    let ws = first_workspace(&live).await;

    let r = live
        .send("GET", "/environments", live.auth(), Body::None)
        .await;
    live.expect(&r, t_list, 200);
    let r = live
        .send(
            "GET",
            &format!("/environments?workspace={UNKNOWN_ID}"),
            live.auth(),
            Body::None,
        )
        .await;
    if live.expect(&r, t_list, 200) {
        live.check(
            r.body == json!({"environments": []}),
            &r,
            "an unknown workspace lists {\"environments\":[]}",
        );
    }
    expect_401(&live, "GET", "/environments", t_list, Body::None).await;

    let official = Examples::get()
        .request_body("POST", t_list, "Create Environment")
        .clone();
    let target = format!("/environments?workspace={ws}");
    let r = live
        .send("POST", &target, live.auth(), Body::Json(official.clone()))
        .await;
    let (mut id, mut uid) = (String::new(), String::new());
    if live.expect(&r, t_list, 200) {
        has_keys(&live, &r, "/environment", &["id", "name", "uid"]);
        id = r.str_at("/environment/id").unwrap_or_default().to_string();
        uid = r.str_at("/environment/uid").unwrap_or_default().to_string();
    }
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
        let r = live.send("POST", &target, live.auth(), bad).await;
        if live.expect(&r, t_list, 400) {
            live.expect_error_name(&r, "malformedRequestError");
            if let Some(example) = example {
                live.expect_official(&r, example);
            }
        }
    }
    expect_401(&live, "POST", &target, t_list, Body::Json(official.clone())).await;
    assert!(!id.is_empty(), "POST /environments failed: cannot go on");

    let r = live
        .send("GET", "/environments", live.auth(), Body::None)
        .await;
    if live.expect(&r, t_list, 200) {
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
        let r = live
            .send(
                "GET",
                &format!("/environments/{path_id}"),
                live.auth(),
                Body::None,
            )
            .await;
        if live.expect(&r, t_one, 200) {
            has_keys(
                &live,
                &r,
                "/environment",
                &[
                    "id",
                    "name",
                    "owner",
                    "createdAt",
                    "updatedAt",
                    "values",
                    "isPublic",
                ],
            );
            let n = official["environment"]["values"].as_array().map(Vec::len);
            live.check(
                r.body
                    .pointer("/environment/values")
                    .and_then(Value::as_array)
                    .map(Vec::len)
                    == n,
                &r,
                "every posted variable is stored",
            );
        }
    }
    // Not found: the spec files it under 400 (environments404Error); REFERENCE recommends 404.
    let r = live
        .send(
            "GET",
            &format!("/environments/{UNKNOWN_ID}"),
            live.auth(),
            Body::None,
        )
        .await;
    if live.expect_decl(&r, t_one, 404, Decl::AsStatus(400)) {
        live.expect_body_one_of(&r, &env_not_found(UNKNOWN_ID));
    }
    expect_401(
        &live,
        "GET",
        &format!("/environments/{id}"),
        t_one,
        Body::None,
    )
    .await;

    // PUT: both official bodies.
    let path = format!("/environments/{id}");
    for (summary, body) in Examples::get().request_bodies_for("PUT", t_one) {
        let r = live
            .send("PUT", &path, live.auth(), Body::Json(body.clone()))
            .await;
        if !live.expect(&r, t_one, 200) {
            live.fail(format!(
                "official PUT environment body {summary:?} was refused"
            ));
            continue;
        }
        has_keys(&live, &r, "/environment", &["id", "name", "uid"]);
        let g = live.send("GET", &path, live.auth(), Body::None).await;
        let want = body["environment"]["values"].as_array().map(Vec::len);
        live.check(
            g.body
                .pointer("/environment/values")
                .and_then(Value::as_array)
                .map(Vec::len)
                == want,
            &g,
            &format!("after PUT {summary:?} the environment has exactly the sent variables"),
        );
    }
    let r = live
        .send(
            "PUT",
            &path,
            live.auth(),
            Body::Json(json!({"environment": "x"})),
        )
        .await;
    live.expect(&r, t_one, 400);
    let put = json!({"environment": {"name": "n", "values": []}});
    // PUT declares no 404: validate against the environments' not-found response.
    let r = live
        .send(
            "PUT",
            &format!("/environments/{UNKNOWN_ID}"),
            live.auth(),
            Body::Json(put.clone()),
        )
        .await;
    if live.expect_decl(&r, t_one, 404, Decl::Component("environments404Error")) {
        live.expect_body_one_of(&r, &env_not_found(UNKNOWN_ID));
    }
    expect_401(&live, "PUT", &path, t_one, Body::Json(put)).await;

    // DELETE.
    expect_401(&live, "DELETE", &path, t_one, Body::None).await;
    let r = live.send("DELETE", &path, live.auth(), Body::None).await;
    if live.expect(&r, t_one, 200) {
        live.check(
            r.str_at("/environment/id") == Some(id.as_str()),
            &r,
            "environment.id",
        );
        live.check(
            r.str_at("/environment/uid") == Some(uid.as_str()),
            &r,
            "environment.uid",
        );
    }
    let r = live.send("DELETE", &path, live.auth(), Body::None).await;
    if live.expect(&r, t_one, 404) {
        live.expect_body_one_of(&r, &env_not_found(&id));
    }
    live.finish("environments").await;
}

#[tokio::test]
async fn environments_patch() {
    let live = Live::start().await;
    let t_one = "/environments/{environmentId}";
    let ws = first_workspace(&live).await;
    let bodies = Examples::get().request_bodies_for("PATCH", t_one);
    assert_eq!(bodies.len(), 10, "official PATCH environment bodies");
    // Each official body is applied to a fresh environment with five variables (the official
    // "Remove Multiple Variables" body removes /values/4..1).
    for (summary, body) in bodies {
        let (id, _) = create_environment(&live, &ws, &format!("PATCH {summary}")).await;
        let path = format!("/environments/{id}");
        // values[1] is the official cloud-secret variable (the "Update Variable" body replaces
        // its `secret` and `source`).
        let secret = Examples::get().request_body("PUT", t_one, "Replace Environment Data")
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
        let r = live.send("PUT", &path, live.auth(), Body::Json(five)).await;
        assert_eq!(r.status, 200, "PUT five variables: {}", r.text);
        let r = live
            .send("PATCH", &path, live.auth(), Body::Json(body.clone()))
            .await;
        if !live.expect(&r, t_one, 200) {
            live.fail(format!(
                "official PATCH environment body {summary:?} was refused"
            ));
            continue;
        }
        has_keys(
            &live,
            &r,
            "/environment",
            &[
                "id",
                "name",
                "owner",
                "createdAt",
                "updatedAt",
                "values",
                "uid",
            ],
        );
        let g = live.send("GET", &path, live.auth(), Body::None).await;
        live.check(
            g.body.pointer("/environment/values") == r.body.pointer("/environment/values"),
            &g,
            &format!("GET after PATCH {summary:?} shows the patched values"),
        );
        let n = g
            .body
            .pointer("/environment/values")
            .and_then(Value::as_array)
            .map(Vec::len);
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
            live.check(
                g.str_at("/environment/name") == Some("Test API Environment"),
                &g,
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
        .send(
            "PATCH",
            &format!("/environments/{uid}"),
            live.auth(),
            Body::Raw(
                "application/json-patch+json",
                serde_json::to_vec(&rename).unwrap(),
            ),
        )
        .await;
    if live.expect(&r, t_one, 200) {
        live.check(
            r.str_at("/environment/name") == Some("Renamed by UID"),
            &r,
            "PATCH by UID with application/json-patch+json applies",
        );
    }
    let r = live
        .send(
            "PATCH",
            &path,
            live.auth(),
            Body::Json(json!({"op": "replace", "path": "/name", "value": "x"})),
        )
        .await;
    if live.expect(&r, t_one, 400) {
        live.expect_official(&r, "patchEnvironment400ErrorInvalidPatchBody");
    }
    let r = live
        .send(
            "PATCH",
            &path,
            live.auth(),
            Body::Json(json!([{"op": "replace", "path": "/values/99/value", "value": "x"}])),
        )
        .await;
    if live.expect(&r, t_one, 400) {
        let mut want = official("patchEnvironment400ErrorPath");
        want["instance"] = json!(path);
        live.expect_body_one_of(&r, &[("patchEnvironment400ErrorPath", want)]);
    }
    for (bad, detail) in [(
        json!([{"op": "frobnicate", "path": "/name", "value": "x"}]),
        "",
    )] {
        let r = live
            .send("PATCH", &path, live.auth(), Body::Json(bad))
            .await;
        if live.expect(&r, t_one, 400) {
            live.expect_problem(&r, "bad-request");
            if !detail.is_empty() {
                live.check(
                    r.str_at("/detail") == Some(detail),
                    &r,
                    &format!("detail is {detail:?}"),
                );
            }
        }
    }
    let ok = json!([{"op": "replace", "path": "/name", "value": "x"}]);
    let r = live
        .send(
            "PATCH",
            &format!("/environments/{UNKNOWN_ID}"),
            live.auth(),
            Body::Json(ok.clone()),
        )
        .await;
    if live.expect(&r, t_one, 404) {
        live.expect_body_one_of(&r, &env_not_found(UNKNOWN_ID));
    }
    expect_401(&live, "PATCH", &path, t_one, Body::Json(ok)).await;
    live.finish("environments_patch").await;
}
