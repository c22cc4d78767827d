//! Sharing (issue 7): collection access keys (`PMAT-…`) — the overview Postman lacks, revoking
//! one or many under the limits, and sharing a collection with a verified, kept token.
//! Plain Rust over `postman-client` and the vault; `commands/sharing.rs` exposes it.
//!
//! # Secrets
//! A token crosses IPC once, from the paste field to Rust. It is verified, kept in the OS
//! keychain (entry `access-token:<account>:<key id>`) and never sent back: the UI sees the
//! server's masked form and builds nothing with it. The share link and the `newman`/`curl`
//! commands are built in Rust and go straight to the clipboard. [`KEPT_FILE`] lists, per
//! account, which key ids have a kept token (ids only, no secret), so listing does not touch the
//! keychain once per row.
//!
//! # Accounts
//! Kept tokens are one account's own ([`Sharing::set_account`]: the active key's): another
//! account's are neither marked nor copied. Tokens kept before accounts were told apart go to
//! the first account that uses sharing (their keychain entries are renamed).
//!
//! # Calls per task
//! - a page of keys: 1 (cached), plus the collection list for the names (1, cached, shared with
//!   the Collections view);
//! - add a pasted token: 2 (`GET /collections/{uid}?access_key=` without the API key, then the
//!   collection's key list to match it); sandbox mint: +1 (`/_sandbox/`, not counted by Postman);
//! - revoke N keys: N `DELETE`s, paced by the client's governor (never a 429).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use postdesk_base::secret::{last4, mask_last4, redact, ACCESS_TOKEN};
use postdesk_base::{Account, SharedClock};
use postman_client::{AccessKeyInfo, AccessToken, Client, CollectionQuery};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use postdesk_base::error::{Code, DomainError, SharingCode};
use postdesk_vault::{Secret, Vault};

/// File (in the data folder) listing the key ids whose token is kept in the keychain.
pub const KEPT_FILE: &str = "kept-access-tokens.json";
/// Keys expiring within this many days are flagged.
pub const EXPIRING_DAYS: i64 = 7;
/// Postman's web app, where Share → Via API makes a key.
pub const POSTMAN_WEB: &str = "https://go.postman.co";

#[derive(Debug, thiserror::Error)]
pub enum SharingError {
    #[error(transparent)]
    Api(#[from] postman_client::Error),
    #[error("{0}")]
    Token(String),
    #[error("Postman did not accept this access key for the collection: it is revoked, expired or belongs to another collection. Nothing was kept.")]
    Refused,
    #[error("The access key works, but it is not listed among this account's keys for the collection, so it cannot be managed here. Nothing was kept.")]
    NotListed,
    #[error("No token is kept for this access key: Postman shows a token only once. Make a new key to share the collection again.")]
    NotKept,
    #[error("The OS keychain could not be used: {0}")]
    Keychain(String),
    #[error("{0}")]
    Storage(String),
}

impl DomainError for SharingError {
    fn code(&self) -> Code {
        match self {
            SharingError::Api(e) => e.code(),
            SharingError::Token(_) => SharingCode::BadToken.into(),
            SharingError::Refused => SharingCode::Refused.into(),
            SharingError::NotListed => SharingCode::NotListed.into(),
            SharingError::NotKept => SharingCode::NotKept.into(),
            SharingError::Keychain(_) => SharingCode::Keychain.into(),
            SharingError::Storage(_) => SharingCode::Storage.into(),
        }
    }
}

/// Where a key stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum AccessKeyStatus {
    Active,
    /// Active, expiring within [`EXPIRING_DAYS`].
    Expiring,
    Expired,
    /// Revoked (or otherwise not usable).
    Inactive,
}

/// One access key as the Sharing view shows it (never the token).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccessKeyRow {
    pub id: String,
    pub collection_uid: Option<String>,
    /// From the cached collection list; `None` when the collection is not in it.
    pub collection_name: Option<String>,
    /// `PMAT-…43BR`
    pub masked: String,
    /// The creator's user id.
    pub created_by: Option<String>,
    pub created_at: Option<String>,
    pub expires_at: Option<String>,
    /// Whole days until expiry (negative: expired); `None` when unknown.
    #[ts(type = "number | null")]
    pub days_left: Option<i64>,
    /// `None`: never used.
    pub last_used_at: Option<String>,
    pub status: AccessKeyStatus,
    /// Its token is kept in the keychain: the link can be copied again.
    pub kept: bool,
}

