//! The deterministic seed: same seed → same users, keys, workspaces, collections,
//! environments and access-key tokens (timestamps are relative to the sandbox clock).

use crate::clock::{iso, DAY_MS};
use crate::collections as coll;
use crate::environments as envs;
use crate::rng::{Rng, SeedSecrets};
use crate::state::{digest, seed_people, CollEntry, EnvEntry, Secrets, State, Workspace};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// `(name, text)` of each `seed/<name>.json`.
macro_rules! vendored {
    ($($name:literal),* $(,)?) => {
        [$(($name, include_str!(concat!("../seed/", $name, ".json")))),*]
    };
}

/// The 25 example collections (Collection Format v2.1), vendored under `seed/`.
pub const EXAMPLES: [(&str, &str); 25] = vendored![
    "apikeyAuthTest",
    "bearerAuthTest",
    "box",
    "collection",
    "edgegridAuthTest",
    "formdata-body",
    "github",
    "hackernews",
    "hawkAuthTest",
    "helpers",
    "httpMethods",
    "httpbin",
    "jsonblob",
    "nestedEntities",
    "ntlmAuthTest",
    "proper-url-parsing",
    "req-body-file-src-null",
    "reqBodyContentType",
    "reqBodyGraphQL",
    "reqBodyNull",
    "request",
    "responseBodyNull",
    "syncapi",
    "twitter",
    "v2",
];

