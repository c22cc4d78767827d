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

/// A well-formed UUID that no seed or request ever produces.
pub const UNKNOWN_ID: &str = "00000000-0000-4000-8000-000000000000";

/// The Collection Format v2.1 schema URL.
pub const SCHEMA: &str = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";

/// A minimal valid collection body (`{"collection": …}`) with no items.
pub fn empty_collection(name: &str) -> Value {
    serde_json::json!({"collection": {"info": {"name": name, "schema": SCHEMA}, "item": []}})
}

/// `POST /_sandbox/clock` with `body`; the sandbox must take it.
async fn post_clock(sb: &Sandbox, body: Value) {
    let r = admin(sb, "POST", "/_sandbox/clock", body).await;
    assert_eq!(r.status, 200, "{}", r.text);
}

/// Sets the sandbox clock to an RFC 3339 instant.
pub async fn set_clock(sb: &Sandbox, now: &str) {
    post_clock(sb, serde_json::json!({ "now": now })).await;
}

/// Moves the sandbox clock forward by `ms`.
pub async fn advance_clock(sb: &Sandbox, ms: i64) {
    post_clock(sb, serde_json::json!({ "advanceMs": ms })).await;
}

/// Moves the sandbox clock forward by `secs` (the `advanceSeconds` form).
pub async fn advance_secs(sb: &Sandbox, secs: i64) {
    post_clock(sb, serde_json::json!({ "advanceSeconds": secs })).await;
}

/// `GET /_sandbox/clock`: `{now, epochMs}`.
pub async fn sandbox_clock(sb: &Sandbox) -> Value {
    admin(sb, "GET", "/_sandbox/clock", serde_json::json!({}))
        .await
        .json
}

/// Sets a fault (`POST /_sandbox/faults`).
pub async fn set_fault(sb: &Sandbox, fault: Value) {
    admin(sb, "POST", "/_sandbox/faults", fault).await;
}

/// Clears every fault (`DELETE /_sandbox/faults`).
pub async fn clear_faults(sb: &Sandbox) {
    admin(sb, "DELETE", "/_sandbox/faults", serde_json::json!({})).await;
}

/// The faults currently set (`GET /_sandbox/faults`).
pub async fn faults(sb: &Sandbox) -> Value {
    admin(sb, "GET", "/_sandbox/faults", serde_json::json!({}))
        .await
        .json["faults"]
        .clone()
}

/// Every access key, seeded tokens in clear (`GET /_sandbox/access-keys`).
pub async fn sandbox_access_keys(sb: &Sandbox) -> Resp {
    admin(sb, "GET", "/_sandbox/access-keys", serde_json::json!({})).await
}

/// Mints an API key for `user` (`POST /_sandbox/api-keys`).
pub async fn mint_api_key(sb: &Sandbox, user: &str) -> String {
    let r = admin(
        sb,
        "POST",
        "/_sandbox/api-keys",
        serde_json::json!({ "user": user }),
    )
    .await;
    r.json["key"].as_str().expect("a minted key").to_owned()
}

/// Mints a collection access key for `uid` (`POST /_sandbox/access-keys`): `(id, token)`.
pub async fn mint_access_key(sb: &Sandbox, uid: &str) -> (String, String) {
    let body = serde_json::json!({ "collection": uid });
    let r = admin(sb, "POST", "/_sandbox/access-keys", body).await;
    let field = |f: &str| r.json[f].as_str().expect("a minted access key").to_owned();
    (field("id"), field("token"))
}

/// Sets a user's monthly usage (`POST /_sandbox/usage`).
pub async fn set_usage(sb: &Sandbox, user: &str, usage: u64) -> Resp {
    let body = serde_json::json!({ "user": user, "usage": usage });
    admin(sb, "POST", "/_sandbox/usage", body).await
}

pub async fn sandbox() -> Sandbox {
    start(config()).await.expect("sandbox starts")
}

pub async fn sandbox_with(c: Config) -> Sandbox {
    start(c).await.expect("sandbox starts")
}

/// A fresh sandbox and `user`'s key.
pub async fn sandbox_as(user: &str) -> (Sandbox, String) {
    started_as(config(), user).await
}

/// A sandbox started with `c`, and `user`'s key.
pub async fn started_as(c: Config, user: &str) -> (Sandbox, String) {
    let sb = sandbox_with(c).await;
    let k = key(&sb, user);
    (sb, k)
}

/// [`config`] changed by `set`.
pub fn config_with(set: impl FnOnce(&mut Config)) -> Config {
    let mut c = config();
    set(&mut c);
    c
}

