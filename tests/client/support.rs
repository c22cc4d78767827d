//! Shared helpers for the client tests: an in-process sandbox over loopback and a client for
//! one of its seeded users.
#![allow(dead_code)]

use postman_client::{ApiKey, Client, ClientConfig, Region, RetryPolicy};
use postman_sandbox::{start, Config, Limits, Sandbox};
use serde_json::Value;
use std::time::Duration;

pub const TAYLOR: &str = "taylor-lee";
pub const SAM: &str = "sam-rivera";
pub const JORDAN: &str = "jordan-solo";

pub async fn sandbox() -> Sandbox {
    sandbox_with(Limits::lifted()).await
}

/// Every test sandbox starts at this instant, whatever the date.
pub const T0: &str = "2026-11-23T10:00:00Z";

/// A sandbox with these limits whose clock is pinned at [`T0`]; clients made by [`config`] run
/// on the same clock, so moving it through `/_sandbox/clock` moves both.
pub async fn sandbox_with(limits: Limits) -> Sandbox {
    start(Config {
        limits,
        task_duration: Duration::from_millis(150),
        clock: postdesk_base::SharedClock::pinned(T0).0,
        ..Config::default()
    })
    .await
    .expect("sandbox starts")
}

pub fn raw_key(sb: &Sandbox, user: &str) -> String {
    sb.keys().get(user).cloned().expect("seeded user")
}

pub fn config(sb: &Sandbox, user: &str) -> ClientConfig {
    let mut c = ClientConfig::new(
        Region::Sandbox(sb.url().to_string()),
        format!("{user}'s key"),
        Some(ApiKey::new(&raw_key(sb, user)).expect("valid key")),
    );
    c.retry = RetryPolicy {
        max_attempts: 3,
        base_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(200),
        max_rate_limit_waits: 3,
    };
    c.timeout = Duration::from_secs(5);
    c.clock = sb.clock();
    c
}

pub fn client(sb: &Sandbox, user: &str) -> Client {
    Client::new(config(sb, user)).expect("client")
}

/// Calls a `/_sandbox/` admin endpoint.
pub async fn admin(sb: &Sandbox, method: &str, path: &str, body: Value) -> Value {
    let c = reqwest::Client::new();
    let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let r = tokio::time::timeout(
        Duration::from_secs(10),
        c.request(m, format!("{}{}", sb.url(), path))
            .header("x-sandbox-token", sb.admin_token().expose())
            .json(&body)
            .send(),
    )
    .await
    .expect("admin call in time")
    .expect("admin call");
    let status = r.status().as_u16();
    let v: Value = r.json().await.unwrap_or(Value::Null);
    assert!(status < 300, "sandbox admin {path}: {status} {v}");
    v
}

/// Moves the sandbox clock (and so the clock of every client made by [`config`]) by `ms`.
pub async fn advance(sb: &Sandbox, ms: i64) {
    admin(
        sb,
        "POST",
        "/_sandbox/clock",
        serde_json::json!({ "advanceMs": ms }),
    )
    .await;
}

/// Runs a future with a hard bound.
pub async fn bounded<T>(secs: u64, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(secs), f)
        .await
        .expect("bounded wait exceeded")
}

/// A minimal valid v2.1 collection body.
pub fn collection_doc(name: &str) -> Value {
    serde_json::json!({
        "info": {"name": name, "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [{"name": "Ping", "request": {"method": "GET", "url": "https://postman-echo.com/get"}}],
        "event": [{"listen": "test", "script": {"type": "text/javascript", "exec": ["pm.test('ok', () => {});"]}}]
    })
}