impl AccessKeyRow {
    /// The OS notification's title and body for a key that expires soon.
    pub fn expiry_notice(&self) -> (String, String) {
        let what = self
            .collection_name
            .clone()
            .or_else(|| self.collection_uid.clone())
            .unwrap_or_else(|| "a collection".into());
        let when = match self.days_left {
            Some(d) if d <= 0 => "today".to_owned(),
            Some(1) => "tomorrow".to_owned(),
            Some(d) => format!("in {d} days"),
            None => "soon".to_owned(),
        };
        (
            "Postdesk: a share link expires soon".to_owned(),
            format!(
                "The access key {} for “{what}” expires {when} unless it is used.",
                self.masked
            ),
        )
    }
}

/// One page of keys.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccessKeyPageView {
    pub rows: Vec<AccessKeyRow>,
    pub next_cursor: Option<String>,
    /// Where this page comes from (fetched at, or the refresh that failed and the copy shown).
    pub source: postman_client::Freshness,
}

/// The result of revoking one key.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RevokeResult {
    pub id: String,
    pub ok: bool,
    /// Why it failed (a person's sentence).
    pub error: Option<String>,
}

/// Progress of a revoke of many keys (sent as an event).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RevokeProgress {
    pub done: u32,
    pub total: u32,
    pub last: RevokeResult,
}

/// What the clipboard gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ShareText {
    Link,
    Newman,
    Curl,
}

/// The masked forms the UI shows next to its copy buttons.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ShareTexts {
    /// `https://api.postman.com/collections/<uid>?access_key=PMAT-…43BR`
    pub link_masked: String,
    pub newman_masked: String,
    pub curl_masked: String,
}

/// A key just added (pasted or minted) with its share texts.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ShareView {
    pub key: AccessKeyRow,
    pub texts: ShareTexts,
}

fn masked_texts(link: &str) -> ShareTexts {
    let [link, newman, curl] = texts(link);
    ShareTexts {
        link_masked: mask_link(&link),
        newman_masked: mask_link(&newman),
        curl_masked: mask_link(&curl),
    }
}

/// Access keys: listing, revoking, sharing with kept tokens.
pub struct Sharing {
    vault: Arc<Vault>,
    /// "Now" for status and days left.
    clock: SharedClock,
    /// Whose kept tokens are used.
    account: std::sync::RwLock<Account>,
    kept_path: PathBuf,
    kept: Mutex<Kept>,
    /// Keys already announced as expiring in this run (one notification per key).
    announced: Mutex<BTreeSet<String>>,
}

mod kept;
use kept::{entry, read_kept, Kept};

use postdesk_base::clock::parse_rfc3339 as parse_ms;

/// The row of `k` at `now_ms`.
pub fn row_of(
    k: &AccessKeyInfo,
    names: &HashMap<String, String>,
    kept: bool,
    now_ms: i64,
) -> AccessKeyRow {
    let expires_ms = k.expires_after.as_deref().and_then(parse_ms);
    let days_left = expires_ms.map(|e| (e - now_ms).div_euclid(86_400_000));
    let active = k.status.as_deref() == Some("ACTIVE") && k.deleted_at.is_none();
    let status = match (active, expires_ms) {
        (false, _) => match expires_ms {
            Some(e) if e <= now_ms && k.deleted_at.is_none() => AccessKeyStatus::Expired,
            _ => AccessKeyStatus::Inactive,
        },
        (true, Some(e)) if e <= now_ms => AccessKeyStatus::Expired,
        (true, Some(e)) if e - now_ms <= EXPIRING_DAYS * 86_400_000 => AccessKeyStatus::Expiring,
        (true, _) => AccessKeyStatus::Active,
    };
    // The API lists the token masked (`PMAT-******43BR`): only its last four characters count.
    let token = k.token.as_deref().unwrap_or_default();
    let masked = mask_last4(ACCESS_TOKEN.prefix, last4(token));
    let name = k.collection_id.as_deref().and_then(|uid| {
        names.get(uid).or_else(|| {
            let bare = uid.get(uid.len().saturating_sub(36)..).unwrap_or(uid);
            names.get(bare)
        })
    });
    AccessKeyRow {
        id: k.id.clone(),
        collection_uid: k.collection_id.clone(),
        collection_name: name.cloned(),
        masked,
        created_by: k.user_id.as_ref().map(|u| u.0.clone()),
        created_at: k.created_at.clone(),
        expires_at: k.expires_after.clone(),
        days_left,
        last_used_at: k.last_used_at.clone(),
        status,
        kept,
    }
}

