//! The built-in sandbox: a `postman-sandbox` server inside the app's process on 127.0.0.1, its
//! state persisted in the data folder so edits survive restarts. It is what Postdesk talks to
//! when no Postman API key is set, so a fresh machine with no account can use every view.
//!
//! It is this install's own: its seeded keys and tokens derive from a random key kept in the
//! keychain ([`INSTALL_KEY_ACCOUNT`]), not from the seed every install shares; its admin token is
//! new at every start and written with its URL to [`INFO_FILE`] (owner-only) for the user's own
//! tools and the tests; that file is removed when the app stops.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use postdesk_base::{Secret, SharedClock};
use postdesk_vault::{Vault, VaultError};
use postman_sandbox::rng::SeedSecrets;
use postman_sandbox::{Config, Limits, Sandbox};
use serde::Serialize;
use ts_rs::TS;

use postdesk_base::error::{Code, DomainError, SandboxCode};

/// The seed of the built-in sandbox: the same seeded data (names, ids) on every machine.
pub const SEED: u64 = 42;
/// File name of the sandbox's state inside the data folder.
pub const STATE_FILE: &str = "sandbox-state.json";
/// `{"url", "adminToken"}` of the running sandbox, inside the data folder (0600).
pub const INFO_FILE: &str = "sandbox.json";
/// The keychain entry of this install's sandbox key.
pub const INSTALL_KEY_ACCOUNT: &str = "builtin-sandbox-install-key";

#[derive(Debug, thiserror::Error)]
pub enum SandboxHostError {
    #[error(
        "The built-in sandbox could not start: {reason}. Its saved state in {state} was left as it is; \
         move that file away to start from fresh sample data."
    )]
    StartFailed { reason: String, state: String },
    #[error("The built-in sandbox is not started in this run.")]
    Disabled,
}

impl DomainError for SandboxHostError {
    fn code(&self) -> Code {
        match self {
            SandboxHostError::StartFailed { .. } => SandboxCode::StartFailed.into(),
            SandboxHostError::Disabled => SandboxCode::NotRunning.into(),
        }
    }
}

/// What the UI may know about the built-in sandbox (no keys: those stay in Rust).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SandboxStatus {
    /// `http://127.0.0.1:PORT` while it runs.
    pub url: Option<String>,
    /// Why it is not running, for a person.
    pub error: Option<String>,
}

/// This install's sandbox key from the keychain (made and kept there the first time). Without
/// a usable keychain the sandbox gets a key for this run only, never one written to a file:
/// its sample keys then change at every start (its data is kept), which the notice says.
fn install_key(vault: &Vault) -> (SeedSecrets, Option<String>) {
    let fresh = || postdesk_base::random::hex_secret::<32>();
    let key = match vault.read(INSTALL_KEY_ACCOUNT) {
        Ok(key) => return (SeedSecrets::FromKey(Arc::new(key)), None),
        Err(VaultError::Missing) => match fresh() {
            Ok(key) => match vault.store(INSTALL_KEY_ACCOUNT, &key) {
                Ok(()) => return (SeedSecrets::FromKey(Arc::new(key)), None),
                Err(e) => (Ok(key), e.to_string()),
            },
            Err(e) => (Err(e), String::new()),
        },
        Err(e) => (fresh(), e.to_string()),
    };
    match key {
        (Ok(key), why) => (
            SeedSecrets::FromKey(Arc::new(key)),
            Some(format!(
                "The built-in sandbox's sample keys are new at every start (its data is kept), \
                 because the keychain could not keep its key: {why}"
            )),
        ),
        // No random source at all: the sandbox still runs, on the seed's well-known keys,
        // which only ever work against this computer's own sandbox.
        (Err(e), _) => (
            SeedSecrets::FromSeed,
            Some(format!(
                "The built-in sandbox uses the sample keys every install shares: {e}"
            )),
        ),
    }
}

impl Drop for BuiltinSandbox {
    /// The seeded users' keys do not outlive the sandbox in memory.
    fn drop(&mut self) {
        use zeroize::Zeroize;
        for key in self.keys.values_mut() {
            key.zeroize();
        }
    }
}

