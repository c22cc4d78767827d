//! [`DraftStore`]: one file per unsaved edit, written atomically (temp file, fsync, rename), so
//! a crash at any moment leaves either the previous draft or the new one, never half of one.
//! Contents are never logged (environment drafts hold secret values).

use std::io::Write;
use std::path::{Path, PathBuf};

use postdesk_base::SharedClock;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::DraftsError;

/// The drafts folder inside the app's data folder.
pub const DRAFTS_DIR: &str = "drafts";

/// What a draft edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum DraftKind {
    Collection,
    Environment,
}

impl DraftKind {
    pub fn noun(self) -> &'static str {
        match self {
            DraftKind::Collection => "collection",
            DraftKind::Environment => "environment",
        }
    }
}

/// An unsaved edit of a collection or an environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    pub kind: DraftKind,
    /// The collection's uid or the environment's id.
    pub id: String,
    pub name: String,
    /// The server's `updatedAt` when editing started (`None`: unknown, no conflict check).
    pub base_updated_at: Option<String>,
    /// The full edited JSON: the collection document (`{info, item, …}`) or the environment
    /// (`{name, values}`).
    #[ts(type = "unknown")]
    pub doc: Value,
    /// Epoch ms of the last local save of the draft.
    pub saved_at_ms: f64,
    /// Fingerprint of the base collection's tree (everything but `info`, `variable`, `auth`,
    /// `event`), see [`tree_digest`]: when the draft's tree still has it, only collection-level
    /// parts changed and a PATCH is enough. `None`: always PUT.
    #[serde(default)]
    pub base_digest: Option<String>,
}

impl Draft {
    /// A draft that starts from the server's document: the collection (`{info, item, …}`, as in
    /// `Collection::raw`) or the environment (`{id, name, values, updatedAt, …}`).
    pub fn from_server(kind: DraftKind, id: &str, server: &Value) -> Draft {
        Draft::from_server_owned(kind, id, server.clone())
    }

    /// [`Draft::from_server`] taking the document (no copy of a big collection).
    pub fn from_server_owned(kind: DraftKind, id: &str, server: Value) -> Draft {
        let mut d = Draft::from_server_undigested(kind, id, server);
        d.digest_base();
        d
    }

    /// [`Draft::from_server_owned`] without the tree's digest: the caller takes it with
    /// [`Draft::digest_base`] before the document's first change (so a 20 MB collection is
    /// walked when it is first edited, not each time it is opened).
    pub fn from_server_undigested(kind: DraftKind, id: &str, server: Value) -> Draft {
        let s = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
        let (name, updated_at) = match kind {
            DraftKind::Collection => {
                let info = server.get("info");
                (
                    s(info.and_then(|i| i.get("name"))),
                    s(info.and_then(|i| i.get("updatedAt"))),
                )
            }
            DraftKind::Environment => (s(server.get("name")), s(server.get("updatedAt"))),
        };
        Draft {
            kind,
            id: id.to_owned(),
            name: name.unwrap_or_default(),
            base_updated_at: updated_at,
            doc: server,
            saved_at_ms: 0.0,
            base_digest: None,
        }
    }

    /// Takes the digest of a collection's tree as the server's ([`tree_digest`]) when it has
    /// none: call it while the document is still the server's.
    pub fn digest_base(&mut self) {
        if self.kind == DraftKind::Collection && self.base_digest.is_none() {
            self.base_digest = Some(tree_digest(&self.doc));
        }
    }
}

/// Parts of a collection that PATCH can change.
pub(crate) const COLLECTION_LEVEL: [&str; 5] = ["info", "variable", "auth", "event", "events"];

/// A stable fingerprint (FNV-1a 64 over a canonical walk, object keys sorted) of a collection
/// document without its collection-level parts. Stable across runs and versions.
pub fn tree_digest(doc: &Value) -> String {
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    match doc.as_object() {
        Some(o) => {
            let mut keys: Vec<&String> = o
                .keys()
                .filter(|k| !COLLECTION_LEVEL.contains(&k.as_str()))
                .collect();
            keys.sort();
            h.byte(b'{');
            for k in keys {
                h.str(k);
                if let Some(v) = o.get(k) {
                    h.value(v);
                }
            }
        }
        None => h.value(doc),
    }
    format!("{:016x}", h.0)
}

struct Fnv(u64);

