//! The run history: every monitor run Postdesk sees, stored once, in one SQLite file in the
//! data folder (WAL, migrations, owner-only, bounded). The Postman API keeps only a monitor's
//! last run; this is the rest.
//!
//! A run is keyed by (account, monitor, job id), so seeing it again (a refresh that finds the
//! same `lastRun`, the history page read twice) stores nothing new, while a run first seen as a
//! summary gains its details when they arrive. Per monitor the newest [`RUNS_KEPT`] runs are
//! kept, the newest [`DETAILS_KEPT`] of them with their requests and assertions.
//!
//! Calls block (SQLite is synchronous): callers run them off the async runtime's threads.

use postman_client::{LastRun, MonitorExecution, MonitorRun};
use rusqlite::{params, Connection, OptionalExtension};
use rusqlite_migration::{Migrations, M};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use ts_rs::TS;

/// Runs kept per monitor (older ones go).
pub const RUNS_KEPT: usize = 10_000;
/// Runs per monitor that keep their details (requests, assertions, failures).
pub const DETAILS_KEPT: usize = 1_000;

/// The schema, one migration per change (append only: a migration that has run is never
/// edited).
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(
            "CREATE TABLE monitor_runs (
            account TEXT NOT NULL,
            monitor_id TEXT NOT NULL,
            job_id TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            finished_at INTEGER,
            status TEXT NOT NULL,
            trigger_kind TEXT,
            assertions_total INTEGER NOT NULL DEFAULT 0,
            assertions_failed INTEGER NOT NULL DEFAULT 0,
            requests_total INTEGER NOT NULL DEFAULT 0,
            requests_failed INTEGER NOT NULL DEFAULT 0,
            errors INTEGER NOT NULL DEFAULT 0,
            latency_ms INTEGER,
            size_bytes INTEGER,
            details TEXT,
            PRIMARY KEY (account, monitor_id, job_id)
        ) WITHOUT ROWID;
        CREATE INDEX monitor_runs_by_time ON monitor_runs (account, monitor_id, started_at DESC);",
        ),
        // The activity log's home (it was a JSON-lines file): one row per API call attempt.
        M::up(
            "CREATE TABLE activity (
            id INTEGER PRIMARY KEY,
            time INTEGER NOT NULL,
            account TEXT NOT NULL,
            key_name TEXT NOT NULL,
            method TEXT NOT NULL,
            path TEXT NOT NULL,
            status INTEGER,
            duration_ms INTEGER NOT NULL,
            bytes INTEGER NOT NULL,
            rate_remaining INTEGER,
            error TEXT,
            attempt INTEGER NOT NULL
        );",
        ),
        // Mock servers' call logs (postdesk-mocks): every call Postdesk reads from the API's
        // call logs or serves itself (a local mock, account `local`), kept past Postman's
        // retention; and whether a mock is private, which the API never says (Postdesk
        // remembers what it set).
        M::up(
            "CREATE TABLE mock_calls (
            account TEXT NOT NULL,
            mock_id TEXT NOT NULL,
            call_id TEXT NOT NULL,
            served_at INTEGER NOT NULL,
            method TEXT NOT NULL,
            path TEXT NOT NULL,
            status INTEGER,
            response_type TEXT,
            response_name TEXT,
            details TEXT,
            PRIMARY KEY (account, mock_id, call_id)
        ) WITHOUT ROWID;
        CREATE INDEX mock_calls_by_time ON mock_calls (account, mock_id, served_at DESC);
        CREATE TABLE mock_access (
            account TEXT NOT NULL,
            mock_id TEXT NOT NULL,
            private INTEGER NOT NULL,
            PRIMARY KEY (account, mock_id)
        ) WITHOUT ROWID;",
        ),
    ])
}

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error(
        "The history database (monitor runs, the activity log) could not be opened or read ({0})."
    )]
    Db(#[from] rusqlite::Error),
    #[error("The run history database could not be brought up to date ({0}).")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("The run history database could not be made private ({0}).")]
    Io(#[from] std::io::Error),
    #[error("A stored run's details do not read ({0}).")]
    Details(#[from] serde_json::Error),
}

/// One run as the history holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunRecord {
    pub monitor_id: String,
    pub job_id: String,
    /// Epoch ms.
    #[ts(type = "number")]
    pub started_at: i64,
    #[ts(type = "number | null")]
    pub finished_at: Option<i64>,
    /// `success`, `failed`, … as the API said.
    pub status: String,
    /// `manual` or `scheduled` when known.
    pub trigger: Option<String>,
    pub assertions_total: u32,
    pub assertions_failed: u32,
    pub requests_total: u32,
    pub requests_failed: u32,
    pub errors: u32,
    /// Total time of the run (the API's `responseLatency`), ms.
    pub latency_ms: Option<u32>,
    #[ts(type = "number | null")]
    pub size_bytes: Option<u64>,
    /// Whether the requests and assertions are stored ([`History::details`]).
    pub has_details: bool,
}

impl RunRecord {
    /// Passed: no failed assertion, no error, and the API said so.
    pub fn passed(&self) -> bool {
        self.status == "success"
    }

    fn base(monitor_id: &str, job_id: &str, started_at: i64, status: &str) -> RunRecord {
        RunRecord {
            monitor_id: monitor_id.to_owned(),
            job_id: job_id.to_owned(),
            started_at,
            finished_at: None,
            status: status.to_owned(),
            trigger: None,
            assertions_total: 0,
            assertions_failed: 0,
            requests_total: 0,
            requests_failed: 0,
            errors: 0,
            latency_ms: None,
            size_bytes: None,
            has_details: false,
        }
    }

    fn with_stats(mut self, stats: Option<&postman_client::RunStats>) -> RunRecord {
        let n = |v: Option<u64>| v.unwrap_or(0).min(u32::MAX as u64) as u32;
        if let Some(s) = stats {
            let a = s.assertions.unwrap_or_default();
            let r = s.requests.unwrap_or_default();
            self.assertions_total = n(a.total);
            self.assertions_failed = n(a.failed);
            self.requests_total = n(r.total);
            self.requests_failed = n(r.failed);
            self.errors = n(s.error_count);
            self.latency_ms = s.response_latency.map(|l| l.min(u32::MAX as u64) as u32);
            self.size_bytes = s.response_size;
        }
        self
    }

    /// A finished run as `POST /monitors/{id}/run` answered it (`None` without a job id or a
    /// start time: nothing to key it by).
    pub fn from_run(monitor_id: &str, run: &MonitorRun, trigger: &str) -> Option<RunRecord> {
        let i = &run.info;
        let started = parse_time(i.started_at.as_deref()?)?;
        let status = i.status.as_deref().unwrap_or("unknown");
        let mut r = RunRecord::base(monitor_id, i.job_id.as_deref()?, started, status)
            .with_stats(run.stats.as_ref());
        r.finished_at = i.finished_at.as_deref().and_then(parse_time);
        r.trigger = Some(trigger.to_owned());
        r.has_details = true;
        Some(r)
    }

    /// A monitor's `lastRun` (a summary: no details).
    pub fn from_last_run(monitor_id: &str, last: &LastRun) -> Option<RunRecord> {
        let started = parse_time(last.started_at.as_deref()?)?;
        let status = last.status.as_deref().unwrap_or("unknown");
        let mut r = RunRecord::base(monitor_id, last.job_id.as_deref()?, started, status)
            .with_stats(last.stats.as_ref());
        r.finished_at = last.finished_at.as_deref().and_then(parse_time);
        Some(r)
    }

    /// An item of the execution history (counts only).
    pub fn from_execution(monitor_id: &str, e: &MonitorExecution) -> Option<RunRecord> {
        let started = parse_time(e.created_at.as_deref()?)?;
        let results = e.results.as_ref();
        let get = |k: &str| results.and_then(|r| r.get(k));
        let status = get("status").and_then(Value::as_str).unwrap_or("unknown");
        let count = |k: &str, f: &str| {
            get(k)
                .and_then(|v| v.get(f))
                .and_then(Value::as_u64)
                .unwrap_or(0) as u32
        };
        let mut r = RunRecord::base(monitor_id, &e.id, started, status);
        r.finished_at = e.finished_at.as_deref().and_then(parse_time);
        r.trigger = e.trigger.clone();
        r.assertions_total = count("assertions", "total");
        r.assertions_failed = count("assertions", "failed");
        r.requests_total = count("requests", "total");
        r.requests_failed = count("requests", "failed");
        r.errors = get("errorCount").and_then(Value::as_u64).unwrap_or(0) as u32;
        r.latency_ms = get("responseLatency")
            .and_then(Value::as_u64)
            .map(|l| l as u32);
        Some(r)
    }
}

fn parse_time(s: &str) -> Option<i64> {
    postdesk_base::clock::parse_rfc3339(s)
}

/// The history database: monitor runs, the activity log and the mocks' call logs.
pub struct History {
    conn: Mutex<Connection>,
    /// A connection of the activity log's own, so recording a call never waits for a long
    /// history query (WAL lets it write while the other reads).
    pub(crate) activity: Mutex<Connection>,
}

impl std::fmt::Debug for History {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("History")
    }
}

