//! The keys domain: the user's Postman API keys (several, one active), their metadata,
//! verification through `GET /me`, expiry reminders and rotation. Plain Rust, no Tauri.
//!
//! Secrets live only in the [`Vault`] (account = the key's local id) — or, for sandbox keys
//! when no keychain is usable, in memory for this session. [`KeyMeta`], the key list file,
//! errors and `Debug` output carry only the last four characters.

mod model;
mod paste;
mod reminders;
mod store;
#[cfg(test)]
mod tests;
mod verify;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use postdesk_base::SharedClock;
use postman_client::{ActivityLog, ApiKey, Me, Region};

pub use store::{JsonFileStore, MemoryMetaStore, MetaStore};

use postdesk_base::error::SandboxCode;
use postdesk_vault::{Secret, Vault, VaultError};

/// Where a key's owner deletes the old key after a rotation (there is no API for it).
pub const POSTMAN_API_KEYS_URL: &str = "https://go.postman.co/settings/me/api-keys";
/// Days before the expiry date on which a reminder is given (each once), unless the
/// preferences say otherwise ([`Keys::set_reminder_days`]).
pub const REMINDER_DAYS: [i32; 4] = [14, 3, 1, 0];
/// File name of the key list in the data folder.
pub const KEYS_FILE: &str = "keys.json";
pub use model::*;

pub(crate) fn new_id(taken: &KeysFile) -> String {
    use std::hash::BuildHasher;
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    loop {
        // Each `RandomState` has fresh random keys: the counter only tells calls apart.
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let h = std::collections::hash_map::RandomState::new().hash_one((std::process::id(), n));
        let id = format!("k-{h:016x}");
        if !taken.keys.iter().any(|k| k.id == id) {
            return id;
        }
    }
}

/// The user's Postman API keys.
pub struct Keys {
    vault: Arc<Vault>,
    /// "Today" for expiry, status and reminders; the time of additions and verifications.
    clock: SharedClock,
    store: Box<dyn MetaStore>,
    cache: Mutex<KeysFile>,
    sandbox_url: Option<String>,
    /// Sandbox keys kept for this session only (no keychain was usable). Never persisted.
    session: Mutex<HashMap<String, Secret>>,
    /// Timeouts of the verification calls.
    timeout: Duration,
    /// Where verification calls are logged (the Activity view's log), if set.
    activity: Option<Arc<ActivityLog>>,
    /// Days before the expiry date on which reminders are given, most first.
    reminder_days: Mutex<Vec<i32>>,
}

impl Keys {
    /// Loads the key list (a damaged list is an error; nothing is overwritten).
    pub fn new(
        vault: Arc<Vault>,
        store: Box<dyn MetaStore>,
        sandbox_url: Option<String>,
        clock: SharedClock,
    ) -> Result<Self, KeysError> {
        let mut file = store.load()?;
        if let Some(a) = &file.active {
            if !file.keys.iter().any(|k| &k.id == a) {
                file.active = None;
            }
        }
        Ok(Keys {
            vault,
            clock,
            store,
            cache: Mutex::new(file),
            sandbox_url,
            session: Mutex::new(HashMap::new()),
            timeout: Duration::from_secs(15),
            activity: None,
            reminder_days: Mutex::new(REMINDER_DAYS.to_vec()),
        })
    }