impl Fnv {
    fn byte(&mut self, b: u8) {
        self.0 ^= u64::from(b);
        self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
    }
    fn str(&mut self, s: &str) {
        for b in (s.len() as u64).to_le_bytes() {
            self.byte(b);
        }
        for b in s.bytes() {
            self.byte(b);
        }
    }
    fn value(&mut self, v: &Value) {
        match v {
            Value::Null => self.byte(b'n'),
            Value::Bool(b) => self.byte(if *b { b't' } else { b'f' }),
            Value::Number(n) => {
                self.byte(b'#');
                self.str(&n.to_string());
            }
            Value::String(s) => {
                self.byte(b'"');
                self.str(s);
            }
            Value::Array(a) => {
                self.byte(b'[');
                for (i, x) in a.iter().enumerate() {
                    self.byte(if i == 0 { b'<' } else { b',' });
                    self.value(x);
                }
                self.byte(b']');
            }
            Value::Object(o) => {
                let mut keys: Vec<&String> = o.keys().collect();
                keys.sort();
                self.byte(b'{');
                for k in keys {
                    self.str(k);
                    if let Some(x) = o.get(k) {
                        self.value(x);
                    }
                }
                self.byte(b'}');
            }
        }
    }
}

/// A stored draft's metadata (see [`DraftStore::list_meta`]).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DraftMeta {
    pub kind: DraftKind,
    pub id: String,
    pub name: String,
    pub base_updated_at: Option<String>,
    pub saved_at_ms: f64,
    #[serde(default, rename = "doc")]
    _doc: serde::de::IgnoredAny,
}

/// What [`DraftStore::list`] found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DraftListing {
    pub drafts: Vec<Draft>,
    /// One sentence per damaged draft file that was moved aside (kept, never deleted).
    pub set_aside: Vec<String>,
}

/// A writer that counts the bytes it passes on.
struct Counting<W> {
    inner: W,
    n: usize,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.n += n;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The drafts folder.
#[derive(Debug, Clone)]
pub struct DraftStore {
    dir: PathBuf,
    /// Dates each stored draft (`saved_at_ms`).
    clock: SharedClock,
}

/// A file name that is safe on every OS whatever the id: `[A-Za-z0-9-]` kept, the rest as
/// `_XX` hex.
fn file_stem(kind: DraftKind, id: &str) -> String {
    let mut s = String::with_capacity(id.len() + 12);
    s.push_str(kind.noun());
    s.push('-');
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' {
            s.push(b as char);
        } else {
            s.push_str(&format!("_{b:02x}"));
        }
    }
    s
}