const COLUMNS: &str = "monitor_id, job_id, started_at, finished_at, status, trigger_kind,
    assertions_total, assertions_failed, requests_total, requests_failed, errors, latency_ms,
    size_bytes, details IS NOT NULL";

fn row(r: &rusqlite::Row) -> rusqlite::Result<RunRecord> {
    Ok(RunRecord {
        monitor_id: r.get(0)?,
        job_id: r.get(1)?,
        started_at: r.get(2)?,
        finished_at: r.get(3)?,
        status: r.get(4)?,
        trigger: r.get(5)?,
        assertions_total: r.get(6)?,
        assertions_failed: r.get(7)?,
        requests_total: r.get(8)?,
        requests_failed: r.get(9)?,
        errors: r.get(10)?,
        latency_ms: r.get(11)?,
        size_bytes: r.get::<_, Option<i64>>(12)?.map(|s| s.max(0) as u64),
        has_details: r.get(13)?,
    })
}

impl History {
    /// Opens (or creates) the database at `path`, brings its schema up to date and makes the
    /// file the user's alone. A file that is not a database is an error, never overwritten.
    pub fn open(path: &Path) -> Result<History, HistoryError> {
        if let Some(dir) = path.parent() {
            postdesk_base::files::private_dir(dir)?;
        }
        let connect = || -> Result<Connection, rusqlite::Error> {
            let conn = Connection::open(path)?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            conn.pragma_update(None, "foreign_keys", "ON")?;
            conn.busy_timeout(std::time::Duration::from_secs(5))?;
            Ok(conn)
        };
        let mut conn = connect()?;
        migrations().to_latest(&mut conn)?;
        let activity = connect()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for p in [
                path.to_path_buf(),
                path.with_extension("db-wal"),
                path.with_extension("db-shm"),
            ] {
                if p.exists() {
                    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600))?;
                }
            }
        }
        Ok(History {
            conn: Mutex::new(conn),
            activity: Mutex::new(activity),
        })
    }

    fn db(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on the database (for the other tables of this file: the mocks' call logs).
    /// Blocks: call it off the async runtime's threads.
    pub fn with_db<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
    ) -> Result<T, HistoryError> {
        Ok(f(&mut self.db())?)
    }

    /// Stores a run once; `details` (the whole run, JSON) is added to a run stored without
    /// them. Answers whether the run was new.
    pub fn record(
        &self,
        account: &str,
        run: &RunRecord,
        details: Option<&MonitorRun>,
    ) -> Result<bool, HistoryError> {
        let details = details.map(serde_json::to_string).transpose()?;
        let mut db = self.db();
        let tx = db.transaction()?;
        let inserted = tx.execute(
            "INSERT OR IGNORE INTO monitor_runs (account, monitor_id, job_id, started_at,
                finished_at, status, trigger_kind, assertions_total, assertions_failed,
                requests_total, requests_failed, errors, latency_ms, size_bytes, details)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            params![
                account,
                run.monitor_id,
                run.job_id,
                run.started_at,
                run.finished_at,
                run.status,
                run.trigger,
                run.assertions_total,
                run.assertions_failed,
                run.requests_total,
                run.requests_failed,
                run.errors,
                run.latency_ms,
                run.size_bytes.map(|s| s.min(i64::MAX as u64) as i64),
                details,
            ],
        )? == 1;
        if !inserted {
            // Seen before: what it lacked is filled in (details, trigger), nothing replaced.
            tx.execute(
                "UPDATE monitor_runs SET details = COALESCE(details, ?4),
                    trigger_kind = COALESCE(trigger_kind, ?5)
                 WHERE account = ?1 AND monitor_id = ?2 AND job_id = ?3",
                params![account, run.monitor_id, run.job_id, details, run.trigger],
            )?;
        } else {
            prune(&tx, account, &run.monitor_id)?;
        }
        tx.commit()?;
        Ok(inserted)
    }

    /// A monitor's runs, newest first: at most `limit`, started before `before` (epoch ms)
    /// when given (the next page).
    pub fn runs(
        &self,
        account: &str,
        monitor_id: &str,
        limit: usize,
        before: Option<i64>,
    ) -> Result<Vec<RunRecord>, HistoryError> {
        let db = self.db();
        let mut q = db.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM monitor_runs
             WHERE account = ?1 AND monitor_id = ?2 AND started_at < ?3
             ORDER BY started_at DESC, job_id DESC LIMIT ?4"
        ))?;
        let rows = q.query_map(
            params![
                account,
                monitor_id,
                before.unwrap_or(i64::MAX),
                limit as i64
            ],
            row,
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Summaries of every monitor of `account` that has runs: count, passes, median latency
    /// and the last `recent` runs (oldest first, for a sparkline).
    pub fn summaries(
        &self,
        account: &str,
        recent: usize,
    ) -> Result<Vec<(String, HistorySummary)>, HistoryError> {
        let db = self.db();
        let mut ids = db.prepare_cached(
            "SELECT monitor_id, COUNT(*), SUM(status = 'success') FROM monitor_runs
             WHERE account = ?1 GROUP BY monitor_id",
        )?;
        let counts: Vec<(String, u32, u32)> = ids
            .query_map(params![account], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        let mut latencies = db.prepare_cached(
            "SELECT latency_ms FROM monitor_runs
             WHERE account = ?1 AND monitor_id = ?2 AND latency_ms IS NOT NULL
             ORDER BY latency_ms LIMIT 1 OFFSET ?3",
        )?;
        let mut with_latency = db.prepare_cached(
            "SELECT COUNT(*) FROM monitor_runs
             WHERE account = ?1 AND monitor_id = ?2 AND latency_ms IS NOT NULL",
        )?;
        let mut last = db.prepare_cached(
            "SELECT status, latency_ms, started_at FROM monitor_runs
             WHERE account = ?1 AND monitor_id = ?2 ORDER BY started_at DESC LIMIT ?3",
        )?;
        let mut out = Vec::new();
        for (id, runs, passed) in counts {
            let n: i64 = with_latency.query_row(params![account, id], |r| r.get(0))?;
            let median = if n == 0 {
                None
            } else {
                latencies
                    .query_row(params![account, id, (n - 1) / 2], |r| r.get(0))
                    .optional()?
            };
            let mut recent_runs: Vec<RecentRun> = last
                .query_map(params![account, id, recent as i64], |r| {
                    Ok(RecentRun {
                        passed: r.get::<_, String>(0)? == "success",
                        latency_ms: r.get(1)?,
                        started_at: r.get(2)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            recent_runs.reverse();
            out.push((
                id,
                HistorySummary {
                    runs,
                    passed,
                    median_latency_ms: median,
                    recent: recent_runs,
                },
            ));
        }
        Ok(out)
    }

    /// The stored details of one run (the whole run as the API answered it), if kept.
    pub fn details(
        &self,
        account: &str,
        monitor_id: &str,
        job_id: &str,
    ) -> Result<Option<MonitorRun>, HistoryError> {
        let db = self.db();
        let text: Option<Option<String>> = db
            .query_row(
                "SELECT details FROM monitor_runs
                 WHERE account = ?1 AND monitor_id = ?2 AND job_id = ?3",
                params![account, monitor_id, job_id],
                |r| r.get(0),
            )
            .optional()?;
        match text.flatten() {
            Some(t) => Ok(Some(serde_json::from_str(&t)?)),
            None => Ok(None),
        }
    }

    /// Forgets a monitor's runs (the monitor was deleted: Postman deletes its history too).
    pub fn forget_monitor(&self, account: &str, monitor_id: &str) -> Result<usize, HistoryError> {
        Ok(self.db().execute(
            "DELETE FROM monitor_runs WHERE account = ?1 AND monitor_id = ?2",
            params![account, monitor_id],
        )?)
    }
}

/// Keeps the newest [`RUNS_KEPT`] runs of a monitor, the newest [`DETAILS_KEPT`] with details.
fn prune(tx: &rusqlite::Transaction, account: &str, monitor_id: &str) -> rusqlite::Result<()> {
    let nth = |n: usize| -> rusqlite::Result<Option<i64>> {
        tx.query_row(
            "SELECT started_at FROM monitor_runs WHERE account = ?1 AND monitor_id = ?2
             ORDER BY started_at DESC LIMIT 1 OFFSET ?3",
            params![account, monitor_id, n as i64],
            |r| r.get(0),
        )
        .optional()
    };
    if let Some(t) = nth(DETAILS_KEPT)? {
        tx.execute(
            "UPDATE monitor_runs SET details = NULL WHERE account = ?1 AND monitor_id = ?2
             AND started_at <= ?3 AND details IS NOT NULL",
            params![account, monitor_id, t],
        )?;
    }
    if let Some(t) = nth(RUNS_KEPT)? {
        tx.execute(
            "DELETE FROM monitor_runs WHERE account = ?1 AND monitor_id = ?2 AND started_at <= ?3",
            params![account, monitor_id, t],
        )?;
    }
    Ok(())
}

/// A monitor's history at a glance.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HistorySummary {
    pub runs: u32,
    pub passed: u32,
    /// Median of the runs' total time, ms.
    pub median_latency_ms: Option<u32>,
    /// The newest runs, oldest first.
    pub recent: Vec<RecentRun>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecentRun {
    pub passed: bool,
    pub latency_ms: Option<u32>,
    #[ts(type = "number")]
    pub started_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_db(tag: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("postdesk-history-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir.join("history.db")
    }

    fn run(job: &str, at: i64, status: &str, latency: u32) -> RunRecord {
        let mut r = RunRecord::base("m1", job, at, status);
        r.latency_ms = Some(latency);
        r.assertions_total = 2;
        r.assertions_failed = u32::from(status != "success");
        r
    }

    #[test]
    fn a_run_is_stored_once_and_gains_its_details_later() {
        let h = History::open(&temp_db("once")).unwrap();
        let summary = run("j1", 1_000, "failed", 40);
        assert!(h.record("acct", &summary, None).unwrap());
        assert!(
            !h.record("acct", &summary, None).unwrap(),
            "seen again: not new"
        );
        assert!(h.details("acct", "m1", "j1").unwrap().is_none());
        let details = MonitorRun::default();
        assert!(!h.record("acct", &summary, Some(&details)).unwrap());
        assert_eq!(h.details("acct", "m1", "j1").unwrap(), Some(details));
        let runs = h.runs("acct", "m1", 10, None).unwrap();
        assert_eq!(runs.len(), 1);
        assert!(runs[0].has_details);
        assert!(
            h.runs("other", "m1", 10, None).unwrap().is_empty(),
            "accounts are apart"
        );
    }

    #[test]
    fn runs_page_newest_first_and_summaries_give_the_median_and_the_recent_runs() {
        let h = History::open(&temp_db("pages")).unwrap();
        for (i, (status, latency)) in [
            ("success", 10),
            ("failed", 50),
            ("success", 30),
            ("success", 20),
        ]
        .into_iter()
        .enumerate()
        {
            h.record(
                "a",
                &run(&format!("j{i}"), 1_000 * i as i64, status, latency),
                None,
            )
            .unwrap();
        }
        let first = h.runs("a", "m1", 2, None).unwrap();
        assert_eq!(
            first.iter().map(|r| r.job_id.as_str()).collect::<Vec<_>>(),
            ["j3", "j2"]
        );
        let next = h.runs("a", "m1", 2, Some(first[1].started_at)).unwrap();
        assert_eq!(
            next.iter().map(|r| r.job_id.as_str()).collect::<Vec<_>>(),
            ["j1", "j0"]
        );
        let s = h.summaries("a", 3).unwrap();
        assert_eq!(s.len(), 1);
        let (id, sum) = &s[0];
        assert_eq!(id, "m1");
        assert_eq!((sum.runs, sum.passed), (4, 3));
        assert_eq!(
            sum.median_latency_ms,
            Some(20),
            "the lower median of 10, 20, 30, 50"
        );
        let recent: Vec<bool> = sum.recent.iter().map(|r| r.passed).collect();
        assert_eq!(recent, [false, true, true], "the last three, oldest first");
        assert_eq!(h.forget_monitor("a", "m1").unwrap(), 4);
        assert!(h.summaries("a", 3).unwrap().is_empty());
    }

    #[test]
    fn the_history_survives_a_reopen_and_the_file_is_the_users_alone() {
        let path = temp_db("reopen");
        {
            let h = History::open(&path).unwrap();
            h.record("a", &run("j", 5, "failed", 1), None).unwrap();
        }
        let h = History::open(&path).unwrap();
        assert_eq!(h.runs("a", "m1", 10, None).unwrap()[0].status, "failed");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }

    #[test]
    fn a_file_that_is_no_database_is_an_error_and_is_kept() {
        let path = temp_db("garbage");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"not a database, but somebody's file").unwrap();
        let e = History::open(&path).unwrap_err();
        assert!(e.to_string().contains("could not"), "{e}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"not a database, but somebody's file"
        );
    }

    #[test]
    fn the_history_is_bounded_per_monitor() {
        let h = History::open(&temp_db("bounded")).unwrap();
        let details = MonitorRun::default();
        let mut db = h.db();
        // Fill quickly in one transaction, as many runs as are kept, each with details.
        let tx = db.transaction().unwrap();
        for i in 0..RUNS_KEPT as i64 {
            tx.execute(
                "INSERT INTO monitor_runs (account, monitor_id, job_id, started_at, status, details)
                 VALUES ('a', 'm1', ?1, ?2, 'success', '{}')",
                params![format!("j{i}"), i],
            )
            .unwrap();
        }
        tx.commit().unwrap();
        drop(db);
        let newest = run("new", RUNS_KEPT as i64 + 1, "success", 1);
        h.record("a", &newest, Some(&details)).unwrap();
        let kept: i64 = h
            .db()
            .query_row("SELECT COUNT(*) FROM monitor_runs", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, RUNS_KEPT as i64);
        let with_details: i64 = h
            .db()
            .query_row(
                "SELECT COUNT(*) FROM monitor_runs WHERE details IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(with_details, DETAILS_KEPT as i64);
        assert!(h.runs("a", "m1", 1, None).unwrap()[0].job_id == "new");
    }
}