/// A new empty directory for this test process (`tag` names it).
pub fn fresh_dir(tag: &str) -> std::path::PathBuf {
    let name = format!("postman-sandbox-{tag}-{}", std::process::id());
    let dir = std::env::temp_dir().join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// [`config`] with a state file.
pub fn with_state_file(file: &std::path::Path) -> Config {
    Config {
        state_file: Some(file.to_path_buf()),
        ..config()
    }
}

/// Creates a workspace; returns its id.
pub async fn create_workspace(sb: &Sandbox, k: &str, name: &str, kind: &str) -> String {
    let body = serde_json::json!({"workspace": {"name": name, "type": kind}});
    let r = post(sb, "/workspaces", k, body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.string("/workspace/id")
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
    /// The string at a JSON pointer of the body (panics without one).
    pub fn string(&self, pointer: &str) -> String {
        self.json
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("a string at {pointer} in {}", self.text))
            .to_owned()
    }
    /// `field` of every element of the array at `pointer`.
    pub fn pluck(&self, pointer: &str, field: &str) -> Vec<Value> {
        let list = self.json.pointer(pointer).and_then(Value::as_array);
        let list = list.unwrap_or_else(|| panic!("an array at {pointer} in {}", self.text));
        list.iter().map(|e| e[field].clone()).collect()
    }
    /// `field` of every element of the array at `pointer`, each a string (panics otherwise).
    pub fn strings(&self, pointer: &str, field: &str) -> Vec<String> {
        let all = self.pluck(pointer, field).into_iter();
        all.map(|v| v.as_str().expect("a string").to_owned())
            .collect()
    }
    /// `/me`'s `operations[]` entry named `api_usage`.
    pub fn api_usage(&self) -> Value {
        let ops = self.json["operations"].as_array().expect("operations[]");
        let op = ops.iter().find(|o| o["name"] == "api_usage");
        op.cloned().expect("an api_usage operation")
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

pub async fn post(sb: &Sandbox, path: &str, key: &str, body: Value) -> Resp {
    call(sb, "POST", path, Some(key), Some(body)).await
}

pub async fn put(sb: &Sandbox, path: &str, key: &str, body: Value) -> Resp {
    call(sb, "PUT", path, Some(key), Some(body)).await
}

pub async fn patch(sb: &Sandbox, path: &str, key: &str, body: Value) -> Resp {
    call(sb, "PATCH", path, Some(key), Some(body)).await
}

pub async fn delete(sb: &Sandbox, path: &str, key: &str) -> Resp {
    call(sb, "DELETE", path, Some(key), None).await
}

/// `GET path` with an API key, the response unread (or the transport error).
pub async fn try_get(sb: &Sandbox, path: &str, key: &str) -> reqwest::Result<reqwest::Response> {
    let rb = client().get(format!("{}{path}", sb.url()));
    rb.header("x-api-key", key).send().await
}

/// `GET /collections/{uid}` with a collection access key and no API key.
pub async fn get_shared(sb: &Sandbox, uid: &str, token: &str) -> Resp {
    let url = format!("{}/collections/{uid}?access_key={token}", sb.url());
    send(client().get(url)).await
}

/// A request with a raw body of a given content type, with an API key.
pub async fn send_raw(
    sb: &Sandbox,
    method: &str,
    path: &str,
    key: &str,
    ct: &str,
    body: &str,
) -> Resp {
    let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let rb = client().request(m, format!("{}{path}", sb.url()));
    let rb = rb.header("x-api-key", key).header("content-type", ct);
    send(rb.body(body.to_owned())).await
}

/// `POST` to a `/_sandbox/…` route, whatever it answers.
pub async fn post_admin(sb: &Sandbox, path: &str, body: Value) -> Resp {
    call(sb, "POST", path, None, Some(body)).await
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

/// Asserts a classic error answer: `status`, with `error.name` `name`.
#[track_caller]
pub fn assert_error(r: &Resp, status: u16, name: &str) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(r.json["error"]["name"], name, "{}", r.text);
}

/// Asserts that `n` calls of `GET path` pass and the next is a 429 named `name`; returns it.
pub async fn assert_429_after(sb: &Sandbox, k: &str, path: &str, n: usize, name: &str) -> Resp {
    for _ in 0..n {
        assert_eq!(get(sb, path, k).await.status, 200);
    }
    let r = get(sb, path, k).await;
    assert_error(&r, 429, name);
    r
}

/// Asserts that `v` has every field named in `fields` (space-separated).
#[track_caller]
pub fn assert_fields(v: &Value, fields: &str) {
    for f in fields.split_whitespace() {
        assert!(v.get(f).is_some(), "{f} in {v}");
    }
}

/// Asserts a problem+json Content-Type.
#[track_caller]
pub fn assert_problem_json(r: &Resp) {
    let ct = r.header("content-type").unwrap_or_default();
    assert!(ct.starts_with("application/problem+json"), "{ct}");
}

pub fn auth_error() -> Value {
    serde_json::json!({"error":{"name":"AuthenticationError","message":"Invalid API Key. Every request requires a valid API Key to be sent."}})
}