/// A link or command with its token masked, for display.
fn mask_link(link: &str) -> String {
    redact(link)
}

fn texts(link: &str) -> [String; 3] {
    [
        link.to_owned(),
        format!("newman run \"{link}\""),
        format!("curl -sS \"{link}\""),
    ]
}

impl Sharing {
    /// Sharing whose kept-token list lives in `data_dir`. A damaged list is read as empty
    /// (the tokens are still in the keychain; copying one again re-checks it).
    pub fn new(vault: Arc<Vault>, data_dir: &Path, clock: SharedClock) -> Self {
        let kept_path = data_dir.join(KEPT_FILE);
        let kept = std::fs::read(&kept_path)
            .ok()
            .and_then(|b| read_kept(&b))
            .unwrap_or_default();
        Sharing {
            vault,
            clock,
            account: std::sync::RwLock::new(Account::local()),
            kept_path,
            kept: Mutex::new(kept),
            announced: Mutex::new(BTreeSet::new()),
        }
    }

    /// The rows expiring within [`EXPIRING_DAYS`] not announced yet in this run (for the OS
    /// notification); each key is returned once.
    pub fn newly_expiring(&self, rows: &[AccessKeyRow]) -> Vec<AccessKeyRow> {
        let mut seen = self.announced.lock().unwrap_or_else(|e| e.into_inner());
        rows.iter()
            .filter(|r| r.status == AccessKeyStatus::Expiring)
            .filter(|r| seen.insert(r.id.clone()))
            .cloned()
            .collect()
    }

    async fn names(&self, client: &Client) -> HashMap<String, String> {
        // The cached list of the Collections view; without it rows just lack the name.
        let mut out = HashMap::new();
        if let Ok(list) = client
            .get_collections(&CollectionQuery::default(), false)
            .await
        {
            for c in list.data.collections {
                if let Some(uid) = &c.uid {
                    out.insert(uid.clone(), c.name.clone());
                }
                out.insert(c.id.0.clone(), c.name);
            }
        }
        out
    }

    /// One page of the keys the account can see (of one collection when `collection` is set).
    pub async fn page(
        &self,
        client: &Client,
        collection: Option<&str>,
        cursor: Option<&str>,
        force: bool,
    ) -> Result<AccessKeyPageView, SharingError> {
        let fetched = client.get_access_keys(collection, cursor, force).await?;
        let (source, page) = (fetched.freshness(), fetched.data);
        let names = self.names(client).await;
        let kept = self.kept_ids();
        let now = self.clock.now_ms();
        Ok(AccessKeyPageView {
            rows: page
                .keys
                .iter()
                .map(|k| row_of(k, &names, kept.contains(&k.id), now))
                .collect(),
            next_cursor: page.next_cursor,
            source,
        })
    }

    /// Revokes `ids` one after the other (paced by the client; duplicates dropped), deleting
    /// kept tokens too. A key already gone (404) counts as revoked. `progress` gets each result.
    pub async fn revoke(
        &self,
        client: &Client,
        ids: &[String],
        progress: &mut (dyn FnMut(RevokeProgress) + Send),
    ) -> Vec<RevokeResult> {
        let mut seen = BTreeSet::new();
        let unique: Vec<&String> = ids.iter().filter(|id| seen.insert(id.as_str())).collect();
        let total = unique.len() as u32;
        let mut out = Vec::with_capacity(unique.len());
        for (i, id) in unique.into_iter().enumerate() {
            let result = match client.delete_access_key(id).await {
                Ok(()) | Err(postman_client::Error::NotFound { .. }) => {
                    let forgot = self.forget_token(id);
                    RevokeResult {
                        id: id.clone(),
                        ok: true,
                        error: forgot.err().map(|e| {
                            format!("Revoked, but its kept token could not be removed: {e}")
                        }),
                    }
                }
                Err(e) => RevokeResult {
                    id: id.clone(),
                    ok: false,
                    error: Some(e.to_string()),
                },
            };
            progress(RevokeProgress {
                done: i as u32 + 1,
                total,
                last: result.clone(),
            });
            out.push(result);
        }
        out
    }

    /// Verifies a pasted token for collection `uid` (`GET /collections/{uid}?access_key=`, no
    /// API key sent), matches it to its listed key, keeps it in the keychain and returns what
    /// the share panel shows. Nothing is kept when any step fails.
    pub async fn add_token(
        &self,
        client: &Client,
        uid: &str,
        pasted: Secret,
    ) -> Result<ShareView, SharingError> {
        let token = AccessToken::from_secret(pasted).map_err(|e| match e {
            postman_client::Error::InvalidSecret(m) => SharingError::Token(m),
            other => SharingError::Token(other.to_string()),
        })?;
        self.keep_verified(client, uid, token).await
    }

