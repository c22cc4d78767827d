//! `/me`, authentication and `/workspaces`.

use super::*;

#[tokio::test]
async fn me_and_authentication() {
    let live = Live::start().await;
    let r = live.get("/me").await;
    if live.expect(&r, "/me", 200) {
        let fields = "id username email fullName avatar isPublic teamId teamName teamDomain roles";
        has_keys(&live, &r, "/user", fields);
        live.check(
            r.body.pointer("/user/id").is_some_and(Value::is_u64),
            &r,
            "user.id is an integer",
        );
        let usage = r.body["operations"]
            .as_array()
            .and_then(|ops| ops.iter().find(|o| o["name"] == "api_usage"));
        live.check(
            usage.is_some_and(|u| {
                u["limit"].is_number() && u["usage"].is_number() && u["overage"].is_number()
            }),
            &r,
            "operations[] has api_usage {name, limit, usage, overage}",
        );
        for h in [
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-reset",
            "ratelimit-limit-month",
            "ratelimit-remaining-month",
        ] {
            live.check(
                r.header(h).is_some(),
                &r,
                &format!("rate-limit header {h} present"),
            );
        }
    }
    // The key is also accepted as the `apikey` query parameter; the header wins over it.
    let r = live
        .send("GET", "/me", Auth::Query(live.key()), Body::None)
        .await;
    live.expect(&r, "/me", 200);
    let r = live
        .send_with(
            "GET",
            &format!("/me?apikey={BAD_KEY}"),
            live.auth(),
            Body::None,
            &[],
        )
        .await;
    live.expect(&r, "/me", 200);
    // Header names are case-insensitive.
    let r = live
        .send_with(
            "GET",
            "/me",
            none(),
            Body::None,
            &[("X-API-Key", &live.key())],
        )
        .await;
    live.expect(&r, "/me", 200);
    expect_401(&live, "GET", "/me", "/me", Body::None).await;
    live.finish("me_and_authentication").await;
}

#[tokio::test]
async fn workspaces() {
    let live = Live::start().await;
    let t_list = "/workspaces";
    let t_one = "/workspaces/{workspaceId}";
    let r = live.get("/workspaces").await;
    if live.expect(&r, t_list, 200) {
        has_keys(&live, &r, "/workspaces/0", "id name type visibility");
        live.check(r.body.get("meta").is_none(), &r, "no meta without limit");
    }
    let r = live.get("/workspaces?limit=1").await;
    if live.expect(&r, t_list, 200) {
        live.check(
            r.body["workspaces"]
                .as_array()
                .is_some_and(|a| a.len() <= 1),
            &r,
            "limit=1 returns at most one workspace",
        );
        live.check(
            r.body.pointer("/meta/nextCursor").is_some(),
            &r,
            "meta.nextCursor with limit",
        );
        if let Some(c) = r.str_at("/meta/nextCursor").filter(|c| !c.is_empty()) {
            let r = live.get(&format!("/workspaces?limit=1&cursor={c}")).await;
            live.expect(&r, t_list, 200);
        }
    }
    for (q, example) in [
        ("limit=101", "workspace400ErrorInvalidLimitValue"),
        ("type=galaxy", "workspace400ErrorInvalidTypeFilter"),
        (
            "elementType=collection",
            "workspace400ErrorMissingElementIdFilter",
        ),
    ] {
        let r = live.get(&format!("/workspaces?{q}")).await;
        if live.expect(&r, t_list, 400) {
            live.expect_official(&r, example);
        }
    }
    expect_401(&live, "GET", "/workspaces", t_list, Body::None).await;

    // Create, read, update, delete.
    let create =
        json!({"workspace": {"name": "Conformance WS", "type": "personal", "description": "d"}});
    let r = live
        .call("POST", "/workspaces", Body::Json(create.clone()))
        .await;
    let mut ws = String::new();
    if live.expect(&r, t_list, 200) {
        has_keys(&live, &r, "/workspace", "id name");
        ws = r.str_at("/workspace/id").unwrap_or_default().to_string();
    }
    for bad in [
        Body::Json(json!({})),
        Body::Json(json!({"name": "x"})),
        Body::Raw("application/json", b"{not json".to_vec()),
    ] {
        let exact = matches!(bad, Body::Json(_));
        let r = live.call("POST", "/workspaces", bad).await;
        if live.expect(&r, t_list, 400) {
            live.expect_error_name(&r, "malformedRequestError");
            if exact {
                live.expect_official(&r, "workspace400ErrorMalformedRequest");
            }
        }
    }
    expect_401(&live, "POST", "/workspaces", t_list, Body::Json(create)).await;
    assert!(!ws.is_empty(), "POST /workspaces failed: cannot go on");

    let one = format!("/workspaces/{ws}");
    let r = live.get(&one).await;
    if live.expect(&r, t_one, 200) {
        let fields =
            "id name type visibility createdBy createdAt updatedAt collections environments";
        has_keys(&live, &r, "/workspace", fields);
        live.check_str(&r, "/workspace/id", &ws, "workspace.id is the path id");
    }
    let unknown = format!("/workspaces/{UNKNOWN_ID}");
    let r = live.get(&unknown).await;
    live.expect_example(&r, t_one, 404, "workspace404ErrorNotFound");
    expect_401(&live, "GET", &one, t_one, Body::None).await;

    let update = json!({"workspace": {"name": "Conformance WS renamed", "type": "personal"}});
    let r = live.call("PUT", &one, Body::Json(update.clone())).await;
    if live.expect(&r, t_one, 200) {
        live.check_str(&r, "/workspace/id", &ws, "workspace.id");
        let renamed = "Conformance WS renamed";
        live.check_str(
            &r,
            "/workspace/name",
            renamed,
            "workspace.name is the new name",
        );
    }
    let r = live.call("PUT", &unknown, Body::Json(update.clone())).await;
    live.expect_example(&r, t_one, 404, "instanceNotFoundWorkspace");
    let r = live.call("PUT", &one, Body::Json(json!({}))).await;
    live.expect_example(&r, t_one, 400, "workspace400ErrorMalformedRequest");
    expect_401(&live, "PUT", &one, t_one, Body::Json(update)).await;

    let (r, again) = delete_twice(&live, &one, t_one).await;
    if live.expect(&r, t_one, 200) {
        live.check_str(&r, "/workspace/id", &ws, "workspace.id");
    }
    // The spec files DELETE's not-found under 400 (instanceNotFoundError).
    live.expect_example(&again, t_one, 400, "workspace400Error");
    let r = live.get(&one).await;
    live.expect(&r, t_one, 404);
    live.finish("workspaces").await;
}
