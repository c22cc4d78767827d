//! The activity log: one entry per HTTP attempt, in a bounded ring, optionally kept by an
//! [`ActivityStore`] (the app's is its history database), exportable as JSON and CSV. Entries
//! carry the key's NAME (given by the caller), never the key; query values of
//! `access_key`/`apikey` are redacted.

use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// One API call attempt; the UI shows it as a row of the Activity view.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "ActivityRow")]
pub struct ActivityEntry {
    /// Epoch ms when the request was sent.
    #[ts(type = "number")]
    pub time: u64,
    pub key_name: String,
    /// Whose call it was ([`postdesk_base::Account::slug`]; empty in logs older than that):
    /// each account sees its own calls.
    #[serde(default)]
    pub account: String,
    pub method: String,
    /// Path and query, secrets redacted.
    pub path: String,
    /// HTTP status; `None` when no answer came (network error, timeout).
    pub status: Option<u16>,
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// Response body bytes.
    #[ts(type = "number")]
    pub bytes: u64,
    /// `RateLimit-Remaining` of the answer.
    #[ts(type = "number | null")]
    pub rate_remaining: Option<u64>,
    /// Error code when the attempt failed.
    pub error: Option<String>,
    /// 1 for the first try, 2.. for retries.
    pub attempt: u32,
}

impl ActivityEntry {
    /// Attempt `attempt` of `method path` (secrets already redacted), sent at `time` (epoch ms)
    /// with the key named `key_name`: no answer yet, nothing measured.
    pub fn attempt(time: u64, key_name: &str, method: &str, path: &str, attempt: u32) -> Self {
        ActivityEntry {
            time,
            key_name: key_name.to_owned(),
            method: method.to_owned(),
            path: path.to_owned(),
            attempt,
            ..Default::default()
        }
    }
}

/// Redacts the values of secret-bearing query parameters of a path (`?access_key=…&apikey=…`).
pub fn redact_path(path_and_query: &str) -> String {
    let Some((path, q)) = path_and_query.split_once('?') else {
        return crate::secret::redact(path_and_query);
    };
    let q: Vec<String> = q
        .split('&')
        .map(|kv| match kv.split_once('=') {
            Some((k, _))
                if ["access_key", "apikey", "api_key", "x-api-key"]
                    .contains(&k.to_ascii_lowercase().as_str()) =>
            {
                format!("{k}=REDACTED")
            }
            _ => kv.to_string(),
        })
        .collect();
    crate::secret::redact(&format!("{path}?{}", q.join("&")))
}

/// Where an activity log outlives the process: it gives back the newest entries at start and
/// takes each new one as it is recorded (keeping at most what it was told to).
pub trait ActivityStore: Send + Sync {
    /// The newest `limit` entries, oldest first.
    fn load(&self, limit: usize) -> Result<Vec<ActivityEntry>, String>;
    /// Keeps `entry`. A failure is the store's to report; the entry stays in the ring.
    fn append(&self, entry: &ActivityEntry) -> Result<(), String>;
}

struct Inner {
    ring: VecDeque<ActivityEntry>,
    /// Entries recorded by this process (not loaded from the store): the newest of the ring.
    recorded: usize,
    /// Appends the store refused (shown by [`ActivityLog::store_failures`]).
    store_failures: u64,
}

/// Bounded, optionally persisted log of every call.
pub struct ActivityLog {
    cap: usize,
    store: Option<Arc<dyn ActivityStore>>,
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for ActivityLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActivityLog")
            .field("cap", &self.cap)
            .field("stored", &self.store.is_some())
            .finish()
    }
}

impl ActivityLog {
    /// In memory only, keeping the last `cap` entries.
    pub fn new(cap: usize) -> Self {
        ActivityLog {
            cap: cap.max(1),
            store: None,
            inner: Mutex::new(Inner {
                ring: VecDeque::new(),
                recorded: 0,
                store_failures: 0,
            }),
        }
    }

