//! The vault: Postman API keys and collection access tokens in the OS keychain (Keychain on
//! macOS, Credential Manager on Windows, the Secret Service on Linux — the keyring crate picks
//! the right store for the OS it is compiled for). Plain Rust, no Tauri.
//!
//! Rules: a secret is only ever held in a [`Secret`], which cannot be serialised and prints as
//! `PMAK-…abcd`; every keychain access goes through one mutex; when no keychain is usable the
//! caller gets [`VaultError::Unavailable`] with what to do — never a silent in-memory or
//! plaintext fallback.

use std::sync::Mutex;

use serde::Serialize;
use ts_rs::TS;

pub use postdesk_base::Secret;

use postdesk_base::error::{Code, DomainError, VaultCode};

/// The keychain "service" every Postdesk entry is filed under.
pub const SERVICE: &str = "dev.postdesk.desktop";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VaultError {
    #[error("{0}")]
    Unavailable(String),
    #[error(
        "The keychain refused access to a Postdesk entry: {0}. Unlock the keychain and try again."
    )]
    Access(String),
    #[error("The keychain entry for this key is missing; add the key again.")]
    Missing,
}

impl DomainError for VaultError {
    fn code(&self) -> Code {
        match self {
            VaultError::Unavailable(_) => VaultCode::Unavailable,
            VaultError::Access(_) => VaultCode::Access,
            VaultError::Missing => VaultCode::Missing,
        }
        .into()
    }
}

/// What the keychain looks like to the UI (no secrets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeychainStatus {
    /// `Secret Service`, `macOS Keychain` or `Windows Credential Manager`.
    pub backend: String,
    pub available: bool,
    /// Why it cannot be used, and what to do about it.
    pub error: Option<String>,
}

/// Where secrets are kept. The real one is [`Keychain`]; unit tests may use [`MemoryStore`].
pub trait SecretStore: Send {
    fn backend(&self) -> &'static str;
    /// Checks that the store can be used right now (reads an entry that does not exist).
    fn probe(&mut self) -> Result<(), VaultError>;
    fn set(&mut self, account: &str, secret: &Secret) -> Result<(), VaultError>;
    fn get(&mut self, account: &str) -> Result<Option<Secret>, VaultError>;
    /// Returns whether an entry was there.
    fn delete(&mut self, account: &str) -> Result<bool, VaultError>;
}

/// Serialises every keychain access (Secret Service and Keychain prompts do not like
/// concurrent callers) and maps store errors to [`VaultError`].
pub struct Vault {
    store: Mutex<Box<dyn SecretStore>>,
}

impl Vault {
    pub fn new(store: Box<dyn SecretStore>) -> Self {
        Self {
            store: Mutex::new(store),
        }
    }

    /// The OS keychain.
    pub fn os() -> Self {
        Self::new(Box::new(Keychain))
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&mut dyn SecretStore) -> Result<T, VaultError>,
    ) -> Result<T, VaultError> {
        // A panic while holding the lock cannot leave a half-written secret behind (each call
        // is one keychain operation), so a poisoned lock is safe to keep using.
        let mut store = self.store.lock().unwrap_or_else(|e| e.into_inner());
        f(store.as_mut())
    }

    pub fn status(&self) -> KeychainStatus {
        self.with(|s| {
            let backend = s.backend().to_owned();
            Ok(match s.probe() {
                Ok(()) => KeychainStatus {
                    backend,
                    available: true,
                    error: None,
                },
                Err(e) => KeychainStatus {
                    backend,
                    available: false,
                    error: Some(e.to_string()),
                },
            })
        })
        .unwrap_or_else(|e| KeychainStatus {
            backend: String::new(),
            available: false,
            error: Some(e.to_string()),
        })
    }

    pub fn store(&self, account: &str, secret: &Secret) -> Result<(), VaultError> {
        self.with(|s| s.set(account, secret))
    }

    pub fn read(&self, account: &str) -> Result<Secret, VaultError> {
        self.with(|s| s.get(account))?.ok_or(VaultError::Missing)
    }

    pub fn remove(&self, account: &str) -> Result<bool, VaultError> {
        self.with(|s| s.delete(account))
    }
}

/// The OS keychain through the keyring crate (store chosen once per process).
pub struct Keychain;

impl Keychain {
    fn entry(account: &str) -> Result<keyring::Entry, VaultError> {
        keyring::Entry::new(SERVICE, account).map_err(map_error)
    }
}

