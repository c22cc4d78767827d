//! The engine host: which Postman client is active (the built-in sandbox until the user adds a
//! key), the shared activity log, the live meters, and the Usage/Activity figures the views show.
//! Plain Rust over `postman-client`; `commands/` exposes it to the UI.

mod usage;

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use postdesk_base::files::ExportFile;
use postdesk_base::{Account, Secret, SharedClock};
use postman_client::{
    ActivityEntry, ActivityLog, ActivityStore, ApiKey, Client, ClientConfig, Region,
};
use serde::Serialize;
use tokio::sync::watch;
use ts_rs::TS;

pub use usage::{CallsOnDay, EndpointCount, Operation, UsageSummary};

use postdesk_base::error::{Code, DomainError, EngineCode};

/// Entries kept in the activity log (and its file).
pub const ACTIVITY_CAPACITY: usize = 5_000;
/// The seeded sandbox user the app acts as when no key of the user's is set.
pub const SANDBOX_PRIMARY_USER: &str = "taylor-lee";

/// The built-in sandbox's user Postdesk acts as with no key of the user's: its primary user
/// (the one owning most seeded data), or its first. `keys`: username → API key.
pub fn sandbox_user(keys: &BTreeMap<String, String>) -> Option<(&str, &str)> {
    keys.get_key_value(SANDBOX_PRIMARY_USER)
        .or_else(|| keys.iter().next())
        .map(|(u, k)| (u.as_str(), k.as_str()))
}
/// File name of the activity log of earlier versions in the data folder (JSON lines); the log
/// now lives in the history database, which imports this file once.
pub const LEGACY_ACTIVITY_FILE: &str = "activity.jsonl";

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("No Postman API key is active. Add a key in Keys, or use the built-in sandbox.")]
    NoActiveKey,
    #[error(transparent)]
    Api(#[from] postman_client::Error),
    #[error("Postdesk could not set up its Postman client: {0}")]
    Setup(String),
    #[error("The activity log could not be exported to {0}")]
    Export(String),
}

impl DomainError for EngineError {
    fn code(&self) -> Code {
        match self {
            EngineError::NoActiveKey => EngineCode::NoActiveKey.into(),
            EngineError::Api(e) => e.code(),
            EngineError::Setup(_) => EngineCode::Setup.into(),
            EngineError::Export(_) => EngineCode::ExportFailed.into(),
        }
    }
}

/// The active key as the UI sees it: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActiveKey {
    /// The key's id in Keys; `None` for the built-in sandbox's default user.
    pub id: Option<String>,
    pub name: String,
    /// `sandbox`, `us` or `eu`.
    pub region: String,
    /// `PMAK-…abcd`
    pub masked: String,
}

/// The header meters: the client's snapshot as the UI shows it.
pub use postman_client::Meters;

/// One row of the Activity view: the client's record of one call attempt.
pub use postman_client::ActivityEntry as ActivityRow;

pub use postdesk_base::files::ExportFormat;

struct Active {
    client: Arc<Client>,
    key: ActiveKey,
    relay: tokio::task::JoinHandle<()>,
}

/// Holds the active client and republishes its meters on one stable channel.
/// Called with the active key's id when Postman answers 401 for it.
pub type InvalidKeyHook = Box<dyn Fn(&str) + Send + Sync>;

pub struct Engine {
    /// The runtime the meters relays run on (callers may be sync code outside any runtime).
    runtime: tokio::runtime::Handle,
    /// Dates the calls, the meters and the Usage figures.
    clock: SharedClock,
    invalid_key_hook: RwLock<Option<InvalidKeyHook>>,
    activity: Arc<ActivityLog>,
    active: RwLock<Option<Active>>,
    meters: watch::Sender<Meters>,
    /// The built-in sandbox's URL and admin token: a client of that sandbox gets the token
    /// (for its `/_sandbox/` calls).
    sandbox_admin: RwLock<Option<(String, Arc<Secret>)>>,
}

