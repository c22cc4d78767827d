//! Shared helpers for the client tests: an in-process sandbox over loopback, a client for one
//! of its seeded users, the sandbox's admin endpoints (from `tests/common/admin.rs`).
#![allow(dead_code)]

#[path = "../common/admin.rs"]
mod admin;

#[allow(unused_imports)] // each test target uses its own subset
pub use admin::*;
use postman_client::{
    AccessToken, ApiKey, Client, ClientConfig, CollectionList, CollectionQuery, Error, Fetched,
    Region, RetryPolicy,
};
use postman_sandbox::{start, Config, Limits, Sandbox};
use serde_json::Value;
use std::future::Future;
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

/// A client for `user` whose [`config`] is first changed by `tweak`.
pub fn client_with(sb: &Sandbox, user: &str, tweak: impl FnOnce(&mut ClientConfig)) -> Client {
    let mut cfg = config(sb, user);
    tweak(&mut cfg);
    Client::new(cfg).expect("client")
}

/// A sandbox (limits lifted) and a client acting as Taylor.
pub async fn sandbox_and_taylor() -> (Sandbox, Client) {
    let sb = sandbox().await;
    let c = client(&sb, TAYLOR);
    (sb, c)
}

/// [`sandbox_and_taylor`], the sandbox's limits then changed at runtime by `limits` (as
/// `/_sandbox/limits` takes them, e.g. `{"windowMs": 1000}`).
pub async fn limited_sandbox_and_taylor(limits: Value) -> (Sandbox, Client) {
    let (sb, c) = sandbox_and_taylor().await;
    set_limits(&sb, limits).await;
    (sb, c)
}

/// Runs a future with a hard bound.
pub async fn bounded<T>(secs: u64, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(secs), f)
        .await
        .expect("bounded wait exceeded")
}

/// The data a call that must succeed (within 10 s) answered.
pub async fn data<T>(call: impl Future<Output = Result<Fetched<T>, Error>>) -> T {
    bounded(10, call).await.expect("call").data
}

/// Whether a call that must succeed (within 10 s) was served from the cache.
pub async fn from_cache<T>(call: impl Future<Output = Result<Fetched<T>, Error>>) -> bool {
    bounded(10, call).await.expect("call").from_cache
}

/// The error of a call that must fail (within 10 s).
pub async fn error_of<T: std::fmt::Debug>(call: impl Future<Output = Result<T, Error>>) -> Error {
    bounded(10, call).await.expect_err("an error")
}

/// Makes the calls `call(0)`, …, `call(n - 1)` at once, each on its own task, and waits for
/// every one: each must succeed within `secs`.
pub async fn all_at_once<T, F>(n: usize, secs: u64, call: impl Fn(usize) -> F)
where
    T: Send + 'static,
    F: Future<Output = Result<T, Error>> + Send + 'static,
{
    let tasks: Vec<_> = (0..n).map(|i| tokio::spawn(call(i))).collect();
    for t in tasks {
        bounded(secs, t).await.expect("the task").expect("the call");
    }
}

/// The first page of the user's collections (fresh when `force`).
pub async fn collections(c: &Client, force: bool) -> CollectionList {
    bounded(10, c.get_collections(&CollectionQuery::default(), force))
        .await
        .expect("collections")
        .data
}

/// The uid of the user's first collection (the seed gives every user some).
pub async fn first_collection_uid(c: &Client, force: bool) -> String {
    collections(c, force).await.collections[0]
        .uid
        .clone()
        .expect("uid")
}

/// A collection access token minted in the sandbox (as Postman's Share dialog does): its text
/// and the token.
pub async fn mint_access_token(sb: &Sandbox, collection_uid: &str) -> (String, AccessToken) {
    let minted = mint_access_key(sb, collection_uid).await;
    let raw = minted["token"].as_str().expect("a minted token").to_owned();
    let token = AccessToken::new(&raw).expect("a valid token");
    (raw, token)
}

/// The id of the user's personal workspace.
pub async fn personal_workspace(c: &Client) -> String {
    let ws = bounded(10, c.get_all_workspaces(Some("personal"), false))
        .await
        .expect("workspaces");
    ws[0].id.0.clone()
}

/// A minimal valid v2.1 collection body.
pub fn collection_doc(name: &str) -> Value {
    serde_json::json!({
        "info": {"name": name, "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [{"name": "Ping", "request": {"method": "GET", "url": "https://postman-echo.com/get"}}],
        "event": [{"listen": "test", "script": {"type": "text/javascript", "exec": ["pm.test('ok', () => {});"]}}]
    })
}
