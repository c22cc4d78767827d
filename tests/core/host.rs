//! A host that is nothing but memory: it records what the core asked of it (notifications,
//! events, URLs, clipboard writes, update checks, restarts) and keeps the preferences in a map;
//! its updater answers what the test scripted (the real one is tested in tests/updater). With it the core's use
//! cases run — and are tested — without Tauri, against its real built-in sandbox over loopback
//! and the real Secret Service of the test session.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use postdesk_base::files::ExportFile;
use postdesk_base::Secret;
use postdesk_core::host::{Desktop, Events, HostFuture, Notifier, PrefsStore, Updater};
use postdesk_core::updates::{UpdateError, UpdateFound};
use postdesk_core::{Core, Event, Startup};
use serde_json::Value;

#[derive(Default)]
pub struct Recorded {
    pub notifications: Vec<(String, String)>,
    pub events: Vec<Event>,
    pub opened: Vec<String>,
    pub clipboard: Vec<String>,
    pub prefs: HashMap<String, Value>,
    /// The store answers as a damaged file would.
    pub prefs_damaged: bool,
    pub set_aside: u32,
    pub update: UpdateScript,
    /// The file names the save dialog suggested.
    pub save_dialogs: Vec<String>,
    /// The user cancels the save dialog.
    pub cancel_save: bool,
    /// What the open dialogs offered (`Postman collection (*.json)`).
    pub open_dialogs: Vec<String>,
    /// The file the user picks in the open dialog (`None`: they cancel).
    pub open_file: Option<PathBuf>,
}

/// What the updater answers, and what it was asked.
pub struct UpdateScript {
    /// The endpoints the app was "built with".
    pub endpoints: Vec<String>,
    pub check: Result<Option<UpdateFound>, UpdateError>,
    /// The download's size; it comes in 8 chunks.
    pub size: u64,
    pub download: Result<(), UpdateError>,
    pub install: Result<(), UpdateError>,
    /// Each check's endpoints and timeout.
    pub checked: Vec<(Vec<String>, std::time::Duration)>,
    pub downloads: u32,
    pub installs: u32,
    pub restarts: u32,
}

impl Default for UpdateScript {
    fn default() -> Self {
        UpdateScript {
            endpoints: vec![
                "https://github.com/postdesk/postdesk/releases/latest/download/latest.json".into(),
            ],
            check: Ok(None),
            size: 4 * 1024 * 1024,
            download: Ok(()),
            install: Ok(()),
            checked: Vec::new(),
            downloads: 0,
            installs: 0,
            restarts: 0,
        }
    }
}

#[derive(Clone)]
pub struct TestHost {
    pub dir: PathBuf,
    pub seen: Arc<Mutex<Recorded>>,
}

impl TestHost {
    pub fn new(dir: PathBuf) -> Self {
        TestHost {
            dir,
            seen: Arc::default(),
        }
    }

    pub fn seen(&self) -> std::sync::MutexGuard<'_, Recorded> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Notifier for TestHost {
    fn notify(&self, title: &str, body: &str) -> Result<(), String> {
        self.seen()
            .notifications
            .push((title.to_owned(), body.to_owned()));
        Ok(())
    }
}

impl Events for TestHost {
    fn emit(&self, event: Event) {
        self.seen().events.push(event);
    }
}

impl Desktop for TestHost {
    fn open_url(&self, url: &str) -> Result<(), String> {
        self.seen().opened.push(url.to_owned());
        Ok(())
    }
    fn write_clipboard(&self, text: Secret) -> Result<(), String> {
        self.seen().clipboard.push(text.expose().to_owned());
        Ok(())
    }
    fn clear_clipboard_if(&self, text: &Secret) -> Result<bool, String> {
        let mut seen = self.seen();
        let holds = seen.clipboard.last().is_some_and(|t| t == text.expose());
        if holds {
            seen.clipboard.push(String::new());
        }
        Ok(holds)
    }
    fn export_dir(&self) -> Option<PathBuf> {
        Some(self.dir.join("Downloads"))
    }
    /// The "user" accepts the suggested name in the folder the dialog opened in, unless the
    /// test said they cancel.
    fn choose_save_path<'a>(
        &'a self,
        file: &'a ExportFile,
        folder: Option<PathBuf>,
    ) -> HostFuture<'a, Option<PathBuf>> {
        let mut seen = self.seen();
        seen.save_dialogs.push(file.file_name.clone());
        let chosen = (!seen.cancel_save).then(|| {
            let dir = folder.expect("the dialog opens in Downloads");
            std::fs::create_dir_all(&dir).unwrap();
            dir.join(&file.file_name)
        });
        Box::pin(async move { chosen })
    }
    /// The "user" picks the file the test named (`None`: they cancel).
    fn choose_open_path<'a>(
        &'a self,
        kind: &'static str,
        extension: &'static str,
        _folder: Option<PathBuf>,
    ) -> HostFuture<'a, Option<PathBuf>> {
        let mut seen = self.seen();
        seen.open_dialogs.push(format!("{kind} (*.{extension})"));
        let chosen = seen.open_file.clone();
        Box::pin(async move { chosen })
    }
}

