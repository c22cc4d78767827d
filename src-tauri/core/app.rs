//! The app itself: what Postdesk knows about itself (version, where its data lives, which
//! backend it talks to), its data folder and its clock.

use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use crate::sandbox_host::{self, SandboxSlot, SandboxStatus};
use postdesk_base::error::{AppCode, Code, DomainError};
use postdesk_vault::{KeychainStatus, Vault};

/// Shown in the shell's footer and used by the E2E suite to check the IPC path end to end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub name: String,
    pub version: String,
    /// The licence Postdesk is distributed under (SPDX).
    pub license: String,
    /// Folder holding Postdesk's own files (settings, caches, the sandbox's state, and
    /// `sandbox.json` with the running built-in sandbox's URL and admin token). Never a Postman
    /// API key or access token.
    pub data_dir: String,
    /// `linux`, `macos` or `windows`.
    pub platform: String,
    /// The built-in sandbox Postdesk uses when no API key is set.
    pub sandbox: SandboxStatus,
    /// Whether the OS keychain can hold API keys right now.
    pub keychain: KeychainStatus,
    /// Problems found at start that the user should know about (each says what was done).
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("Postdesk's data folder {path} cannot be used: {reason}. Check that it exists and is writable.")]
    DataDirUnavailable { path: String, reason: String },
}

impl DomainError for AppError {
    fn code(&self) -> Code {
        match self {
            AppError::DataDirUnavailable { .. } => AppCode::DataDirUnavailable.into(),
        }
    }
}

/// The environment variable that pins the clock of a debug build, for the E2E suite:
/// `POSTDESK_TEST_NOW=2026-11-23T10:00:00Z` starts the app's clock (and the built-in
/// sandbox's) at that instant. Release builds ignore it.
pub const TEST_NOW_VAR: &str = "POSTDESK_TEST_NOW";

/// The clock of the whole app: the system's, or in a debug build with [`TEST_NOW_VAR`] set, a
/// clock pinned at that instant (running on from there). A value that does not parse is
/// reported and the system clock is used.
pub fn app_clock(warnings: &mut Vec<String>) -> postdesk_base::SharedClock {
    if cfg!(debug_assertions) {
        if let Ok(at) = std::env::var(TEST_NOW_VAR) {
            match postdesk_base::PinnedClock::at(&at) {
                Ok(pinned) => return std::sync::Arc::new(pinned).into(),
                Err(e) => warnings.push(format!("{TEST_NOW_VAR} ignored: {e}")),
            }
        }
    }
    postdesk_base::SharedClock::system()
}

/// What the app knows about itself now (the body of `app_info`).
pub fn info(
    data_dir: &Path,
    sandbox: &SandboxSlot,
    vault: &Vault,
    warnings: &[String],
) -> Result<AppInfo, AppError> {
    let meta = std::fs::metadata(data_dir).map_err(|e| AppError::DataDirUnavailable {
        path: data_dir.display().to_string(),
        reason: e.kind().to_string(),
    })?;
    if !meta.is_dir() {
        return Err(AppError::DataDirUnavailable {
            path: data_dir.display().to_string(),
            reason: "it is not a folder".into(),
        });
    }
    Ok(AppInfo {
        name: "Postdesk".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        license: env!("CARGO_PKG_LICENSE").into(),
        data_dir: data_dir.display().to_string(),
        platform: std::env::consts::OS.into(),
        sandbox: sandbox_host::status(sandbox),
        keychain: vault.status(),
        warnings: warnings.to_vec(),
    })
}

/// Creates the data folder, owner-only (0700): nothing in it is anyone else's business.
pub fn ensure_data_dir(dir: &Path) -> Result<(), AppError> {
    postdesk_base::files::private_dir(dir).map_err(|e| AppError::DataDirUnavailable {
        path: dir.display().to_string(),
        reason: e.kind().to_string(),
    })
}

/// The history database the app keeps, opened; the activity log's table in it; and a notice
/// when an activity log of an earlier version was imported into it (or could not be).
pub type OpenedHistory = (
    std::sync::Arc<postdesk_monitors::History>,
    std::sync::Arc<postdesk_monitors::ActivityTable>,
    Option<String>,
);