pub struct BuiltinSandbox {
    sandbox: tokio::sync::Mutex<Option<Sandbox>>,
    url: String,
    /// Username → the seeded user's API key. Sandbox keys, but still kept in Rust only.
    keys: std::collections::BTreeMap<String, String>,
    /// Username → user id.
    users: std::collections::BTreeMap<String, u64>,
    admin_token: Arc<Secret>,
    info_file: PathBuf,
}

impl BuiltinSandbox {
    pub fn state_file(data_dir: &Path) -> PathBuf {
        data_dir.join(STATE_FILE)
    }

    /// Starts the sandbox with the real API's limits (so pacing behaves as it will against
    /// Postman) on a free loopback port, with this install's secrets, and writes
    /// [`INFO_FILE`]. Must run inside a tokio runtime. The notices are for the user (the
    /// keychain could not keep the install's key; the info file could not be written).
    pub async fn start(
        data_dir: &Path,
        clock: SharedClock,
        vault: Arc<Vault>,
    ) -> Result<(Self, Vec<String>), SandboxHostError> {
        let state = Self::state_file(data_dir);
        let (secrets, notice) = tokio::task::spawn_blocking(move || install_key(&vault))
            .await
            .unwrap_or_else(|e| (SeedSecrets::FromSeed, Some(e.to_string())));
        let mut notices: Vec<String> = notice.into_iter().collect();
        let config = Config {
            seed: SEED,
            limits: Limits::default(),
            state_file: Some(state.clone()),
            clock,
            secrets,
            ..Config::default()
        };
        let sandbox =
            postman_sandbox::start(config)
                .await
                .map_err(|e| SandboxHostError::StartFailed {
                    reason: e.to_string(),
                    state: state.display().to_string(),
                })?;
        let info_file = data_dir.join(INFO_FILE);
        let info = serde_json::json!({
            "url": sandbox.url(),
            "adminToken": sandbox.admin_token().expose(),
        });
        if let Err(e) = postdesk_base::files::write_atomic(&info_file, info.to_string().as_bytes())
        {
            notices.push(format!(
                "{} could not be written ({e}): tools other than Postdesk cannot drive the \
                 built-in sandbox in this run.",
                info_file.display()
            ));
        }
        Ok((
            Self {
                url: sandbox.url().to_owned(),
                keys: sandbox.keys().clone(),
                users: sandbox.users().clone(),
                admin_token: Arc::new(sandbox.admin_token().duplicate()),
                sandbox: tokio::sync::Mutex::new(Some(sandbox)),
                info_file,
            },
            notices,
        ))
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn keys(&self) -> &std::collections::BTreeMap<String, String> {
        &self.keys
    }

    /// The id (as `/me` gives it) of the user `username`.
    pub fn user_id(&self, username: &str) -> Option<u64> {
        self.users.get(username).copied()
    }

    /// What its `/_sandbox/` endpoints need (given to the clients of this sandbox only).
    pub fn admin_token(&self) -> Arc<Secret> {
        self.admin_token.clone()
    }

    /// Stops serving, writes the state file and removes [`INFO_FILE`]; later calls do nothing.
    pub async fn stop(&self) {
        if let Some(sandbox) = self.sandbox.lock().await.take() {
            sandbox.shutdown().await;
            let _ = std::fs::remove_file(&self.info_file);
        }
    }
}

/// The sandbox as the app holds it: running, or the reason it is not.
pub type SandboxSlot = Result<BuiltinSandbox, SandboxHostError>;

pub fn status(slot: &SandboxSlot) -> SandboxStatus {
    match slot {
        Ok(s) => SandboxStatus {
            url: Some(s.url().to_owned()),
            error: None,
        },
        Err(e) => SandboxStatus {
            url: None,
            error: Some(e.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("postdesk-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn clock() -> SharedClock {
        SharedClock::pinned("2026-11-23T10:00:00Z").0
    }

    fn vault(unavailable: bool) -> Arc<Vault> {
        let mut store = postdesk_vault::MemoryStore::default();
        store.unavailable = unavailable;
        Arc::new(Vault::new(Box::new(store)))
    }

    async fn me(url: &str, key: &str) -> u16 {
        reqwest::Client::new()
            .get(format!("{url}/me"))
            .header("x-api-key", key)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }

    #[tokio::test]
    async fn serves_on_loopback_with_this_installs_keys_and_an_info_file() {
        let dir = temp_dir("builtin");
        let vault = vault(false);
        let (sandbox, notices) = BuiltinSandbox::start(&dir, clock(), vault.clone())
            .await
            .unwrap();
        assert_eq!(notices, Vec::<String>::new());
        assert!(
            sandbox.url().starts_with("http://127.0.0.1:"),
            "{}",
            sandbox.url()
        );
        assert!(BuiltinSandbox::state_file(&dir).exists());
        // The seed's keys are this install's, not the ones every install shares.
        let key = sandbox.keys()["taylor-lee"].clone();
        let shared = postman_sandbox::seed::build(SEED, 0, &SeedSecrets::FromSeed).1;
        assert_ne!(key, shared.users["taylor-lee"]);
        assert_eq!(me(sandbox.url(), &key).await, 200);
        assert_eq!(me(sandbox.url(), &shared.users["taylor-lee"]).await, 401);
        assert!(
            vault.read(INSTALL_KEY_ACCOUNT).is_ok(),
            "kept in the keychain"
        );
        // sandbox.json: the URL and the admin token, for the user alone.
        let info_file = dir.join(INFO_FILE);
        let info: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&info_file).unwrap()).unwrap();
        assert_eq!(info["url"], sandbox.url());
        assert_eq!(info["adminToken"], sandbox.admin_token().expose());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&info_file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let admin = reqwest::Client::new()
            .get(format!("{}/_sandbox/clock", sandbox.url()))
            .header("x-sandbox-token", info["adminToken"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(admin.status(), 200);
        sandbox.stop().await;
        assert!(!info_file.exists(), "removed when the app stops");
        // The next start: the same keys (the key is in the keychain), a new admin token.
        let (again, _) = BuiltinSandbox::start(&dir, clock(), vault).await.unwrap();
        assert_eq!(again.keys()["taylor-lee"], key);
        assert_eq!(me(again.url(), &key).await, 200);
        assert_ne!(
            again.admin_token().expose(),
            info["adminToken"].as_str().unwrap()
        );
        again.stop().await;
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn without_a_keychain_the_keys_are_for_this_run_and_the_notice_says_so() {
        let dir = temp_dir("builtin-nokeychain");
        let (first, notices) = BuiltinSandbox::start(&dir, clock(), vault(true))
            .await
            .unwrap();
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert!(notices[0].contains("new at every start"), "{}", notices[0]);
        let key = first.keys()["taylor-lee"].clone();
        assert_eq!(me(first.url(), &key).await, 200);
        first.stop().await;
        let (second, _) = BuiltinSandbox::start(&dir, clock(), vault(true))
            .await
            .unwrap();
        let again = second.keys()["taylor-lee"].clone();
        assert_ne!(again, key, "nothing kept the key in a file");
        assert_eq!(me(second.url(), &again).await, 200);
        assert_eq!(me(second.url(), &key).await, 401);
        second.stop().await;
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn a_corrupt_state_file_is_reported_and_left_untouched() {
        let dir = temp_dir("builtin-corrupt");
        let state = BuiltinSandbox::state_file(&dir);
        std::fs::write(&state, b"{not json").unwrap();
        let slot: SandboxSlot = BuiltinSandbox::start(&dir, clock(), vault(false))
            .await
            .map(|(s, _)| s);
        let status = status(&slot);
        assert_eq!(status.url, None);
        let message = status.error.unwrap();
        assert!(message.contains(&state.display().to_string()), "{message}");
        assert_eq!(std::fs::read(&state).unwrap(), b"{not json");
        assert!(!dir.join(INFO_FILE).exists());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
