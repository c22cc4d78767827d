//! The session: which backend the engine talks to follows the active key in Keys (or the built-in
//! sandbox when none is active), and the expiry reminders given in this session. Plain Rust.

use std::sync::Mutex;

use crate::sandbox_host::SandboxSlot;
use postdesk_base::error::{Code, SandboxCode};
use postdesk_engine::{Engine, EngineError};
use postdesk_keys::{KeyRegion, Keys, KeysError, Reminder};

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Keys(#[from] KeysError),
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error("The built-in sandbox is not running, so a sandbox key cannot be used.")]
    NoSandbox,
}

impl postdesk_base::DomainError for SessionError {
    fn code(&self) -> Code {
        match self {
            SessionError::Keys(e) => e.code(),
            SessionError::Engine(e) => e.code(),
            SessionError::NoSandbox => SandboxCode::NotRunning.into(),
        }
    }
}

/// Points the engine at the active key, or at the built-in sandbox when none is active.
pub fn follow_active_key(
    keys: &Keys,
    engine: &Engine,
    sandbox: &SandboxSlot,
) -> Result<(), SessionError> {
    match keys.active()? {
        Some((meta, key)) => {
            if meta.region == KeyRegion::Sandbox && sandbox.is_err() {
                return Err(SessionError::NoSandbox);
            }
            let region = keys.client_region(meta.region)?;
            engine.activate_key(region, Some(meta.id.clone()), &meta.name, key)?;
        }
        None => {
            let s = sandbox.as_ref().map_err(|_| SessionError::NoSandbox)?;
            engine.activate_sandbox(s.url(), s.keys())?;
        }
    }
    Ok(())
}

/// Reminders given in this session: each is given once (OS notification + in-app banner) and
/// stays on the banner until dismissed.
#[derive(Default)]
pub struct Reminders(Mutex<Vec<Reminder>>);

impl Reminders {
    /// Takes the reminders that fell due (today on the keys' clock), marks them given, and
    /// returns those to notify about.
    pub fn collect(&self, keys: &Keys) -> Vec<Reminder> {
        let due = keys.due_reminders();
        let mut shown = self.0.lock().unwrap_or_else(|e| e.into_inner());
        for r in &due {
            if keys.mark_reminded(&r.key_id, r.days).is_ok() {
                shown.retain(|x| x.key_id != r.key_id);
                shown.push(r.clone());
            }
        }
        due
    }

    pub fn current(&self) -> Vec<Reminder> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn dismiss(&self, key_id: &str, days: i32) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|r| !(r.key_id == key_id && r.days == days));
    }

    /// Drops every reminder of a deleted key.
    pub fn forget_key(&self, key_id: &str) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|r| r.key_id != key_id);
    }
}