    /// Kept by `store`: its newest `cap` entries are loaded, every new one is handed to it.
    pub fn with_store(cap: usize, store: Arc<dyn ActivityStore>) -> Result<Self, String> {
        let mut log = ActivityLog::new(cap);
        let loaded = store.load(log.cap)?;
        let inner = log.inner.get_mut().unwrap_or_else(|p| p.into_inner());
        let skip = loaded.len().saturating_sub(log.cap);
        inner.ring.extend(loaded.into_iter().skip(skip));
        log.store = Some(store);
        Ok(log)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn record(&self, e: ActivityEntry) {
        // Stored under the lock, so the store sees the entries in the ring's order.
        let mut inner = self.lock();
        if let Some(store) = &self.store {
            if store.append(&e).is_err() {
                inner.store_failures += 1;
            }
        }
        inner.ring.push_back(e);
        inner.recorded += 1;
        while inner.ring.len() > self.cap {
            inner.ring.pop_front();
        }
    }

    /// How many entries the store refused since start (they are in the ring only).
    pub fn store_failures(&self) -> u64 {
        self.lock().store_failures
    }

    /// Oldest first.
    pub fn entries(&self) -> Vec<ActivityEntry> {
        self.lock().ring.iter().cloned().collect()
    }

    /// The entries this process recorded (this session's calls), oldest first. Told apart by
    /// where they came from, not by their time: a clock set back cannot mix sessions up.
    pub fn session_entries(&self) -> Vec<ActivityEntry> {
        let inner = self.lock();
        let n = inner.recorded.min(inner.ring.len());
        inner
            .ring
            .iter()
            .skip(inner.ring.len() - n)
            .cloned()
            .collect()
    }

    pub fn len(&self) -> usize {
        self.lock().ring.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A JSON array of `entries`.
    pub fn json(entries: &[ActivityEntry]) -> String {
        serde_json::to_string_pretty(entries).unwrap_or_else(|_| "[]".into())
    }

    /// `entries` as CSV (RFC 4180, written by the `csv` crate) with a header row; text cells
    /// are guarded against formula injection (a leading `= + - @` TAB or CR gets a `'`).
    pub fn csv(entries: &[ActivityEntry]) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let opt = |v: Option<u64>| v.map(|x| x.to_string()).unwrap_or_default();
        let rows = std::iter::once(
            [
                "time",
                "keyName",
                "method",
                "path",
                "status",
                "durationMs",
                "bytes",
                "rateRemaining",
                "error",
                "attempt",
            ]
            .map(str::to_owned),
        )
        .chain(entries.iter().map(|e| {
            [
                e.time.to_string(),
                formula_safe(&e.key_name),
                formula_safe(&e.method),
                formula_safe(&e.path),
                opt(e.status.map(u64::from)),
                e.duration_ms.to_string(),
                e.bytes.to_string(),
                opt(e.rate_remaining),
                formula_safe(e.error.as_deref().unwrap_or("")),
                e.attempt.to_string(),
            ]
        }));
        for row in rows {
            // Writing into memory cannot fail.
            let _ = w.write_record(&row);
        }
        w.into_inner()
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default()
    }
}

/// A text cell that a spreadsheet will not run as a formula.
pub fn formula_safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(time: u64, path: &str) -> ActivityEntry {
        let status = Some(200);
        ActivityEntry {
            status,
            ..ActivityEntry::attempt(time, "k", "GET", path, 1)
        }
    }

    /// A store in memory, as a process's successor would find it.
    #[derive(Default)]
    struct Kept(Mutex<Vec<ActivityEntry>>);

    impl ActivityStore for Kept {
        fn load(&self, limit: usize) -> Result<Vec<ActivityEntry>, String> {
            let all = self.0.lock().unwrap();
            Ok(all[all.len().saturating_sub(limit)..].to_vec())
        }
        fn append(&self, entry: &ActivityEntry) -> Result<(), String> {
            self.0.lock().unwrap().push(entry.clone());
            Ok(())
        }
    }

    #[test]
    fn this_sessions_entries_are_the_recorded_ones_whatever_their_time() {
        let store = Arc::new(Kept::default());
        let earlier = ActivityLog::with_store(3, store.clone()).unwrap();
        earlier.record(entry(5_000, "/earlier-1"));
        earlier.record(entry(6_000, "/earlier-2"));
        // The next run starts with its clock set back: its calls are still its own.
        let log = ActivityLog::with_store(3, store.clone()).unwrap();
        assert_eq!(log.len(), 2, "the earlier run's calls are loaded");
        assert!(log.session_entries().is_empty());
        log.record(entry(1_000, "/now-1"));
        assert_eq!(log.session_entries().len(), 1);
        log.record(entry(1_001, "/now-2"));
        log.record(entry(1_002, "/now-3"));
        log.record(entry(1_003, "/now-4"));
        let paths: Vec<String> = log.session_entries().into_iter().map(|e| e.path).collect();
        assert_eq!(paths, ["/now-2", "/now-3", "/now-4"], "bounded by the ring");
        assert_eq!(
            store.0.lock().unwrap().len(),
            6,
            "the store got every entry"
        );
        assert_eq!(log.store_failures(), 0);
    }
    #[test]
    fn csv_and_redaction() {
        assert_eq!(formula_safe("=SUM(A1)"), "'=SUM(A1)");
        let log = ActivityLog::new(10);
        let mut e = entry(1, "/a,\"b\"");
        e.key_name = "-1\n".into();
        log.record(e);
        let csv = ActivityLog::csv(&log.entries());
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some("time,keyName,method,path,status,durationMs,bytes,rateRemaining,error,attempt")
        );
        assert_eq!(
            csv,
            format!(
                "{}\n1,\"'-1\n\",GET,\"/a,\"\"b\"\"\",200,0,0,,,1\n",
                csv.lines().next().unwrap()
            )
        );
        assert_eq!(
            redact_path("/collections/1-2?access_key=PMAT-0123456789&model=minimal&apikey=x"),
            "/collections/1-2?access_key=REDACTED&model=minimal&apikey=REDACTED"
        );
    }
}
