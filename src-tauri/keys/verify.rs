//! Adding and checking keys: the paste, `GET /me` through a fresh client for the key's region,
//! the keychain (sandbox keys fall back to this session's memory), add and verify.

use std::time::Duration;

use postdesk_vault::{Secret, VaultError};
use postman_client::{ApiKey, Client, ClientConfig, Me, RetryPolicy};

use crate::paste;
use crate::{
    apply_me, new_id, refused, same_key_of_owner, AddKey, KeyMeta, KeyRegion, KeyStatus, KeyView,
    Keys, KeysError, Rotation, POSTMAN_API_KEYS_URL,
};

/// A key ready to be saved: verified (or marked unverified), not stored anywhere yet.
pub(crate) struct Prepared {
    meta: KeyMeta,
    key: ApiKey,
}

/// A paste (or a keychain entry) as an API key, or the sentence that says why it is not one.
pub(crate) fn api_key(secret: Secret) -> Result<ApiKey, KeysError> {
    ApiKey::from_secret(secret).map_err(|e| match e {
        postman_client::Error::InvalidSecret(m) => KeysError::Format(m),
        other => KeysError::Format(other.to_string()),
    })
}

/// How `/me` answered for a key.
pub(crate) enum Check {
    Valid(Box<Me>),
    Refused,
    Unreachable(postman_client::Error),
}

impl Keys {
    /// `GET /me` with `key` through a fresh client for `region`.
    pub(crate) async fn check(
        &self,
        region: KeyRegion,
        name: &str,
        key: &ApiKey,
    ) -> Result<Check, KeysError> {
        let mut cfg = ClientConfig::new(self.client_region(region)?, name, Some(key.duplicate()));
        cfg.timeout = self.timeout;
        cfg.connect_timeout = self.timeout.min(Duration::from_secs(5));
        cfg.retry = RetryPolicy {
            max_attempts: 2,
            base_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(1),
            max_rate_limit_waits: 1,
        };
        cfg.cache_ttl = Duration::ZERO;
        cfg.activity = self.activity.clone();
        cfg.clock = self.clock.clone();
        let client = Client::new(cfg).map_err(|e| KeysError::Api {
            code: e.code(),
            message: e.to_string(),
        })?;
        use postman_client::Error as E;
        match client.get_me(true).await {
            Ok(f) if !f.offline() => Ok(Check::Valid(Box::new(f.data))),
            Ok(_) => Ok(Check::Unreachable(E::Network(
                "served from the cache".into(),
            ))),
            Err(E::InvalidKey { .. }) => Ok(Check::Refused),
            Err(e @ (E::InsecureUrl(_) | E::InvalidSecret(_) | E::MissingKey)) => {
                Err(KeysError::Api {
                    code: e.code(),
                    message: e.to_string(),
                })
            }
            Err(e) => Ok(Check::Unreachable(e)),
        }
    }

