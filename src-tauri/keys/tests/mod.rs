//! Unit tests: an in-memory vault and key list, a real sandbox over loopback for `/me`. The
//! helpers are here; the tests are in one module per area.

mod add;
mod pastes;
mod reminders;
mod rotation;
mod store;
mod verify;

use std::future::Future;
use std::sync::atomic::Ordering;

use super::*;
use crate::verify::api_key;
use postdesk_base::{DomainError, IpcError};
use postdesk_vault::MemoryStore;

const FAKE: &str = "PMAK-0123456789abcdef01234567-0123456789abcdef0123456789abcdef01";
/// Well-formed, but no sandbox user holds it.
const UNKNOWN: &str = "PMAK-000000000000000000000000-0000000000000000000000000000000000";

fn day(y: i32, m: u8, d: u8) -> time::Date {
    time::Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), d).unwrap()
}

fn today() -> time::Date {
    day(2026, 11, 23)
}

/// Every test's keys run on a clock pinned on [`today`] at 10:00 UTC.
const T0: &str = "2026-11-23T10:00:00Z";

fn clock() -> postdesk_base::SharedClock {
    postdesk_base::SharedClock::pinned(T0).0
}

async fn bounded<T>(f: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(60), f)
        .await
        .expect("the test took longer than 60 s")
}

struct Env {
    keys: Keys,
    vault: Arc<Vault>,
    store: Arc<MemoryMetaStore>,
    sandbox: postman_sandbox::Sandbox,
}

impl Env {
    async fn new() -> Self {
        Self::with_vault(MemoryStore::default()).await
    }

    async fn with_vault(store: MemoryStore) -> Self {
        let sandbox = postman_sandbox::start(postman_sandbox::Config {
            clock: clock(),
            ..postman_sandbox::Config::default()
        })
        .await
        .unwrap();
        let vault = Arc::new(Vault::new(Box::new(store)));
        let meta = Arc::new(MemoryMetaStore::default());
        let keys = Keys::new(
            vault.clone(),
            Box::new(meta.clone()),
            Some(sandbox.url().to_owned()),
            clock(),
        )
        .unwrap();
        Env {
            keys,
            vault,
            store: meta,
            sandbox,
        }
    }

    fn user_key(&self, i: usize) -> (String, String) {
        let (u, k) = self.sandbox.keys().iter().nth(i).unwrap();
        (u.clone(), k.clone())
    }

    async fn mint(&self, user: &str) -> String {
        let v: serde_json::Value = reqwest::Client::new()
            .post(format!("{}/_sandbox/api-keys", self.sandbox.url()))
            .header("x-sandbox-token", self.sandbox.admin_token().expose())
            .json(&serde_json::json!({ "user": user }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["key"].as_str().unwrap().to_owned()
    }

    async fn reset_sandbox(&self) {
        reqwest::Client::new()
            .post(format!("{}/_sandbox/reset", self.sandbox.url()))
            .header("x-sandbox-token", self.sandbox.admin_token().expose())
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap();
    }
}

fn unavailable_store() -> MemoryStore {
    let mut s = MemoryStore::default();
    s.unavailable = true;
    s
}

fn req(name: &str, key: &str) -> AddKey {
    AddKey {
        name: name.into(),
        key: key.into(),
        region: KeyRegion::Sandbox,
        expires_on: None,
    }
}

fn format_message(raw: &str) -> String {
    match api_key(Secret::from(raw)) {
        Err(KeysError::Format(m)) => m,
        other => panic!("expected a format error for the paste, got {other:?}"),
    }
}