/// Opens the history database in `dir` (blocking: call it off the async threads) and brings the
/// activity log of earlier versions (`activity.jsonl`) into it, once.
pub fn open_history(dir: &Path) -> Result<OpenedHistory, String> {
    let history =
        postdesk_monitors::History::open(&dir.join(postdesk_monitors::service::HISTORY_FILE))
            .map(std::sync::Arc::new)
            .map_err(|e| e.to_string())?;
    let table = std::sync::Arc::new(postdesk_monitors::ActivityTable::new(
        history.clone(),
        postdesk_engine::ACTIVITY_CAPACITY,
    ));
    let legacy = dir.join(postdesk_engine::LEGACY_ACTIVITY_FILE);
    let notice = match table.import_file(&legacy) {
        Ok(_) => None,
        Err(e) => Some(format!(
            "The activity log of an earlier version ({}) could not be moved into the history database ({e}); it is left where it is.",
            legacy.display()
        )),
    };
    Ok((history, table, notice))
}

/// Makes the data folder the user's alone again (folders 0700, files 0600) if something made a
/// part of it readable by others; the notice says what was repaired.
pub fn make_data_private(dir: &Path) -> Option<String> {
    match postdesk_base::files::make_private_tree(dir) {
        Ok(opened) if opened.is_empty() => None,
        Ok(opened) => {
            let names: Vec<String> = opened
                .iter()
                .take(3)
                .map(|p| p.strip_prefix(dir).unwrap_or(p).display().to_string())
                .map(|n| if n.is_empty() { ".".into() } else { n })
                .collect();
            let more = opened.len().saturating_sub(names.len());
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            Some(format!(
                "{} item(s) in the data folder {} could be read by other users of this computer \
                 ({}{more}); they are now yours alone.",
                opened.len(),
                dir.display(),
                names.join(", ")
            ))
        }
        Err(e) => Some(format!(
            "Postdesk could not check that its data folder {} is yours alone: {e}.",
            dir.display()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use postdesk_base::IpcError;

    use crate::sandbox_host::SandboxHostError;

    fn memory_vault() -> Vault {
        Vault::new(Box::<postdesk_vault::MemoryStore>::default())
    }

    fn no_sandbox() -> SandboxSlot {
        Err(SandboxHostError::StartFailed {
            reason: "not started in this test".into(),
            state: "-".into(),
        })
    }

    #[cfg(unix)]
    #[test]
    fn a_data_folder_open_to_others_is_repaired_with_a_notice() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("postdesk-private-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        ensure_data_dir(&dir).unwrap();
        let file = dir.join("keys.json");
        std::fs::write(&file, b"[]").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let notice = make_data_private(&dir).expect("a notice");
        assert!(
            notice.contains("keys.json") && notice.contains("yours alone"),
            "{notice}"
        );
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(
            make_data_private(&dir),
            None,
            "nothing to say the next time"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn info_reports_version_and_data_dir() {
        let dir = std::env::temp_dir().join(format!("postdesk-app-{}", std::process::id()));
        ensure_data_dir(&dir).unwrap();
        let info = super::info(&dir, &no_sandbox(), &memory_vault(), &[]).unwrap();
        assert_eq!(info.name, "Postdesk");
        assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
        assert_eq!(info.license, "MIT");
        assert_eq!(info.data_dir, dir.display().to_string());
        assert_eq!(info.platform, std::env::consts::OS);
        assert_eq!(info.sandbox.url, None);
        assert!(info.sandbox.error.unwrap().contains("not started"));
        assert!(info.keychain.available);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn missing_data_dir_is_a_clear_error() {
        let dir = std::env::temp_dir().join("postdesk-does-not-exist-7f3a");
        let err = super::info(&dir, &no_sandbox(), &memory_vault(), &[]).unwrap_err();
        let ipc = IpcError::from(err);
        assert_eq!(ipc.code, "app.dataDirUnavailable");
        assert!(
            ipc.message.contains(&dir.display().to_string()),
            "{}",
            ipc.message
        );
        assert!(ipc.message.contains("writable"), "{}", ipc.message);
    }
}
