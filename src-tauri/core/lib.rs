//! `postdesk-core`: the application core. It knows every domain and none of Tauri.
//!
//! - `commands.rs` ([`postdesk_commands!`]): the one list of commands.
//! - [`contract`]: what is generated from it — the [`Commands`] trait, [`contract::dispatch`],
//!   the TypeScript types — and the [`Event`]s the UI receives.
//! - [`host`]: the narrow [`Host`] the core runs behind (notifications, events, the desktop's
//!   services, the preferences' store).
//! - `usecases/`: one module per area, each command's body: the orchestration that spans
//!   domains (a key switch re-points the engine, closes the other account's clean working
//!   copies and collects the reminders; a page of access keys may notify) lives there, once.
//! - [`app`], [`sandbox_host`], [`session`], [`prefs`], [`updates`]: the app itself, the
//!   built-in sandbox, which backend is active and the reminders given, the preferences, the
//!   app's own updates.
//!
//! [`Core::start`] builds everything from a data folder, a clock and a vault; the desktop and the
//! tests both start it that way.

pub mod app;
mod bindings;
pub mod clipboard;
mod commands;
pub mod contract;
pub mod host;
pub mod prefs;
pub mod sandbox_host;
pub mod session;
pub mod updates;
mod usecases;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub use contract::{Commands, Event, COMMAND_NAMES};
pub use host::Host;
use postdesk_base::{IpcError, SharedClock};
use postdesk_engine::Engine;
use postdesk_keys::Keys;
use postdesk_library::Library;
use postdesk_sharing::Sharing;
use postdesk_vault::Vault;
pub use prefs::Prefs;
use sandbox_host::{BuiltinSandbox, SandboxSlot};
use session::Reminders;

/// What the core starts from.
pub struct Startup {
    /// The app's data folder (created owner-only when missing).
    pub data_dir: PathBuf,
    pub clock: SharedClock,
    pub vault: Vault,
    /// Start the built-in sandbox (the desktop does; a test may check the app without one).
    pub builtin_sandbox: bool,
    /// Problems the host found before the core started (shown with the core's own).
    pub warnings: Vec<String>,
}

/// The application core: every domain, behind one host.
pub struct Core {
    host: Arc<dyn Host>,
    data_dir: PathBuf,
    vault: Arc<Vault>,
    sandbox: Arc<SandboxSlot>,
    engine: Arc<Engine>,
    keys: Arc<Keys>,
    reminders: Reminders,
    library: Arc<Library>,
    sharing: Arc<Sharing>,
    monitors: Arc<postdesk_monitors::Monitors>,
    mocks: Arc<postdesk_mocks::Mocks>,
    prefs: Mutex<Prefs>,
    clipboard: clipboard::Clipboard,
    updates: updates::Updates,
    warnings: Vec<String>,
}

