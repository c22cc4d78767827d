//! Where the key list (metadata only, never a secret) is kept.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{KeysError, KeysFile};

/// Loads and saves the key list.
pub trait MetaStore: Send + Sync {
    fn load(&self) -> Result<KeysFile, KeysError>;
    fn save(&self, f: &KeysFile) -> Result<(), KeysError>;
}

/// The key list as a JSON file. Writes are atomic (temp file, fsync, rename); a missing file is
/// an empty list; a file that does not parse is reported and left untouched.
pub struct JsonFileStore {
    path: PathBuf,
}

impl JsonFileStore {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn fail(&self, what: &str, e: impl std::fmt::Display) -> KeysError {
        KeysError::Store(format!(
            "Postdesk could not {what} its key list {} ({e}).",
            self.path.display()
        ))
    }
}

impl MetaStore for JsonFileStore {
    fn load(&self) -> Result<KeysFile, KeysError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(KeysFile::default()),
            Err(e) => return Err(self.fail("read", e)),
        };
        serde_json::from_slice(&bytes).map_err(|e| {
            KeysError::Store(format!(
                "The key list {} is damaged and was left as it is ({e}). Move it away (your keys stay in the keychain) and restart Postdesk to start with an empty list.",
                self.path.display()
            ))
        })
    }

    fn save(&self, f: &KeysFile) -> Result<(), KeysError> {
        let dir = self
            .path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| self.fail("create the folder of", e))?;
        let json = serde_json::to_vec_pretty(f).map_err(|e| self.fail("encode", e))?;
        postdesk_base::files::write_atomic(&self.path, &json).map_err(|e| self.fail("save", e))
    }
}

/// A key list kept in memory (tests, or a session without a data folder).
#[derive(Default)]
pub struct MemoryMetaStore {
    file: Mutex<KeysFile>,
    /// When set, every save fails (to test rollbacks).
    pub fail_saves: std::sync::atomic::AtomicBool,
}

impl MetaStore for MemoryMetaStore {
    fn load(&self) -> Result<KeysFile, KeysError> {
        Ok(self.file.lock().unwrap_or_else(|e| e.into_inner()).clone())
    }

    fn save(&self, f: &KeysFile) -> Result<(), KeysError> {
        if self.fail_saves.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(KeysError::Store("the test store refuses saves".into()));
        }
        *self.file.lock().unwrap_or_else(|e| e.into_inner()) = f.clone();
        Ok(())
    }
}

impl<T: MetaStore + ?Sized> MetaStore for std::sync::Arc<T> {
    fn load(&self) -> Result<KeysFile, KeysError> {
        (**self).load()
    }
    fn save(&self, f: &KeysFile) -> Result<(), KeysError> {
        (**self).save(f)
    }
}
