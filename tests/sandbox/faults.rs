//! Fault injection: 500/503, delays, connection resets, truncated bodies, 429 storms; per
//! route or global; limited by `times`; cleared.

#[path = "util/mod.rs"]
mod util;

use serde_json::{json, Value};
use std::time::{Duration, Instant};
use util::*;

/// A sandbox with a fault set on `route` (`effect`: what it does, how many times), and
/// Taylor's key.
async fn faulty(route: &str, effect: Value) -> (postman_sandbox::Sandbox, String) {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let mut fault = json!({ "route": route });
    let effect = effect.as_object().expect("a fault's effect is an object");
    fault.as_object_mut().unwrap().extend(effect.clone());
    set_fault(&sb, fault).await;
    (sb, k)
}

#[tokio::test]
async fn status_faults_per_route_and_clear() {
    let (sb, k) = faulty("GET /collections", json!({"status": 500})).await;
    let r = get(&sb, "/collections", &k).await;
    assert_eq!(r.status, 500);
    assert_eq!(
        r.json,
        json!({"error":{"name":"serverError","message":"An error has occurred on the server."}})
    );
    assert!(r.header("x-ratelimit-limit").is_some());
    // Other routes are untouched.
    assert_eq!(get(&sb, "/me", &k).await.status, 200);
    let unavailable = json!({"route": "GET /collections/{id}", "status": 503});
    set_fault(&sb, unavailable).await;
    assert_eq!(get(&sb, "/collections/anything", &k).await.status, 503);
    assert_eq!(faults(&sb).await.as_array().unwrap().len(), 2);
    clear_faults(&sb).await;
    assert_eq!(get(&sb, "/collections", &k).await.status, 200);
    sb.shutdown().await;
}

#[tokio::test]
async fn global_fault_with_times() {
    let (sb, k) = faulty("*", json!({"status": 503, "times": 2})).await;
    assert_eq!(get(&sb, "/me", &k).await.status, 503);
    assert_eq!(get(&sb, "/workspaces", &k).await.status, 503);
    assert_eq!(get(&sb, "/me", &k).await.status, 200);
    // Sandbox endpoints are never faulted.
    set_fault(&sb, json!({"status": 500})).await;
    sandbox_clock(&sb).await;
    sb.shutdown().await;
}

#[tokio::test]
async fn delay_is_applied() {
    let (sb, k) = faulty("GET /me", json!({"delayMs": 300})).await;
    let t = Instant::now();
    assert_eq!(get(&sb, "/me", &k).await.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(300));
    sb.shutdown().await;
}

#[tokio::test]
async fn reset_drops_the_connection() {
    let (sb, k) = faulty("GET /me", json!({"reset": true, "times": 1})).await;
    // Raw socket: a RST shows up as ConnectionReset (or an EOF with no response at all).
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = sb.url().trim_start_matches("http://").to_string();
    let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
    s.write_all(
        format!("GET /me HTTP/1.1\r\nhost: 127.0.0.1\r\nx-api-key: {k}\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    let mut buf = Vec::new();
    let res = tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut buf))
        .await
        .expect("bounded");
    match res {
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset),
        Ok(_) => assert!(buf.is_empty(), "no response bytes"),
    }
    // reqwest sees an error, not a response.
    set_fault(&sb, json!({"route": "GET /me", "reset": true, "times": 1})).await;
    assert!(try_get(&sb, "/me", &k).await.is_err());
    assert_eq!(get(&sb, "/me", &k).await.status, 200);
    sb.shutdown().await;
}

#[tokio::test]
async fn truncated_body_fails_to_read() {
    let (sb, k) = faulty("GET /collections", json!({"truncate": true, "times": 1})).await;
    let r = try_get(&sb, "/collections", &k).await;
    // Headers (with the full Content-Length) arrive, then the body stops half-way.
    let resp = r.expect("headers arrive");
    assert_eq!(resp.status(), 200);
    assert!(resp.content_length().unwrap_or(0) > 100);
    assert!(resp.bytes().await.is_err(), "body must be cut");
    assert_eq!(get(&sb, "/collections", &k).await.status, 200);
    sb.shutdown().await;
}

#[tokio::test]
async fn storm_of_429s() {
    let (sb, k) = faulty("GET /collections", json!({"storm429": true, "times": 3})).await;
    for _ in 0..3 {
        let r = get(&sb, "/collections", &k).await;
        assert_error(&r, 429, "rateLimited");
        assert!(r.header("retry-after").is_some());
        assert!(r.header("x-ratelimit-retryafter").is_some());
    }
    assert_eq!(get(&sb, "/collections", &k).await.status, 200);
    let r = post_admin(&sb, "/_sandbox/faults", json!({"route": "*"})).await;
    assert_eq!(r.status, 400, "a fault needs an effect");
    sb.shutdown().await;
}