impl Core {
    /// Builds the core: data folder, built-in sandbox, engine, keys (a damaged list is kept
    /// aside), preferences (damaged ones too), the active backend; meters go out as events.
    /// Must run inside the tokio runtime the core should use. Nothing here waits on the
    /// network: the first API call is the UI's.
    pub async fn start(host: Arc<dyn Host>, startup: Startup) -> Result<Core, IpcError> {
        let Startup {
            data_dir,
            clock,
            vault,
            builtin_sandbox,
            mut warnings,
        } = startup;
        app::ensure_data_dir(&data_dir)?;
        warnings.extend(app::make_data_private(&data_dir));
        let vault = Arc::new(vault);
        let sandbox: SandboxSlot = if builtin_sandbox {
            BuiltinSandbox::start(&data_dir, clock.clone(), vault.clone())
                .await
                .map(|(sandbox, notices)| {
                    warnings.extend(notices);
                    sandbox
                })
        } else {
            Err(sandbox_host::SandboxHostError::Disabled)
        };
        // The history database: monitor runs and the activity log (its first user, from the
        // first call on). One that cannot be opened leaves the log in memory and says so.
        let history = {
            let dir = data_dir.clone();
            tokio::task::spawn_blocking(move || app::open_history(&dir))
                .await
                .unwrap_or_else(|e| {
                    Err(format!(
                        "The history database could not be opened (its task failed: {e})."
                    ))
                })
        };
        let store: Option<Arc<dyn postman_client::ActivityStore>> = match &history {
            Ok((_, table, imported)) => {
                warnings.extend(imported.clone());
                Some(table.clone())
            }
            Err(e) => {
                warnings.push(format!("{e} This session's API calls are kept in memory only, and monitor runs are not kept."));
                None
            }
        };
        let (engine, warning) = Engine::new(store, clock.clone());
        warnings.extend(warning);
        if let Ok(s) = &sandbox {
            engine.know_sandbox(s.url(), s.admin_token());
        }
        let sandbox_url = sandbox.as_ref().ok().map(|s| s.url().to_owned());
        let (keys, warning) = Keys::open_or_recover(
            vault.clone(),
            &data_dir.join(postdesk_keys::KEYS_FILE),
            sandbox_url,
            clock.clone(),
        )?;
        warnings.extend(warning);
        let keys = Arc::new(keys.with_activity(engine.activity_log()));
        let (prefs, warning) = Prefs::load(host.as_ref());
        warnings.extend(warning);
        keys.set_reminder_days(&prefs.reminder_days);
        let library = Library::new(&data_dir, clock.clone())?;
        let updates = updates::Updates::new(&data_dir, clock.clone(), &mut warnings);
        let mut mocks = postdesk_mocks::Mocks::new(&data_dir, clock.clone());
        let sharing = Sharing::new(vault.clone(), &data_dir, clock);
        let mut monitors = postdesk_monitors::Monitors::new(&data_dir);
        if let Ok((h, _, _)) = history {
            mocks = mocks.with_history(h.clone());
            monitors = monitors.with_history(h);
        }
        // A 401 on any call marks the active key invalid.
        let marks = keys.clone();
        engine.on_invalid_key(Box::new(move |id| {
            let _ = marks.mark_invalid(id);
        }));
        let core = Core {
            host,
            data_dir,
            vault,
            sandbox: Arc::new(sandbox),
            engine: Arc::new(engine),
            keys,
            reminders: Reminders::default(),
            library: Arc::new(library),
            sharing: Arc::new(sharing),
            monitors: Arc::new(monitors),
            mocks: Arc::new(mocks),
            prefs: Mutex::new(prefs),
            clipboard: clipboard::Clipboard::default(),
            updates,
            warnings,
        };
        let mut core = core;
        match session::follow_active_key(&core.keys, &core.engine, &core.sandbox) {
            Ok(account) => {
                if let Err(e) = core.follow_account(account) {
                    core.warnings.push(e);
                }
            }
            Err(e) => core.warnings.push(e.to_string()),
        }
        core.forward_meters();
        Ok(core)
    }

    /// What happens once the window shows: the expiry reminders that fell due are given (OS
    /// notification when the preferences allow; the banner shows them anyway).
    pub fn after_start(&self) {
        self.collect_reminders();
    }

    /// Stops the local mocks and the built-in sandbox (its state file is written).
    pub async fn shutdown(&self) {
        self.mocks.local_stop_all().await;
        if let Ok(s) = self.sandbox.as_ref() {
            s.stop().await;
        }
    }

    /// The preferences as they are now.
    pub fn prefs(&self) -> Prefs {
        self.prefs.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Relays every change of the meters to the UI (no API call).
    fn forward_meters(&self) {
        let mut meters = self.engine.meters();
        let host = self.host.clone();
        tokio::spawn(async move {
            while meters.changed().await.is_ok() {
                let snapshot = meters.borrow_and_update().clone();
                host.emit(Event::Meters(snapshot));
            }
        });
    }

    /// Makes `account` (the active key's) the one whose working copies, drafts and kept access
    /// tokens are used. The library always follows; kept tokens from before accounts were told
    /// apart that the keychain would not move are left for next time, and the reason returned.
    pub(crate) fn follow_account(&self, account: postdesk_base::Account) -> Result<(), String> {
        self.library.set_account(account.clone());
        self.sharing
            .set_account(account)
            .map_err(|e| format!("Kept access tokens were not moved to this account: {e}"))
    }

    /// Takes the reminders that fell due and notifies about each (once).
    fn collect_reminders(&self) {
        let due = self.reminders.collect(&self.keys);
        if !self.prefs().notify_key_reminders {
            return;
        }
        for r in due {
            let (title, body) = r.notification();
            if let Err(err) = self.host.notify(&title, &body) {
                eprintln!("Postdesk: no OS notification ({err}); the reminder is shown in the app");
            }
        }
    }
}
