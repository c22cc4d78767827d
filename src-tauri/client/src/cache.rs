//! Per-key response cache: raw JSON bodies with their fetch time, keyed by request.
//! Fresh entries (younger than the TTL on the client's clock) answer reads with 0 calls; stale or missing ones are
//! refetched; entries survive network failures so the last lists stay readable offline.

use serde::Serialize;
use serde_json::Value;
use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::time::Instant;

/// A read's result and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fetched<T> {
    pub data: T,
    /// Epoch ms when the data was fetched from the API.
    pub fetched_at: u64,
    /// Served from the cache (no call made).
    pub from_cache: bool,
    /// Served from the cache because the API could not be reached (this says why): may be out
    /// of date.
    pub failure: Option<String>,
}

/// Where shown data comes from, for the "fetched at HH:MM" / "could not refresh: … — showing
/// the copy from HH:MM" line under every list and document.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Freshness {
    /// Epoch ms when the data was fetched from the API.
    pub fetched_at: f64,
    /// Served from the cache (no call made for it now).
    pub from_cache: bool,
    /// The refresh failed (this sentence says why) and an older copy is shown.
    pub failure: Option<String>,
}

impl Freshness {
    /// Of data made of several reads (pages): the oldest fetch, the first failure.
    pub fn and(self, other: Freshness) -> Freshness {
        Freshness {
            fetched_at: self.fetched_at.min(other.fetched_at),
            from_cache: self.from_cache && other.from_cache,
            failure: self.failure.or(other.failure),
        }
    }
}

impl<T> Fetched<T> {
    /// Served from the cache because the API could not be reached.
    pub fn offline(&self) -> bool {
        self.failure.is_some()
    }

    /// Where this read's data comes from.
    pub fn freshness(&self) -> Freshness {
        Freshness {
            fetched_at: self.fetched_at as f64,
            from_cache: self.from_cache,
            failure: self.failure.clone(),
        }
    }

    /// The same provenance with other data.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Fetched<U> {
        Fetched {
            data: f(self.data),
            fetched_at: self.fetched_at,
            from_cache: self.from_cache,
            failure: self.failure,
        }
    }
}

/// An entry's answer in the type a reader made of it, shared by every later read of that entry.
pub(crate) type Typed = Arc<dyn Any + Send + Sync>;

/// The typed form of one entry, made once (see [`Entry::typed`]).
#[derive(Default)]
pub(crate) struct TypedSlot(OnceLock<Typed>);

impl std::fmt::Debug for TypedSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "TypedSlot(made)"
        } else {
            "TypedSlot(empty)"
        })
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The answer as parsed JSON, shared: reading a cached answer copies nothing. `None` when
    /// the answer was read straight into its type and only `typed` is kept (the collection list:
    /// a `Value` of 10,000 collections is ~100,000 allocations to make and to free again).
    pub value: Option<Arc<Value>>,
    /// The answer as a typed reader made it (from the body, or from `value`: a 10,000-collection
    /// list takes ~10 ms to read into types; later reads of the same entry share that one).
    pub typed: Arc<TypedSlot>,
    /// Its size: the body as received, or the document's size as JSON when one was given back.
    pub bytes: usize,
    /// When it was stored (monotonic: orders entries against reads in flight).
    pub at: Instant,
    /// When it was fetched (wall clock, epoch ms: ages it, and dates it for the user).
    pub at_ms: u64,
}

impl Entry {
    pub fn is_fresh(&self, ttl: Duration, now_ms: u64) -> bool {
        now_ms >= self.at_ms && u128::from(now_ms - self.at_ms) < ttl.as_millis()
    }

    /// The entry's answer as a `T`: made by `parse` on the first read, shared after (`None`
    /// when it does not parse, or when only another type was kept). A key is read as one type;
    /// another type parses afresh.
    pub fn typed<T: Send + Sync + 'static, E>(
        &self,
        parse: impl FnOnce(&Value) -> Result<T, E>,
    ) -> Option<Arc<T>> {
        if let Some(made) = self.typed.0.get() {
            if let Ok(t) = Arc::clone(made).downcast::<T>() {
                return Some(t);
            }
        }
        let t = Arc::new(parse(self.value.as_ref()?).ok()?);
        let _ = self.typed.0.set(t.clone());
        Some(t)
    }
}

#[derive(Debug)]
pub(crate) struct Cache {
    ttl: Duration,
    map: Mutex<HashMap<String, Entry>>,
    /// Bumped by every invalidation: a fetch that started before one is not stored.
    generation: AtomicU64,
    gates: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl Cache {
    pub fn new(ttl: Duration) -> Self {
        Cache {
            ttl,
            map: Mutex::new(HashMap::new()),
            generation: AtomicU64::new(0),
            gates: Mutex::new(HashMap::new()),
        }
    }
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }
    /// A fresh entry at wall-clock `now_ms`: fetched less than the TTL ago (an entry dated in
    /// the future, after the clock was set back, is not fresh).
    pub fn fresh(&self, key: &str, now_ms: u64) -> Option<Entry> {
        self.lock()
            .get(key)
            .filter(|e| e.is_fresh(self.ttl, now_ms))
            .cloned()
    }
    /// Any entry, however old.
    pub fn any(&self, key: &str) -> Option<Entry> {
        self.lock().get(key).cloned()
    }
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }
    /// The single-flight gate of a key.
    pub fn gate(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut g = self.gates.lock().unwrap_or_else(|p| p.into_inner());
        if g.len() > 256 {
            g.retain(|_, v| Arc::strong_count(v) > 1);
        }
        g.entry(key.to_string()).or_default().clone()
    }
    /// Stores unless an invalidation happened since `generation` was read; `at_ms` is the
    /// wall-clock time of the fetch; `value`: the answer as JSON (`None`: kept typed only),
    /// `typed`: the answer as its reader already made it. The entry it replaces is dropped
    /// after the lock is let go (freeing 10,000 collections holds no other read up).
    pub fn put_if(
        &self,
        key: String,
        (value, typed): (Option<Value>, Option<Typed>),
        bytes: usize,
        generation: u64,
        at_ms: u64,
    ) {
        let mut map = self.lock();
        if self.generation() != generation {
            return;
        }
        let slot = TypedSlot::default();
        if let Some(t) = typed {
            let _ = slot.0.set(t);
        }
        let replaced = map.insert(
            key,
            Entry {
                value: value.map(Arc::new),
                typed: Arc::new(slot),
                bytes,
                at: Instant::now(),
                at_ms,
            },
        );
        drop(map);
        drop(replaced);
    }
    pub fn remove(&self, key: &str) {
        self.lock().remove(key);
    }
    /// Removes the entry of `key` if it is still `value` (not replaced by a newer answer since).
    pub fn remove_this(&self, key: &str, value: &Arc<Value>) {
        let mut map = self.lock();
        if map
            .get(key)
            .and_then(|e| e.value.as_ref())
            .is_some_and(|v| Arc::ptr_eq(v, value))
        {
            map.remove(key);
        }
    }
    /// Drops every entry whose key starts with `prefix` (and, when `containing` is given, also
    /// contains it).
    pub fn invalidate(&self, prefix: &str, containing: Option<&str>) {
        self.lock()
            .retain(|k, _| !(k.starts_with(prefix) && containing.is_none_or(|c| k.contains(c))));
    }
    pub fn clear(&self) {
        let mut map = self.lock();
        self.generation.fetch_add(1, Ordering::SeqCst);
        map.clear();
    }
}
