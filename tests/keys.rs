//! The keys domain end to end: a real in-process sandbox over loopback, the key list in a JSON
//! file in a temp folder, secrets in a real Secret Service (run through scripts/with-keyring.sh,
//! as scripts/test.sh does; every entry made here is deleted again).

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use postdesk_base::{DomainError, IpcError, SharedClock};
use postdesk_keys::{
    AddKey, JsonFileStore, KeyStatus, KeyView, Keys, KeysError, Rotation, KEYS_FILE,
    POSTMAN_API_KEYS_URL,
};
use postdesk_vault::{Vault, VaultError};
use postman_sandbox::{Limits, Sandbox};

mod common;
#[path = "common/keychain.rs"]
mod keychain;
#[path = "common/keys_data.rs"]
mod keys_data;
use common::{bounded, mint_api_key, reset, seeded_user, tmpdir};
use keychain::os_vault;
use keys_data::{day, ten_am_ms, today, ACCESS_KEY, UNKNOWN};

/// A clock pinned on `on`, 10:00 UTC: "today" for the keys domain, whatever the real date.
fn on(on: time::Date) -> SharedClock {
    Arc::new(postdesk_base::PinnedClock::at_ms(ten_am_ms(on))).into()
}

/// A sandbox with the real limits whose clock is pinned on [`today`] (at 10:00 UTC).
async fn sandbox() -> Sandbox {
    common::sandbox(Limits::default(), Duration::from_millis(500)).await
}

/// Keys over the key list file in `dir` and the OS keychain, verifying against the sandbox at
/// `url`, on `clock`.
fn keys_in(dir: &Path, vault: &Arc<Vault>, url: &str, clock: SharedClock) -> Keys {
    let file = Box::new(JsonFileStore::new(dir.join(KEYS_FILE)));
    Keys::new(vault.clone(), file, Some(url.to_owned()), clock).unwrap()
}

struct Env {
    keys: Keys,
    vault: Arc<Vault>,
    dir: PathBuf,
    sandbox: Sandbox,
}

impl Env {
    async fn new(name: &str) -> Self {
        let dir = tmpdir(&format!("keys-{name}"));
        let sandbox = sandbox().await;
        let vault = os_vault();
        let keys = keys_in(&dir, &vault, sandbox.url(), sandbox.clock());
        Env {
            keys,
            vault,
            dir,
            sandbox,
        }
    }

    /// Another `Keys` over the same file and keychain (as after a restart), on `clock`.
    fn reopen(&self, clock: SharedClock) -> Keys {
        keys_in(&self.dir, &self.vault, self.sandbox.url(), clock)
    }

    fn file(&self) -> PathBuf {
        self.dir.join(KEYS_FILE)
    }

    fn file_bytes(&self) -> Vec<u8> {
        std::fs::read(self.file()).unwrap_or_default()
    }

    /// The `i`-th seeded user and their key.
    fn user(&self, i: usize) -> (String, String) {
        seeded_user(&self.sandbox, i)
    }

    /// A new key of `user`, not added.
    async fn mint(&self, user: &str) -> String {
        mint_api_key(&self.sandbox, user).await
    }

    async fn add(&self, name: &str, key: &str) -> Result<KeyView, KeysError> {
        self.keys.add(req(name, key)).await
    }

    async fn rotate(&self, old_id: &str, name: &str, key: &str) -> Result<Rotation, KeysError> {
        self.keys.rotate(old_id, req(name, key)).await
    }

    /// Runs `test` on a fresh env (its folder named after `name`) within 90 s, then deletes
    /// every key it made.
    async fn run<F: Future<Output = ()>>(name: &str, test: impl FnOnce(Arc<Env>) -> F) {
        bounded(90, async {
            let env = Arc::new(Env::new(name).await);
            test(env.clone()).await;
            let env = Arc::into_inner(env).expect("the test is over: no one else holds the env");
            env.finish().await;
        })
        .await
    }

