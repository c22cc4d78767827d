//! Helpers shared by the sandbox behaviour tests: start a sandbox on port 0, call it over real
//! loopback HTTP.
#![allow(dead_code)]

use postman_sandbox::{start, Config, Limits, Sandbox};
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::time::Duration;

pub const TAYLOR: &str = "taylor-lee";
pub const SAM: &str = "sam-rivera";
pub const ALEX: &str = "alex-kim";
pub const JORDAN: &str = "jordan-solo";

/// Every test sandbox starts at this instant (mid-month, mid-morning UTC), whatever the date:
/// tests about calendar edges set the clock themselves.
pub const T0: &str = "2026-11-23T10:00:00Z";

/// A sandbox config with lifted limits whose clock is pinned at [`T0`].
pub fn config() -> Config {
    Config {
        limits: Limits::lifted(),
        task_duration: Duration::from_millis(150),
        clock: postdesk_base::SharedClock::pinned(T0).0,
        ..Config::default()
    }
}

/// Sets the sandbox clock to an RFC 3339 instant.
pub async fn set_clock(sb: &Sandbox, now: &str) {
    let r = admin(
        sb,
        "POST",
        "/_sandbox/clock",
        serde_json::json!({ "now": now }),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

/// Moves the sandbox clock forward by `ms`.
pub async fn advance_clock(sb: &Sandbox, ms: i64) {
    let r = admin(
        sb,
        "POST",
        "/_sandbox/clock",
        serde_json::json!({ "advanceMs": ms }),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

pub async fn sandbox() -> Sandbox {
    start(config()).await.expect("sandbox starts")
}

pub async fn sandbox_with(c: Config) -> Sandbox {
    start(c).await.expect("sandbox starts")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client")
}

pub fn key(sb: &Sandbox, user: &str) -> String {
    sb.keys().get(user).cloned().expect("seeded user")
}

pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    pub json: Value,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    pub fn num(&self, name: &str) -> i64 {
        self.header(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("numeric header {name}"))
    }
}

pub async fn send(rb: reqwest::RequestBuilder) -> Resp {
    let r = rb.send().await.expect("request");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await.expect("body");
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Resp {
        status,
        headers,
        text,
        json,
    }
}

/// A request as a local tool sends it (with the admin token on `/_sandbox/…`).
pub async fn call(
    sb: &Sandbox,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<Value>,
) -> Resp {
    let c = client();
    let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut rb = c.request(m, format!("{}{}", sb.url(), path));
    if let Some(k) = key {
        rb = rb.header("X-API-Key", k);
    }
    if path.starts_with("/_sandbox") {
        rb = rb.header("X-Sandbox-Token", sb.admin_token().expose());
    }
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    send(rb).await
}

pub async fn get(sb: &Sandbox, path: &str, key: &str) -> Resp {
    call(sb, "GET", path, Some(key), None).await
}

pub async fn admin(sb: &Sandbox, method: &str, path: &str, body: Value) -> Resp {
    let r = call(sb, method, path, None, Some(body)).await;
    assert!(
        r.status < 300,
        "sandbox admin {path}: {} {}",
        r.status,
        r.text
    );
    r
}

/// The first visible collection of a user in a named workspace.
pub async fn workspace_id(sb: &Sandbox, k: &str, name: &str) -> String {
    let r = get(sb, "/workspaces", k).await;
    r.json["workspaces"]
        .as_array()
        .and_then(|a| a.iter().find(|w| w["name"] == name))
        .and_then(|w| w["id"].as_str())
        .expect("workspace by name")
        .to_string()
}

pub async fn first_collection_uid(sb: &Sandbox, k: &str) -> String {
    let r = get(sb, "/collections", k).await;
    r.json["collections"][0]["uid"]
        .as_str()
        .expect("a collection")
        .to_string()
}

pub fn auth_error() -> Value {
    serde_json::json!({"error":{"name":"AuthenticationError","message":"Invalid API Key. Every request requires a valid API Key to be sent."}})
}
