//! Unit tests: an in-memory vault and key list, a real sandbox over loopback for `/me`. The
//! helpers are here; the tests are in one module per area.

mod add;
mod pastes;
mod reminders;
mod rotation;
mod store;
mod verify;

/// The sandbox's admin endpoints, shared with the app-level tests.
#[path = "../../../tests/common/admin.rs"]
mod admin;
/// Pastes and days, shared with `tests/keys.rs`.
#[path = "../../../tests/common/keys_data.rs"]
mod keys_data;

use std::future::Future;
use std::sync::atomic::Ordering;

use super::*;
use crate::verify::api_key;
use admin::{mint_api_key, seeded_user};
use keys_data::{day, ten_am_ms, today, ACCESS_KEY, UNKNOWN};
use postdesk_base::{DomainError, IpcError};
use postdesk_vault::MemoryStore;

const FAKE: &str = "PMAK-0123456789abcdef01234567-0123456789abcdef0123456789abcdef01";

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

    /// Runs `test` on a new env with an empty in-memory vault, failing it after 60 s.
    async fn run<F: Future<Output = ()>>(test: impl FnOnce(Arc<Env>) -> F) {
        Self::run_with(MemoryStore::default(), test).await
    }

    /// [`Env::run`] with `store` behind the vault.
    async fn run_with<F: Future<Output = ()>>(
        store: MemoryStore,
        test: impl FnOnce(Arc<Env>) -> F,
    ) {
        bounded(async {
            let env = Arc::new(Env::with_vault(store).await);
            // Held here until the test is over: its sandbox keeps listening whatever it uses.
            test(env.clone()).await;
            drop(env);
        })
        .await
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
        let keys = keys_over(&vault, &meta, Some(sandbox.url().to_owned()));
        Env {
            keys,
            vault,
            store: meta,
            sandbox,
        }
    }

    /// The `i`-th seeded user and their key.
    fn user_key(&self, i: usize) -> (String, String) {
        seeded_user(&self.sandbox, i)
    }

    /// A new key of `user`, not added.
    async fn mint(&self, user: &str) -> String {
        mint_api_key(&self.sandbox, user).await
    }
}

/// Another `Keys` over `vault` and `meta`, verifying against the sandbox at `url`.
fn keys_over(vault: &Arc<Vault>, meta: &Arc<MemoryMetaStore>, url: Option<String>) -> Keys {
    Keys::new(vault.clone(), Box::new(meta.clone()), url, clock()).unwrap()
}

/// Keys over `meta` and an empty in-memory vault, with no sandbox, on `clock`.
fn offline_keys(meta: Box<dyn MetaStore>, clock: SharedClock) -> Result<Keys, KeysError> {
    let vault = Arc::new(Vault::new(Box::<MemoryStore>::default()));
    Keys::new(vault, meta, None, clock)
}

/// An in-memory key list holding `keys`, `active` the active one.
fn saved_list(keys: Vec<KeyMeta>, active: Option<&str>) -> MemoryMetaStore {
    let store = MemoryMetaStore::default();
    store
        .save(&KeysFile {
            keys,
            active: active.map(str::to_owned),
        })
        .unwrap();
    store
}

/// A valid key `id` of the US region expiring on `expires_on`, added at `added_at`.
fn meta_expiring(id: &str, expires_on: &str, added_at: i64) -> KeyMeta {
    KeyMeta {
        id: id.into(),
        name: format!("name {id}"),
        region: KeyRegion::Us,
        last4: "abcd".into(),
        added_at,
        expires_on: Some(expires_on.into()),
        last_verified_at: None,
        owner: None,
        status: KeyStatus::Valid,
        month_used: None,
        month_limit: None,
        reminders_sent: vec![],
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
