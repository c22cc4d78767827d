//! What the keys domain knows and says: a key's metadata (never the key), how the UI sees it,
//! what the user adds, the reminders, a rotation's result, and the errors.

use postdesk_base::error::{Code, DomainError, KeysCode};
use postdesk_vault::{Secret, VaultError};
use postman_client::Me;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
    pub(crate) fn from_me(me: &Me) -> Self {
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

    pub(crate) fn label(&self) -> String {
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
    pub(crate) fn expiry(&self) -> Option<time::Date> {
        self.expires_on
            .as_deref()
            .and_then(|d| crate::paste::parse_date(d).ok())
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

pub(crate) fn urgency(days_left: Option<i64>) -> &'static str {
    match days_left {
        None => "none",
        Some(d) if d < 0 => "expired",
        Some(d) if d <= 3 => "urgent",
        Some(d) if d <= 14 => "soon",
        Some(_) => "later",
    }
}

impl KeyView {
    pub(crate) fn of(meta: &KeyMeta, active: bool, today: time::Date) -> Self {
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
