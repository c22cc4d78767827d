//! Helpers shared by the app-level integration tests (`tests/*.rs`): the in-process sandbox,
//! a client for its seeded user, bounded waits, scratch folders.
#![allow(dead_code)] // each test file uses its own subset

use std::path::PathBuf;
use std::time::Duration;

use postman_client::{ApiKey, Client, ClientConfig, Region, RetryPolicy};
use postman_sandbox::{start, Config, Limits, Sandbox};
use serde_json::{json, Value};

/// The seeded sandbox user owning most of the seed data.
pub const TAYLOR: &str = "taylor-lee";
pub const SCHEMA: &str = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";

/// Fails the test instead of hanging it.
pub async fn bounded<T>(secs: u64, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(secs), f)
        .await
        .expect("bounded wait exceeded")
}

/// Every test sandbox starts at this instant, whatever the date.
pub const T0: &str = "2026-11-23T10:00:00Z";

/// A sandbox on a free loopback port with these limits, its clock pinned at [`T0`]; async
/// update tasks take `task` of sandbox time. The app's domains in a test run on
/// `sandbox.clock()`, so both agree about "now" and move together.
pub async fn sandbox(limits: Limits, task: Duration) -> Sandbox {
    start(Config {
        limits,
        task_duration: task,
        clock: postdesk_base::SharedClock::pinned(T0).0,
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
    c.clock = sb.clock();
    c.sandbox_admin_token = Some(std::sync::Arc::new(sb.admin_token().duplicate()));
    Client::new(c).expect("client")
}

/// Moves the sandbox clock (and every domain running on `sandbox.clock()`) forward by `ms`.
pub async fn advance(sb: &Sandbox, ms: i64) {
    let r = reqwest::Client::new()
        .post(format!("{}/_sandbox/clock", sb.url()))
        .header("x-sandbox-token", sb.admin_token().expose())
        .json(&json!({ "advanceMs": ms }))
        .send();
    let r = bounded(10, r).await.expect("sandbox clock call");
    assert!(r.status().is_success(), "sandbox clock: {}", r.status());
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

const METHODS: [&str; 4] = ["GET", "POST", "PUT", "DELETE"];

/// A generated ~18 MB collection: 10 folders × 10 subfolders × 100 requests of ~1.8 KB (headers,
/// raw body, parsed URL, description); item ids when `ids`.
pub fn big_collection(name: &str, ids: bool) -> Value {
    let mut folders = Vec::new();
    for f in 0..10 {
        let mut subs = Vec::new();
        for s in 0..10 {
            let reqs: Vec<Value> = (0..100)
                .map(|r| {
                    let mut item = json!({
                        "name": format!("Request {f}.{s}.{r}"),
                        "request": {
                            "method": METHODS[r % 4],
                            "header": [
                                {"key": "Content-Type", "value": "application/json"},
                                {"key": "X-Trace", "value": format!("trace-{f}-{s}-{r}")}
                            ],
                            "body": {"mode": "raw", "raw": "{\"hello\": \"world\"}".repeat(40)},
                            "url": {
                                "raw": format!("https://api.example.test/v1/folder{f}/sub{s}/items/{r}?page=1"),
                                "protocol": "https",
                                "host": ["api", "example", "test"],
                                "path": ["v1", format!("folder{f}"), format!("sub{s}"), "items", r.to_string()],
                                "query": [{"key": "page", "value": "1"}]
                            },
                            "description": "A generated request used to measure the editor on a big collection. ".repeat(6)
                        },
                        "response": []
                    });
                    if ids {
                        item["id"] = json!(format!("{f:02}{s:02}{r:03}-0000-4000-8000-000000000000"));
                    }
                    item
                })
                .collect();
            subs.push(json!({"name": format!("Sub {f}.{s}"), "item": reqs}));
        }
        folders.push(json!({"name": format!("Folder {f}"), "item": subs}));
    }
    json!({"info": {"name": name, "schema": SCHEMA}, "item": folders})
}