    async fn keep_verified(
        &self,
        client: &Client,
        uid: &str,
        token: AccessToken,
    ) -> Result<ShareView, SharingError> {
        match client.get_shared_collection(uid, &token).await {
            Ok(_) => {}
            Err(
                postman_client::Error::InvalidKey { .. }
                | postman_client::Error::Forbidden { .. }
                | postman_client::Error::NotFound { .. },
            ) => return Err(SharingError::Refused),
            Err(e) => return Err(e.into()),
        }
        let keys = client.get_all_access_keys(Some(uid), true).await?;
        let last4 = token.last4().to_owned();
        let found = keys
            .iter()
            .filter(|k| k.deleted_at.is_none() && k.status.as_deref() == Some("ACTIVE"))
            .filter(|k| k.token.as_deref().is_some_and(|t| t.ends_with(&last4)))
            .max_by(|a, b| a.created_at.cmp(&b.created_at))
            .ok_or(SharingError::NotListed)?;
        self.vault
            .store(&entry(&self.slug(), &found.id), token.as_secret())
            .map_err(|e| SharingError::Keychain(e.to_string()))?;
        self.set_kept(&found.id, true)?;
        let names = self.names(client).await;
        let row = row_of(found, &names, true, self.clock.now_ms());
        Ok(self.view_of(client, row, uid, &token))
    }

    /// Sandbox only: mints a key for `uid` and adds it as if pasted.
    pub async fn mint_in_sandbox(
        &self,
        client: &Client,
        uid: &str,
    ) -> Result<ShareView, SharingError> {
        let token = client.sandbox_mint_access_key(uid).await?;
        self.keep_verified(client, uid, token).await
    }

    fn view_of(
        &self,
        client: &Client,
        key: AccessKeyRow,
        uid: &str,
        token: &AccessToken,
    ) -> ShareView {
        ShareView {
            key,
            texts: masked_texts(&client.share_link(uid, token)),
        }
    }

    /// The text for the clipboard (link, `newman run`, `curl`) of a key whose token is kept: a
    /// secret (it holds the token), for the clipboard only.
    pub fn share_text(
        &self,
        client: &Client,
        key_id: &str,
        uid: &str,
        what: ShareText,
    ) -> Result<Secret, SharingError> {
        if !self.kept_ids().contains(key_id) {
            return Err(SharingError::NotKept);
        }
        let secret = self
            .vault
            .read(&entry(&self.slug(), key_id))
            .map_err(|e| match e {
                postdesk_vault::VaultError::Missing => SharingError::NotKept,
                other => SharingError::Keychain(other.to_string()),
            })?;
        let token =
            AccessToken::from_secret(secret).map_err(|e| SharingError::Token(e.to_string()))?;
        let [link, newman, curl] = texts(&client.share_link(uid, &token));
        Ok(Secret::new(match what {
            ShareText::Link => link,
            ShareText::Newman => newman,
            ShareText::Curl => curl,
        }))
    }

    /// The masked share texts of a kept key (the share panel of an existing key).
    pub fn texts(
        &self,
        client: &Client,
        key_id: &str,
        uid: &str,
    ) -> Result<ShareTexts, SharingError> {
        let link = self.share_text(client, key_id, uid, ShareText::Link)?;
        Ok(masked_texts(link.expose()))
    }
}

