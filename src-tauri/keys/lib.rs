//! The keys domain: the user's Postman API keys (several, one active), their metadata,
//! verification through `GET /me`, expiry reminders and rotation. Plain Rust, no Tauri.
//!
//! Secrets live only in the [`Vault`] (account = the key's local id) — or, for sandbox keys
//! when no keychain is usable, in memory for this session. [`KeyMeta`], the key list file,
//! errors and `Debug` output carry only the last four characters.

mod paste;
mod store;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use postdesk_base::SharedClock;
use postman_client::{ActivityLog, ApiKey, Client, ClientConfig, Me, Region, RetryPolicy};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use store::{JsonFileStore, MemoryMetaStore, MetaStore};

use postdesk_base::error::{Code, DomainError, KeysCode, SandboxCode};
use postdesk_vault::{Secret, Vault, VaultError};

/// Where a key's owner deletes the old key after a rotation (there is no API for it).
pub const POSTMAN_API_KEYS_URL: &str = "https://go.postman.co/settings/me/api-keys";
/// Days before the expiry date on which a reminder is given (each once), unless the
/// preferences say otherwise ([`Keys::set_reminder_days`]).
pub const REMINDER_DAYS: [i32; 4] = [14, 3, 1, 0];
/// File name of the key list in the data folder.
pub const KEYS_FILE: &str = "keys.json";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum KeyRegion {
    Us,
    Eu,
    Sandbox,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum KeyStatus {
    /// `/me` accepted it.
    Valid,
    /// Postman refused it (401): wrong, expired or revoked.
    Invalid,
    /// Not checked yet (Postman could not be reached when it was added).
    Unverified,
    /// Its expiry date has passed.
    Expired,
}

/// Who a key belongs to, from `/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyOwner {
    pub user_id: String,
    pub username: Option<String>,
    pub full_name: Option<String>,
    pub team_id: Option<String>,
    pub team_name: Option<String>,
}

impl KeyOwner {
    fn from_me(me: &Me) -> Self {
        let u = &me.user;
        KeyOwner {
            user_id: u.id.0.clone(),
            username: u.username.clone(),
            full_name: u.full_name.clone(),
            // `0` means "not on a team".
            team_id: u
                .team_id
                .as_ref()
                .map(|t| t.0.clone())
                .filter(|t| !t.is_empty() && t != "0"),
            team_name: u.team_name.clone(),
        }
    }

    fn label(&self) -> String {
        match (&self.full_name, &self.username) {
            (Some(f), Some(u)) => format!("{f} ({u})"),
            (None, Some(u)) => u.clone(),
            (Some(f), None) => f.clone(),
            (None, None) => format!("user {}", self.user_id),
        }
    }
}

/// What is persisted about a key. Never the key itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyMeta {
    /// Local id (`k-` + hex), also the keychain account name.
    pub id: String,
    pub name: String,
    pub region: KeyRegion,
    pub last4: String,
    /// Epoch ms.
    pub added_at: i64,
    /// `YYYY-MM-DD`
    #[serde(default)]
    pub expires_on: Option<String>,
    /// Epoch ms of the last `/me` answer (valid or 401).
    #[serde(default)]
    pub last_verified_at: Option<i64>,
    #[serde(default)]
    pub owner: Option<KeyOwner>,
    pub status: KeyStatus,
    /// `api_usage` of the last `/me`.
    #[serde(default)]
    pub month_used: Option<f64>,
    #[serde(default)]
    pub month_limit: Option<f64>,
    /// Which of the 14/3/1/0 days-before reminders were already given.
    #[serde(default)]
    pub reminders_sent: Vec<i32>,
}

impl KeyMeta {
    pub fn masked(&self) -> String {
        postdesk_base::secret::mask_last4(postdesk_base::secret::API_KEY.prefix, &self.last4)
    }

    /// The expiry date, if set and readable.
    fn expiry(&self) -> Option<time::Date> {
        self.expires_on
            .as_deref()
            .and_then(|d| paste::parse_date(d).ok())
    }