    /// Deletes every key (and so every keychain entry) this test made.
    async fn finish(self) {
        for k in self.keys.list() {
            self.keys.delete(&k.id).unwrap();
            assert_eq!(self.vault.read(&k.id).unwrap_err(), VaultError::Missing);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
        self.sandbox.shutdown().await;
    }
}

/// A sandbox key named `name`, with no expiry date, as the UI sends it.
fn req(name: &str, key: &str) -> AddKey {
    let ipc = serde_json::json!({ "name": name, "key": key, "region": "sandbox" });
    serde_json::from_value(ipc).expect("an AddKey")
}

/// No part of `key` long enough to matter (8 characters of either random part) is in `bytes`.
fn assert_no_key_bytes(bytes: &[u8], key: &str) {
    let text = String::from_utf8_lossy(bytes);
    for part in key["PMAK-".len()..].split('-') {
        for window in part.as_bytes().windows(8) {
            let w = std::str::from_utf8(window).unwrap();
            assert!(!text.contains(w), "key bytes {w:?} found in {text}");
        }
    }
}

#[tokio::test]
async fn add_verifies_with_me_and_keeps_the_secret_in_the_keychain() {
    Env::run("add", |env| async move {
        let (user, key) = env.user(0);
        let view = env.add("Work", &format!("  \"{key}\"\n")).await.unwrap();
        assert_eq!(view.status, KeyStatus::Valid);
        assert_eq!(
            view.owner.as_ref().and_then(|o| o.username.as_deref()),
            Some(user.as_str())
        );
        assert!(view.active);
        assert_eq!(env.vault.read(&view.id).unwrap().expose(), key);
        assert_no_key_bytes(&env.file_bytes(), &key);

        // A second Keys over the same file and keychain sees the same thing.
        let reopened = env.reopen(env.sandbox.clock());
        assert_eq!(reopened.list(), env.keys.list());
        let (meta, _api) = reopened.active().unwrap().unwrap();
        assert_eq!(meta.id, view.id);

        // The same key again is a duplicate.
        let err = env.add("Again", &key).await.unwrap_err();
        assert!(matches!(err, KeysError::Duplicate), "{err:?}");
    })
    .await
}

#[tokio::test]
async fn bad_pastes_and_refused_keys_save_nothing() {
    Env::run("refused", |env| async move {
        let err = env.add("X", "this is not a key").await.unwrap_err();
        assert_eq!(err.code(), "keys.format");
        assert!(err.to_string().contains("PMAK-"), "{err}");

        let err = env.add("X", ACCESS_KEY).await.unwrap_err();
        assert!(
            err.to_string()
                .contains("That looks like a collection access key (PMAT-…)"),
            "{err}"
        );

        let err = env.add("X", UNKNOWN).await.unwrap_err();
        let ipc = IpcError::from(err);
        assert_eq!(ipc.code, "api.invalidKey");
        assert!(ipc.message.contains("Nothing was saved"), "{}", ipc.message);

        assert!(env.keys.list().is_empty());
        assert!(!env.file().exists(), "nothing was written");
    })
    .await
}

#[tokio::test]
async fn an_unreachable_sandbox_saves_the_key_unverified() {
    bounded(90, async {
        let dir = tmpdir("keys-offline");
        let sandbox = sandbox().await;
        let key = sandbox.keys().values().next().unwrap().clone();
        let url = sandbox.url().to_owned();
        sandbox.shutdown().await; // nothing listens there any more
        let vault = os_vault();
        let keys = keys_in(&dir, &vault, &url, on(today())).with_timeout(Duration::from_secs(3));
        let view = keys.add(req("Later", &key)).await.unwrap();
        assert_eq!(view.status, KeyStatus::Unverified);
        assert_eq!(view.owner, None);
        let text = std::fs::read_to_string(dir.join(KEYS_FILE)).unwrap();
        assert!(text.contains("\"status\": \"unverified\""), "{text}");
        assert_no_key_bytes(text.as_bytes(), &key);
        keys.delete(&view.id).unwrap();
        assert_eq!(vault.read(&view.id).unwrap_err(), VaultError::Missing);
        let _ = std::fs::remove_dir_all(dir);
    })
    .await
}

#[tokio::test]
async fn a_revoked_key_verifies_as_invalid() {
    Env::run("revoked", |env| async move {
        let (user, _) = env.user(0);
        let minted = env.mint(&user).await;
        let view = env.add("Minted", &minted).await.unwrap();
        assert_eq!(view.status, KeyStatus::Valid);
        reset(&env.sandbox).await; // the minted key is now unknown to the sandbox
        let after = env.keys.verify(&view.id).await.unwrap();
        assert_eq!(after.status, KeyStatus::Invalid);
        let text = String::from_utf8(env.file_bytes()).unwrap();
        assert!(text.contains("\"status\": \"invalid\""), "{text}");
    })
    .await
}

#[tokio::test]
async fn rename_expiry_and_reminders_persist() {
    Env::run("expiry", |env| async move {
        let view = env.add("Work", &env.user(0).1).await.unwrap();
        assert_eq!(
            env.keys.rename(&view.id, "").unwrap_err().code(),
            "keys.format"
        );
        env.keys.rename(&view.id, "Team key").unwrap();
        let err = env
            .keys
            .set_expiry(&view.id, Some("25/11/2026".into()))
            .unwrap_err();
        assert!(err.to_string().contains("YYYY-MM-DD"), "{err}");
        // Two days out: the 3-day reminder is due, once.
        let v = env
            .keys
            .set_expiry(&view.id, Some("2026-11-25".into()))
            .unwrap();
        assert_eq!(v.days_left, Some(2));
        assert_eq!(v.urgency, "urgent");
        let due = env.keys.due_reminders();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].days, 3);
        assert_eq!(due[0].name, "Team key");
        assert_eq!(due[0].expires_on, "2026-11-25");
        env.keys.mark_reminded(&view.id, 3).unwrap();
        assert!(env.keys.due_reminders().is_empty());
        // Survives a restart.
        // Survives a restart, and the next days bring the next reminders.
        let reopen = |day: time::Date| env.reopen(on(day));
        assert!(reopen(today()).due_reminders().is_empty());
        assert_eq!(reopen(day(2026, 11, 24)).due_reminders()[0].days, 1);
        assert_eq!(reopen(day(2026, 11, 24)).due_reminders()[0].days_left, 1);
        assert_eq!(reopen(today()).list()[0].name, "Team key");
        assert_eq!(reopen(day(2026, 11, 25)).list()[0].status, KeyStatus::Valid);
        assert_eq!(
            reopen(day(2026, 11, 26)).list()[0].status,
            KeyStatus::Expired
        );
    })
    .await
}

