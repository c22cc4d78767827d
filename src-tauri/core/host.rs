//! What the core needs from whatever runs it — and nothing more. The desktop implements these
//! over Tauri (`src-tauri/commands/host.rs`); the core's tests implement them over plain memory
//! (`tests/core`), so every use case runs, and is tested, without Tauri.
//!
//! The surface grows only when a use case needs something new. What is deliberately not here:
//! windows and menus — those stay with the desktop. The updater is here only as far as the
//! core decides: when to look, where, and what to tell the user ([`Updater`]).

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::time::Duration;

use postdesk_base::files::ExportFile;
use postdesk_base::Secret;
use serde_json::Value;

use crate::contract::Event;
use crate::updates::{UpdateError, UpdateFound};

/// OS notifications.
pub trait Notifier: Send + Sync {
    /// Shows one notification; an error says why none could be shown (the caller shows the
    /// same news in the app).
    fn notify(&self, title: &str, body: &str) -> Result<(), String>;
}

/// Events for the UI.
pub trait Events: Send + Sync {
    fn emit(&self, event: Event);
}

/// The desktop's services.
pub trait Desktop: Send + Sync {
    /// Opens an https URL in the system browser.
    fn open_url(&self, url: &str) -> Result<(), String>;
    /// Puts text on the clipboard (a share link: it holds a token), marked sensitive so that
    /// clipboard managers and the OS history skip it, as far as the platform allows.
    fn write_clipboard(&self, text: Secret) -> Result<(), String>;
    /// Empties the clipboard if it still holds `text` (something copied since is left alone);
    /// whether it did.
    fn clear_clipboard_if(&self, text: &Secret) -> Result<bool, String>;
    /// Where the save dialog opens (the Downloads folder), if the desktop has one.
    fn export_dir(&self) -> Option<PathBuf>;
    /// Asks the user where to save `file` (the OS save dialog, opening in `folder`, suggesting
    /// its name, filtered on its extension); `None` when they cancel. Only the chosen path is
    /// ever written: the webview gets no file access.
    fn choose_save_path<'a>(
        &'a self,
        file: &'a ExportFile,
        folder: Option<PathBuf>,
    ) -> HostFuture<'a, Option<PathBuf>>;
    /// Asks the user for a file to import (the OS open dialog, opening in `folder`, filtered
    /// on `extension`, named `kind`); `None` when they cancel. Only that file is ever read.
    fn choose_open_path<'a>(
        &'a self,
        kind: &'static str,
        extension: &'static str,
        folder: Option<PathBuf>,
    ) -> HostFuture<'a, Option<PathBuf>>;
}

/// Where the preferences are kept.
pub trait PrefsStore: Send + Sync {
    /// The value stored under `key`; `Err` when the store cannot be read (damaged).
    fn load(&self, key: &str) -> Result<Option<Value>, String>;
    fn save(&self, key: &str, value: &Value) -> Result<(), String>;
    /// Moves a damaged store out of the way (kept, never deleted); returns where it went.
    fn set_aside(&self) -> Result<String, String>;
}

/// A future of the host that waits on the network.
pub type HostFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The app's self-update (tauri-plugin-updater on the desktop). It keeps what it found and
/// downloaded between calls; the core serialises the calls.
pub trait Updater: Send + Sync {
    /// The update endpoints the app was built with.
    fn update_endpoints(&self) -> Vec<String>;
    /// Asks `endpoints` (in order, each already checked by the core) for a version newer than
    /// the running one; gives up when one does not answer within `timeout`.
    fn check_update<'a>(
        &'a self,
        endpoints: &'a [String],
        timeout: Duration,
    ) -> HostFuture<'a, Result<Option<UpdateFound>, UpdateError>>;
    /// Downloads what the last check found and verifies its signature against the app's public
    /// key; `progress(downloaded, total)` as the bytes come.
    fn download_update<'a>(
        &'a self,
        progress: &'a (dyn Fn(u64, Option<u64>) + Send + Sync),
    ) -> HostFuture<'a, Result<(), UpdateError>>;
    /// Installs what was downloaded (it may wait on the OS installer: the core calls it on the
    /// blocking pool). The new version runs after a restart.
    fn install_update(&self) -> Result<(), UpdateError>;
    /// Restarts the app once its exit handlers ran.
    fn restart(&self);
}

/// The longest text a notification shows; a longer name is cut with `…`.
pub const NOTIFICATION_MAX_CHARS: usize = 240;

/// `text` as an OS notification must get it to show it as it is: control characters become
/// spaces, the length is bounded, and with `markup` (Linux notification servers read a subset of
/// HTML in the body) `&`, `<` and `>` are escaped, so a collection named `<b>…</b>` or
/// `<a href=…>` is shown as typed instead of formatted or linked.
pub fn notification_text(text: &str, markup: bool) -> String {
    let mut out = String::with_capacity(text.len().min(NOTIFICATION_MAX_CHARS * 2));
    for (i, c) in text.chars().enumerate() {
        if i == NOTIFICATION_MAX_CHARS {
            out.push('…');
            break;
        }
        match c {
            '&' if markup => out.push_str("&amp;"),
            '<' if markup => out.push_str("&lt;"),
            '>' if markup => out.push_str("&gt;"),
            '\n' => out.push('\n'),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Everything the core asks of its host.
pub trait Host: Notifier + Events + Desktop + PrefsStore + Updater + 'static {}

impl<T: Notifier + Events + Desktop + PrefsStore + Updater + 'static> Host for T {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notification_text_shows_names_as_typed() {
        let name = "<b>Orders</b> & <a href=\"https://evil.example\">click</a>";
        assert_eq!(
            notification_text(name, true),
            "&lt;b&gt;Orders&lt;/b&gt; &amp; &lt;a href=\"https://evil.example\"&gt;click&lt;/a&gt;"
        );
        assert_eq!(
            notification_text(name, false),
            name,
            "no markup: nothing to escape"
        );
        assert_eq!(notification_text("a\u{7}b\tc\nd", true), "a b c\nd");
        let long = "x".repeat(NOTIFICATION_MAX_CHARS + 50);
        let shown = notification_text(&long, true);
        assert_eq!(shown.chars().count(), NOTIFICATION_MAX_CHARS + 1);
        assert!(shown.ends_with('…'));
    }
}
