//! The activity log's home: every API call attempt Postdesk makes, in the history database's
//! `activity` table, so what happened has one home. [`ActivityTable`] is the client's
//! [`ActivityStore`]; the log it replaces (a JSON-lines file) is imported once.

use crate::history::{History, HistoryError};
use postman_client::{ActivityEntry, ActivityStore};
use rusqlite::params;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Appends between two trims of the table to its bound.
const TRIM_EVERY: usize = 64;

const INSERT: &str = "INSERT INTO activity (time, account, key_name, method, path, status,
    duration_ms, bytes, rate_remaining, error, attempt)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

fn clamp(v: u64) -> i64 {
    v.min(i64::MAX as u64) as i64
}

fn insert(stmt: &mut rusqlite::CachedStatement, e: &ActivityEntry) -> rusqlite::Result<usize> {
    stmt.execute(params![
        clamp(e.time),
        e.account,
        e.key_name,
        e.method,
        e.path,
        e.status,
        clamp(e.duration_ms),
        clamp(e.bytes),
        e.rate_remaining.map(clamp),
        e.error,
        e.attempt,
    ])
}

/// The activity table as the client's store: it keeps the newest `keep` entries (a few more
/// between trims).
pub struct ActivityTable {
    history: Arc<History>,
    keep: usize,
    appended: AtomicUsize,
}

impl ActivityTable {
    pub fn new(history: Arc<History>, keep: usize) -> ActivityTable {
        ActivityTable {
            history,
            keep: keep.max(1),
            appended: AtomicUsize::new(0),
        }
    }

    fn trim(&self) -> Result<(), HistoryError> {
        let db = self
            .history
            .activity
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        db.execute(
            "DELETE FROM activity WHERE id <= (SELECT MAX(id) FROM activity) - ?1",
            params![self.keep as i64],
        )?;
        Ok(())
    }

    /// Rows in the table.
    pub fn count(&self) -> Result<usize, HistoryError> {
        let db = self
            .history
            .activity
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let n: i64 = db.query_row("SELECT COUNT(*) FROM activity", [], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// Imports the JSON-lines log of earlier versions at `path` (unreadable lines skipped) in
    /// one transaction, then removes the file. Answers how many entries came in (0: no file).
    pub fn import_file(&self, path: &Path) -> Result<usize, HistoryError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e.into()),
        };
        let entries: Vec<ActivityEntry> = text
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        {
            let mut db = self
                .history
                .activity
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            let tx = db.transaction()?;
            {
                let mut stmt = tx.prepare_cached(INSERT)?;
                for e in &entries {
                    insert(&mut stmt, e)?;
                }
            }
            tx.commit()?;
        }
        self.trim()?;
        std::fs::remove_file(path)?;
        Ok(entries.len())
    }
}

impl ActivityStore for ActivityTable {
    fn load(&self, limit: usize) -> Result<Vec<ActivityEntry>, String> {
        let db = self
            .history
            .activity
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let read = || -> rusqlite::Result<Vec<ActivityEntry>> {
            let mut q = db.prepare_cached(
                "SELECT time, account, key_name, method, path, status, duration_ms, bytes,
                    rate_remaining, error, attempt
                 FROM activity ORDER BY id DESC LIMIT ?1",
            )?;
            let mut rows: Vec<ActivityEntry> = q
                .query_map(params![limit as i64], |r| {
                    let n = |i: usize| -> rusqlite::Result<u64> {
                        Ok(r.get::<_, i64>(i)?.max(0) as u64)
                    };
                    Ok(ActivityEntry {
                        time: n(0)?,
                        account: r.get(1)?,
                        key_name: r.get(2)?,
                        method: r.get(3)?,
                        path: r.get(4)?,
                        status: r.get(5)?,
                        duration_ms: n(6)?,
                        bytes: n(7)?,
                        rate_remaining: r.get::<_, Option<i64>>(8)?.map(|v| v.max(0) as u64),
                        error: r.get(9)?,
                        attempt: r.get(10)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            rows.reverse();
            Ok(rows)
        };
        read().map_err(|e| HistoryError::from(e).to_string())
    }

    fn append(&self, entry: &ActivityEntry) -> Result<(), String> {
        let stored = {
            let db = self
                .history
                .activity
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            db.prepare_cached(INSERT)
                .and_then(|mut stmt| insert(&mut stmt, entry))
                .map_err(|e| HistoryError::from(e).to_string())
        };
        stored?;
        if self.appended.fetch_add(1, Ordering::Relaxed) % TRIM_EVERY == TRIM_EVERY - 1 {
            self.trim().map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(time: u64, path: &str) -> ActivityEntry {
        ActivityEntry {
            status: Some(200),
            rate_remaining: Some(299),
            ..ActivityEntry::attempt(time, "Work", "GET", path, 1)
        }
    }

    fn temp_db(tag: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("postdesk-activity-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir.join("history.db")
    }

    #[test]
    fn the_log_is_kept_bounded_and_read_back_oldest_first_after_a_reopen() {
        let path = temp_db("bounded");
        let table = ActivityTable::new(Arc::new(History::open(&path).unwrap()), 100);
        for i in 0..300u64 {
            table
                .append(&entry(1_000 + i, &format!("/me?n={i}")))
                .unwrap();
        }
        let n = table.count().unwrap();
        assert!((100..100 + TRIM_EVERY).contains(&n), "{n} rows");
        drop(table);
        let again = ActivityTable::new(Arc::new(History::open(&path).unwrap()), 100);
        let back = again.load(3).unwrap();
        let paths: Vec<&str> = back.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["/me?n=297", "/me?n=298", "/me?n=299"]);
        assert_eq!(back[2], entry(1_299, "/me?n=299"), "every field comes back");
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    #[test]
    fn the_old_json_lines_log_is_imported_once_and_removed() {
        let path = temp_db("import");
        let history = Arc::new(History::open(&path).unwrap());
        let file = path.with_file_name("activity.jsonl");
        let lines = [
            serde_json::to_string(&entry(1, "/me")).unwrap(),
            "not json".to_owned(),
            serde_json::to_string(&entry(2, "/collections")).unwrap(),
        ];
        std::fs::write(&file, lines.join("\n")).unwrap();
        let table = ActivityTable::new(history, 10);
        assert_eq!(table.import_file(&file).unwrap(), 2);
        assert!(!file.exists());
        assert_eq!(
            table.import_file(&file).unwrap(),
            0,
            "nothing left to import"
        );
        let back = table.load(10).unwrap();
        assert_eq!(back, [entry(1, "/me"), entry(2, "/collections")]);
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }
}
