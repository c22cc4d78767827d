//! The core's host on the desktop: OS notifications, events to the webview, the system browser,
//! the clipboard, the OS save dialog, the preferences in a `tauri-plugin-store` file, and the
//! updater (`updater.rs`).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use postdesk_base::files::ExportFile;
use postdesk_base::Secret;
use postdesk_core::host::{
    notification_text, Desktop, Events, HostFuture, Notifier, PrefsStore, Updater,
};
use postdesk_core::updates::{UpdateError, UpdateFound};
use postdesk_core::Event;
use serde_json::Value;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_notification::NotificationExt;
use tauri_plugin_opener::OpenerExt;
use tauri_plugin_store::{Store, StoreExt};

use super::updater::TauriUpdater;

/// The preferences' file in the data folder.
pub const PREFS_FILE: &str = "prefs.json";

pub struct TauriHost<R: Runtime> {
    app: AppHandle<R>,
    prefs_path: PathBuf,
    store: Mutex<Option<Arc<Store<R>>>>,
    updater: TauriUpdater<R>,
}

impl<R: Runtime> TauriHost<R> {
    pub fn new(app: AppHandle<R>, data_dir: &std::path::Path) -> Self {
        TauriHost {
            updater: TauriUpdater::new(app.clone()),
            app,
            prefs_path: data_dir.join(PREFS_FILE),
            store: Mutex::new(None),
        }
    }

    /// The host with another updater (the updater's tests install into a file of their own).
    #[allow(dead_code)] // used by tests/updater
    pub fn with_updater(mut self, updater: TauriUpdater<R>) -> Self {
        self.updater = updater;
        self
    }

    /// A file dialog over the main window: its title, one filter, the folder it opens in.
    fn file_dialog(
        &self,
        title: String,
        kind: &str,
        extension: &str,
        folder: Option<PathBuf>,
    ) -> tauri_plugin_dialog::FileDialogBuilder<R> {
        let mut dialog = self
            .app
            .dialog()
            .file()
            .set_title(title)
            .add_filter(kind, &[extension]);
        if let Some(window) = self.app.get_webview_window("main") {
            dialog = dialog.set_parent(&window);
        }
        if let Some(dir) = folder {
            dialog = dialog.set_directory(dir);
        }
        dialog
    }

    fn store(&self) -> Result<Arc<Store<R>>, String> {
        let mut slot = self.store.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = slot.as_ref() {
            return Ok(s.clone());
        }
        let s = self
            .app
            .store(&self.prefs_path)
            .map_err(|e| e.to_string())?;
        *slot = Some(s.clone());
        Ok(s)
    }
}

impl<R: Runtime> Notifier for TauriHost<R> {
    fn notify(&self, title: &str, body: &str) -> Result<(), String> {
        // Linux notification servers read markup in the body (not in the title).
        let markup = cfg!(target_os = "linux");
        self.app
            .notification()
            .builder()
            .title(notification_text(title, false))
            .body(notification_text(body, markup))
            .show()
            .map_err(|e| e.to_string())
    }
}

impl<R: Runtime> Events for TauriHost<R> {
    fn emit(&self, event: Event) {
        let _ = self.app.emit(event.name(), event.payload());
    }
}

impl<R: Runtime> Desktop for TauriHost<R> {
    fn open_url(&self, url: &str) -> Result<(), String> {
        self.app
            .opener()
            .open_url(url, None::<&str>)
            .map_err(|e| e.to_string())
    }

    fn write_clipboard(&self, text: Secret) -> Result<(), String> {
        let mut board = arboard::Clipboard::new().map_err(|e| e.to_string())?;
        sensitive(board.set())
            .text(text.expose())
            .map_err(|e| e.to_string())
    }

    fn clear_clipboard_if(&self, text: &Secret) -> Result<bool, String> {
        let mut board = arboard::Clipboard::new().map_err(|e| e.to_string())?;
        match board.get_text() {
            Ok(now) if now == text.expose() => {
                // Zeroised as soon as compared: the copy read back is a secret too.
                drop(postdesk_base::Secret::from(now));
                board.clear().map_err(|e| e.to_string())?;
                Ok(true)
            }
            Ok(other) => {
                drop(postdesk_base::Secret::from(other));
                Ok(false)
            }
            // Empty, or no longer text: nothing of ours is there.
            Err(_) => Ok(false),
        }
    }

    fn export_dir(&self) -> Option<PathBuf> {
        self.app.path().download_dir().ok()
    }