    /// Days from `today` to the expiry date (negative once expired).
    pub fn days_left(&self, today: time::Date) -> Option<i64> {
        self.expiry().map(|d| (d - today).whole_days())
    }

    /// The status as of `today`: `Expired` once the expiry date has passed, whatever `/me` said.
    pub fn status_on(&self, today: time::Date) -> KeyStatus {
        match self.days_left(today) {
            Some(d) if d < 0 => KeyStatus::Expired,
            _ => self.status,
        }
    }
}

/// A key as the UI sees it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyView {
    pub id: String,
    pub name: String,
    pub region: KeyRegion,
    pub last4: String,
    /// Epoch ms.
    #[ts(type = "number")]
    pub added_at: i64,
    /// `YYYY-MM-DD`
    pub expires_on: Option<String>,
    /// Epoch ms.
    #[ts(type = "number | null")]
    pub last_verified_at: Option<i64>,
    pub owner: Option<KeyOwner>,
    pub status: KeyStatus,
    pub month_used: Option<f64>,
    pub month_limit: Option<f64>,
    /// `PMAK-…abcd`
    pub masked: String,
    /// Days until the expiry date (negative once expired).
    #[ts(type = "number | null")]
    pub days_left: Option<i64>,
    /// `none` (no expiry date), `later`, `soon` (≤ 14 days), `urgent` (≤ 3 days), `expired`.
    pub urgency: String,
    pub active: bool,
}

fn urgency(days_left: Option<i64>) -> &'static str {
    match days_left {
        None => "none",
        Some(d) if d < 0 => "expired",
        Some(d) if d <= 3 => "urgent",
        Some(d) if d <= 14 => "soon",
        Some(_) => "later",
    }
}

impl KeyView {
    fn of(meta: &KeyMeta, active: bool, today: time::Date) -> Self {
        let days_left = meta.days_left(today);
        KeyView {
            id: meta.id.clone(),
            name: meta.name.clone(),
            region: meta.region,
            last4: meta.last4.clone(),
            added_at: meta.added_at,
            expires_on: meta.expires_on.clone(),
            last_verified_at: meta.last_verified_at,
            owner: meta.owner.clone(),
            status: meta.status_on(today),
            month_used: meta.month_used,
            month_limit: meta.month_limit,
            masked: meta.masked(),
            days_left,
            urgency: urgency(days_left).to_owned(),
            active,
        }
    }
}

/// The persisted key list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct KeysFile {
    pub keys: Vec<KeyMeta>,
    /// Id of the active key; `None` = the built-in sandbox.
    pub active: Option<String>,
}

/// A key the user adds (from the UI). `Debug` shows the key masked.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AddKey {
    pub name: String,
    /// What the user pasted: it crosses IPC once, into a [`Secret`], and never comes back.
    #[ts(type = "string")]
    pub key: Secret,
    pub region: KeyRegion,
    /// `YYYY-MM-DD`
    #[serde(default)]
    pub expires_on: Option<String>,
}

/// An expiry reminder to show once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Reminder {
    pub key_id: String,
    pub name: String,
    /// 14, 3, 1 or 0 (days before the expiry date): the threshold that fell due.
    pub days: i32,
    /// Days left when the reminder was collected (0: expires today; negative: expired).
    #[ts(type = "number")]
    pub days_left: i64,
    /// `YYYY-MM-DD`
    pub expires_on: String,
}

impl Reminder {
    /// When the key expires, in words (`expires in 3 days`, `expires today`, `has expired`).
    pub fn when(&self) -> String {
        match self.days_left {
            d if d < 0 => "has expired".to_owned(),
            0 => "expires today".to_owned(),
            1 => "expires tomorrow".to_owned(),
            d => format!("expires in {d} days"),
        }
    }

    /// The OS notification's title and body.
    pub fn notification(&self) -> (String, String) {
        (
            "Postdesk: an API key expires soon".to_owned(),
            format!(
                "“{}” {} ({}). Rotate it in Postdesk.",
                self.name,
                self.when(),
                self.expires_on
            ),
        )
    }
}

