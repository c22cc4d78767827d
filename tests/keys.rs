//! The keys domain end to end: a real in-process sandbox over loopback, the key list in a JSON
//! file in a temp folder, secrets in a real Secret Service (run through scripts/with-keyring.sh,
//! as scripts/test.sh does; every entry made here is deleted again).

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use postdesk_base::{DomainError, IpcError};
use postdesk_keys::{
    AddKey, JsonFileStore, KeyRegion, KeyStatus, Keys, KeysError, KEYS_FILE, POSTMAN_API_KEYS_URL,
};
use postdesk_vault::{Vault, VaultError};

/// Well-formed, but no sandbox user holds it.
const UNKNOWN: &str = "PMAK-000000000000000000000000-0000000000000000000000000000000000";

fn day(y: i32, m: u8, d: u8) -> time::Date {
    time::Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), d).unwrap()
}

fn today() -> time::Date {
    day(2026, 11, 23)
}

/// A clock pinned on `on`, 10:00 UTC: "today" for the keys domain, whatever the real date.
fn on(on: time::Date) -> postdesk_base::SharedClock {
    let ms = on.midnight().assume_utc().unix_timestamp() * 1000 + 36_000_000;
    std::sync::Arc::new(postdesk_base::PinnedClock::at_ms(ms)).into()
}

/// A sandbox whose clock is pinned on [`today`].
async fn sandbox() -> postman_sandbox::Sandbox {
    postman_sandbox::start(postman_sandbox::Config {
        clock: on(today()),
        ..postman_sandbox::Config::default()
    })
    .await
    .unwrap()
}

async fn bounded<T>(f: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(90), f)
        .await
        .expect("the test took longer than 90 s")
}

fn os_vault() -> Arc<Vault> {
    let vault = Vault::os();
    let status = vault.status();
    assert!(
        status.available,
        "no usable Secret Service ({:?}): run the tests through scripts/with-keyring.sh",
        status.error
    );
    Arc::new(vault)
}

struct Env {
    keys: Keys,
    vault: Arc<Vault>,
    dir: PathBuf,
    sandbox: postman_sandbox::Sandbox,
}

impl Env {
    async fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("postdesk-keys-it-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let sandbox = sandbox().await;
        let vault = os_vault();
        let keys = Keys::new(
            vault.clone(),
            Box::new(JsonFileStore::new(dir.join(KEYS_FILE))),
            Some(sandbox.url().to_owned()),
            sandbox.clock(),
        )
        .unwrap();
        Env {
            keys,
            vault,
            dir,
            sandbox,
        }
    }

    fn file(&self) -> PathBuf {
        self.dir.join(KEYS_FILE)
    }

    fn file_bytes(&self) -> Vec<u8> {
        std::fs::read(self.file()).unwrap_or_default()
    }

    fn user(&self, i: usize) -> (String, String) {
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

fn req(name: &str, key: &str) -> AddKey {
    AddKey {
        name: name.into(),
        key: key.into(),
        region: KeyRegion::Sandbox,
        expires_on: None,
    }
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
    bounded(async {
        let env = Env::new("add").await;
        let (user, key) = env.user(0);
        let view = env
            .keys
            .add(req("Work", &format!("  \"{key}\"\n")))
            .await
            .unwrap();
        assert_eq!(view.status, KeyStatus::Valid);
        assert_eq!(
            view.owner.as_ref().and_then(|o| o.username.as_deref()),
            Some(user.as_str())
        );
        assert!(view.active);
        assert_eq!(env.vault.read(&view.id).unwrap().expose(), key);
        assert_no_key_bytes(&env.file_bytes(), &key);

        // A second Keys over the same file and keychain sees the same thing.
        let reopened = Keys::new(
            env.vault.clone(),
            Box::new(JsonFileStore::new(env.file())),
            Some(env.sandbox.url().to_owned()),
            env.sandbox.clock(),
        )
        .unwrap();
        assert_eq!(reopened.list(), env.keys.list());
        let (meta, _api) = reopened.active().unwrap().unwrap();
        assert_eq!(meta.id, view.id);

        // The same key again is a duplicate.
        let err = env.keys.add(req("Again", &key)).await.unwrap_err();
        assert!(matches!(err, KeysError::Duplicate), "{err:?}");
        env.finish().await;
    })
    .await
}

#[tokio::test]
async fn bad_pastes_and_refused_keys_save_nothing() {
    bounded(async {
        let env = Env::new("refused").await;
        let err = env
            .keys
            .add(req("X", "this is not a key"))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "keys.format");
        assert!(err.to_string().contains("PMAK-"), "{err}");

        let err = env
            .keys
            .add(req(
                "X",
                "PMAT-0123456789abcdef01234567-0123456789abcdef0123456789abcdef01",
            ))
            .await
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("That looks like a collection access key (PMAT-…)"),
            "{err}"
        );

        let err = env.keys.add(req("X", UNKNOWN)).await.unwrap_err();
        let ipc = IpcError::from(err);
        assert_eq!(ipc.code, "api.invalidKey");
        assert!(ipc.message.contains("Nothing was saved"), "{}", ipc.message);

        assert!(env.keys.list().is_empty());
        assert!(!env.file().exists(), "nothing was written");
        env.finish().await;
    })
    .await
}