    /// Parses, de-duplicates and verifies a new key. `replacing`: the key a rotation replaces
    /// (its owner may share the new key's last four characters).
    pub(crate) async fn prepare(
        &self,
        req: AddKey,
        replacing: Option<&str>,
    ) -> Result<(Prepared, Check), KeysError> {
        let key = api_key(req.key)?;
        let expires_on = match req.expires_on.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(d) => Some(paste::format_date(paste::parse_date(d)?)),
        };
        let last4 = key.last4().to_owned();
        let name = if req.name.trim().is_empty() {
            format!("Key …{last4}")
        } else {
            paste::parse_name(&req.name)?
        };
        self.client_region(req.region)?;
        if req.region != KeyRegion::Sandbox {
            // A real key is only ever kept in the keychain: no call when it cannot be kept.
            let status = self.vault.status();
            if !status.available {
                return Err(KeysError::Vault(VaultError::Unavailable(
                    status.error.unwrap_or_default(),
                )));
            }
        }
        // The very same key already here?
        let same_last4: Vec<String> = self
            .lock()
            .keys
            .iter()
            .filter(|k| k.last4 == last4)
            .map(|k| k.id.clone())
            .collect();
        for id in same_last4 {
            if let Ok(existing) = self.read_secret(&id) {
                if existing == *key.as_secret() {
                    return Err(KeysError::Duplicate);
                }
            }
        }
        let check = self.check(req.region, &name, &key).await?;
        let mut meta = KeyMeta {
            id: String::new(),
            name,
            region: req.region,
            last4: last4.clone(),
            added_at: self.now_ms(),
            expires_on,
            last_verified_at: None,
            owner: None,
            status: KeyStatus::Unverified,
            month_used: None,
            month_limit: None,
            reminders_sent: Vec::new(),
        };
        match &check {
            Check::Valid(me) => apply_me(&mut meta, me, self.now_ms()),
            Check::Refused => {}
            Check::Unreachable(_) => {}
        }
        if self
            .lock()
            .keys
            .iter()
            .any(|k| same_key_of_owner(k, &meta, replacing))
        {
            return Err(KeysError::Duplicate);
        }
        Ok((Prepared { meta, key }, check))
    }

    /// Keeps the secret (keychain; sandbox keys fall back to this session's memory).
    pub(crate) fn keep_secret(&self, meta: &KeyMeta, secret: &Secret) -> Result<(), KeysError> {
        match self.vault.store(&meta.id, secret) {
            Ok(()) => Ok(()),
            Err(VaultError::Unavailable(_)) if meta.region == KeyRegion::Sandbox => {
                self.session().insert(meta.id.clone(), secret.duplicate());
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }

    pub(crate) fn forget_secret(&self, id: &str) -> Result<(), KeysError> {
        if self.session().remove(id).is_some() {
            return Ok(());
        }
        self.vault.remove(id)?;
        Ok(())
    }

    /// Adds a key: checks the paste, verifies it with `GET /me`, keeps the secret in the
    /// keychain and the metadata in the list. A key Postman refuses is not saved; a key that
    /// cannot be checked (offline) is saved as `Unverified`. Becomes active if none is.
    pub async fn add(&self, req: AddKey) -> Result<KeyView, KeysError> {
        let (mut prepared, check) = self.prepare(req, None).await?;
        if let Check::Refused = check {
            return Err(refused());
        }
        prepared.meta.id = new_id(&self.lock());
        let Prepared { meta, key } = prepared;
        self.keep_secret(&meta, key.as_secret())?;
        let id = meta.id.clone();
        let saved = self.mutate(|f| {
            // Another add of the same account's key may have finished meanwhile.
            if f.keys.iter().any(|k| same_key_of_owner(k, &meta, None)) {
                return Err(KeysError::Duplicate);
            }
            f.keys.push(meta);
            if f.active.is_none() {
                f.active = Some(id.clone());
            }
            Ok(())
        });
        if let Err(e) = saved {
            let _ = self.forget_secret(&id);
            return Err(e);
        }
        self.view_of(&id)
    }

    /// Checks a key again with `GET /me` (never cached). Postman refusing it (401) makes it
    /// `Invalid`; an unreachable Postman is an error and changes nothing.
    pub async fn verify(&self, id: &str) -> Result<KeyView, KeysError> {
        let meta = self.meta(id)?;
        let key = api_key(self.read_secret(id)?)?;
        let check = self.check(meta.region, &meta.name, &key).await?;
        match check {
            Check::Unreachable(e) => Err(KeysError::Api {
                code: e.code(),
                message: format!("The key could not be checked: {e}"),
            }),
            Check::Refused => {
                let now = self.now_ms();
                self.update(id, |k| {
                    k.status = KeyStatus::Invalid;
                    k.last_verified_at = Some(now);
                })?;
                self.view_of(id)
            }
            Check::Valid(me) => {
                let now = self.now_ms();
                self.update(id, |k| apply_me(k, &me, now))?;
                self.view_of(id)
            }
        }
    }

    /// Replaces `old_id` with a newer key of the same Postman account: the new key is verified,
    /// takes over "active", and the old key's keychain entry and metadata are removed.
    /// takes over "active", and the old key's keychain entry and metadata are removed.
    pub async fn rotate(&self, old_id: &str, replacement: AddKey) -> Result<Rotation, KeysError> {
        let old = self.meta(old_id)?;
        let mut replacement = replacement;
        if replacement.name.trim().is_empty() {
            replacement.name = old.name.clone();
        }
        let (mut prepared, check) = self.prepare(replacement, Some(old_id)).await?;
        match check {
            Check::Refused => return Err(refused()),
            Check::Unreachable(e) => {
                return Err(KeysError::Api {
                    code: e.code(),
                    message: format!("Postdesk could not reach Postman to check that the new key belongs to the same account, so nothing was changed. Try again when you are online. ({e})"),
                })
            }
            Check::Valid(_) => {}
        }
        if let (Some(was), Some(now)) = (&old.owner, &prepared.meta.owner) {
            if was.user_id != now.user_id {
                return Err(KeysError::WrongUser {
                    name: old.name.clone(),
                    expected: was.label(),
                    actual: now.label(),
                });
            }
        }
        prepared.meta.id = new_id(&self.lock());
        let Prepared { meta, key } = prepared;
        self.keep_secret(&meta, key.as_secret())?;
        let new_id = meta.id.clone();
        // Retire the old secret first, so that the list never names a key whose entry is left
        // behind; put it back should the list not save.
        let old_secret = match self.read_secret(old_id) {
            Ok(s) => Some(s),
            Err(KeysError::Vault(VaultError::Missing)) => None,
            Err(e) => {
                let _ = self.forget_secret(&new_id);
                return Err(e);
            }
        };
        if let Err(e) = self.forget_secret(old_id) {
            let _ = self.forget_secret(&new_id);
            return Err(e);
        }
        let saved = self.mutate(|f| {
            let pos = f
                .keys
                .iter()
                .position(|k| k.id == old_id)
                .ok_or(KeysError::NotFound)?;
            f.keys.remove(pos);
            f.keys.push(meta);
            if f.active.as_deref() == Some(old_id) {
                f.active = Some(new_id.clone());
            }
            Ok(())
        });
        if let Err(e) = saved {
            if let Some(old_secret) = old_secret {
                let _ = self.keep_secret(&old, &old_secret);
            }
            let _ = self.forget_secret(&new_id);
            return Err(e);
        }
        Ok(Rotation {
            new_key: self.view_of(&new_id)?,
            retired_name: old.name,
            delete_in_postman_url: POSTMAN_API_KEYS_URL.to_owned(),
        })
    }
}