impl DraftStore {
    /// Opens (and creates when missing) the folder `dir`, normally `<data dir>/drafts`.
    pub fn open(dir: impl Into<PathBuf>, clock: SharedClock) -> Result<Self, DraftsError> {
        let dir = dir.into();
        postdesk_base::files::private_dir(&dir).map_err(|e| storage(&dir, &e))?;
        Ok(DraftStore { dir, clock })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Moves the draft files lying loose in `from` (drafts kept before they were filed per
    /// account, and damaged ones set aside) into this store's folder; returns how many.
    pub fn adopt_loose_drafts(&self, from: &Path) -> Result<usize, DraftsError> {
        let mut moved = 0;
        for entry in std::fs::read_dir(from).map_err(|e| storage(from, &e))? {
            let path = entry.map_err(|e| storage(from, &e))?.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            // `<stem>.json`, or a damaged one set aside as `<stem>.json.damaged[-N]`.
            let draft_file = name.ends_with(".json") || name.contains(".json.damaged");
            if draft_file && path.is_file() {
                std::fs::rename(&path, self.dir.join(name)).map_err(|e| storage(&path, &e))?;
                moved += 1;
            }
        }
        Ok(moved)
    }

    fn path(&self, kind: DraftKind, id: &str) -> PathBuf {
        self.dir.join(format!("{}.json", file_stem(kind, id)))
    }

    /// Stores the draft (replacing the previous one of the same element), stamping
    /// `saved_at_ms`. Atomic: temp file + fsync + rename (+ fsync of the folder on Unix).
    pub fn put(&self, draft: &Draft) -> Result<Draft, DraftsError> {
        let mut d = draft.clone();
        self.write(&mut d)?;
        Ok(d)
    }

    /// [`DraftStore::put`] without the copy (a 20 MB document is not cloned): stamps
    /// `saved_at_ms` on `d` and returns the number of bytes written.
    pub fn write(&self, d: &mut Draft) -> Result<usize, DraftsError> {
        d.saved_at_ms = self.clock.now_ms() as f64;
        let path = self.path(d.kind, &d.id);
        let mut written = 0;
        // Serialised straight into the temp file: a 20 MB document is never copied in memory.
        postdesk_base::files::write_atomic_with(&path, |w| {
            let mut counting = Counting { inner: w, n: 0 };
            serde_json::to_writer(&mut counting, &*d).map_err(std::io::Error::other)?;
            written = counting.n;
            Ok(())
        })
        .map_err(|e| storage(&path, &e))?;
        Ok(written)
    }

    /// The draft of that element, if any. A damaged file is moved aside and reported.
    pub fn get(&self, kind: DraftKind, id: &str) -> Result<Option<Draft>, DraftsError> {
        let path = self.path(kind, id);
        match std::fs::read(&path) {
            Ok(bytes) => match serde_json::from_slice::<Draft>(&bytes) {
                Ok(d) => Ok(Some(d)),
                Err(e) => {
                    let msg = self.set_aside(&path, &e.to_string());
                    Err(DraftsError::Storage {
                        path: path.display().to_string(),
                        reason: msg,
                    })
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(storage(&path, &e)),
        }
    }

    /// Every stored draft (newest first): what comes back after a restart or a crash. Damaged
    /// files are moved aside as `*.damaged` (kept) and reported in `set_aside`; leftover temp
    /// files of an interrupted write are ignored (the previous draft is still complete).
    pub fn list(&self) -> Result<DraftListing, DraftsError> {
        let (mut drafts, set_aside) = self.read_all::<Draft>()?;
        drafts.sort_by(|a, b| b.saved_at_ms.total_cmp(&a.saved_at_ms));
        Ok(DraftListing { drafts, set_aside })
    }

    /// Every stored draft without its document (the document's bytes are skipped, not
    /// built): what the lists and the "restored drafts" notice need. Newest first; damaged
    /// files are set aside as in [`DraftStore::list`].
    pub fn list_meta(&self) -> Result<(Vec<DraftMeta>, Vec<String>), DraftsError> {
        let (mut metas, aside) = self.read_all::<DraftMeta>()?;
        metas.sort_by(|a, b| b.saved_at_ms.total_cmp(&a.saved_at_ms));
        Ok((metas, aside))
    }

    /// Every `*.json` file of the folder read as `T`; a file that does not parse is set aside
    /// (its sentence in the second list).
    fn read_all<T: serde::de::DeserializeOwned>(
        &self,
    ) -> Result<(Vec<T>, Vec<String>), DraftsError> {
        let mut read = Vec::new();
        let mut aside = Vec::new();
        let entries = std::fs::read_dir(&self.dir).map_err(|e| storage(&self.dir, &e))?;
        for entry in entries {
            let entry = entry.map_err(|e| storage(&self.dir, &e))?;
            let path = entry.path();
            if path.extension().and_then(|x| x.to_str()) != Some("json") {
                continue;
            }
            let parsed = std::fs::read(&path)
                .map_err(|e| e.to_string())
                .and_then(|b| serde_json::from_slice::<T>(&b).map_err(|e| e.to_string()));
            match parsed {
                Ok(d) => read.push(d),
                Err(reason) => aside.push(self.set_aside(&path, &reason)),
            }
        }
        Ok((read, aside))
    }

    /// Forgets the draft (after a successful save, or when the user throws the edit away).
    /// Discarding a draft that does not exist is not an error.
    pub fn discard(&self, kind: DraftKind, id: &str) -> Result<(), DraftsError> {
        let path = self.path(kind, id);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(storage(&path, &e)),
        }
    }

    /// Renames a damaged file to `<name>.damaged` (or `.damaged-N` when taken); returns the
    /// sentence for the user. The contents are never read into a message.
    fn set_aside(&self, path: &Path, reason: &str) -> String {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut aside = self.dir.join(format!("{name}.damaged"));
        let mut n = 1;
        while aside.exists() && n < 1000 {
            aside = self.dir.join(format!("{name}.damaged-{n}"));
            n += 1;
        }
        match std::fs::rename(path, &aside) {
            Ok(()) => format!(
                "The draft file {name} could not be read ({reason}); it was kept as {}.",
                aside.display()
            ),
            Err(e) => format!(
                "The draft file {name} could not be read ({reason}) nor moved aside ({e}); it was left in place."
            ),
        }
    }
}

fn storage(path: &Path, e: &std::io::Error) -> DraftsError {
    DraftsError::Storage {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tmpdir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("postdesk-drafts-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    fn draft(id: &str) -> Draft {
        Draft {
            kind: DraftKind::Environment,
            id: id.into(),
            name: "Env".into(),
            base_updated_at: Some("2026-01-01T00:00:00.000Z".into()),
            doc: json!({"name": "Env", "values": [{"key": "k", "value": "v"}]}),
            saved_at_ms: 0.0,
            base_digest: None,
        }
    }

    #[test]
    fn put_get_list_discard_and_restart() {
        let dir = tmpdir("basic");
        let store = DraftStore::open(&dir, SharedClock::pinned("2026-11-23T10:00:00Z").0).unwrap();
        let d = store.put(&draft("a/b:c")).unwrap();
        assert!(d.saved_at_ms > 0.0);
        let again = DraftStore::open(&dir, SharedClock::pinned("2026-11-23T10:00:00Z").0).unwrap();
        assert_eq!(
            again.get(DraftKind::Environment, "a/b:c").unwrap(),
            Some(d.clone())
        );
        assert_eq!(again.get(DraftKind::Collection, "a/b:c").unwrap(), None);
        assert_eq!(again.list().unwrap().drafts, vec![d]);
        again.discard(DraftKind::Environment, "a/b:c").unwrap();
        again.discard(DraftKind::Environment, "a/b:c").unwrap();
        assert!(again.list().unwrap().drafts.is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_undigested_draft_takes_the_same_digest_later_and_only_once() {
        let doc = json!({"info": {"name": "A", "updatedAt": "2026-11-20T00:00:00Z"}, "item": [{"name": "r"}]});
        let eager = Draft::from_server(DraftKind::Collection, "c", &doc);
        let mut lazy = Draft::from_server_undigested(DraftKind::Collection, "c", doc.clone());
        assert_eq!(lazy.base_digest, None);
        assert_eq!(
            (lazy.name.as_str(), lazy.base_updated_at.as_deref()),
            ("A", Some("2026-11-20T00:00:00Z"))
        );
        lazy.digest_base();
        assert_eq!(lazy, eager);
        // Taken while the document was the server's: a later call does not move it.
        lazy.doc["item"] = json!([]);
        lazy.digest_base();
        assert_eq!(lazy.base_digest, eager.base_digest);
        let mut env =
            Draft::from_server_undigested(DraftKind::Environment, "e", json!({"name": "E"}));
        env.digest_base();
        assert_eq!(env.base_digest, None, "environments have no tree");
    }

    #[test]
    fn tree_digest_ignores_collection_level_parts_and_key_order() {
        let a = json!({"info": {"name": "A"}, "item": [{"name": "r", "id": "1"}], "variable": []});
        let b: Value = serde_json::from_str(
            r#"{"item": [{"id": "1", "name": "r"}], "info": {"name": "B"}, "auth": null}"#,
        )
        .unwrap();
        assert_eq!(tree_digest(&a), tree_digest(&b));
        let c = json!({"info": {"name": "A"}, "item": [{"name": "r2", "id": "1"}]});
        assert_ne!(tree_digest(&a), tree_digest(&c));
        let d = Draft::from_server(DraftKind::Collection, "u", &a);
        assert_eq!(d.name, "A");
        assert_eq!(d.base_digest, Some(tree_digest(&a)));
    }

    #[test]
    fn damaged_files_are_kept_aside_and_reported() {
        let dir = tmpdir("damaged");
        let store = DraftStore::open(&dir, SharedClock::pinned("2026-11-23T10:00:00Z").0).unwrap();
        store.put(&draft("good")).unwrap();
        std::fs::write(dir.join("environment-bad.json"), b"{\"kind\":").unwrap();
        std::fs::write(dir.join("environment-x.json.tmp"), b"half").unwrap();
        let listing = store.list().unwrap();
        assert_eq!(listing.drafts.len(), 1);
        assert_eq!(listing.set_aside.len(), 1, "{:?}", listing.set_aside);
        assert!(listing.set_aside[0].contains("environment-bad.json"));
        assert!(dir.join("environment-bad.json.damaged").exists());
        // get() of a damaged file: an error, and the file is kept aside too.
        std::fs::write(dir.join("environment-bad.json"), b"[]").unwrap();
        assert!(store.get(DraftKind::Environment, "bad").is_err());
        assert!(dir.join("environment-bad.json.damaged-1").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
