//! Which access tokens are kept, per account ([`KEPT_FILE`](crate::KEPT_FILE): ids only, no secret), and their
//! keychain entries (`access-token:<account>:<key id>`). Another account's are neither marked
//! nor copied; tokens kept before accounts were told apart go to the first account.

use std::collections::BTreeSet;

use postdesk_base::Account;

use crate::{Sharing, SharingError};

/// [`KEPT_FILE`](crate::KEPT_FILE): account slug → the ids of the keys whose token is kept. Tokens kept before
/// accounts were told apart are listed under `""` until an account takes them.
pub(crate) type Kept = std::collections::BTreeMap<String, BTreeSet<String>>;

/// The key of the tokens kept before accounts were told apart, in [`Kept`].
const LOOSE: &str = "";

/// The keychain entry of the token of `key_id` kept for `account` (a slug).
pub(crate) fn entry(account: &str, key_id: &str) -> String {
    if account == LOOSE {
        format!("access-token:{key_id}")
    } else {
        format!("access-token:{account}:{key_id}")
    }
}

/// The kept-token list as stored: per account, or (as earlier versions wrote it) one list.
pub(crate) fn read_kept(bytes: &[u8]) -> Option<Kept> {
    serde_json::from_slice::<Kept>(bytes).ok().or_else(|| {
        let loose = serde_json::from_slice::<BTreeSet<String>>(bytes).ok()?;
        Some(Kept::from([(LOOSE.to_owned(), loose)]))
    })
}

impl Sharing {
    /// Uses `account`'s kept tokens from now on (the active key's). The first account other
    /// than [`Account::local`] also takes the tokens kept before accounts were told apart; a
    /// keychain that refuses leaves them for the next time (the error says so).
    pub fn set_account(&self, account: Account) -> Result<(), SharingError> {
        let slug = account.slug();
        *self.account.write().unwrap_or_else(|e| e.into_inner()) = account.clone();
        if account == Account::local() {
            return Ok(());
        }
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        let loose = kept.get(LOOSE).cloned().unwrap_or_default();
        for id in loose {
            let token = self.vault.read(&entry(LOOSE, &id));
            let moved = match token {
                Ok(token) => self.vault.store(&entry(&slug, &id), &token).map(|_| true),
                Err(postdesk_vault::VaultError::Missing) => Ok(false),
                Err(e) => Err(e),
            };
            let moved = moved.map_err(|e| SharingError::Keychain(e.to_string()))?;
            if moved {
                kept.entry(slug.clone()).or_default().insert(id.clone());
                let _ = self.vault.remove(&entry(LOOSE, &id));
            }
            if let Some(l) = kept.get_mut(LOOSE) {
                l.remove(&id);
            }
        }
        kept.retain(|_, ids| !ids.is_empty());
        self.write_kept(&kept)
    }

    pub(crate) fn slug(&self) -> String {
        self.account
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .slug()
    }

    /// The ids of the keys whose token the current account keeps.
    pub(crate) fn kept_ids(&self) -> BTreeSet<String> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.get(&self.slug()).cloned().unwrap_or_default()
    }

    pub(crate) fn set_kept(&self, id: &str, keep: bool) -> Result<(), SharingError> {
        let slug = self.slug();
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        let ids = kept.entry(slug.clone()).or_default();
        let changed = if keep {
            ids.insert(id.to_owned())
        } else {
            ids.remove(id)
        };
        if ids.is_empty() {
            kept.remove(&slug);
        }
        if changed {
            self.write_kept(&kept)?;
        }
        Ok(())
    }

    pub(crate) fn write_kept(&self, kept: &Kept) -> Result<(), SharingError> {
        let bytes = serde_json::to_vec(kept).map_err(|e| SharingError::Storage(e.to_string()))?;
        postdesk_base::files::write_atomic(&self.kept_path, &bytes)
            .map_err(|e| SharingError::Storage(format!("{}: {e}", self.kept_path.display())))
    }

    pub(crate) fn forget_token(&self, id: &str) -> Result<(), SharingError> {
        if self.kept_ids().contains(id) {
            self.vault
                .remove(&entry(&self.slug(), id))
                .map_err(|e| SharingError::Keychain(e.to_string()))?;
        }
        self.set_kept(id, false)
    }
}