/// Builds the seeded state as of `now` (epoch ms), and the seed's plaintext secrets (the same
/// for every `now`; from `from`), which are kept in memory only.
pub fn build(seed: u64, now: i64, from: &SeedSecrets) -> (State, Secrets) {
    let mut secrets = Secrets::default();
    let mut rng = Rng::new(seed);
    let (teams, users) = seed_people(&mut rng);
    let mut api_keys = BTreeMap::new();
    let mut seeded_api_keys = BTreeMap::new();
    for u in &users {
        let key = from.api_key(&u.username, rng.api_key());
        api_keys.insert(digest(&key), u.id);
        seeded_api_keys.insert(u.username.clone(), digest(&key));
        secrets.users.insert(u.username.clone(), key);
    }
    let base = now - 400 * DAY_MS;
    let (taylor, sam, alex, jordan) = (users[0].id, users[1].id, users[2].id, users[3].id);
    let (orbit, nimbus) = (teams[0].id, teams[1].id);
    let mut workspaces = Vec::new();
    let mut ws =
        |rng: &mut Rng, name: &str, kind: &str, vis: &str, by: u64, team: u64, about: &str| {
            let i = workspaces.len() as i64;
            let w = Workspace {
                id: rng.uuid(),
                name: name.into(),
                kind: kind.into(),
                visibility: vis.into(),
                description: format!("{about} (sandbox seed)"),
                about: about.into(),
                created_by: by,
                updated_by: by,
                team_id: team,
                created_at: base + i * DAY_MS,
                updated_at: base + i * DAY_MS + 3_600_000,
            };
            workspaces.push(w);
            workspaces.len() - 1
        };
    let w_taylor = ws(
        &mut rng,
        "My Workspace",
        "personal",
        "personal",
        taylor,
        0,
        "This is a personal workspace.",
    );
    let w_orbit = ws(
        &mut rng,
        "Orbit Team",
        "team",
        "team",
        taylor,
        orbit,
        "Orbit Labs' shared APIs.",
    );
    let w_orbit_priv = ws(
        &mut rng,
        "Orbit Private",
        "team",
        "private",
        sam,
        orbit,
        "Orbit Labs' private work.",
    );
    let w_sam = ws(
        &mut rng,
        "My Workspace",
        "personal",
        "personal",
        sam,
        0,
        "This is a personal workspace.",
    );
    let w_nimbus = ws(
        &mut rng,
        "Nimbus Team",
        "team",
        "team",
        alex,
        nimbus,
        "Nimbus Works' shared APIs.",
    );
    let w_alex = ws(
        &mut rng,
        "My Workspace",
        "personal",
        "personal",
        alex,
        0,
        "This is a personal workspace.",
    );
    let w_jordan = ws(
        &mut rng,
        "My Workspace",
        "personal",
        "personal",
        jordan,
        0,
        "This is a personal workspace.",
    );

    // Collections: round-robin over (workspace, owner) slots.
    let slots = [
        (w_orbit, taylor),
        (w_taylor, taylor),
        (w_orbit, sam),
        (w_nimbus, alex),
        (w_orbit_priv, sam),
        (w_sam, sam),
        (w_alex, alex),
        (w_jordan, jordan),
    ];
    let mut collections = BTreeMap::new();
    let mut seq = 0u64;
    for (i, (_, text)) in EXAMPLES.iter().enumerate() {
        let doc: Value = serde_json::from_str(text)
            .unwrap_or_else(|_| json!({"info": {"name": "broken"}, "item": []}));
        let (wi, owner) = slots[i % slots.len()];
        let at = iso(base + 30 * DAY_MS + i as i64 * 7 * DAY_MS);
        let mut c = rng.with_ctx(&at, owner, |ctx| coll::import_seed(ctx, &doc));
        c.workspace = workspaces[wi].id.clone();
        seq += 1;
        collections.insert(c.id.clone(), CollEntry { seq, version: 1, c });
    }

    // One fork: Sam's fork (in Orbit Private) of the first Orbit Team collection.
    let source = collections
        .values()
        .filter(|e: &&CollEntry| e.c.workspace == workspaces[w_orbit].id)
        .min_by_key(|e| e.seq)
        .map(|e| e.c.clone());
    if let Some(src) = source {
        let at = iso(base + 300 * DAY_MS);
        let mut doc = src.doc.clone();
        if let Some(info) = doc.get_mut("info").and_then(Value::as_object_mut) {
            info.insert("name".into(), json!(format!("{} (fork)", src.name())));
        }
        let mut c = rng.with_ctx(&at, sam, |ctx| coll::import_seed(ctx, &doc));
        c.workspace = workspaces[w_orbit_priv].id.clone();
        c.fork = Some(json!({"label": "Sam's fork", "createdAt": at, "from": src.uid()}));
        seq += 1;
        collections.insert(c.id.clone(), CollEntry { seq, version: 1, c });
    }

    // Environments with default and secret variables.
    let mut environments = BTreeMap::new();
    let env_specs = [
        (
            w_orbit,
            taylor,
            "Orbit Staging",
            "https://staging.orbit.example",
        ),
        (
            w_orbit,
            sam,
            "Orbit Production",
            "https://api.orbit.example",
        ),
        (w_taylor, taylor, "Local", "http://localhost:3000"),
        (w_nimbus, alex, "Nimbus Dev", "https://dev.nimbus.example"),
        (
            w_orbit_priv,
            sam,
            "Orbit Private QA",
            "https://qa.orbit.example",
        ),
        (w_jordan, jordan, "Jordan Sandbox", "https://jordan.example"),
    ];
    for (i, (wi, owner, name, url)) in env_specs.into_iter().enumerate() {
        let at = iso(base + 60 * DAY_MS + i as i64 * DAY_MS);
        let secret = format!("sk_{}", rng.hex(24));
        let body = json!({"environment": {"name": name, "values": [
            {"key": "baseUrl", "value": url, "enabled": true, "type": "default"},
            {"key": "apiToken", "value": secret, "enabled": true, "type": "secret", "description": "Bearer token for the API."},
            {"key": "timeoutMs", "value": "5000", "enabled": false, "type": "default"},
        ]}});
        if let Ok(mut e) = rng.with_ctx(&at, owner, |ctx| envs::create(ctx, &body)) {
            e.workspace = workspaces[wi].id.clone();
            seq += 1;
            environments.insert(e.id.clone(), EnvEntry { seq, e });
        }
    }

    let mut st = State {
        seed,
        rng,
        teams,
        users,
        api_keys,
        seeded_api_keys,
        workspaces,
        access_keys: Vec::new(),
        access_key_seq: 0,
        collections,
        environments,
        seq,
        monitors: Default::default(),
        monitor_usage: Default::default(),
        mocks: Default::default(),
        mock_usage: Default::default(),
    };

    // Access keys in every state, on collections of the Orbit team workspace and others.
    let uid_in = |st: &State, ws: usize, n: usize| -> Option<String> {
        let v = st.collections_in(&st.workspaces[ws].id);
        v.get(n % v.len().max(1)).map(|e| e.c.uid())
    };
    // (user, workspace, nth collection, created days ago, last used days ago, revoked days ago)
    type KeySpec = (u64, usize, usize, i64, Option<i64>, Option<i64>);
    let specs: [KeySpec; 16] = [
        (taylor, w_orbit, 0, 1, None, None),      // fresh
        (taylor, w_orbit, 1, 10, Some(2), None),  // used
        (taylor, w_orbit, 2, 57, None, None),     // expiring in 3 days
        (taylor, w_orbit, 0, 90, Some(70), None), // expired
        (taylor, w_orbit, 1, 20, None, Some(5)),  // revoked
        (taylor, w_taylor, 0, 3, None, None),
        (taylor, w_taylor, 1, 4, Some(1), None),
        (sam, w_orbit, 2, 6, None, None), // team key (visible to taylor)
        (sam, w_orbit_priv, 0, 7, Some(3), None),
        (sam, w_sam, 0, 8, None, None),
        (taylor, w_orbit, 3, 9, None, None),
        (taylor, w_orbit, 4, 11, None, None),
        (sam, w_orbit, 0, 12, None, Some(1)),
        (alex, w_nimbus, 0, 2, None, None), // other team
        (alex, w_alex, 0, 5, Some(1), None),
        (jordan, w_jordan, 0, 1, None, None), // no team
    ];
    for (i, (user, wi, n, created, used, revoked)) in specs.into_iter().enumerate() {
        let Some(uid) = uid_in(&st, wi, n) else {
            continue;
        };
        let created_at = now - created * DAY_MS;
        let token = from.access_token(i, &mut st.rng);
        let (mut k, token) = st.new_access_key(user, &uid, created_at, token);
        secrets.access_tokens.insert(k.id.clone(), token);
        k.last_used_at = used.map(|d| now - d * DAY_MS);
        k.deleted_at = revoked.map(|d| now - d * DAY_MS);
        k.seeded = true;
        k.updated_at = k.deleted_at.or(k.last_used_at).unwrap_or(created_at);
        if let Some(last) = st.access_keys.last_mut() {
            *last = k;
        }
    }
    (st, secrets)
}