impl Engine {
    /// An engine whose activity log is kept by `store` (none, or one that cannot be read: the
    /// log is kept in memory and that is reported, never a reason not to start). Call it inside
    /// the tokio runtime the engine should use.
    pub fn new(
        store: Option<Arc<dyn ActivityStore>>,
        clock: SharedClock,
    ) -> (Self, Option<String>) {
        let (activity, warning) = match store.map(|s| ActivityLog::with_store(ACTIVITY_CAPACITY, s)) {
            Some(Ok(log)) => (log, None),
            None => (ActivityLog::new(ACTIVITY_CAPACITY), None),
            Some(Err(e)) => (
                ActivityLog::new(ACTIVITY_CAPACITY),
                Some(format!("The activity log cannot be read ({e}); this session's calls are kept in memory only.")),
            ),
        };
        let (meters, _) = watch::channel(Meters::default());
        (
            Engine {
                runtime: tokio::runtime::Handle::current(),
                invalid_key_hook: RwLock::new(None),
                activity: Arc::new(activity),
                active: RwLock::new(None),
                meters,
                clock,
                sandbox_admin: RwLock::new(None),
            },
            warning,
        )
    }

    /// The built-in sandbox at `url` has this admin token: clients of it will hold it.
    pub fn know_sandbox(&self, url: &str, admin_token: Arc<Secret>) {
        *self
            .sandbox_admin
            .write()
            .unwrap_or_else(|e| e.into_inner()) = Some((url.to_owned(), admin_token));
    }

    /// Makes `key` the active key (callable from sync code: the relay runs on the engine's
    /// runtime), its calls logged as [`Account::local`]'s.
    pub fn activate(&self, region: Region, name: &str, key: ApiKey) -> Result<(), EngineError> {
        self.activate_key(region, None, name, key, Account::local())
    }

    /// [`Engine::activate`] for one of the user's keys (`id` from Keys), on `account`'s behalf:
    /// the activity log and the Usage figures show that account's calls.
    pub fn activate_key(
        &self,
        region: Region,
        id: Option<String>,
        name: &str,
        key: ApiKey,
        account: Account,
    ) -> Result<(), EngineError> {
        let region_name = match &region {
            Region::Us => "us",
            Region::Eu => "eu",
            Region::Sandbox(_) => "sandbox",
        };
        let masked = key.mask();
        let admin_token = match (
            &region,
            &*self.sandbox_admin.read().unwrap_or_else(|e| e.into_inner()),
        ) {
            (Region::Sandbox(url), Some((known, token))) if url == known => Some(token.clone()),
            _ => None,
        };
        let mut cfg = ClientConfig::new(region, name, Some(key));
        cfg.sandbox_admin_token = admin_token;
        cfg.account = account.slug();
        cfg.activity = Some(self.activity.clone());
        cfg.clock = self.clock.clone();
        let client = Arc::new(Client::new(cfg).map_err(|e| EngineError::Setup(e.to_string()))?);
        let mut source = client.meters();
        let sink = self.meters.clone();
        let clock = self.clock.clone();
        sink.send_replace(Meters::of(&source.borrow(), clock.now_ms_u64()));
        let relay = self.runtime.spawn(async move {
            while source.changed().await.is_ok() {
                let snapshot = Meters::of(&source.borrow_and_update(), clock.now_ms_u64());
                sink.send_replace(snapshot);
            }
        });
        let next = Active {
            client,
            key: ActiveKey {
                id,
                name: name.to_owned(),
                region: region_name.to_owned(),
                masked,
            },
            relay,
        };
        let previous = self
            .active
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .replace(next);
        if let Some(old) = previous {
            old.relay.abort();
        }
        Ok(())
    }

    /// Makes the built-in sandbox's user `user` (see [`sandbox_user`]) the active key, on
    /// `account`'s behalf.
    pub fn activate_sandbox(
        &self,
        url: &str,
        (user, raw): (&str, &str),
        account: Account,
    ) -> Result<(), EngineError> {
        let key = ApiKey::new(raw).map_err(|e| EngineError::Setup(e.to_string()))?;
        self.activate_key(
            Region::Sandbox(url.to_owned()),
            None,
            &format!("Sandbox ({user})"),
            key,
            account,
        )
    }

    /// The active account's calls in the log, oldest first.
    fn account_entries(&self, entries: Vec<ActivityEntry>) -> Vec<ActivityEntry> {
        let mine = self
            .client()
            .map(|c| c.account().to_owned())
            .unwrap_or_default();
        entries.into_iter().filter(|e| e.account == mine).collect()
    }

    pub fn client(&self) -> Result<Arc<Client>, EngineError> {
        self.active
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(|a| a.client.clone())
            .ok_or(EngineError::NoActiveKey)
    }

    pub fn active_key(&self) -> Option<ActiveKey> {
        self.active
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(|a| a.key.clone())
    }

    /// The shared activity log (other callers of the API, such as key verification, log here too).
    pub fn activity_log(&self) -> Arc<ActivityLog> {
        self.activity.clone()
    }