/// Postman's web page of a collection, where Share → Via API → Generate New Key is.
pub fn postman_collection_url(uid: &str) -> String {
    let safe: String = uid
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    format!("{POSTMAN_WEB}/collection/{safe}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key(v: serde_json::Value) -> AccessKeyInfo {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn rows_say_status_days_and_name_without_the_token() {
        let now = parse_ms("2026-11-23T12:00:00Z").unwrap();
        let names = HashMap::from([("1-abc".to_owned(), "Orders <b>".to_owned())]);
        let k = key(
            json!({"id": "k1", "token": "PMAT-**********************43BR", "status": "ACTIVE",
            "userId": 5, "collectionId": "1-abc", "expiresAfter": "2026-11-27T12:00:00Z", "lastUsedAt": ""}),
        );
        let r = row_of(&k, &names, false, now);
        assert_eq!(r.status, AccessKeyStatus::Expiring);
        assert_eq!(r.days_left, Some(4));
        assert_eq!(r.masked, "PMAT-…43BR");
        assert_eq!(r.collection_name.as_deref(), Some("Orders <b>"));
        assert_eq!(r.last_used_at, None);
        let later =
            key(json!({"id": "k2", "status": "ACTIVE", "expiresAfter": "2027-01-20T12:00:00Z"}));
        assert_eq!(
            row_of(&later, &names, false, now).status,
            AccessKeyStatus::Active
        );
        let gone = key(
            json!({"id": "k3", "status": "INACTIVE", "deletedAt": "2026-11-01T00:00:00Z", "expiresAfter": "2027-01-20T12:00:00Z"}),
        );
        assert_eq!(
            row_of(&gone, &names, false, now).status,
            AccessKeyStatus::Inactive
        );
        let old =
            key(json!({"id": "k4", "status": "ACTIVE", "expiresAfter": "2026-11-01T00:00:00Z"}));
        let r = row_of(&old, &names, false, now);
        assert_eq!(r.status, AccessKeyStatus::Expired);
        assert!(r.days_left.unwrap() < 0);
    }

    #[test]
    fn a_key_expiring_exactly_now_is_expired_and_a_millisecond_earlier_it_is_not() {
        let at = "2026-11-23T12:00:00Z";
        let now = parse_ms(at).unwrap();
        let k = key(json!({"id": "k5", "status": "ACTIVE", "expiresAfter": at}));
        let names = HashMap::new();
        let r = row_of(&k, &names, false, now);
        assert_eq!((r.status, r.days_left), (AccessKeyStatus::Expired, Some(0)));
        let r = row_of(&k, &names, false, now - 1);
        assert_eq!(
            (r.status, r.days_left),
            (AccessKeyStatus::Expiring, Some(0))
        );
        // Days left are whole days, counted down on the clock, across a leap day.
        let leap =
            key(json!({"id": "k6", "status": "ACTIVE", "expiresAfter": "2028-03-01T00:00:00Z"}));
        let at = |s: &str| parse_ms(s).unwrap();
        assert_eq!(
            row_of(&leap, &names, false, at("2028-02-28T00:00:00Z")).days_left,
            Some(2)
        );
        assert_eq!(
            row_of(&leap, &names, false, at("2028-02-29T23:59:59Z")).days_left,
            Some(0)
        );
        let year =
            key(json!({"id": "k7", "status": "ACTIVE", "expiresAfter": "2029-01-01T00:00:00Z"}));
        let r = row_of(&year, &names, false, at("2028-12-31T23:59:50Z"));
        assert_eq!(
            (r.status, r.days_left),
            (AccessKeyStatus::Expiring, Some(0))
        );
    }

    #[test]
    fn each_expiring_key_is_announced_once() {
        let dir =
            std::env::temp_dir().join(format!("postdesk-sharing-announce-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let sharing = Sharing::new(
            Arc::new(Vault::new(Box::new(postdesk_vault::MemoryStore::default()))),
            &dir,
            SharedClock::pinned("2026-11-23T12:00:00Z").0,
        );
        let now = parse_ms("2026-11-23T12:00:00Z").unwrap();
        let soon = row_of(
            &key(json!({"id": "a", "status": "ACTIVE", "expiresAfter": "2026-11-25T12:00:00Z"})),
            &HashMap::new(),
            false,
            now,
        );
        let later = row_of(
            &key(json!({"id": "b", "status": "ACTIVE", "expiresAfter": "2027-01-25T12:00:00Z"})),
            &HashMap::new(),
            false,
            now,
        );
        assert_eq!(
            sharing.newly_expiring(&[soon.clone(), later.clone()]).len(),
            1
        );
        assert!(sharing.newly_expiring(&[soon, later]).is_empty());
    }

    #[test]
    fn links_are_masked_for_display() {
        let link = format!(
            "https://api.postman.com/collections/1-abc?access_key=PMAT-{}WXYZ",
            "0".repeat(22)
        );
        assert_eq!(
            mask_link(&link),
            "https://api.postman.com/collections/1-abc?access_key=PMAT-…WXYZ"
        );
        let [_, newman, curl] = texts(&link);
        assert!(mask_link(&newman).starts_with("newman run \"https://"));
        assert!(!mask_link(&curl).contains(&"0".repeat(22)));
        assert_eq!(
            postman_collection_url("1-abc/../x"),
            "https://go.postman.co/collection/1-abcx"
        );
    }
}
