//! The scenarios, one module per area, in the order a new user meets them; then the states
//! only other cores reach (started beside the first one, see [`side`]).

pub mod app;
pub mod drafts;
pub mod engine;
pub mod keys;
pub mod library;
pub mod mocks;
pub mod monitors;
pub mod pacing;
pub mod refusals;
pub mod sharing;
pub mod side;
pub mod startup;
pub mod tree;
pub mod updates;

use postdesk_core::Core;
use serde_json::{json, Value};

use crate::record::Recorder;

enum Auth<'a> {
    Key(&'a str),
    Admin(&'a str),
}

pub const SCHEMA: &str = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";

/// The core's built-in sandbox, for what another app (or Postman's own UI) would do meanwhile.
pub struct Sandbox {
    pub url: String,
    /// The seeded user's key, as another app holding it would use it.
    pub key: String,
    /// The sandbox's admin token, from `sandbox.json` in the data folder as the user's own
    /// tools read it.
    admin_token: String,
}

impl Sandbox {
    pub async fn of(core: &Core, rec: &Recorder) -> Sandbox {
        let info = postdesk_core::contract::dispatch(core, "app_info", json!({}))
            .await
            .expect("app_info");
        let url = info["sandbox"]["url"]
            .as_str()
            .expect("the built-in sandbox runs")
            .to_owned();
        let file =
            std::path::Path::new(info["dataDir"].as_str().expect("dataDir")).join("sandbox.json");
        let file: Value = serde_json::from_slice(&std::fs::read(&file).expect("sandbox.json"))
            .expect("sandbox.json is JSON");
        assert_eq!(file["url"], url.as_str());
        let admin_token = file["adminToken"].as_str().expect("adminToken").to_owned();
        rec.secret(&admin_token);
        let keys = Sandbox::raw(
            &url,
            Auth::Admin(&admin_token),
            "GET",
            "/_sandbox/keys",
            Value::Null,
        )
        .await
        .1;
        let key = keys["keys"]["taylor-lee"]
            .as_str()
            .expect("taylor's key")
            .to_owned();
        rec.secret(&key);
        Sandbox {
            url,
            key,
            admin_token,
        }
    }

    async fn raw(url: &str, auth: Auth<'_>, method: &str, path: &str, body: Value) -> (u16, Value) {
        let c = reqwest::Client::new();
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = c.request(m, format!("{url}{path}"));
        req = match auth {
            Auth::Key(k) => req.header("x-api-key", k),
            Auth::Admin(t) => req.header("x-sandbox-token", t),
        };
        if !body.is_null() {
            req = req.json(&body);
        }
        let r = req.send().await.expect("sandbox call");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// A call another app makes with taylor's key.
    pub async fn api(&self, method: &str, path: &str, body: Value) -> (u16, Value) {
        Sandbox::raw(&self.url, Auth::Key(&self.key), method, path, body).await
    }

    /// A `/_sandbox/` call (what the real API cannot do).
    pub async fn admin(&self, method: &str, path: &str, body: Value) -> Value {
        let (status, v) = Sandbox::raw(
            &self.url,
            Auth::Admin(&self.admin_token),
            method,
            path,
            body,
        )
        .await;
        assert!(status < 300, "{path}: {status} {v}");
        v
    }

    /// A further API key of a seeded user, as Postman's settings page would make one.
    pub async fn mint_key(&self, rec: &Recorder, user: &str) -> String {
        let v = self
            .admin("POST", "/_sandbox/api-keys", json!({"user": user}))
            .await;
        let key = v["key"].as_str().unwrap().to_owned();
        rec.secret(&key);
        key
    }

    /// Makes the sandbox answer API calls with `fault` (see `/_sandbox/faults`) until
    /// [`Sandbox::heal`].
    pub async fn fail(&self, fault: Value) {
        self.admin("POST", "/_sandbox/faults", fault).await;
    }

    /// Clears every fault.
    pub async fn heal(&self) {
        self.admin("DELETE", "/_sandbox/faults", Value::Null).await;
    }

    /// Moves the sandbox clock (the core's clock stays: another app acts a little later).
    pub async fn advance(&self, ms: i64) {
        self.admin("POST", "/_sandbox/clock", json!({"advanceMs": ms}))
            .await;
    }
}

/// Calls a command that makes something (and must succeed); returns its `field` (`id`, `uid`).
pub async fn create(
    core: &Core,
    rec: &Recorder,
    command: &str,
    args: Value,
    field: &str,
) -> String {
    let made = rec.ok(core, command, args).await;
    made[field]
        .as_str()
        .unwrap_or_else(|| panic!("{command} answered no {field}: {made}"))
        .to_owned()
}

/// A small collection: a folder with two requests and a root request.
pub fn collection(name: &str) -> Value {
    json!({
        "info": {"name": name, "schema": SCHEMA},
        "item": [
            {"name": "Orders", "item": [
                {"name": "List orders", "request": {"method": "GET", "url": "https://api.example.com/orders"}},
                {"name": "Create order", "request": {"method": "POST", "url": "https://api.example.com/orders",
                    "header": [{"key": "Content-Type", "value": "application/json"}],
                    "body": {"mode": "raw", "raw": "{\"sku\": \"A-1\"}"}}}
            ]},
            {"name": "Health", "request": "https://api.example.com/health"}
        ],
        "variable": [{"key": "base", "value": "https://api.example.com"}]
    })
}
