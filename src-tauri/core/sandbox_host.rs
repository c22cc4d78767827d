//! The built-in sandbox: a `postman-sandbox` server inside the app's process on 127.0.0.1, its
//! state persisted in the data folder so edits survive restarts. It is what Postdesk talks to
//! when no Postman API key is set, so a fresh machine with no account can use every view.

use std::path::{Path, PathBuf};

use postdesk_base::SharedClock;
use postman_sandbox::{Config, Limits, Sandbox};
use serde::Serialize;
use ts_rs::TS;

use postdesk_base::error::{Code, DomainError, SandboxCode};

/// The seed of the built-in sandbox: the same seeded data on every machine.
pub const SEED: u64 = 42;
/// File name of the sandbox's state inside the data folder.
pub const STATE_FILE: &str = "sandbox-state.json";

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

pub struct BuiltinSandbox {
    sandbox: tokio::sync::Mutex<Option<Sandbox>>,
    url: String,
    /// Username → the seeded user's API key. Sandbox keys, but still kept in Rust only.
    keys: std::collections::BTreeMap<String, String>,
}

impl BuiltinSandbox {
    pub fn state_file(data_dir: &Path) -> PathBuf {
        data_dir.join(STATE_FILE)
    }

    /// Starts the sandbox with the real API's limits (so pacing behaves as it will against
    /// Postman) on a free loopback port. Must run inside a tokio runtime.
    pub async fn start(data_dir: &Path, clock: SharedClock) -> Result<Self, SandboxHostError> {
        let state = Self::state_file(data_dir);
        let config = Config {
            seed: SEED,
            limits: Limits::default(),
            state_file: Some(state.clone()),
            clock,
            ..Config::default()
        };
        let sandbox =
            postman_sandbox::start(config)
                .await
                .map_err(|e| SandboxHostError::StartFailed {
                    reason: e.to_string(),
                    state: state.display().to_string(),
                })?;
        Ok(Self {
            url: sandbox.url().to_owned(),
            keys: sandbox.keys().clone(),
            sandbox: tokio::sync::Mutex::new(Some(sandbox)),
        })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn keys(&self) -> &std::collections::BTreeMap<String, String> {
        &self.keys
    }

    /// Stops serving and writes the state file; later calls do nothing.
    pub async fn stop(&self) {
        if let Some(sandbox) = self.sandbox.lock().await.take() {
            sandbox.shutdown().await;
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

    #[tokio::test]
    async fn serves_on_loopback_and_persists_in_the_data_folder() {
        let dir = temp_dir("builtin");
        let sandbox = BuiltinSandbox::start(&dir, SharedClock::pinned("2026-11-23T10:00:00Z").0)
            .await
            .unwrap();
        assert!(
            sandbox.url().starts_with("http://127.0.0.1:"),
            "{}",
            sandbox.url()
        );
        let status = status(&Ok(sandbox));
        assert_eq!(status.error, None);
        assert!(BuiltinSandbox::state_file(&dir).exists());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn a_corrupt_state_file_is_reported_and_left_untouched() {
        let dir = temp_dir("builtin-corrupt");
        let state = BuiltinSandbox::state_file(&dir);
        std::fs::write(&state, b"{not json").unwrap();
        let slot: SandboxSlot =
            BuiltinSandbox::start(&dir, SharedClock::pinned("2026-11-23T10:00:00Z").0).await;
        let status = status(&slot);
        assert_eq!(status.url, None);
        let message = status.error.unwrap();
        assert!(message.contains(&state.display().to_string()), "{message}");
        assert_eq!(std::fs::read(&state).unwrap(), b"{not json");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
