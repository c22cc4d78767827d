//! The session: which backend the engine talks to follows the active key in Keys (or the built-in
//! sandbox when none is active), and the expiry reminders given in this session. Plain Rust.

use std::sync::Mutex;

use crate::sandbox_host::SandboxSlot;
use postdesk_base::error::{Code, SandboxCode};
use postdesk_base::Account;
use postdesk_engine::{Engine, EngineError};
use postdesk_keys::{KeyMeta, KeyRegion, Keys, KeysError, Reminder};

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

/// Points the engine at the active key, or at the built-in sandbox when none is active, and
/// answers whose account that is.
pub fn follow_active_key(
    keys: &Keys,
    engine: &Engine,
    sandbox: &SandboxSlot,
) -> Result<Account, SessionError> {
    match keys.active()? {
        Some((meta, key)) => {
            if meta.region == KeyRegion::Sandbox && sandbox.is_err() {
                return Err(SessionError::NoSandbox);
            }
            let account = account_of(&meta);
            let region = keys.client_region(meta.region)?;
            engine.activate_key(
                region,
                Some(meta.id.clone()),
                &meta.name,
                key,
                account.clone(),
            )?;
            Ok(account)
        }
        None => {
            let s = sandbox.as_ref().map_err(|_| SessionError::NoSandbox)?;
            let (user, key) = postdesk_engine::sandbox_user(s.keys())
                .ok_or_else(|| EngineError::Setup("the built-in sandbox has no users".into()))?;
            let id = s
                .user_id(user)
                .map_or_else(|| format!("user:{user}"), |id| id.to_string());
            let account = Account::new("sandbox", &id, format!("{user} on the built-in sandbox"));
            engine.activate_sandbox(s.url(), (user, key), account.clone())?;
            Ok(account)
        }
    }
}

/// The account a key acts for: its user on its backend, as `/me` told (a key never verified
/// is an account of its own until it is).
pub fn account_of(meta: &KeyMeta) -> Account {
    let backend = match meta.region {
        KeyRegion::Us => "us",
        KeyRegion::Eu => "eu",
        KeyRegion::Sandbox => "sandbox",
    };
    let place = match meta.region {
        KeyRegion::Us => "Postman",
        KeyRegion::Eu => "Postman EU",
        KeyRegion::Sandbox => "the built-in sandbox",
    };
    match &meta.owner {
        Some(owner) => {
            let who = owner.username.as_deref().unwrap_or(&meta.name);
            Account::new(backend, &owner.user_id, format!("{who} on {place}"))
        }
        None => Account::new(
            backend,
            &format!("key:{}", meta.id),
            format!("the key \"{}\" on {place}", meta.name),
        ),
    }
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
