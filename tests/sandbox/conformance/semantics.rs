//! The seeded data in the documented shapes, documented semantics, pagination.

use super::*;

/// Every seeded object, for every seeded user, is served in the documented shape: each
/// workspace, collection (minimal against the spec; full as valid Collection Format v2.1 with an
/// id on every item) and environment.
#[tokio::test]
async fn seeded_data_sweep() {
    let live = Live::start().await;
    let mut collections = 0;
    let mut environments = 0;
    let mut workspaces = 0;
    let mut forks = 0;
    let keys: Vec<String> = live.keys.values().cloned().collect();
    for key in keys {
        let auth = || Auth::Key(key.clone());
        workspaces += read_each(&live, &key, "workspaces", "/workspaces/{workspaceId}").await;
        let r = live.send("GET", "/collections", auth(), Body::None).await;
        if live.expect(&r, "/collections", 200) {
            for c in r.items("collections") {
                let uid = c["uid"].as_str().unwrap_or_default();
                let g = live
                    .send("GET", &format!("/collections/{uid}"), auth(), Body::None)
                    .await;
                if live.check_status(
                    &g,
                    200,
                    "status 200 (schema: see seeded_collections_match_response_schema)",
                ) {
                    // A fork is a fork in both views: the list's `fork` is `info.fork`.
                    if let Some(fork) = c.get("fork") {
                        forks += 1;
                        live.check(
                            fork["label"].is_string()
                                && fork["createdAt"].is_string()
                                && fork["from"].is_string(),
                            &r,
                            "a listed fork has {label, createdAt, from}",
                        );
                        live.check(
                            g.body.pointer("/collection/info/fork") == Some(fork),
                            &g,
                            "info.fork equals the list's fork object",
                        );
                    }
                    let v = collection_format_violations(&g.body["collection"]);
                    live.check(
                        v.is_empty(),
                        &g,
                        &format!(
                            "not valid Collection Format v2.1: {}",
                            v.iter()
                                .take(8)
                                .map(|v| v.to_string())
                                .collect::<Vec<_>>()
                                .join("; ")
                        ),
                    );
                    let mut missing = Vec::new();
                    items_without_id(
                        &g.body["collection"]["item"],
                        "/collection/item",
                        &mut missing,
                    );
                    live.check(
                        missing.is_empty(),
                        &g,
                        &format!("items without id/uid: {missing:?}"),
                    );
                }
                let m = live
                    .send(
                        "GET",
                        &format!("/collections/{uid}?model=minimal"),
                        auth(),
                        Body::None,
                    )
                    .await;
                live.expect(&m, "/collections/{collectionId}", 200);
                collections += 1;
            }
        }
        let one = "/environments/{environmentId}";
        environments += read_each(&live, &key, "environments", one).await;
        let r = live
            .send("GET", "/collection-access-keys", auth(), Body::None)
            .await;
        live.expect(&r, "/collection-access-keys", 200);
    }
    eprintln!(
        "swept {workspaces} workspaces, {collections} collections, {environments} environments"
    );
    if collections < 25 {
        live.fail(format!(
            "the seed should serve the 25 official example collections; saw {collections}"
        ));
    }
    live.check(
        environments > 0,
        &Resp::empty(),
        "the seed has environments",
    );
    live.check(
        forks > 0,
        &Resp::empty(),
        "the seed has a forked collection",
    );
    live.finish("seeded_data_sweep").await;
}

/// `GET /{list}` as `key`, then `GET /{list}/{id}` of every listed element, each validated
/// against the spec (`one` is the element's template); returns how many were read.
async fn read_each(live: &Live, key: &str, list: &str, one: &str) -> usize {
    let auth = || Auth::Key(key.to_owned());
    let r = live
        .send("GET", &format!("/{list}"), auth(), Body::None)
        .await;
    let mut read = 0;
    if live.expect(&r, &format!("/{list}"), 200) {
        for e in r.items(list) {
            let id = e["id"].as_str().unwrap_or_default();
            let target = format!("/{list}/{id}");
            let g = live.send("GET", &target, auth(), Body::None).await;
            live.expect(&g, one, 200);
            read += 1;
        }
    }
    read
}

