//! Helpers shared by the app-level integration tests (`tests/*.rs`): the in-process sandbox,
//! a client for its seeded user, bounded waits, scratch folders.
#![allow(dead_code)] // each test file uses its own subset

use std::path::PathBuf;
use std::time::Duration;

use postman_client::{ApiKey, Client, ClientConfig, Region, RetryPolicy};
use postman_sandbox::{start, Config, Limits, Sandbox};
use serde_json::Value;

/// The seeded sandbox user owning most of the seed data.
pub const TAYLOR: &str = "taylor-lee";
pub const SCHEMA: &str = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";

/// Fails the test instead of hanging it.
pub async fn bounded<T>(secs: u64, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(secs), f)
        .await
        .expect("bounded wait exceeded")
}

/// A sandbox on a free loopback port with these limits; async update tasks take `task`.
pub async fn sandbox(limits: Limits, task: Duration) -> Sandbox {
    start(Config {
        limits,
        task_duration: task,
        ..Config::default()
    })
    .await
    .expect("sandbox starts")
}

pub fn raw_key(sb: &Sandbox) -> String {
    sb.keys().get(TAYLOR).cloned().expect("seeded user")
}

/// A client acting as Taylor, trying each call at most `max_attempts` times, 10 s per call.
pub fn client(sb: &Sandbox, max_attempts: u32) -> Client {
    let mut c = ClientConfig::new(
        Region::Sandbox(sb.url().to_string()),
        "Taylor's key",
        Some(ApiKey::new(&raw_key(sb)).expect("valid key")),
    );
    c.retry = RetryPolicy {
        max_attempts,
        base_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(100),
        max_rate_limit_waits: 3,
    };
    c.timeout = Duration::from_secs(10);
    Client::new(c).expect("client")
}

/// An empty scratch folder for this test process.
pub fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("postdesk-it-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch folder");
    d
}

/// Every item id in a collection document, depth first.
pub fn item_ids(v: &Value, out: &mut Vec<String>) {
    for i in v
        .get("item")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(id) = i.get("id").and_then(Value::as_str) {
            out.push(id.to_owned());
        }
        item_ids(i, out);
    }
}
