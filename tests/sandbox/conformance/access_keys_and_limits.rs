//! Collection access keys, body caps (413) and rate limits (429).

use super::*;

#[tokio::test]
async fn collection_access_keys() {
    let live = Live::start().await;
    let t_list = "/collection-access-keys";
    let t_one = "/collection-access-keys/{keyId}";
    let t_coll = "/collections/{collectionId}";
    let ws = first_workspace(&live).await;
    let (_, uid) = create_collection(&live, &ws, "Shared by key").await;
    let minted = live.mint_access_key(&uid).await;
    let token = minted["token"].as_str().expect("minted token").to_string();
    let key_id = minted["id"].as_str().expect("minted id").to_string();
    assert!(token.starts_with("PMAT-"), "{minted}");

    // The key opens GET /collections/{uid} without an API key.
    let r = live.get_shared(&uid, &token).await;
    if live.expect(&r, t_coll, 200) {
        live.check_str(&r, "/collection/info/uid", &uid, "the keyed collection");
    }
    // A key opens only its own collection.
    let (_, other_uid) = create_collection(&live, &ws, "Not shared").await;
    let r = live.get_shared(&other_uid, &token).await;
    live.expect(&r, t_coll, 401);
    // A wrong key opens nothing.
    let wrong = format!("PMAT-{}", "0".repeat(26));
    let r = live.get_shared(&uid, &wrong).await;
    live.expect(&r, t_coll, 401);

    let r = live.get("/collection-access-keys").await;
    if live.expect(&r, t_list, 200) {
        let listed = r.body["data"]
            .as_array()
            .and_then(|a| a.iter().find(|k| k["id"] == json!(key_id)));
        match listed {
            None => live.fail(format!(
                "GET /collection-access-keys does not list key {key_id}: {}",
                r.text
            )),
            Some(k) => {
                let masked = format!("PMAT-{}{}", "*".repeat(22), &token[token.len() - 4..]);
                live.check(
                    k["token"] == json!(masked),
                    &r,
                    &format!("token is masked as {masked}"),
                );
                live.check(k["status"] == json!("ACTIVE"), &r, "status ACTIVE");
                live.check(
                    k["collectionId"] == json!(uid),
                    &r,
                    "collectionId is the UID",
                );
                live.check(
                    k["userId"].is_u64() && k["teamId"].is_u64(),
                    &r,
                    "userId and teamId are integers",
                );
                live.check(
                    k["lastUsedAt"].is_string(),
                    &r,
                    "lastUsedAt is a string (\"\" if never used)",
                );
            }
        }
        has_keys(&live, &r, "/meta", "nextCursor");
    }
    let r = live
        .get(&format!("/collection-access-keys?collectionId={uid}"))
        .await;
    if live.expect(&r, t_list, 200) {
        live.check(
            r.body["data"].as_array().is_some_and(|a| {
                !a.is_empty() && a.iter().all(|k| k["collectionId"] == json!(uid))
            }),
            &r,
            "collectionId filter",
        );
    }
    let r = live
        .get("/collection-access-keys?cursor=not-a-cursor")
        .await;
    live.expect_example(&r, t_list, 400, "common400ErrorInvalidCursor");
    expect_401(&live, "GET", "/collection-access-keys", t_list, Body::None).await;

    let one = format!("/collection-access-keys/{key_id}");
    let (r, again) = delete_twice(&live, &one, t_one).await;
    live.expect(&r, t_one, 204);
    live.check(r.text.is_empty(), &r, "204 has an empty body");
    live.expect_example(&again, t_one, 404, "cakNotFound404Error");
    // A revoked key opens nothing.
    let r = live.get_shared(&uid, &token).await;
    live.expect(&r, t_coll, 401);
    live.finish("collection_access_keys").await;
}

