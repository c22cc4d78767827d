//! What the core needs from whatever runs it — and nothing more. The desktop implements these
//! over Tauri (`src-tauri/commands/host.rs`); the core's tests implement them over plain memory
//! (`tests/core`), so every use case runs, and is tested, without Tauri.
//!
//! The surface grows only when a use case needs something new. What is deliberately not here:
//! windows, menus, the updater — those stay with the desktop.

use std::path::PathBuf;

use postdesk_base::Secret;
use serde_json::Value;

use crate::contract::Event;

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
    /// Puts text on the clipboard (a share link: it holds a token).
    fn write_clipboard(&self, text: Secret) -> Result<(), String>;
    /// Where exports go (the Downloads folder), if the desktop has one.
    fn export_dir(&self) -> Option<PathBuf>;
}

/// Where the preferences are kept.
pub trait PrefsStore: Send + Sync {
    /// The value stored under `key`; `Err` when the store cannot be read (damaged).
    fn load(&self, key: &str) -> Result<Option<Value>, String>;
    fn save(&self, key: &str, value: &Value) -> Result<(), String>;
    /// Moves a damaged store out of the way (kept, never deleted); returns where it went.
    fn set_aside(&self) -> Result<String, String>;
}

/// Everything the core asks of its host.
pub trait Host: Notifier + Events + Desktop + PrefsStore + 'static {}

impl<T: Notifier + Events + Desktop + PrefsStore + 'static> Host for T {}