    /// The header meters, live.
    pub fn meters(&self) -> watch::Receiver<Meters> {
        self.meters.subscribe()
    }

    /// The meters as of now (their countdowns from this moment).
    pub fn meters_now(&self) -> Meters {
        match self.client() {
            Ok(c) => Meters::of(&c.snapshot(), self.clock.now_ms_u64()),
            Err(_) => self.meters.borrow().clone(),
        }
    }

    /// The clock the engine dates things with.
    pub fn clock(&self) -> &SharedClock {
        &self.clock
    }

    /// The activity log, newest first.
    pub fn activity(&self) -> Vec<ActivityRow> {
        let mut rows = self.account_entries(self.activity.entries());
        rows.reverse();
        rows
    }

    pub fn export(&self, format: ExportFormat) -> String {
        match format {
            ExportFormat::Json => ActivityLog::json(&self.account_entries(self.activity.entries())),
            ExportFormat::Csv => ActivityLog::csv(&self.account_entries(self.activity.entries())),
        }
    }

    /// Registers what to do when Postman answers 401 for the active key (mark it invalid).
    pub fn on_invalid_key(&self, hook: InvalidKeyHook) {
        *self
            .invalid_key_hook
            .write()
            .unwrap_or_else(|e| e.into_inner()) = Some(hook);
    }

    /// Postman refused the active key (401 to any call made with it): the hook marks it.
    pub fn active_key_refused(&self) {
        if let Some(id) = self.active_key().and_then(|k| k.id) {
            if let Some(hook) = &*self
                .invalid_key_hook
                .read()
                .unwrap_or_else(|e| e.into_inner())
            {
                hook(&id);
            }
        }
    }

    /// Passes a call's error through, telling the hook when it says the active key is invalid.
    fn checked<T>(&self, result: Result<T, postman_client::Error>) -> Result<T, EngineError> {
        if let Err(postman_client::Error::InvalidKey { .. }) = &result {
            self.active_key_refused();
        }
        Ok(result?)
    }

    /// The Usage view: `/me` (cached unless `force`) plus figures from the activity log. A
    /// check the user asks for (`force`) is sent even after Postman refused the month's calls
    /// (the allowance may have been raised, or the usage reset); if Postman still refuses, calls
    /// are held back again.
    pub async fn usage(&self, force: bool) -> Result<UsageSummary, EngineError> {
        let client = self.client()?;
        if force {
            client.clear_quota_block();
        }
        let me = self.checked(client.get_me(force).await)?;
        Ok(usage::summarise(
            &me,
            &self.account_entries(self.activity.entries()),
            &self.account_entries(self.activity.session_entries()),
            self.clock.now_ms_u64(),
        ))
    }
}

/// The activity log as `postdesk-activity-<time>.<ext>`; where it goes is the user's choice.
pub fn export_file(engine: &Engine, format: ExportFormat) -> ExportFile {
    let (extension, kind) = match format {
        ExportFormat::Json => ("json", "JSON"),
        ExportFormat::Csv => ("csv", "CSV"),
    };
    ExportFile {
        file_name: format!(
            "postdesk-activity-{}.{extension}",
            file_stamp(&engine.clock)
        ),
        kind,
        extension,
        bytes: engine.export(format).into_bytes(),
    }
}

/// `20261123-101500`, UTC, on `clock`.
fn file_stamp(clock: &SharedClock) -> String {
    let f = time::macros::format_description!("[year][month][day]-[hour][minute][second]");
    clock
        .now()
        .format(&f)
        .unwrap_or_else(|_| clock.now_ms().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn without_a_key_calls_say_what_to_do() {
        let (clock, _) = SharedClock::pinned("2026-11-23T10:15:00Z");
        let (engine, warning) = Engine::new(None, clock);
        assert_eq!(warning, None);
        let err = postdesk_base::IpcError::from(engine.usage(false).await.unwrap_err());
        assert_eq!(err.code, "engine.noActiveKey");
        assert!(err.message.contains("Add a key"));
        assert_eq!(engine.meters_now(), Meters::default());
        let file = export_file(&engine, ExportFormat::Csv);
        assert_eq!(file.file_name, "postdesk-activity-20261123-101500.csv");
        assert_eq!(file.extension, "csv");
        assert!(String::from_utf8(file.bytes)
            .unwrap()
            .starts_with("time,keyName,method,path"));
    }
}