/// The message a person gets when no keychain can be used on this OS.
fn unavailable_message(detail: &str) -> String {
    let what = if cfg!(target_os = "macos") {
        "Postdesk keeps API keys in the macOS Keychain, which could not be opened. Unlock your login keychain and restart Postdesk."
    } else if cfg!(windows) {
        "Postdesk keeps API keys in the Windows Credential Manager, which could not be opened. Sign in to Windows normally (not a restricted session) and restart Postdesk."
    } else {
        "Postdesk keeps API keys in the Secret Service (GNOME Keyring, KWallet or KeePassXC), and none is running or it is locked. Install and unlock one (for example: sudo apt install gnome-keyring, then log in again) and restart Postdesk. Your keys are never written to a plain file instead."
    };
    format!("{what} ({detail})")
}

fn map_error(err: keyring::Error) -> VaultError {
    use keyring::Error as E;
    match err {
        E::NoDefaultStore | E::PlatformFailure(_) | E::NoStorageAccess(_) => {
            VaultError::Unavailable(unavailable_message(&err.to_string()))
        }
        E::NoEntry => VaultError::Missing,
        // These carry the stored bytes: never put them in a message.
        E::BadEncoding(_) | E::BadDataFormat(..) => {
            VaultError::Access("the stored entry is unreadable".into())
        }
        other => VaultError::Access(other.to_string()),
    }
}

impl SecretStore for Keychain {
    fn backend(&self) -> &'static str {
        if cfg!(target_os = "macos") {
            "macOS Keychain"
        } else if cfg!(windows) {
            "Windows Credential Manager"
        } else {
            "Secret Service"
        }
    }

    fn probe(&mut self) -> Result<(), VaultError> {
        if let Err(e) = keyring::Entry::store_status() {
            return Err(VaultError::Unavailable(unavailable_message(&e.to_string())));
        }
        match Self::entry("postdesk-probe")?.get_password() {
            Ok(_) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(match map_error(e) {
                VaultError::Access(detail) => VaultError::Unavailable(unavailable_message(&detail)),
                other => other,
            }),
        }
    }

    fn set(&mut self, account: &str, secret: &Secret) -> Result<(), VaultError> {
        Self::entry(account)?
            .set_password(secret.expose())
            .map_err(map_error)
    }

    fn get(&mut self, account: &str) -> Result<Option<Secret>, VaultError> {
        match Self::entry(account)?.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e)),
        }
    }

    fn delete(&mut self, account: &str) -> Result<bool, VaultError> {
        match Self::entry(account)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(map_error(e)),
        }
    }
}

/// An in-memory store for tests only (the `memory-store` feature, which only dev-dependencies
/// turn on): the app never has it, so there is no silent fallback.
#[cfg(any(test, feature = "memory-store"))]
#[derive(Default)]
pub struct MemoryStore {
    entries: std::collections::HashMap<String, String>,
    pub unavailable: bool,
}

#[cfg(any(test, feature = "memory-store"))]
impl SecretStore for MemoryStore {
    fn backend(&self) -> &'static str {
        "memory (tests)"
    }
    fn probe(&mut self) -> Result<(), VaultError> {
        if self.unavailable {
            Err(VaultError::Unavailable(unavailable_message("test")))
        } else {
            Ok(())
        }
    }
    fn set(&mut self, account: &str, secret: &Secret) -> Result<(), VaultError> {
        self.probe()?;
        self.entries.insert(account.into(), secret.expose().into());
        Ok(())
    }
    fn get(&mut self, account: &str) -> Result<Option<Secret>, VaultError> {
        self.probe()?;
        Ok(self.entries.get(account).cloned().map(Secret::new))
    }
    fn delete(&mut self, account: &str) -> Result<bool, VaultError> {
        self.probe()?;
        Ok(self.entries.remove(account).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use postdesk_base::IpcError;

    #[test]
    fn stores_reads_replaces_and_deletes() {
        let vault = Vault::new(Box::<MemoryStore>::default());
        assert_eq!(vault.read("a").unwrap_err(), VaultError::Missing);
        vault.store("a", &Secret::new("one".into())).unwrap();
        assert_eq!(vault.read("a").unwrap().expose(), "one");
        vault.store("a", &Secret::new("two".into())).unwrap();
        assert_eq!(vault.read("a").unwrap().expose(), "two");
        assert!(vault.remove("a").unwrap());
        assert!(!vault.remove("a").unwrap());
        assert!(vault.status().available);
    }

    #[test]
    fn an_unusable_store_is_a_clear_actionable_error() {
        let vault = Vault::new(Box::new(MemoryStore {
            unavailable: true,
            ..Default::default()
        }));
        let status = vault.status();
        assert!(!status.available);
        let err = IpcError::from(vault.store("a", &Secret::new("x".into())).unwrap_err());
        assert_eq!(err.code, "vault.unavailable");
        assert!(err.message.contains("restart Postdesk"), "{}", err.message);
    }
}