    /// Opens the key list in `path`; a damaged list is moved aside (kept as `<name>.damaged`,
    /// never overwritten) and an empty one started, with the sentence that says so.
    pub fn open_or_recover(
        vault: Arc<Vault>,
        path: &std::path::Path,
        sandbox_url: Option<String>,
        clock: SharedClock,
    ) -> Result<(Self, Option<String>), KeysError> {
        let open = || {
            Keys::new(
                vault.clone(),
                Box::new(JsonFileStore::new(path)),
                sandbox_url.clone(),
                clock.clone(),
            )
        };
        match open() {
            Ok(keys) => Ok((keys, None)),
            Err(err) => {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| KEYS_FILE.into());
                let aside = path.with_file_name(format!("{name}.damaged"));
                std::fs::rename(path, &aside).map_err(|e| KeysError::Store(e.to_string()))?;
                let warning = format!(
                    "The key list could not be read ({err}); it was kept as {} and Postdesk started with an empty list. Your keys are still in the keychain.",
                    aside.display()
                );
                Ok((open()?, Some(warning)))
            }
        }
    }

    /// Sets the per-attempt timeout of verification calls (default 15 s).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Logs the verification calls (`GET /me`) into `log` (e.g. the engine's activity log).
    pub fn with_activity(mut self, log: Arc<ActivityLog>) -> Self {
        self.activity = Some(log);
        self
    }

    /// The built-in sandbox's URL, if any.
    pub fn sandbox_url(&self) -> Option<&str> {
        self.sandbox_url.as_deref()
    }

    /// The client region of a key region (the sandbox one is this session's sandbox).
    pub fn client_region(&self, region: KeyRegion) -> Result<Region, KeysError> {
        Ok(match region {
            KeyRegion::Us => Region::Us,
            KeyRegion::Eu => Region::Eu,
            KeyRegion::Sandbox => Region::Sandbox(self.sandbox_url.clone().ok_or_else(|| {
                KeysError::Api {
                    code: SandboxCode::NotRunning.into(),
                    message: "The built-in sandbox is not running, so sandbox keys cannot be used right now. Restart Postdesk.".into(),
                }
            })?),
        })
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, KeysFile> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn session(&self) -> MutexGuard<'_, HashMap<String, Secret>> {
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// What is written to the store: session-only keys are left out.
    pub(crate) fn persisted(&self, file: &KeysFile) -> KeysFile {
        let session = self.session();
        let mut out = file.clone();
        out.keys.retain(|k| !session.contains_key(&k.id));
        if out.active.as_ref().is_some_and(|a| session.contains_key(a)) {
            out.active = None;
        }
        out
    }

    /// Applies `f` to a copy of the list, saves it, and only then makes it current.
    pub(crate) fn mutate<T>(
        &self,
        f: impl FnOnce(&mut KeysFile) -> Result<T, KeysError>,
    ) -> Result<T, KeysError> {
        let mut guard = self.lock();
        let mut next = guard.clone();
        let out = f(&mut next)?;
        if next != *guard {
            self.store.save(&self.persisted(&next))?;
            *guard = next;
        }
        Ok(out)
    }

    pub(crate) fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Today (UTC) on this domain's clock.
    pub fn today(&self) -> time::Date {
        self.clock.today()
    }

    pub(crate) fn view_of(&self, id: &str) -> Result<KeyView, KeysError> {
        let today = self.today();
        let file = self.lock();
        let meta = file
            .keys
            .iter()
            .find(|k| k.id == id)
            .ok_or(KeysError::NotFound)?;
        Ok(KeyView::of(meta, file.active.as_deref() == Some(id), today))
    }

    pub(crate) fn meta(&self, id: &str) -> Result<KeyMeta, KeysError> {
        self.lock()
            .keys
            .iter()
            .find(|k| k.id == id)
            .cloned()
            .ok_or(KeysError::NotFound)
    }

    pub(crate) fn read_secret(&self, id: &str) -> Result<Secret, KeysError> {
        if let Some(s) = self.session().get(id) {
            return Ok(s.duplicate());
        }
        Ok(self.vault.read(id)?)
    }

    /// Every key, oldest first.
    pub fn list(&self) -> Vec<KeyView> {
        let today = self.today();
        let file = self.lock();
        let mut keys: Vec<&KeyMeta> = file.keys.iter().collect();
        keys.sort_by(|a, b| a.added_at.cmp(&b.added_at).then_with(|| a.id.cmp(&b.id)));
        keys.into_iter()
            .map(|k| KeyView::of(k, file.active.as_deref() == Some(k.id.as_str()), today))
            .collect()
    }

    /// Changes one key's metadata and saves the list.
    pub(crate) fn update(&self, id: &str, f: impl FnOnce(&mut KeyMeta)) -> Result<(), KeysError> {
        self.mutate(|file| {
            let k = file
                .keys
                .iter_mut()
                .find(|k| k.id == id)
                .ok_or(KeysError::NotFound)?;
            f(k);
            Ok(())
        })
    }

    pub fn rename(&self, id: &str, name: &str) -> Result<KeyView, KeysError> {
        let name = paste::parse_name(name)?;
        self.update(id, |k| k.name = name)?;
        self.view_of(id)
    }

    /// Sets or clears the expiry date (`YYYY-MM-DD`); reminders start over for the new date.
    pub fn set_expiry(&self, id: &str, expires_on: Option<String>) -> Result<KeyView, KeysError> {
        let date = match expires_on.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(d) => Some(paste::format_date(paste::parse_date(d)?)),
        };
        self.update(id, |k| {
            if k.expires_on != date {
                k.reminders_sent.clear();
            }
            k.expires_on = date;
        })?;
        self.view_of(id)
    }

    /// Makes a key active; `None` goes back to the built-in sandbox.
    pub fn set_active(&self, id: Option<&str>) -> Result<(), KeysError> {
        self.mutate(|f| {
            if let Some(id) = id {
                if !f.keys.iter().any(|k| k.id == id) {
                    return Err(KeysError::NotFound);
                }
            }
            f.active = id.map(str::to_owned);
            Ok(())
        })
    }

    /// The active key and its secret (from the keychain); `None` = the built-in sandbox.
    pub fn active(&self) -> Result<Option<(KeyMeta, ApiKey)>, KeysError> {
        let meta = {
            let file = self.lock();
            match &file.active {
                None => return Ok(None),
                Some(a) => file.keys.iter().find(|k| &k.id == a).cloned(),
            }
        };
        let Some(meta) = meta else { return Ok(None) };
        let key = ApiKey::from_secret(self.read_secret(&meta.id)?).map_err(|_| {
            KeysError::Vault(VaultError::Access(
                "the stored entry is not a Postman API key".into(),
            ))
        })?;
        Ok(Some((meta, key)))
    }

    /// Removes a key: its keychain entry, then its metadata. Deleting the active key goes back
    /// to the built-in sandbox.
    pub fn delete(&self, id: &str) -> Result<(), KeysError> {
        let meta = self.meta(id)?;
        // Kept to put back should the list not save (an unreadable entry is still removed).
        let secret = self.read_secret(id).ok();
        self.forget_secret(id)?;
        let saved = self.mutate(|f| {
            f.keys.retain(|k| k.id != id);
            if f.active.as_deref() == Some(id) {
                f.active = None;
            }
            Ok(())
        });
        if let (Err(_), Some(secret)) = (&saved, secret) {
            let _ = self.keep_secret(&meta, &secret);
        }
        saved
    }

    /// Postman refused the key (any 401): marks it `Invalid`.
    pub fn mark_invalid(&self, id: &str) -> Result<(), KeysError> {
        self.update(id, |k| k.status = KeyStatus::Invalid)
    }
}

/// `existing` has the same last four characters and the same (known) owner as `new`.
pub(crate) fn same_key_of_owner(existing: &KeyMeta, new: &KeyMeta, except: Option<&str>) -> bool {
    let Some(owner) = &new.owner else {
        return false;
    };
    existing.last4 == new.last4
        && Some(existing.id.as_str()) != except
        && existing.region == new.region
        && existing
            .owner
            .as_ref()
            .is_some_and(|o| o.user_id == owner.user_id)
}

pub(crate) fn refused() -> KeysError {
    KeysError::Api {
        code: postdesk_base::error::ApiCode::InvalidKey.into(),
        message: "Postman refused this key (401): it is wrong, expired or revoked. Nothing was saved. Check it in Postman › Settings › API keys, or create a new one there.".into(),
    }
}

pub(crate) fn apply_me(meta: &mut KeyMeta, me: &Me, now_ms: i64) {
    meta.owner = Some(KeyOwner::from_me(me));
    meta.status = KeyStatus::Valid;
    meta.last_verified_at = Some(now_ms);
    if let Some(u) = me.api_usage() {
        meta.month_used = Some(u.usage);
        meta.month_limit = Some(u.limit);
    }
}
