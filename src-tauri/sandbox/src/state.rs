//! The sandbox's data: teams, users, API keys, workspaces, collections, environments,
//! collection access keys, monitors (with their run history), mock servers (with their call
//! logs) and async update tasks. Serialisable, so a state file can hold it.

use crate::clock::{iso, DAY_MS};
use crate::collections::StoredCollection;
use crate::environments::StoredEnvironment;
use crate::rng::{b64_encode, Rng};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Team {
    pub id: u64,
    pub name: String,
    pub domain: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    pub id: u64,
    pub sub: String,
    pub username: String,
    pub email: String,
    pub full_name: String,
    pub avatar: Option<String>,
    pub is_public: bool,
    pub email_verified: bool,
    /// 0 when the user is on no team.
    pub team_id: u64,
    pub roles: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Workspace {
    pub id: String,
    pub name: String,
    /// `personal` or `team`.
    pub kind: String,
    /// `personal`, `team`, `private`, `public` or `partner`.
    pub visibility: String,
    pub description: String,
    pub about: String,
    pub created_by: u64,
    pub updated_by: u64,
    /// The team it belongs to (0 for a personal workspace).
    pub team_id: u64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// SHA-256 (hex) of a secret. The sandbox, like a real server, keeps only digests of API keys
/// and access tokens, so its state file holds no usable credential.
pub fn digest(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(64);
    for b in Sha256::digest(secret.as_bytes()) {
        hex.push(char::from(HEX[usize::from(b >> 4)]));
        hex.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    hex
}

/// The plaintext secrets of the seed: derived from the seed, kept in memory only.
#[derive(Debug, Clone, Default)]
pub struct Secrets {
    /// username → that user's first API key.
    pub users: BTreeMap<String, String>,
    /// access key id → its token.
    pub access_tokens: BTreeMap<String, String>,
}

impl Drop for Secrets {
    /// The keys and tokens do not outlive their use in memory.
    fn drop(&mut self) {
        use zeroize::Zeroize;
        for v in self
            .users
            .values_mut()
            .chain(self.access_tokens.values_mut())
        {
            v.zeroize();
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessKey {
    pub id: String,
    /// [`digest`] of the `PMAT-…` token; the token itself is shown once, when minted.
    pub token_digest: String,
    /// Its last four characters, for the masked form.
    pub last4: String,
    pub user_id: u64,
    pub team_id: u64,
    /// The collection's UID.
    pub collection_uid: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub last_used_at: Option<i64>,
    pub deleted_at: Option<i64>,
    /// Part of the seed (its token is derived from the seed, so `/_sandbox/access-keys` may show
    /// it); minted keys show their token only once, in the mint response.
    #[serde(default)]
    pub seeded: bool,
}

pub const ACCESS_KEY_TTL_MS: i64 = 60 * DAY_MS;

impl AccessKey {
    pub fn expires_at(&self) -> i64 {
        self.last_used_at.unwrap_or(self.created_at) + ACCESS_KEY_TTL_MS
    }
    pub fn is_usable(&self, now: i64) -> bool {
        self.deleted_at.is_none() && now < self.expires_at()
    }
    pub fn masked(&self) -> String {
        format!("PMAT-{}{}", "*".repeat(22), self.last4)
    }
}

/// Everything that is persisted.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    pub seed: u64,
    /// Generator for new ids (persisted so ids stay unique across restarts).
    pub rng: Rng,
    pub teams: Vec<Team>,
    pub users: Vec<User>,
    /// [`digest`] of each PMAK key → user id (the keys themselves are never stored).
    pub api_keys: BTreeMap<String, u64>,
    /// Username → [`digest`] of the seed's key of that user (the one [`crate::rng::SeedSecrets`]
    /// decides), so that the seed's keys can be replaced when their source changes.
    #[serde(default)]
    pub seeded_api_keys: BTreeMap<String, String>,
    pub workspaces: Vec<Workspace>,
    pub access_keys: Vec<AccessKey>,
    pub access_key_seq: u64,
    /// Collections by bare id.
    pub collections: BTreeMap<String, CollEntry>,
    /// Environments by bare id.
    pub environments: BTreeMap<String, EnvEntry>,
    /// Insertion counter: list order.
    pub seq: u64,
    /// Monitors by bare id.
    #[serde(default)]
    pub monitors: BTreeMap<String, crate::monitors::StoredMonitor>,
    /// [`usage_key`] → requests monitor runs sent that month (`monitor_request_runs`).
    #[serde(default)]
    pub monitor_usage: BTreeMap<String, u64>,
    /// Mock servers by bare id, with their server responses and call logs.
    #[serde(default)]
    pub mocks: BTreeMap<String, crate::mocks::StoredMock>,
    /// [`usage_key`] → calls the user's mocks received that month (`mock_usage`).
    #[serde(default)]
    pub mock_usage: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CollEntry {
    pub seq: u64,
    /// Bumped on every change (keys the rendered-bytes cache).
    pub version: u64,
    pub c: StoredCollection,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnvEntry {
    pub seq: u64,
    pub e: StoredEnvironment,
}

/// Splits a path id into (owner, bare id): accepts `<uuid>` and `<ownerId>-<uuid>`.
pub fn split_id(raw: &str) -> (Option<u64>, &str) {
    if raw.len() > 37 && raw.is_char_boundary(raw.len() - 36) {
        let (prefix, rest) = raw.split_at(raw.len() - 36);
        if let Some(owner) = prefix.strip_suffix('-') {
            if let Ok(o) = owner.parse::<u64>() {
                return (Some(o), rest);
            }
        }
    }
    (None, raw)
}

/// The `entries` whose workspace is `ws`, in creation order (`at`: an entry's workspace and
/// sequence number).
fn in_workspace<'a, E>(
    entries: impl Iterator<Item = &'a E>,
    ws: &str,
    at: impl Fn(&E) -> (&str, u64),
) -> Vec<&'a E> {
    let mut v: Vec<&E> = entries.filter(|e| at(e).0 == ws).collect();
    v.sort_by_key(|e| at(e).1);
    v
}

impl State {
    /// The collection a path id (`<id>` or `<ownerId>-<id>`) names.
    pub fn collection_at(&self, raw: &str) -> Option<&CollEntry> {
        let (owner, id) = split_id(raw);
        self.collections
            .get(id)
            .filter(|e| owner.is_none_or(|o| o == e.c.owner))
    }
    /// The environment a path id (`<id>` or `<ownerId>-<id>`) names.
    pub fn environment_at(&self, raw: &str) -> Option<&EnvEntry> {
        let (owner, id) = split_id(raw);
        self.environments
            .get(id)
            .filter(|e| owner.is_none_or(|o| o == e.e.owner))
    }
    /// The monitor a path id (`<id>` or `<ownerId>-<id>`) names.
    pub fn monitor_at(&self, raw: &str) -> Option<&crate::monitors::StoredMonitor> {
        let (owner, id) = split_id(raw);
        self.monitors
            .get(id)
            .filter(|m| owner.is_none_or(|o| o == m.owner))
    }
    /// The collections in workspace `ws`, in creation order.
    pub fn collections_in(&self, ws: &str) -> Vec<&CollEntry> {
        in_workspace(self.collections.values(), ws, |e| (&e.c.workspace, e.seq))
    }
    /// The environments in workspace `ws`, in creation order.
    pub fn environments_in(&self, ws: &str) -> Vec<&EnvEntry> {
        in_workspace(self.environments.values(), ws, |e| (&e.e.workspace, e.seq))
    }
    pub fn user(&self, id: u64) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }
    pub fn user_by_name(&self, name: &str) -> Option<&User> {
        self.users.iter().find(|u| u.username == name)
    }
    pub fn team(&self, id: u64) -> Option<&Team> {
        self.teams.iter().find(|t| t.id == id)
    }
    pub fn workspace(&self, id: &str) -> Option<&Workspace> {
        self.workspaces.iter().find(|w| w.id == id)
    }
    /// Can `user` see workspace `w`? (policy: `PRIVATE_WORKSPACES_VISIBLE_TO_TEAM`)
    pub fn can_see(&self, user: &User, w: &Workspace) -> bool {
        match w.visibility.as_str() {
            "personal" => w.created_by == user.id,
            "public" => true,
            _ => w.team_id != 0 && w.team_id == user.team_id || w.created_by == user.id,
        }
    }
    pub fn can_see_id(&self, user_id: u64, workspace_id: &str) -> bool {
        match (self.user(user_id), self.workspace(workspace_id)) {
            (Some(u), Some(w)) => self.can_see(u, w),
            _ => false,
        }
    }
    /// The first (oldest) personal workspace of a user: where POSTs without `workspace` land.
    pub fn personal_workspace(&self, user_id: u64) -> Option<&Workspace> {
        self.workspaces
            .iter()
            .find(|w| w.kind == "personal" && w.created_by == user_id)
    }
    /// A new access key with `token` (from [`crate::rng`]: the seed's, or minted from the OS);
    /// returns it with that plaintext token (to be shown once).
    pub fn new_access_key(
        &mut self,
        user_id: u64,
        collection_uid: &str,
        now: i64,
        token: String,
    ) -> (AccessKey, String) {
        // An opaque base64 id like the real ones (`<n>:<collection uid>`), chosen so it has no
        // padding and no `+` or `/` (it goes into a URL path).
        let rest = collection_uid.len() + 1;
        let width = 3 + (3 - rest % 3) % 3; // digits so that the raw length is a multiple of 3
        let id = loop {
            self.access_key_seq += 1;
            let n =
                6 * 10u64.pow(width as u32 - 1) + self.access_key_seq % 10u64.pow(width as u32 - 1);
            let raw = format!("{n}:{collection_uid}");
            let enc = b64_encode(raw.as_bytes());
            let fresh = !self.access_keys.iter().any(|k| k.id == enc);
            if (fresh && !enc.contains(['+', '/', '='])) || self.access_key_seq > 1_000_000 {
                break enc;
            }
        };
        let team_id = self.user(user_id).map(|u| u.team_id).unwrap_or(0);
        let last4 = token
            .chars()
            .skip(token.chars().count().saturating_sub(4))
            .collect();
        let key = AccessKey {
            id,
            token_digest: digest(&token),
            last4,
            user_id,
            team_id,
            collection_uid: collection_uid.to_string(),
            created_at: now,
            updated_at: now,
            last_used_at: None,
            deleted_at: None,
            seeded: false,
        };
        self.access_keys.push(key.clone());
        (key, token)
    }
}

pub fn usage_key(user_id: u64, now: i64) -> String {
    format!("{user_id}:{}", crate::clock::month_key(now))
}

impl Workspace {
    pub fn summary(&self) -> serde_json::Value {
        serde_json::json!({
            "id": self.id,
            "name": self.name,
            "type": self.kind,
            "visibility": self.visibility,
            "createdBy": self.created_by.to_string(),
            "about": self.about,
            "createdAt": iso(self.created_at),
            "updatedAt": iso(self.updated_at),
        })
    }
}

/// Seeded teams and users: two teams, four users (one on no team).
pub fn seed_people(rng: &mut Rng) -> (Vec<Team>, Vec<User>) {
    let mut teams = Vec::new();
    for (name, domain) in [
        ("Orbit Labs", "orbit-labs"),
        ("Nimbus Works", "nimbus-works"),
    ] {
        teams.push(Team {
            id: rng.range(100, 9999),
            name: name.into(),
            domain: domain.into(),
        });
    }
    let people = [
        (
            "taylor-lee",
            "Taylor Lee",
            0usize,
            vec!["user", "admin", "flow-editor"],
        ),
        ("sam-rivera", "Sam Rivera", 0, vec!["user"]),
        ("alex-kim", "Alex Kim", 1, vec!["user", "admin"]),
        ("jordan-solo", "Jordan Solo", usize::MAX, vec!["user"]),
    ];
    let mut users = Vec::new();
    for (i, (username, full, team, roles)) in people.into_iter().enumerate() {
        let id = rng.range(10_000_000, 99_999_999);
        let sub = rng.uuid();
        let email = format!("{}@example.com", username.replace('-', "."));
        users.push(User {
            id,
            sub,
            username: username.into(),
            email,
            full_name: full.into(),
            avatar: if i == 3 {
                None
            } else {
                Some(format!(
                    "https://res.cloudinary.com/postman/image/upload/t_user_profile_300/v1/user/default-{}",
                    i + 1
                ))
            },
            is_public: i != 1,
            email_verified: true,
            team_id: teams.get(team).map(|t| t.id).unwrap_or(0),
            roles: roles.into_iter().map(String::from).collect(),
        });
    }
    (teams, users)
}

#[cfg(test)]
mod tests {
    /// State files hold these digests: their form (lowercase hex SHA-256) must never change.
    #[test]
    fn digest_is_lowercase_hex_sha256() {
        assert_eq!(
            super::digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(super::digest("").len(), 64);
    }
}