    fn choose_save_path<'a>(
        &'a self,
        file: &'a ExportFile,
        folder: Option<PathBuf>,
    ) -> HostFuture<'a, Option<PathBuf>> {
        Box::pin(async move {
            // Debug builds only: the E2E suite cannot drive a native dialog, so it names the
            // folder the "chosen" file goes to. A release build always asks.
            #[cfg(debug_assertions)]
            if let Some(dir) = std::env::var_os("POSTDESK_TEST_SAVE_DIR") {
                return Some(PathBuf::from(dir).join(&file.file_name));
            }
            let (tx, rx) = tokio::sync::oneshot::channel();
            self.file_dialog(
                format!("Export {}", file.kind),
                file.kind,
                file.extension,
                folder,
            )
            .set_file_name(&file.file_name)
            .save_file(move |chosen| {
                let _ = tx.send(chosen.and_then(|p| p.into_path().ok()));
            });
            rx.await.ok().flatten()
        })
    }

    fn choose_open_path<'a>(
        &'a self,
        kind: &'static str,
        extension: &'static str,
        folder: Option<PathBuf>,
    ) -> HostFuture<'a, Option<PathBuf>> {
        Box::pin(async move {
            // Debug builds only: the file the E2E suite "picks" (WebDriver cannot drive the
            // native dialog). A release build always asks.
            #[cfg(debug_assertions)]
            if let Some(file) = std::env::var_os("POSTDESK_TEST_OPEN_FILE") {
                return Some(PathBuf::from(file));
            }
            let (tx, rx) = tokio::sync::oneshot::channel();
            self.file_dialog(format!("Import a {kind}"), kind, extension, folder)
                .pick_file(move |chosen| {
                    let _ = tx.send(chosen.and_then(|p| p.into_path().ok()));
                });
            rx.await.ok().flatten()
        })
    }
}

/// Marks a clipboard write as sensitive where the platform has a way: KDE's and GNOME's
/// clipboard managers honour `x-kde-passwordManagerHint` (X11 and Wayland); Windows keeps it out
/// of the clipboard history and the cloud clipboard; macOS marks it concealed and transient
/// (nspasteboard.org), which clipboard managers skip.
fn sensitive(set: arboard::Set<'_>) -> arboard::Set<'_> {
    #[cfg(target_os = "linux")]
    let set = {
        use arboard::SetExtLinux;
        set.exclude_from_history()
    };
    #[cfg(windows)]
    let set = {
        use arboard::SetExtWindows;
        set.exclude_from_history().exclude_from_cloud()
    };
    #[cfg(target_os = "macos")]
    let set = {
        use arboard::SetExtApple;
        set.exclude_from_history()
    };
    set
}

impl<R: Runtime> PrefsStore for TauriHost<R> {
    fn load(&self, key: &str) -> Result<Option<Value>, String> {
        // The plugin reads a damaged file as an empty store and would overwrite it on the next
        // save: check it first, so that it can be set aside instead.
        match std::fs::read(&self.prefs_path) {
            Ok(bytes) => {
                serde_json::from_slice::<serde_json::Map<String, Value>>(&bytes)
                    .map_err(|e| e.to_string())?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.to_string()),
        }
        Ok(self.store()?.get(key))
    }

    fn save(&self, key: &str, value: &Value) -> Result<(), String> {
        let store = self.store()?;
        store.set(key, value.clone());
        store.save().map_err(|e| e.to_string())?;
        // The plugin writes the file in place with the default mode: make it the user's alone.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ =
                std::fs::set_permissions(&self.prefs_path, std::fs::Permissions::from_mode(0o600));
        }
        Ok(())
    }

    fn set_aside(&self) -> Result<String, String> {
        let aside = self.prefs_path.with_extension("json.damaged");
        std::fs::rename(&self.prefs_path, &aside).map_err(|e| e.to_string())?;
        Ok(aside.display().to_string())
    }
}

impl<R: Runtime> Updater for TauriHost<R> {
    fn update_endpoints(&self) -> Vec<String> {
        self.updater.endpoints()
    }

    fn check_update<'a>(
        &'a self,
        endpoints: &'a [String],
        timeout: std::time::Duration,
    ) -> HostFuture<'a, Result<Option<UpdateFound>, UpdateError>> {
        Box::pin(self.updater.check(endpoints, timeout))
    }

    fn download_update<'a>(
        &'a self,
        progress: &'a (dyn Fn(u64, Option<u64>) + Send + Sync),
    ) -> HostFuture<'a, Result<(), UpdateError>> {
        Box::pin(self.updater.download(progress))
    }

    fn install_update(&self) -> Result<(), UpdateError> {
        self.updater.install()
    }

    fn restart(&self) {
        self.updater.restart();
    }
}
