//! Preferences: what Postdesk remembers for the user between runs (never a secret). Read and
//! written by Rust through the host's [`PrefsStore`] (the desktop keeps them with
//! `tauri-plugin-store`); the webview keeps nothing of its own.
//!
//! The store's file is written in place, so it can be found damaged: then it is set aside (kept,
//! never deleted), the defaults are used, and the start-up warnings say so.

use postdesk_base::error::{Code, DomainError, PrefsCode};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::host::PrefsStore;

/// The key the preferences are stored under.
pub const PREFS_KEY: &str = "prefs";

/// `system` follows the desktop's light or dark theme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

/// What Postdesk remembers for the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Prefs {
    /// The workspace chosen in the Collections and Environments views (`null`: all).
    pub workspace: Option<String>,
    /// An OS notification when an access key expires within 7 days (once per key per run).
    pub notify_expiring_shares: bool,
    /// An OS notification when an API key's expiry reminder falls due.
    pub notify_key_reminders: bool,
    /// An OS notification when a monitor run Postdesk sees (run now, or found by a history
    /// refresh) failed.
    pub notify_failed_runs: bool,
    /// Days before an API key's expiry date on which a reminder is given (0: the day itself).
    pub reminder_days: Vec<i32>,
    pub theme: Theme,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            workspace: None,
            notify_expiring_shares: true,
            notify_key_reminders: true,
            notify_failed_runs: true,
            reminder_days: postdesk_keys::REMINDER_DAYS.to_vec(),
            theme: Theme::System,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PrefsError {
    #[error("The preferences could not be saved: {0}. They apply until Postdesk closes.")]
    Storage(String),
    #[error("{0}")]
    Invalid(String),
}

impl DomainError for PrefsError {
    fn code(&self) -> Code {
        match self {
            PrefsError::Storage(_) => PrefsCode::Storage,
            PrefsError::Invalid(_) => PrefsCode::Invalid,
        }
        .into()
    }
}

impl Prefs {
    /// Checks what the UI sends; the reminder days come back sorted, most first, once each.
    pub fn checked(mut self) -> Result<Prefs, PrefsError> {
        if self.reminder_days.len() > 6 || self.reminder_days.iter().any(|d| !(0..=90).contains(d))
        {
            return Err(PrefsError::Invalid(
                "Reminders can be given at most 6 times, each 0 to 90 days before the expiry date."
                    .into(),
            ));
        }
        self.reminder_days.sort_unstable_by(|a, b| b.cmp(a));
        self.reminder_days.dedup();
        if let Some(ws) = &self.workspace {
            if ws.is_empty() || ws.len() > 200 {
                self.workspace = None;
            }
        }
        Ok(self)
    }

    /// Loads the preferences: the defaults when there are none, and when the store or its
    /// content is damaged — then the store is set aside and the sentence returned says so.
    pub fn load(store: &dyn PrefsStore) -> (Prefs, Option<String>) {
        let damaged = |why: String| {
            let kept = store
                .set_aside()
                .map(|p| format!(" It was kept as {p}."))
                .unwrap_or_default();
            Some(format!(
                "The preferences could not be read ({why}); Postdesk uses the defaults.{kept}"
            ))
        };
        match store.load(PREFS_KEY) {
            Ok(None) => (Prefs::default(), None),
            Ok(Some(v)) => match serde_json::from_value::<Prefs>(v)
                .map_err(|e| e.to_string())
                .and_then(|p| p.checked().map_err(|e| e.to_string()))
            {
                Ok(p) => (p, None),
                Err(e) => (Prefs::default(), damaged(e)),
            },
            Err(e) => (Prefs::default(), damaged(e)),
        }
    }

    pub fn save(&self, store: &dyn PrefsStore) -> Result<(), PrefsError> {
        let v: Value =
            serde_json::to_value(self).map_err(|e| PrefsError::Storage(e.to_string()))?;
        store.save(PREFS_KEY, &v).map_err(PrefsError::Storage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Store {
        value: Mutex<Option<Value>>,
        broken: bool,
        set_aside: Mutex<u32>,
    }

    impl PrefsStore for Store {
        fn load(&self, _key: &str) -> Result<Option<Value>, String> {
            if self.broken {
                return Err("expected value at line 1 column 1".into());
            }
            Ok(self.value.lock().unwrap().clone())
        }
        fn save(&self, _key: &str, value: &Value) -> Result<(), String> {
            *self.value.lock().unwrap() = Some(value.clone());
            Ok(())
        }
        fn set_aside(&self) -> Result<String, String> {
            *self.set_aside.lock().unwrap() += 1;
            Ok("prefs.json.damaged".into())
        }
    }

    #[test]
    fn defaults_then_what_was_saved_then_defaults_when_damaged() {
        let store = Store::default();
        assert_eq!(Prefs::load(&store), (Prefs::default(), None));
        let p = Prefs {
            workspace: Some("ws-1".into()),
            reminder_days: vec![1, 7, 7, 30],
            theme: Theme::Dark,
            ..Prefs::default()
        }
        .checked()
        .unwrap();
        assert_eq!(p.reminder_days, [30, 7, 1]);
        p.save(&store).unwrap();
        assert_eq!(Prefs::load(&store).0, p);
        *store.value.lock().unwrap() = Some(serde_json::json!({"theme": "purple"}));
        let (back, warning) = Prefs::load(&store);
        assert_eq!(back, Prefs::default());
        assert!(warning.unwrap().contains("prefs.json.damaged"));
        let broken = Store {
            broken: true,
            ..Store::default()
        };
        let (back, warning) = Prefs::load(&broken);
        assert_eq!(back, Prefs::default());
        assert!(warning.unwrap().contains("uses the defaults"));
        assert_eq!(*broken.set_aside.lock().unwrap(), 1);
    }

    #[test]
    fn what_the_ui_sends_is_checked() {
        let bad = Prefs {
            reminder_days: vec![400],
            ..Prefs::default()
        };
        assert_eq!(bad.checked().unwrap_err().code(), "prefs.invalid");
        let odd = Prefs {
            workspace: Some(String::new()),
            ..Prefs::default()
        }
        .checked()
        .unwrap();
        assert_eq!(odd.workspace, None);
        // Older or partial files still load (the window's size once lived here: the
        // window-state plugin keeps size, position and maximised state now).
        let partial: Prefs =
            serde_json::from_str(r#"{"theme":"light","window":{"width":900,"height":600}}"#)
                .unwrap();
        assert_eq!(partial.theme, Theme::Light);
        assert!(partial.notify_expiring_shares);
    }
}
