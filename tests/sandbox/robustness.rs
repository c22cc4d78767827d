//! Hostile input never takes the sandbox down: bad JSON, odd ids, absurd admin values.

#[path = "util/mod.rs"]
mod util;

use serde_json::json;
use util::*;

#[tokio::test]
async fn odd_input_gets_answers_not_crashes() {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let c = client();
    let weird = [
        "/collections/%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93",
        "/collections/12-",
        "/collections/-00000000-0000-4000-8000-000000000000",
        "/environments/%ZZ",
        "/workspaces?limit=-1",
        "/workspaces?limit=abc&cursor=%",
        "/collections?limit=x&offset=-3",
        "/collection-access-keys?cursor=%FF%FE",
        "/collection-updates-tasks/nope",
        "/",
    ];
    for p in weird {
        let r = send(c.get(format!("{}{p}", sb.url())).header("x-api-key", &k)).await;
        assert!(r.status >= 200 && r.status < 500, "{p}: {}", r.status);
    }
    for (m, p) in [
        ("PUT", "/collections/x"),
        ("PATCH", "/collections/x"),
        ("POST", "/environments"),
        ("PATCH", "/environments/x"),
        ("POST", "/workspaces"),
    ] {
        for body in [
            "",
            "null",
            "[]",
            "{\"collection\":5}",
            "\u{0}\u{1}",
            "{\"environment\":{\"name\":[1]}}",
        ] {
            let r = send(
                c.request(
                    reqwest::Method::from_bytes(m.as_bytes()).unwrap(),
                    format!("{}{p}", sb.url()),
                )
                .header("x-api-key", &k)
                .header("content-type", "application/json")
                .body(body),
            )
            .await;
            assert!(
                r.status >= 400 && r.status < 500,
                "{m} {p} {body:?}: {}",
                r.status
            );
            assert!(r.json.is_object(), "JSON error body for {m} {p}");
        }
    }
    for body in [
        json!({"advanceMs": i64::MAX}),
        json!({"now": -5}),
        json!({"now": "99999-01-01T00:00:00Z"}),
        json!({"advanceSeconds": 1e300}),
    ] {
        let r = post_admin(&sb, "/_sandbox/clock", body).await;
        assert!(r.status == 200 || r.status == 400);
    }
    let r = post_admin(
        &sb,
        "/_sandbox/limits",
        json!({"windowMs": u64::MAX, "heavyWindowMs": 0}),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(get(&sb, "/me", &k).await.status, 200);
    assert_eq!(get(&sb, "/collections", &k).await.status, 200);
    // The test clock runs on from the instant set (in real time), so the answer is that instant
    // plus at most the time the call took, never exactly it on a busy machine.
    let asked = std::time::Instant::now();
    let r = post_admin(
        &sb,
        "/_sandbox/clock",
        json!({"now": "2026-11-23T10:00:00Z"}),
    )
    .await;
    let took = asked.elapsed().as_millis() as i64;
    let set = 1_795_428_000_000_i64; // 2026-11-23T10:00:00Z
    let now = r.json["epochMs"].as_i64().expect("epochMs");
    assert!(
        (set..=set + took + 1).contains(&now),
        "{} after {took} ms",
        r.json
    );
    assert_eq!(r.json["now"], postdesk_base::clock::rfc3339(now));
    sb.shutdown().await;
}
