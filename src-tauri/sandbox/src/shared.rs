//! What every handler can reach ([`Shared`]), the async update task record, and the lock
//! helpers that survive poisoning.

use crate::clock::Clock;
use crate::faults::Fault;
use crate::limits::{Limiter, Limits};
use crate::state::State;
use bytes::Bytes;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::watch;

/// Resolves once the stop flag is set (or its sender is gone).
pub async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await.map(|_| ());
}

/// Locks a mutex, surviving poisoning (a panicked handler must not take the sandbox down).
pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
pub fn read<T>(m: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    m.read().unwrap_or_else(|e| e.into_inner())
}
pub fn write<T>(m: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    m.write().unwrap_or_else(|e| e.into_inner())
}

/// Everything a request handler can reach.
///
/// Lock order (never take an earlier one while holding a later one): `limiter` (alone),
/// `state`, `tasks`, `cache`, `mock_windows`, `mock_cache`.
pub struct Shared {
    pub seed: u64,
    /// Where the seed's secrets come from (a reset derives them again).
    pub seed_secrets: crate::rng::SeedSecrets,
    /// The seed's plaintext keys and tokens (memory only; the state holds digests).
    pub secrets: crate::state::Secrets,
    /// The port it listens on, 127.0.0.1 (requests for another address are refused).
    pub port: u16,
    /// This process's admin token (`X-Sandbox-Token` on `/_sandbox/*`), from the OS random
    /// source at start; never stored.
    pub admin_token: postdesk_base::Secret,
    pub state: RwLock<State>,
    pub tasks: Mutex<HashMap<String, Task>>,
    /// Rendered collection bytes: (id, minimal) → (version, bytes).
    pub cache: Mutex<HashMap<(String, bool), (u64, Bytes)>>,
    /// The large collections the state came with were rendered ahead (once, after the first
    /// list: see `routes::collections`).
    pub rendered_ahead: AtomicBool,
    pub limiter: Mutex<Limiter>,
    pub limits: RwLock<Limits>,
    pub clock: std::sync::Arc<Clock>,
    pub faults: Mutex<Vec<Fault>>,
    pub faults_on: AtomicBool,
    pub task_duration: RwLock<Duration>,
    pub persist: Option<Arc<crate::persist::Persister>>,
    /// Held while scheduled monitor runs are found and run, so a clock move waits for a pass
    /// already under way.
    pub scheduler: tokio::sync::Mutex<()>,
    /// Each mock's rate window: (start, calls) on the sandbox clock.
    pub mock_windows: Mutex<HashMap<String, (i64, u64)>>,
    /// Each mock's prepared examples, keyed by what they were prepared from.
    pub mock_cache: Mutex<HashMap<String, (String, Arc<postman_matching::Mock>)>>,
}

impl Shared {
    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }
    /// Something persisted changed: schedule a (coalesced) write of the state file.
    pub fn dirty(&self) {
        if let Some(p) = &self.persist {
            p.notify.notify_one();
        }
    }
    /// A mock is gone (or the state was replaced): its window and prepared examples go too.
    pub fn forget_mock(&self, id: &str) {
        lock(&self.mock_windows).remove(id);
        lock(&self.mock_cache).remove(id);
    }
    /// Only usage counters changed: written with the next write, or within a second.
    pub fn usage_dirty(&self) {
        if let Some(p) = &self.persist {
            p.usage_dirty.store(true, Ordering::Relaxed);
        }
    }
}

/// An async collection update (`PUT` with `Prefer: respond-async`).
pub struct Task {
    pub collection_id: String,
    /// Sandbox-clock epoch ms at which the update is applied (advancing the clock applies it).
    pub due_ms: i64,
    /// The replacement, applied when due; None once settled.
    pub pending: Option<crate::collections::StoredCollection>,
    /// `in-progress`, `successful` or `failed`.
    pub status: &'static str,
}