/// The seed's secrets for a loaded state, from `source`. When the state was saved with other
/// seed secrets (those of the seed itself, before an install had its own key, or of a key that
/// is gone), the seed's keys and tokens in it are replaced by `source`'s: the old ones stop
/// working, the new ones work on the same data. `true` with them when the state changed so.
pub fn secrets_for(st: &mut State, source: &SeedSecrets) -> (Secrets, bool) {
    let secrets = build(st.seed, 0, source).1;
    // States saved before the seed's digests were recorded had the seed's own secrets.
    let well_known = build(st.seed, 0, &SeedSecrets::FromSeed).1;
    let mut changed = false;
    for user in st.users.clone() {
        let Some(new) = secrets.users.get(&user.username) else {
            continue;
        };
        let old = st
            .seeded_api_keys
            .get(&user.username)
            .cloned()
            .or_else(|| well_known.users.get(&user.username).map(|k| digest(k)));
        if let Some(old) = old.filter(|old| *old != digest(new)) {
            changed |= st.api_keys.remove(&old).is_some();
        }
        changed |= st.api_keys.insert(digest(new), user.id) != Some(user.id);
        changed |= st.seeded_api_keys.insert(user.username, digest(new)) != Some(digest(new));
    }
    for k in st.access_keys.iter_mut().filter(|k| k.seeded) {
        if let Some(new) = secrets.access_tokens.get(&k.id) {
            let (token_digest, last4) = (digest(new), &new[new.len() - 4..]);
            changed |= k.token_digest != token_digest || k.last4 != last4;
            k.token_digest = token_digest;
            k.last4 = last4.to_owned();
        }
    }
    (secrets, changed)
}