#[tokio::test]
async fn an_unreachable_sandbox_saves_the_key_unverified() {
    bounded(async {
        let dir =
            std::env::temp_dir().join(format!("postdesk-keys-it-offline-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let sandbox = sandbox().await;
        let key = sandbox.keys().values().next().unwrap().clone();
        let url = sandbox.url().to_owned();
        sandbox.shutdown().await; // nothing listens there any more
        let vault = os_vault();
        let keys = Keys::new(
            vault.clone(),
            Box::new(JsonFileStore::new(dir.join(KEYS_FILE))),
            Some(url),
            on(today()),
        )
        .unwrap()
        .with_timeout(Duration::from_secs(3));
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
    bounded(async {
        let env = Env::new("revoked").await;
        let (user, _) = env.user(0);
        let minted = env.mint(&user).await;
        let view = env.keys.add(req("Minted", &minted)).await.unwrap();
        assert_eq!(view.status, KeyStatus::Valid);
        env.reset_sandbox().await; // the minted key is now unknown to the sandbox
        let after = env.keys.verify(&view.id).await.unwrap();
        assert_eq!(after.status, KeyStatus::Invalid);
        let text = String::from_utf8(env.file_bytes()).unwrap();
        assert!(text.contains("\"status\": \"invalid\""), "{text}");
        env.finish().await;
    })
    .await
}

#[tokio::test]
async fn rename_expiry_and_reminders_persist() {
    bounded(async {
        let env = Env::new("expiry").await;
        let view = env.keys.add(req("Work", &env.user(0).1)).await.unwrap();
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
        let reopen = |day: time::Date| {
            Keys::new(
                env.vault.clone(),
                Box::new(JsonFileStore::new(env.file())),
                Some(env.sandbox.url().to_owned()),
                on(day),
            )
            .unwrap()
        };
        assert!(reopen(today()).due_reminders().is_empty());
        assert_eq!(reopen(day(2026, 11, 24)).due_reminders()[0].days, 1);
        assert_eq!(reopen(day(2026, 11, 24)).due_reminders()[0].days_left, 1);
        assert_eq!(reopen(today()).list()[0].name, "Team key");
        assert_eq!(reopen(day(2026, 11, 25)).list()[0].status, KeyStatus::Valid);
        assert_eq!(
            reopen(day(2026, 11, 26)).list()[0].status,
            KeyStatus::Expired
        );
        env.finish().await;
    })
    .await
}

#[tokio::test]
async fn rotation_and_delete_clean_the_keychain_and_the_file() {
    bounded(async {
        let env = Env::new("rotate").await;
        let (user, key) = env.user(0);
        let (other_user, other_key) = env.user(1);
        let old = env.keys.add(req("Work", &key)).await.unwrap();
        let other = env.keys.add(req("Other", &other_key)).await.unwrap();

        // Another account's key is refused and nothing changes.
        let foreign = env.mint(&other_user).await;
        let before = env.file_bytes();
        let err = env
            .keys
            .rotate(&old.id, req("New", &foreign))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "keys.wrongUser");
        assert_eq!(env.file_bytes(), before);
        assert_eq!(env.vault.read(&old.id).unwrap().expose(), key);
        assert_eq!(env.keys.list().len(), 2);

        // The same account's newer key replaces it.
        let fresh = env.mint(&user).await;
        let rot = env
            .keys
            .rotate(&old.id, req("Work (new)", &fresh))
            .await
            .unwrap();
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
        env.finish().await;
    })
    .await
}

/// add → verify → rotate → delete: the key list file never holds key bytes, and neither do
/// the errors and debug output along the way.
#[tokio::test]
async fn secret_audit_the_file_never_holds_a_key() {
    bounded(async {
        let env = Env::new("audit").await;
        let (user, key) = env.user(0);
        let mut seen = Vec::new();
        let view = env.keys.add(req("Audit", &key)).await.unwrap();
        seen.push(env.file_bytes());
        env.keys.verify(&view.id).await.unwrap();
        seen.push(env.file_bytes());
        let dup = env.keys.add(req("Dup", &key)).await.unwrap_err();
        let fresh = env.mint(&user).await;
        let rot = env
            .keys
            .rotate(&view.id, req("Audit 2", &fresh))
            .await
            .unwrap();
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
        env.finish().await;
    })
    .await
}
