//! Auth variants, `/me`, the seed's determinism and the `start()` contract.

#[path = "util/mod.rs"]
mod util;

use postman_sandbox::Config;
use serde_json::json;
use util::*;

#[tokio::test]
async fn header_in_any_case_authenticates() {
    let (sb, k) = sandbox_as(TAYLOR).await;
    for name in ["X-API-Key", "x-api-key", "X-Api-Key", "X-API-KEY"] {
        let r = send(client().get(format!("{}/me", sb.url())).header(name, &k)).await;
        assert_eq!(r.status, 200, "{name}");
        assert_eq!(r.json["user"]["username"], TAYLOR);
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn query_apikey_authenticates_and_header_wins() {
    let sb = sandbox().await;
    let (t, s) = (key(&sb, TAYLOR), key(&sb, SAM));
    let r = send(client().get(format!("{}/me?apikey={t}", sb.url()))).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["user"]["username"], TAYLOR);
    // Both: the header decides.
    let r = send(
        client()
            .get(format!("{}/me?apikey={t}", sb.url()))
            .header("x-api-key", &s),
    )
    .await;
    assert_eq!(r.json["user"]["username"], SAM);
    // A bad header is not rescued by a good query key.
    let r = send(
        client()
            .get(format!("{}/me?apikey={t}", sb.url()))
            .header("x-api-key", "PMAK-nope"),
    )
    .await;
    assert_eq!(r.status, 401);
    sb.shutdown().await;
}

#[tokio::test]
async fn missing_or_unknown_key_is_the_classic_401() {
    let sb = sandbox().await;
    for k in [None, Some("PMAK-0000"), Some("")] {
        let r = call(&sb, "GET", "/me", k, None).await;
        assert_eq!(r.status, 401);
        assert_eq!(r.json, auth_error());
        assert!(r
            .header("content-type")
            .unwrap()
            .starts_with("application/json"));
        // Limit headers are on errors too.
        assert!(r.header("x-ratelimit-limit").is_some());
        assert!(r.header("ratelimit-policy").is_some());
    }
    for path in [
        "/collections",
        "/workspaces",
        "/environments",
        "/collection-access-keys",
    ] {
        let r = call(&sb, "GET", path, None, None).await;
        assert_eq!(r.status, 401, "{path}");
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn me_has_documented_fields_and_counts_usage() {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let r = get(&sb, "/me", &k).await;
    let u = &r.json["user"];
    let profile = "id sub username email fullName avatar isPublic emailVerified";
    assert_fields(u, &format!("{profile} teamId teamName teamDomain roles"));
    assert!(u["id"].is_u64());
    assert!(u["teamId"].as_u64().unwrap() > 0);
    let usage = |r: &Resp| r.api_usage()["usage"].as_u64().unwrap();
    assert_eq!(usage(&r), 1);
    get(&sb, "/workspaces", &k).await;
    call(&sb, "GET", "/me", None, None).await; // a 401 is not counted
    let r = get(&sb, "/me", &k).await;
    assert_eq!(usage(&r), 3);
    // Another user has their own meter; the user on no team has teamId 0.
    let r = get(&sb, "/me", &key(&sb, JORDAN)).await;
    assert_eq!(usage(&r), 1);
    assert_eq!(r.json["user"]["teamId"], 0);
    sb.shutdown().await;
}

#[tokio::test]
async fn usage_resets_with_the_calendar_month() {
    let sb = sandbox_with(Config {
        start_time_ms: Some(1_795_000_000_000), // 2026-11-17
        ..config()
    })
    .await;
    let k = key(&sb, TAYLOR);
    get(&sb, "/me", &k).await;
    get(&sb, "/me", &k).await;
    set_clock(&sb, "2026-12-01T00:00:01Z").await;
    let r = get(&sb, "/me", &k).await;
    let op = r.api_usage();
    assert_eq!(op["usage"], 1);
    assert_eq!(
        r.header("ratelimit-remaining-month").unwrap(),
        (op["limit"].as_u64().unwrap() - 1).to_string()
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn keys_are_deterministic_per_seed_and_well_formed() {
    let a = sandbox().await;
    let b = sandbox().await;
    let c = sandbox_with(Config {
        seed: 7,
        ..config()
    })
    .await;
    assert_eq!(a.keys(), b.keys());
    assert_ne!(a.keys(), c.keys());
    assert!(a.keys().len() >= 4);
    for k in a.keys().values() {
        let parts: Vec<&str> = k.split('-').collect();
        assert_eq!(parts.len(), 3, "{k}");
        assert_eq!(parts[0], "PMAK");
        assert_eq!(parts[1].len(), 24);
        assert_eq!(parts[2].len(), 34);
        assert!(parts[1..]
            .iter()
            .all(|p| p.chars().all(|ch| ch.is_ascii_hexdigit())));
    }
    // Same seed → same ids everywhere.
    let ka = key(&a, TAYLOR);
    let ra = get(&a, "/collections", &ka).await;
    let rb = get(&b, "/collections", &ka).await;
    assert_eq!(
        ra.pluck("/collections", "uid"),
        rb.pluck("/collections", "uid")
    );
    let ta = sandbox_access_keys(&a).await;
    let tb = sandbox_access_keys(&b).await;
    assert_eq!(ta.pluck("/data", "id"), tb.pluck("/data", "id"));
    assert_eq!(ta.pluck("/data", "token"), tb.pluck("/data", "token"));
    for s in [a, b, c] {
        s.shutdown().await;
    }
}

#[tokio::test]
async fn url_and_shutdown() {
    let sb = sandbox().await;
    let url = sb.url().to_string();
    assert!(url.starts_with("http://127.0.0.1:"));
    assert_eq!(url, format!("http://127.0.0.1:{}", sb.port()));
    sb.shutdown().await;
    let r = client().get(format!("{url}/me")).send().await;
    assert!(r.is_err(), "closed after shutdown");
}

#[tokio::test]
async fn api_keys_minted_at_runtime_work() {
    let sb = sandbox().await;
    let k = mint_api_key(&sb, ALEX).await;
    assert!(k.starts_with("PMAK-"));
    let r = get(&sb, "/me", &k).await;
    assert_eq!(r.json["user"]["username"], ALEX);
    sb.shutdown().await;
}

#[tokio::test]
async fn shutdown_lets_an_in_flight_request_finish() {
    let (sb, k) = sandbox_as(TAYLOR).await;
    set_fault(&sb, json!({"route": "GET /me", "delayMs": 500, "times": 1})).await;
    let url = format!("{}/me", sb.url());
    let pending = tokio::spawn(async move {
        client()
            .get(url)
            .header("x-api-key", k)
            .send()
            .await
            .map(|r| r.status().as_u16())
    });
    // The fault is used up once the request has reached the server (bounded wait).
    for _ in 0..500 {
        if faults(&sb).await.as_array().is_some_and(|a| a.is_empty()) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let t = std::time::Instant::now();
    sb.shutdown().await;
    assert!(t.elapsed() < std::time::Duration::from_secs(5), "bounded");
    assert_eq!(pending.await.unwrap().unwrap(), 200);
}