/// The result of a rotation.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Rotation {
    pub new_key: KeyView,
    pub retired_name: String,
    /// Where to delete the old key in Postman ([`POSTMAN_API_KEYS_URL`]).
    pub delete_in_postman_url: String,
}

#[derive(Debug, thiserror::Error)]
pub enum KeysError {
    /// The paste or an input is not usable; the message says why.
    #[error("{0}")]
    Format(String),
    #[error("This key is already in Postdesk.")]
    Duplicate,
    #[error("That key is no longer in Postdesk.")]
    NotFound,
    #[error("The new key belongs to {actual}, but “{name}” belongs to {expected}. A rotation replaces a key with a newer key of the same Postman account; nothing was changed. Add the new key as a separate key instead.")]
    WrongUser {
        name: String,
        expected: String,
        actual: String,
    },
    #[error("{0}")]
    Vault(#[from] VaultError),
    #[error("{0}")]
    Store(String),
    #[error("{message}")]
    Api { code: Code, message: String },
}

impl DomainError for KeysError {
    fn code(&self) -> Code {
        match self {
            KeysError::Format(_) => KeysCode::Format.into(),
            KeysError::Duplicate => KeysCode::Duplicate.into(),
            KeysError::NotFound => KeysCode::NotFound.into(),
            KeysError::WrongUser { .. } => KeysCode::WrongUser.into(),
            KeysError::Vault(e) => e.code(),
            KeysError::Store(_) => KeysCode::Store.into(),
            KeysError::Api { code, .. } => *code,
        }
    }
}

fn new_id(taken: &KeysFile) -> String {
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

/// A key ready to be saved: verified (or marked unverified), not stored anywhere yet.
struct Prepared {
    meta: KeyMeta,
    key: ApiKey,
}

/// A paste (or a keychain entry) as an API key, or the sentence that says why it is not one.
fn api_key(secret: Secret) -> Result<ApiKey, KeysError> {
    ApiKey::from_secret(secret).map_err(|e| match e {
        postman_client::Error::InvalidSecret(m) => KeysError::Format(m),
        other => KeysError::Format(other.to_string()),
    })
}

/// How `/me` answered for a key.
enum Check {
    Valid(Box<Me>),
    Refused,
    Unreachable(postman_client::Error),
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

    /// Gives reminders on these days before an expiry date (0 = the day itself) from now on.
    pub fn set_reminder_days(&self, days: &[i32]) {
        let mut d: Vec<i32> = days.to_vec();
        d.sort_unstable_by(|a, b| b.cmp(a));
        d.dedup();
        *self.reminder_days.lock().unwrap_or_else(|e| e.into_inner()) = d;
    }

    fn reminder_days(&self) -> Vec<i32> {
        self.reminder_days
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
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

    fn lock(&self) -> MutexGuard<'_, KeysFile> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn session(&self) -> MutexGuard<'_, HashMap<String, Secret>> {
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// What is written to the store: session-only keys are left out.
    fn persisted(&self, file: &KeysFile) -> KeysFile {
        let session = self.session();
        let mut out = file.clone();
        out.keys.retain(|k| !session.contains_key(&k.id));
        if out.active.as_ref().is_some_and(|a| session.contains_key(a)) {
            out.active = None;
        }
        out
    }

    /// Applies `f` to a copy of the list, saves it, and only then makes it current.
    fn mutate<T>(
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

    fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Today (UTC) on this domain's clock.
    pub fn today(&self) -> time::Date {
        self.clock.today()
    }

    fn view_of(&self, id: &str) -> Result<KeyView, KeysError> {
        let today = self.today();
        let file = self.lock();
        let meta = file
            .keys
            .iter()
            .find(|k| k.id == id)
            .ok_or(KeysError::NotFound)?;
        Ok(KeyView::of(meta, file.active.as_deref() == Some(id), today))
    }

    fn meta(&self, id: &str) -> Result<KeyMeta, KeysError> {
        self.lock()
            .keys
            .iter()
            .find(|k| k.id == id)
            .cloned()
            .ok_or(KeysError::NotFound)
    }

    fn read_secret(&self, id: &str) -> Result<Secret, KeysError> {
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

    /// `GET /me` with `key` through a fresh client for `region`.
    async fn check(&self, region: KeyRegion, name: &str, key: &ApiKey) -> Result<Check, KeysError> {
        let mut cfg = ClientConfig::new(self.client_region(region)?, name, Some(key.duplicate()));
        cfg.timeout = self.timeout;
        cfg.connect_timeout = self.timeout.min(Duration::from_secs(5));
        cfg.retry = RetryPolicy {
            max_attempts: 2,
            base_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(1),
            max_rate_limit_waits: 1,
        };
        cfg.cache_ttl = Duration::ZERO;
        cfg.activity = self.activity.clone();
        cfg.clock = self.clock.clone();
        let client = Client::new(cfg).map_err(|e| KeysError::Api {
            code: e.code(),
            message: e.to_string(),
        })?;
        use postman_client::Error as E;
        match client.get_me(true).await {
            Ok(f) if !f.offline => Ok(Check::Valid(Box::new(f.data))),
            Ok(_) => Ok(Check::Unreachable(E::Network(
                "served from the cache".into(),
            ))),
            Err(E::InvalidKey { .. }) => Ok(Check::Refused),
            Err(e @ (E::InsecureUrl(_) | E::InvalidSecret(_) | E::MissingKey)) => {
                Err(KeysError::Api {
                    code: e.code(),
                    message: e.to_string(),
                })
            }
            Err(e) => Ok(Check::Unreachable(e)),
        }
    }

    /// Parses, de-duplicates and verifies a new key. `replacing`: the key a rotation replaces
    /// (its owner may share the new key's last four characters).
    async fn prepare(
        &self,
        req: AddKey,
        replacing: Option<&str>,
    ) -> Result<(Prepared, Check), KeysError> {
        let key = api_key(req.key)?;
        let expires_on = match req.expires_on.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(d) => Some(paste::format_date(paste::parse_date(d)?)),
        };
        let last4 = key.last4().to_owned();
        let name = if req.name.trim().is_empty() {
            format!("Key …{last4}")
        } else {
            paste::parse_name(&req.name)?
        };
        self.client_region(req.region)?;
        if req.region != KeyRegion::Sandbox {
            // A real key is only ever kept in the keychain: no call when it cannot be kept.
            let status = self.vault.status();
            if !status.available {
                return Err(KeysError::Vault(VaultError::Unavailable(
                    status.error.unwrap_or_default(),
                )));
            }
        }
        // The very same key already here?
        let same_last4: Vec<String> = self
            .lock()
            .keys
            .iter()
            .filter(|k| k.last4 == last4)
            .map(|k| k.id.clone())
            .collect();
        for id in same_last4 {
            if let Ok(existing) = self.read_secret(&id) {
                if existing == *key.as_secret() {
                    return Err(KeysError::Duplicate);
                }
            }
        }
        let check = self.check(req.region, &name, &key).await?;
        let mut meta = KeyMeta {
            id: String::new(),
            name,
            region: req.region,
            last4: last4.clone(),
            added_at: self.now_ms(),
            expires_on,
            last_verified_at: None,
            owner: None,
            status: KeyStatus::Unverified,
            month_used: None,
            month_limit: None,
            reminders_sent: Vec::new(),
        };
        match &check {
            Check::Valid(me) => apply_me(&mut meta, me, self.now_ms()),
            Check::Refused => {}
            Check::Unreachable(_) => {}
        }
        if self
            .lock()
            .keys
            .iter()
            .any(|k| same_key_of_owner(k, &meta, replacing))
        {
            return Err(KeysError::Duplicate);
        }
        Ok((Prepared { meta, key }, check))
    }

    /// Keeps the secret (keychain; sandbox keys fall back to this session's memory).
    fn keep_secret(&self, meta: &KeyMeta, secret: &Secret) -> Result<(), KeysError> {
        match self.vault.store(&meta.id, secret) {
            Ok(()) => Ok(()),
            Err(VaultError::Unavailable(_)) if meta.region == KeyRegion::Sandbox => {
                self.session().insert(meta.id.clone(), secret.duplicate());
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }

    fn forget_secret(&self, id: &str) -> Result<(), KeysError> {
        if self.session().remove(id).is_some() {
            return Ok(());
        }
        self.vault.remove(id)?;
        Ok(())
    }

    /// Adds a key: checks the paste, verifies it with `GET /me`, keeps the secret in the
    /// keychain and the metadata in the list. A key Postman refuses is not saved; a key that
    /// cannot be checked (offline) is saved as `Unverified`. Becomes active if none is.
    pub async fn add(&self, req: AddKey) -> Result<KeyView, KeysError> {
        let (mut prepared, check) = self.prepare(req, None).await?;
        if let Check::Refused = check {
            return Err(refused());
        }
        prepared.meta.id = new_id(&self.lock());
        let Prepared { meta, key } = prepared;
        self.keep_secret(&meta, key.as_secret())?;
        let id = meta.id.clone();
        let saved = self.mutate(|f| {
            // Another add of the same account's key may have finished meanwhile.
            if f.keys.iter().any(|k| same_key_of_owner(k, &meta, None)) {
                return Err(KeysError::Duplicate);
            }
            f.keys.push(meta);
            if f.active.is_none() {
                f.active = Some(id.clone());
            }
            Ok(())
        });
        if let Err(e) = saved {
            let _ = self.forget_secret(&id);
            return Err(e);
        }
        self.view_of(&id)
    }

    /// Checks a key again with `GET /me` (never cached). Postman refusing it (401) makes it
    /// `Invalid`; an unreachable Postman is an error and changes nothing.
    pub async fn verify(&self, id: &str) -> Result<KeyView, KeysError> {
        let meta = self.meta(id)?;
        let key = api_key(self.read_secret(id)?)?;
        let check = self.check(meta.region, &meta.name, &key).await?;
        match check {
            Check::Unreachable(e) => Err(KeysError::Api {
                code: e.code(),
                message: format!("The key could not be checked: {e}"),
            }),
            Check::Refused => {
                let now = self.now_ms();
                self.update(id, |k| {
                    k.status = KeyStatus::Invalid;
                    k.last_verified_at = Some(now);
                })?;
                self.view_of(id)
            }
            Check::Valid(me) => {
                let now = self.now_ms();
                self.update(id, |k| apply_me(k, &me, now))?;
                self.view_of(id)
            }
        }
    }

    fn update(&self, id: &str, f: impl FnOnce(&mut KeyMeta)) -> Result<(), KeysError> {
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

    /// Replaces `old_id` with a newer key of the same Postman account: the new key is verified,
    /// takes over "active", and the old key's keychain entry and metadata are removed.
    pub async fn rotate(&self, old_id: &str, replacement: AddKey) -> Result<Rotation, KeysError> {
        let old = self.meta(old_id)?;
        let mut replacement = replacement;
        if replacement.name.trim().is_empty() {
            replacement.name = old.name.clone();
        }
        let (mut prepared, check) = self.prepare(replacement, Some(old_id)).await?;
        match check {
            Check::Refused => return Err(refused()),
            Check::Unreachable(e) => {
                return Err(KeysError::Api {
                    code: e.code(),
                    message: format!("Postdesk could not reach Postman to check that the new key belongs to the same account, so nothing was changed. Try again when you are online. ({e})"),
                })
            }
            Check::Valid(_) => {}
        }
        if let (Some(was), Some(now)) = (&old.owner, &prepared.meta.owner) {
            if was.user_id != now.user_id {
                return Err(KeysError::WrongUser {
                    name: old.name.clone(),
                    expected: was.label(),
                    actual: now.label(),
                });
            }
        }
        prepared.meta.id = new_id(&self.lock());
        let Prepared { meta, key } = prepared;
        self.keep_secret(&meta, key.as_secret())?;
        let new_id = meta.id.clone();
        // Retire the old secret first, so that the list never names a key whose entry is left
        // behind; put it back should the list not save.
        let old_secret = match self.read_secret(old_id) {
            Ok(s) => Some(s),
            Err(KeysError::Vault(VaultError::Missing)) => None,
            Err(e) => {
                let _ = self.forget_secret(&new_id);
                return Err(e);
            }
        };
        if let Err(e) = self.forget_secret(old_id) {
            let _ = self.forget_secret(&new_id);
            return Err(e);
        }
        let saved = self.mutate(|f| {
            let pos = f
                .keys
                .iter()
                .position(|k| k.id == old_id)
                .ok_or(KeysError::NotFound)?;
            f.keys.remove(pos);
            f.keys.push(meta);
            if f.active.as_deref() == Some(old_id) {
                f.active = Some(new_id.clone());
            }
            Ok(())
        });
        if let Err(e) = saved {
            if let Some(old_secret) = old_secret {
                let _ = self.keep_secret(&old, &old_secret);
            }
            let _ = self.forget_secret(&new_id);
            return Err(e);
        }
        Ok(Rotation {
            new_key: self.view_of(&new_id)?,
            retired_name: old.name,
            delete_in_postman_url: POSTMAN_API_KEYS_URL.to_owned(),
        })
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

    /// The reminders to show today: per key with an expiry date, the most urgent of the
    /// 14/3/1/0-days-before reminders that is due, unless it was already given. Call
    /// [`Keys::mark_reminded`] once shown.
    pub fn due_reminders(&self) -> Vec<Reminder> {
        let today = self.today();
        let reminder_days = self.reminder_days();
        let file = self.lock();
        let mut keys: Vec<&KeyMeta> = file.keys.iter().collect();
        keys.sort_by_key(|k| k.added_at);
        keys.into_iter()
            .filter_map(|k| {
                let left = k.days_left(today)?;
                let days = reminder_days
                    .iter()
                    .copied()
                    .filter(|d| left <= i64::from(*d))
                    .min()?;
                if k.reminders_sent.contains(&days) {
                    return None;
                }
                Some(Reminder {
                    key_id: k.id.clone(),
                    name: k.name.clone(),
                    days,
                    days_left: left,
                    expires_on: k.expires_on.clone().unwrap_or_default(),
                })
            })
            .collect()
    }

    /// Records that the `days`-before reminder (and the less urgent ones) was given.
    pub fn mark_reminded(&self, key_id: &str, days: i32) -> Result<(), KeysError> {
        let reminder_days = self.reminder_days();
        if !reminder_days.contains(&days) {
            let list: Vec<String> = reminder_days.iter().map(i32::to_string).collect();
            return Err(KeysError::Format(format!(
                "There is no {days}-day reminder (only {}).",
                list.join(", ")
            )));
        }
        self.update(key_id, |k| {
            for d in reminder_days.iter().copied().filter(|d| *d >= days) {
                if !k.reminders_sent.contains(&d) {
                    k.reminders_sent.push(d);
                }
            }
            k.reminders_sent.sort_unstable_by(|a, b| b.cmp(a));
        })
    }
}

/// `existing` has the same last four characters and the same (known) owner as `new`.
fn same_key_of_owner(existing: &KeyMeta, new: &KeyMeta, except: Option<&str>) -> bool {
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

fn refused() -> KeysError {
    KeysError::Api {
        code: postdesk_base::error::ApiCode::InvalidKey.into(),
        message: "Postman refused this key (401): it is wrong, expired or revoked. Nothing was saved. Check it in Postman › Settings › API keys, or create a new one there.".into(),
    }
}

fn apply_me(meta: &mut KeyMeta, me: &Me, now_ms: i64) {
    meta.owner = Some(KeyOwner::from_me(me));
    meta.status = KeyStatus::Valid;
    meta.last_verified_at = Some(now_ms);
    if let Some(u) = me.api_usage() {
        meta.month_used = Some(u.usage);
        meta.month_limit = Some(u.limit);
    }
}