impl PrefsStore for TestHost {
    fn load(&self, key: &str) -> Result<Option<Value>, String> {
        let seen = self.seen();
        if seen.prefs_damaged {
            return Err("expected value at line 1 column 1".into());
        }
        Ok(seen.prefs.get(key).cloned())
    }
    fn save(&self, key: &str, value: &Value) -> Result<(), String> {
        self.seen().prefs.insert(key.to_owned(), value.clone());
        Ok(())
    }
    fn set_aside(&self) -> Result<String, String> {
        let mut seen = self.seen();
        seen.prefs_damaged = false;
        seen.set_aside += 1;
        Ok("prefs.json.damaged".into())
    }
}

impl Updater for TestHost {
    fn update_endpoints(&self) -> Vec<String> {
        self.seen().update.endpoints.clone()
    }
    fn check_update<'a>(
        &'a self,
        endpoints: &'a [String],
        timeout: std::time::Duration,
    ) -> HostFuture<'a, Result<Option<UpdateFound>, UpdateError>> {
        let mut seen = self.seen();
        seen.update.checked.push((endpoints.to_vec(), timeout));
        let answer = seen.update.check.clone();
        Box::pin(async move { answer })
    }
    fn download_update<'a>(
        &'a self,
        progress: &'a (dyn Fn(u64, Option<u64>) + Send + Sync),
    ) -> HostFuture<'a, Result<(), UpdateError>> {
        let (size, answer) = {
            let mut seen = self.seen();
            seen.update.downloads += 1;
            (seen.update.size, seen.update.download.clone())
        };
        Box::pin(async move {
            for i in 1..=8 {
                progress(size * i / 8, Some(size));
            }
            answer
        })
    }
    fn install_update(&self) -> Result<(), UpdateError> {
        let mut seen = self.seen();
        seen.update.installs += 1;
        seen.update.install.clone()
    }
    fn restart(&self) {
        self.seen().update.restarts += 1;
    }
}

/// The instant every core test starts at.
pub const T0: &str = "2026-11-23T10:00:00Z";

/// A scratch data folder for `name` in this test process.
pub fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("postdesk-core-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch folder");
    d
}

/// The OS keychain of the test session (scripts/with-keyring.sh).
pub fn os_vault() -> postdesk_vault::Vault {
    let vault = postdesk_vault::Vault::os();
    assert!(
        vault.status().available,
        "no usable Secret Service: run the tests through scripts/with-keyring.sh"
    );
    vault
}

/// A keychain in memory; `unavailable`: one that answers as a locked or missing keychain does.
pub fn memory_vault(unavailable: bool) -> postdesk_vault::Vault {
    let mut store = postdesk_vault::MemoryStore::default();
    store.unavailable = unavailable;
    postdesk_vault::Vault::new(Box::new(store))
}

/// A core over `host`, its data in `host.dir`, its clock pinned at [`T0`], the OS keychain of
/// the test session (scripts/with-keyring.sh), its own built-in sandbox.
pub async fn start(host: &TestHost) -> Core {
    start_with(host, os_vault(), true)
        .await
        .expect("the core starts")
}

/// [`start`] with another keychain, with or without the built-in sandbox.
pub async fn start_with(
    host: &TestHost,
    vault: postdesk_vault::Vault,
    builtin_sandbox: bool,
) -> Result<Core, postdesk_base::IpcError> {
    Core::start(
        Arc::new(host.clone()),
        Startup {
            data_dir: host.dir.join("data"),
            clock: postdesk_base::SharedClock::pinned(T0).0,
            vault,
            builtin_sandbox,
            warnings: Vec::new(),
        },
    )
    .await
}
