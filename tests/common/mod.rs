//! Helpers shared by the app-level integration tests (`tests/*.rs`, `tests/library/`): the
//! in-process sandbox, a client for its seeded user, calls to the sandbox as another app would
//! make them (and its admin endpoints, from `admin.rs`), bounded waits and scratch folders
//! (`scratch.rs`), collection documents.
#![allow(dead_code)] // each test file uses its own subset

mod admin;
mod scratch;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use admin::*;
use postdesk_base::SharedClock;
use postman_client::{ApiKey, Client, ClientConfig, Region, RetryPolicy};
use postman_sandbox::{start, Config, Limits, Sandbox};
pub use scratch::*;
use serde_json::{json, Value};

/// The seeded sandbox user owning most of the seed data.
pub const TAYLOR: &str = "taylor-lee";
pub const SCHEMA: &str = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";

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

/// What a domain's tests run on: a sandbox with lifted limits, a client acting as Taylor, a
/// scratch folder, and the domain object under test made over that folder (each test file
/// names it through an accessor of its own).
pub struct Fixture<D> {
    pub sb: Sandbox,
    pub c: Client,
    pub dir: PathBuf,
    pub domain: D,
}

impl<D> Fixture<D> {
    /// Async update tasks take `task` of sandbox time; the client tries each call
    /// `max_attempts` times; `make` builds the domain over the scratch folder `name`, on the
    /// sandbox's clock.
    pub async fn start<E: std::fmt::Debug>(
        name: &str,
        task: Duration,
        max_attempts: u32,
        make: impl FnOnce(&Path, SharedClock) -> Result<D, E>,
    ) -> Self {
        let sb = sandbox(Limits::lifted(), task).await;
        let c = client(&sb, max_attempts);
        let dir = tmpdir(name);
        let domain = make(&dir, sb.clock()).expect("the domain under test");
        Fixture { sb, c, dir, domain }
    }

    /// How many calls the client has made so far.
    pub fn calls(&self) -> usize {
        self.c.activity().len()
    }

    /// The methods of the calls made since the `from`-th.
    pub fn methods_since(&self, from: usize) -> Vec<String> {
        self.c.activity().entries()[from..]
            .iter()
            .map(|e| e.method.clone())
            .collect()
    }

    /// Removes the scratch folder and stops the sandbox.
    pub async fn finish(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        self.sb.shutdown().await;
    }
}

/// A call to the sandbox as another app would make it, with Taylor's key (`body` as JSON unless
/// it is null): the status and the JSON answer.
pub async fn raw(sb: &Sandbox, method: &str, path: &str, body: Value) -> (u16, Value) {
    call(sb, method, path, Some(&raw_key(sb)), &body).await
}

/// [`raw`], which must succeed: the JSON answer.
pub async fn raw_ok(sb: &Sandbox, method: &str, path: &str, body: Value) -> Value {
    let (status, v) = raw(sb, method, path, body).await;
    assert!(status < 300, "{method} {path}: {status} {v}");
    v
}

/// The id of Taylor's personal workspace.
pub async fn personal_workspace(c: &Client) -> String {
    let ws = bounded(10, c.get_all_workspaces(Some("personal"), false))
        .await
        .expect("workspaces");
    ws[0].id.0.clone()
}

/// A collection with a folder of `n` GET requests ("Request 0", …) and one root POST request
/// ("Root request").
pub fn collection_doc(name: &str, n: usize) -> Value {
    let items: Vec<Value> = (0..n)
        .map(|i| json!({"name": format!("Request {i}"), "request": {"method": "GET", "url": format!("https://echo.test/get?i={i}")}}))
        .collect();
    json!({"info": {"name": name, "schema": SCHEMA},
        "item": [{"name": "Folder", "item": items}, {"name": "Root request", "request": {"method": "POST", "url": "https://echo.test/post"}}]})
}

/// A collection's full document, read through the client (a fresh read: not from its cache).
pub async fn fetch_collection(c: &Client, uid: &str) -> Value {
    bounded(10, c.get_collection(uid, false, true))
        .await
        .expect("get collection")
        .data
        .raw
}

/// Every item id in a collection document, depth first.
pub fn item_ids(v: &Value) -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        for i in v
            .get("item")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(id) = i.get("id").and_then(Value::as_str) {
                out.push(id.to_owned());
            }
            walk(i, out);
        }
    }
    let mut out = Vec::new();
    walk(v, &mut out);
    out
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
