//! Optional state file: loaded on start, rewritten atomically (temp file + fsync + rename +
//! directory fsync) a short while after mutations, coalescing bursts.

use crate::shared::{lock, read, Shared};
use crate::state::State;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};

/// How long after a mutation the file is written (bursts coalesce into one write).
pub const DEBOUNCE: Duration = Duration::from_millis(50);

pub struct Persister {
    pub path: PathBuf,
    pub notify: Notify,
    /// Usage counters changed (written at least once a second, not after every request).
    pub usage_dirty: AtomicBool,
}

impl Persister {
    pub fn new(path: PathBuf) -> Self {
        Persister {
            path,
            notify: Notify::new(),
            usage_dirty: AtomicBool::new(false),
        }
    }
}

/// How often pending usage-only changes are written.
pub const USAGE_FLUSH: Duration = Duration::from_secs(1);

#[derive(Serialize, Deserialize)]
struct FileV1 {
    version: u32,
    state: State,
    usage: BTreeMap<String, u64>,
}

#[derive(Serialize)]
struct FileV1Ref<'a> {
    version: u32,
    state: &'a State,
    usage: &'a BTreeMap<String, u64>,
}

/// Loads a state file; `Ok(None)` when it does not exist.
pub fn load(path: &Path) -> std::io::Result<Option<(State, BTreeMap<String, u64>)>> {
    match std::fs::read(path) {
        Ok(bytes) => {
            let f: FileV1 = serde_json::from_slice(&bytes)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
            Ok(Some((f.state, f.usage)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

fn snapshot(sh: &Shared) -> Vec<u8> {
    let usage = lock(&sh.limiter).usage.clone();
    let st = read(&sh.state);
    serde_json::to_vec(&FileV1Ref {
        version: 1,
        state: &st,
        usage: &usage,
    })
    .unwrap_or_default()
}

/// The one atomic, owner-only write (`postdesk_base::files`), into a folder that may not exist.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    postdesk_base::files::write_atomic(path, bytes)
}

/// Writes the state file now.
pub fn flush(sh: &Shared, p: &Persister) -> std::io::Result<()> {
    p.usage_dirty.store(false, Ordering::Relaxed);
    let bytes = snapshot(sh);
    write_atomic(&p.path, &bytes)
}

/// Background writer: waits for a mutation, lets the burst settle, writes; a final write on stop.
pub async fn run(sh: Arc<Shared>, p: Arc<Persister>, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = p.notify.notified() => {}
            _ = tokio::time::sleep(USAGE_FLUSH) => {
                if !p.usage_dirty.load(Ordering::Relaxed) {
                    continue;
                }
            }
            _ = crate::shared::stopped(&mut stop) => break,
        }
        tokio::select! {
            _ = tokio::time::sleep(DEBOUNCE) => {}
            _ = crate::shared::stopped(&mut stop) => break,
        }
        let sh2 = sh.clone();
        let p2 = p.clone();
        let _ = tokio::task::spawn_blocking(move || flush(&sh2, &p2)).await;
    }
    let _ = tokio::task::spawn_blocking(move || flush(&sh, &p)).await;
}