/// Every folder, request and saved response carries `id` and `uid` (REFERENCE §11: clients
/// round-trip GET into PUT).
fn items_without_id(items: &Value, at: &str, out: &mut Vec<String>) {
    for (i, item) in items.as_array().into_iter().flatten().enumerate() {
        let here = format!("{at}/{i}");
        if !item["id"].is_string() || !item["uid"].is_string() {
            out.push(here.clone());
        }
        for (j, resp) in item["response"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            if !resp["id"].is_string() || !resp["uid"].is_string() {
                out.push(format!("{here}/response/{j}"));
            }
        }
        items_without_id(&item["item"], &format!("{here}/item"), out);
    }
}

/// Behaviour the documented shapes imply: PUT keeps the item ids it is sent and gives new ids
/// to items sent without one; `name=` is an exact match; a workspace lists its elements and
/// deleting it removes them; access-key use is recorded; rate-limit headers follow the policy.
#[tokio::test]
async fn documented_semantics() {
    let live = Live::start().await;
    let ws = {
        let r = live
            .call(
                "POST",
                "/workspaces",
                Body::Json(json!({"workspace": {"name": "Semantics", "type": "personal"}})),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.str_at("/workspace/id").unwrap().to_string()
    };
    let (cid, uid) = create_collection(&live, &ws, "Semantics collection").await;
    let (eid, _) = create_environment(&live, &ws, "Semantics environment").await;

    // PUT round-trip: kept ids stay, id-less items get fresh ones.
    let g = live.get(&format!("/collections/{uid}")).await;
    let mut c = g.body["collection"].clone();
    let kept = c["item"][0]["id"].as_str().unwrap_or_default().to_string();
    c["item"].as_array_mut().unwrap().push(
        json!({"name": "New request", "request": {"method": "GET", "url": "https://example.com/"}}),
    );
    let r = live
        .call(
            "PUT",
            &format!("/collections/{uid}"),
            Body::Json(json!({"collection": c})),
        )
        .await;
    if live.expect(&r, "/collections/{collectionId}", 200) {
        let g = live.get(&format!("/collections/{uid}")).await;
        let items = g.body["collection"]["item"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        live.check(items.len() == 2, &g, "two items after PUT");
        live.check(
            items.first().is_some_and(|i| i["id"] == json!(kept)),
            &g,
            "the item sent with its id keeps it",
        );
        live.check(
            items
                .get(1)
                .is_some_and(|i| i["id"].is_string() && i["id"] != json!(kept)),
            &g,
            "the item sent without an id gets a new one",
        );
    }

    // name= is an exact match.
    let r = live.get("/collections?name=Semantics%20collection").await;
    if live.expect(&r, "/collections", 200) {
        let ids = r.ids("collections");
        live.check(
            ids == vec![json!(cid)],
            &r,
            "name= finds exactly the one collection",
        );
    }
    let r = live.get("/collections?name=Semantics").await;
    if live.expect(&r, "/collections", 200) {
        live.check(
            r.body["collections"] == json!([]),
            &r,
            "no partial name matches",
        );
    }

    // The workspace lists its elements.
    let r = live.get(&format!("/workspaces/{ws}")).await;
    if live.expect(&r, "/workspaces/{workspaceId}", 200) {
        let has = |list: &str, id: &str| {
            r.body["workspace"][list]
                .as_array()
                .is_some_and(|a| a.iter().any(|e| e["id"] == json!(id)))
        };
        live.check(
            has("collections", &cid),
            &r,
            "workspace.collections lists the collection",
        );
        live.check(
            has("environments", &eid),
            &r,
            "workspace.environments lists the environment",
        );
    }

    // Access key use is recorded (lastUsedAt "" → a timestamp).
    let minted = live.mint_access_key(&uid).await;
    let token = minted["token"].as_str().unwrap().to_string();
    let key_id = minted["id"].as_str().unwrap().to_string();
    let listed = |r: &Resp| {
        r.body["data"]
            .as_array()
            .and_then(|a| a.iter().find(|k| k["id"] == json!(key_id)).cloned())
    };
    let r = live.get("/collection-access-keys").await;
    live.check(
        listed(&r).is_some_and(|k| k["lastUsedAt"] == json!("")),
        &r,
        "lastUsedAt is \"\" before use",
    );
    let r = live.get_shared(&uid, &token).await;
    live.expect(&r, "/collections/{collectionId}", 200);
    let r = live.get("/collection-access-keys").await;
    live.check(
        listed(&r).is_some_and(|k| {
            k["lastUsedAt"]
                .as_str()
                .is_some_and(|s| s.ends_with('Z') && s.len() == 24)
        }),
        &r,
        "lastUsedAt is an ISO-8601 UTC timestamp with milliseconds after use",
    );

    // The workspace filter lists exactly that workspace's elements.
    for (list, id) in [("collections", &cid), ("environments", &eid)] {
        let r = live.get(&format!("/{list}?workspace={ws}")).await;
        if live.expect(&r, &format!("/{list}"), 200) {
            let ids = r.ids(list);
            live.check(
                ids == vec![json!(id)],
                &r,
                &format!("?workspace= lists only the workspace's {list}"),
            );
        }
    }
    // Without ?workspace=, POST puts the element in the user's oldest personal workspace.
    let r = live.get("/workspaces").await;
    let mut personal: Vec<(String, String)> = Vec::new();
    for w in r.items("workspaces") {
        if w["type"] != "personal" {
            continue;
        }
        let id = w["id"].as_str().unwrap_or_default().to_string();
        let g = live.get(&format!("/workspaces/{id}")).await;
        let created = g
            .str_at("/workspace/createdAt")
            .unwrap_or_default()
            .to_string();
        personal.push((created, id));
    }
    personal.sort();
    if let Some((_, oldest)) = personal.first() {
        let body = Examples::get()
            .request_body("POST", "/collections", "Create Collection")
            .clone();
        let r = live.call("POST", "/collections", Body::Json(body)).await;
        if live.expect(&r, "/collections", 200) {
            let new_id = r.str_at("/collection/id").unwrap_or_default().to_string();
            let g = live.get(&format!("/workspaces/{oldest}")).await;
            live.check(
                g.body["workspace"]["collections"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|c| c["id"] == json!(new_id))),
                &g,
                "a collection POSTed without ?workspace= lands in the oldest personal workspace",
            );
        }
    } else {
        live.fail("the seeded user has no personal workspace");
    }

    // Deleting the workspace removes what only lives in it.
    let r = live
        .call("DELETE", &format!("/workspaces/{ws}"), Body::None)
        .await;
    live.expect(&r, "/workspaces/{workspaceId}", 200);
    let r = live.get(&format!("/collections/{uid}")).await;
    live.expect_decl(&r, "/collections/{collectionId}", 404, Decl::AsStatus(400));
    let r = live.get(&format!("/environments/{eid}")).await;
    live.expect_decl(
        &r,
        "/environments/{environmentId}",
        404,
        Decl::AsStatus(400),
    );
    live.finish("documented_semantics").await;

    // Default limits: the documented per-user policy in the headers, counting down.
    let live = Live::with_limits(Limits::default()).await;
    let a = live.get("/me").await;
    let b = live.get("/me").await;
    live.check(
        a.header("x-ratelimit-limit") == Some("300"),
        &a,
        "X-RateLimit-Limit is 300",
    );
    live.check(
        a.header("ratelimit-policy") == Some("300;w=60"),
        &a,
        "RateLimit-Policy is 300;w=60",
    );
    let rem = |r: &Resp| {
        r.header("x-ratelimit-remaining")
            .and_then(|v| v.parse::<i64>().ok())
    };
    live.check(
        matches!((rem(&a), rem(&b)), (Some(x), Some(y)) if x == y + 1),
        &b,
        "X-RateLimit-Remaining counts down by one per request",
    );
    let usage = |r: &Resp| {
        r.body["operations"].as_array().and_then(|ops| {
            ops.iter()
                .find(|o| o["name"] == "api_usage")
                .and_then(|o| o["usage"].as_f64())
        })
    };
    live.check(
        matches!((usage(&a), usage(&b)), (Some(x), Some(y)) if y == x + 1.0),
        &b,
        "/me api_usage counts this month's calls",
    );
    live.finish("documented_semantics (headers)").await;
}

/// `GET /collections/{id}` of every seeded collection, and of a collection POSTed in the
/// loose-but-valid v2.1 forms (script `exec` as one string, `url.host` as a string, a saved
/// response's `originalRequest` as a URL string and `responseTime` as a string), matches the
/// spec's response schema (`getCollection`): the API returns collections in Postman's
/// normalised form (exec as an array of lines, host as an array, request objects,
/// responseTime number|null), whatever form they were stored in.
#[tokio::test]
async fn seeded_collections_match_response_schema() {
    let live = Live::start().await;
    let ws = first_workspace(&live).await;
    let loose = json!({"collection": {
        "info": {"name": "Loose forms", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "event": [{"listen": "test", "script": {"type": "text/javascript", "exec": "pm.test('a', function () {});\npm.test('b', function () {});"}}],
        "item": [{
            "name": "loose",
            "request": {"method": "GET", "url": {"raw": "https://example.com/a", "host": "example.com", "path": "a"}},
            "response": [{"name": "ok", "originalRequest": "https://example.com/a", "code": 200, "responseTime": "12", "body": "{}"}]
        }]
    }});
    let r = live
        .call(
            "POST",
            &format!("/collections?workspace={ws}"),
            Body::Json(loose),
        )
        .await;
    assert_eq!(r.status, 200, "POST loose collection: {}", r.text);
    let mut checked = 0;
    let keys: Vec<String> = live.keys.values().cloned().collect();
    for key in keys {
        let r = live
            .send("GET", "/collections", Auth::Key(key.clone()), Body::None)
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        for c in r.items("collections") {
            let uid = c["uid"].as_str().unwrap_or_default();
            let g = live
                .send(
                    "GET",
                    &format!("/collections/{uid}"),
                    Auth::Key(key.clone()),
                    Body::None,
                )
                .await;
            live.expect(&g, "/collections/{collectionId}", 200);
            checked += 1;
        }
    }
    assert!(checked >= 26, "checked {checked} collections");
    live.finish("seeded_collections_match_response_schema")
        .await;
}

/// Pagination is consistent: offset pages of `GET /collections` and cursor pages of
/// `GET /workspaces` partition the unpaginated list, and `meta.total` is its length.
#[tokio::test]
async fn pagination_is_consistent() {
    let live = Live::start().await;
    let all = live.get("/collections").await;
    live.expect(&all, "/collections", 200);
    let all_ids = all.ids("collections");
    live.check(
        all_ids.len() >= 3,
        &all,
        "the seed gives the user at least 3 collections",
    );
    let mut paged = Vec::new();
    let mut offset = 0;
    while offset <= all_ids.len() {
        let r = live
            .get(&format!("/collections?limit=2&offset={offset}"))
            .await;
        if !live.expect(&r, "/collections", 200) {
            break;
        }
        live.check(
            r.body.pointer("/meta/total") == Some(&json!(all_ids.len()))
                && r.body.pointer("/meta/offset") == Some(&json!(offset))
                && r.body.pointer("/meta/limit") == Some(&json!(2)),
            &r,
            &format!(
                "meta is {{total: {}, offset: {offset}, limit: 2}}",
                all_ids.len()
            ),
        );
        let page = r.ids("collections");
        if page.is_empty() {
            break;
        }
        paged.extend(page);
        offset += 2;
    }
    live.check(
        paged == all_ids,
        &all,
        "offset pages concatenate to the unpaginated list",
    );

    let all = live.get("/workspaces").await;
    live.expect(&all, "/workspaces", 200);
    let mut want = all.ids("workspaces");
    let mut got = Vec::new();
    let mut cursor = String::new();
    for _ in 0..=want.len() {
        let target = if cursor.is_empty() {
            "/workspaces?limit=1".to_string()
        } else {
            format!("/workspaces?limit=1&cursor={cursor}")
        };
        let r = live.get(&target).await;
        if !live.expect(&r, "/workspaces", 200) {
            break;
        }
        got.extend(r.ids("workspaces"));
        cursor = r.str_at("/meta/nextCursor").unwrap_or_default().to_string();
        if cursor.is_empty() {
            break;
        }
    }
    want.sort_by_key(|v| v.to_string());
    got.sort_by_key(|v| v.to_string());
    live.check(
        got == want,
        &all,
        "cursor pages cover every workspace exactly once",
    );
    live.finish("pagination_is_consistent").await;
}