#[tokio::test]
async fn body_size_limits_413() {
    let live = Live::with_limits(Limits {
        collection_body_max: 2048,
        environment_body_max: 2048,
        ..Limits::lifted()
    })
    .await;
    let ws = first_workspace(&live).await;
    let (env, _) = create_environment(&live, &ws, "small").await;
    let (_, coll) = create_collection(&live, &ws, "small").await;
    let big = "x".repeat(4096);
    let big_env = json!({"environment": {"name": "big", "values": [{"key": "k", "value": big}]}});
    let mut big_coll = official_request("POST", "/collections", "Create Collection");
    big_coll["collection"]["info"]["description"] = json!(big);
    let cases = [
        (
            "POST",
            format!("/environments?workspace={ws}"),
            "/environments",
            big_env.clone(),
            Decl::Declared,
        ),
        (
            "PUT",
            format!("/environments/{env}"),
            "/environments/{environmentId}",
            big_env.clone(),
            Decl::Declared,
        ),
        (
            "PATCH",
            format!("/environments/{env}"),
            "/environments/{environmentId}",
            json!([{"op": "replace", "path": "/name", "value": big}]),
            Decl::Declared,
        ),
        // The collection endpoints declare no 413: validate against the shared 413 response.
        (
            "POST",
            format!("/collections?workspace={ws}"),
            "/collections",
            big_coll.clone(),
            Decl::Component("common413Error"),
        ),
        (
            "PUT",
            format!("/collections/{coll}"),
            "/collections/{collectionId}",
            big_coll,
            Decl::Component("common413Error"),
        ),
    ];
    for (method, target, template, body, decl) in cases {
        let r = live.call(method, &target, Body::Json(body)).await;
        if live.expect_decl(&r, template, 413, decl) {
            live.expect_official(&r, "common413Error");
        }
    }
    // A chunked body (no Content-Length) is capped as it streams in.
    let chunk = "x".repeat(1024);
    let mut raw = format!(
        "POST /environments?workspace={ws} HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: {}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        live.key()
    );
    let json_start = "{\"environment\":{\"name\":\"";
    raw.push_str(&format!("{:x}\r\n{json_start}\r\n", json_start.len()));
    for _ in 0..4 {
        raw.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
    }
    raw.push_str("4\r\n\"}}\n\r\n0\r\n\r\n");
    let r = live
        .raw("POST", "/environments (chunked)", raw.as_bytes())
        .await;
    if live.expect_decl(&r, "/environments", 413, Decl::Declared) {
        live.expect_official(&r, "common413Error");
    }
    live.finish("body_size_limits_413").await;
}

/// `n` calls of `GET target` are let through; the next one is the spec's shared 429 with error
/// name `name`: returned when it validates.
async fn expect_429_after(live: &Live, target: &str, n: usize, name: &str) -> Option<Resp> {
    for i in 0..n {
        let r = live.get(target).await;
        live.check_status(&r, 200, &format!("request {} of {n} is allowed", i + 1));
    }
    let r = live.get(target).await;
    if !live.expect_decl(&r, target, 429, Decl::Component("common429Error")) {
        return None;
    }
    live.expect_error_name(&r, name);
    Some(r)
}

/// Spec has no 429 on these operations; bodies are validated against its shared
/// `common429Error` response and must carry REFERENCE §8.3's names and retry headers.
#[tokio::test]
async fn rate_limits_429() {
    // Per-user per-window limit.
    let live = Live::lifted_but(|l| l.per_minute = 3).await;
    if let Some(r) = expect_429_after(&live, "/me", 3, "rateLimited").await {
        for h in ["retry-after", "x-ratelimit-retryafter"] {
            let secs = r.header(h).and_then(|v| v.parse::<u64>().ok());
            live.check(
                secs.is_some_and(|s| (1..=60).contains(&s)),
                &r,
                &format!("{h} gives 1..=60 seconds"),
            );
        }
        live.check(
            r.header("x-ratelimit-remaining") == Some("0"),
            &r,
            "x-ratelimit-remaining is 0",
        );
    }
    if let Some(other) = live.other_key() {
        let r = live.send("GET", "/me", Auth::Key(other), Body::None).await;
        let unlimited = "the limit is per user: another user is not limited";
        live.check_status(&r, 200, unlimited);
    }
    live.finish("rate_limits_429 (per minute)").await;

    // The 10-per-10-seconds class (GET /collections, GET /workspaces, GET /workspaces/{id}).
    let live = Live::lifted_but(|l| l.heavy_limit = 2).await;
    // Within the endpoint limit, then limited.
    if let Some(r) = expect_429_after(&live, "/collections", 2, "rateLimited").await {
        live.check(r.header("retry-after").is_some(), &r, "Retry-After present");
    }
    let r = live.get("/me").await;
    let unlimited = "other endpoints are not limited by the endpoint class";
    live.check_status(&r, 200, unlimited);
    live.finish("rate_limits_429 (endpoint class)").await;

    // Monthly usage exhausted.
    let live = Live::lifted_but(|l| l.monthly = 2).await;
    // Within the monthly quota, then limited.
    if let Some(r) = expect_429_after(&live, "/me", 2, "serviceLimitExhausted").await {
        live.check(
            r.header("ratelimit-remaining-month") == Some("0"),
            &r,
            "RateLimit-Remaining-Month is 0",
        );
    }
    live.finish("rate_limits_429 (monthly)").await;
}