#[tokio::test]
async fn rotation_and_delete_clean_the_keychain_and_the_file() {
    Env::run("rotate", |env| async move {
        let (user, key) = env.user(0);
        let (other_user, other_key) = env.user(1);
        let old = env.add("Work", &key).await.unwrap();
        let other = env.add("Other", &other_key).await.unwrap();

        // Another account's key is refused and nothing changes.
        let foreign = env.mint(&other_user).await;
        let before = env.file_bytes();
        let err = env.rotate(&old.id, "New", &foreign).await.unwrap_err();
        assert_eq!(err.code(), "keys.wrongUser");
        assert_eq!(env.file_bytes(), before);
        assert_eq!(env.vault.read(&old.id).unwrap().expose(), key);
        assert_eq!(env.keys.list().len(), 2);

        // The same account's newer key replaces it.
        let fresh = env.mint(&user).await;
        let rot = env.rotate(&old.id, "Work (new)", &fresh).await.unwrap();
        assert_eq!(rot.retired_name, "Work");
        assert_eq!(rot.delete_in_postman_url, POSTMAN_API_KEYS_URL);
        assert!(rot.new_key.active);
        assert_eq!(env.vault.read(&old.id).unwrap_err(), VaultError::Missing);
        assert_eq!(env.vault.read(&rot.new_key.id).unwrap().expose(), fresh);
        let text = String::from_utf8(env.file_bytes()).unwrap();
        assert!(!text.contains(&old.id), "{text}");
        assert!(text.contains(&rot.new_key.id), "{text}");

        // Delete removes the keychain entry and the metadata.
        env.keys.delete(&other.id).unwrap();
        assert_eq!(env.vault.read(&other.id).unwrap_err(), VaultError::Missing);
        assert!(!String::from_utf8(env.file_bytes())
            .unwrap()
            .contains(&other.id));
    })
    .await
}

/// add → verify → rotate → delete: the key list file never holds key bytes, and neither do
/// the errors and debug output along the way.
#[tokio::test]
async fn secret_audit_the_file_never_holds_a_key() {
    Env::run("audit", |env| async move {
        let (user, key) = env.user(0);
        let mut seen = Vec::new();
        let view = env.add("Audit", &key).await.unwrap();
        seen.push(env.file_bytes());
        env.keys.verify(&view.id).await.unwrap();
        seen.push(env.file_bytes());
        let dup = env.add("Dup", &key).await.unwrap_err();
        let fresh = env.mint(&user).await;
        let rot = env.rotate(&view.id, "Audit 2", &fresh).await.unwrap();
        seen.push(env.file_bytes());
        env.keys.delete(&rot.new_key.id).unwrap();
        seen.push(env.file_bytes());
        let text = format!(
            "{dup} {dup:?} {rot:?} {:?} {:?}",
            req("x", &key),
            env.keys.list()
        );
        for bytes in seen.iter().chain(std::iter::once(&text.into_bytes())) {
            assert_no_key_bytes(bytes, &key);
            assert_no_key_bytes(bytes, &fresh);
        }
        assert!(env.keys.list().is_empty());
    })
    .await
}
