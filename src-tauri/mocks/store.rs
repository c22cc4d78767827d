//! The call logs Postdesk keeps, in the history database's `mock_calls` table (keyed by
//! account, mock and call id, so reading a page twice stores nothing twice), and the access
//! (private or public) Postdesk set on a mock, which the API never reports (`mock_access`).
//! Per mock the newest [`CALLS_KEPT`] calls stay.
//!
//! Calls block (SQLite): callers run them on the blocking pool.

use crate::views::{Access, CallDetails, CallFilter, CallRow};
use postdesk_monitors::{History, HistoryError};
use rusqlite::{params, OptionalExtension};
use std::sync::Arc;

/// Calls kept per mock.
pub const CALLS_KEPT: usize = 50_000;
/// Rows a read answers at most.
pub const READ_MAX: u32 = 5_000;

/// The account local mocks are kept under.
pub const LOCAL_ACCOUNT: &str = "local";

/// One call with its details, as it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCall {
    pub row: CallRow,
    pub details: Option<CallDetails>,
}

#[derive(Clone)]
pub struct CallStore {
    history: Arc<History>,
}

const COLUMNS: &str =
    "call_id, served_at, method, path, status, response_type, response_name, details IS NOT NULL";

fn row(r: &rusqlite::Row) -> rusqlite::Result<CallRow> {
    Ok(CallRow {
        id: r.get(0)?,
        served_at: r.get(1)?,
        method: r.get(2)?,
        path: r.get(3)?,
        status: r.get(4)?,
        response_type: r.get(5)?,
        response_name: r.get(6)?,
        has_details: r.get(7)?,
    })
}

impl CallStore {
    pub fn new(history: Arc<History>) -> CallStore {
        CallStore { history }
    }

    /// Stores the calls not stored yet (their details added to one stored without); answers
    /// how many were new. Trims the mock's log to [`CALLS_KEPT`].
    pub fn record(
        &self,
        account: &str,
        mock_id: &str,
        calls: &[StoredCall],
    ) -> Result<usize, HistoryError> {
        self.history.with_db(|db| {
            let tx = db.transaction()?;
            let mut new = 0;
            {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO mock_calls (account, mock_id, call_id, served_at, method, path,
                     status, response_type, response_name, details)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                     ON CONFLICT (account, mock_id, call_id) DO UPDATE
                     SET details = COALESCE(mock_calls.details, excluded.details)",
                )?;
                let mut exists = tx.prepare_cached(
                    "SELECT 1 FROM mock_calls WHERE account = ?1 AND mock_id = ?2 AND call_id = ?3",
                )?;
                for c in calls {
                    let known = exists
                        .query_row(params![account, mock_id, c.row.id], |_| Ok(()))
                        .optional()?
                        .is_some();
                    let details = c
                        .details
                        .as_ref()
                        .and_then(|d| serde_json::to_string(d).ok());
                    insert.execute(params![
                        account,
                        mock_id,
                        c.row.id,
                        c.row.served_at,
                        c.row.method,
                        c.row.path,
                        c.row.status,
                        c.row.response_type,
                        c.row.response_name,
                        details,
                    ])?;
                    new += usize::from(!known);
                }
            }
            tx.execute(
                "DELETE FROM mock_calls WHERE account = ?1 AND mock_id = ?2 AND call_id IN (
                   SELECT call_id FROM mock_calls WHERE account = ?1 AND mock_id = ?2
                   ORDER BY served_at DESC, call_id DESC LIMIT -1 OFFSET ?3)",
                params![account, mock_id, CALLS_KEPT as i64],
            )?;
            tx.commit()?;
            Ok(new)
        })
    }

    /// Is this call stored already?
    pub fn knows(&self, account: &str, mock_id: &str, call_id: &str) -> Result<bool, HistoryError> {
        self.history.with_db(|db| {
            Ok(db
                .query_row(
                    "SELECT 1 FROM mock_calls WHERE account = ?1 AND mock_id = ?2 AND call_id = ?3",
                    params![account, mock_id, call_id],
                    |_| Ok(()),
                )
                .optional()?
                .is_some())
        })
    }

    /// The mock's calls matching `f`, newest first.
    pub fn calls(
        &self,
        account: &str,
        mock_id: &str,
        f: &CallFilter,
    ) -> Result<Vec<CallRow>, HistoryError> {
        let limit = f.limit.unwrap_or(1_000).clamp(1, READ_MAX);
        let path = f.path.as_deref().filter(|p| !p.is_empty()).map(|p| {
            format!(
                "%{}%",
                p.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            )
        });
        let method = f.method.as_deref().filter(|m| !m.is_empty());
        self.history.with_db(|db| {
            let sql = format!(
                "SELECT {COLUMNS} FROM mock_calls WHERE account = ?1 AND mock_id = ?2
                 AND (?3 IS NULL OR method = upper(?3))
                 AND (?4 IS NULL OR path LIKE ?4 ESCAPE '\\')
                 AND (?5 IS NULL OR status = ?5)
                 AND (?6 IS NULL OR served_at >= ?6)
                 AND (?7 IS NULL OR served_at <= ?7)
                 ORDER BY served_at DESC, call_id DESC LIMIT ?8"
            );
            let mut stmt = db.prepare_cached(&sql)?;
            let rows = stmt.query_map(
                params![account, mock_id, method, path, f.status, f.since, f.until, limit],
                row,
            )?;
            rows.collect()
        })
    }

    /// Every call of the mock with its details, oldest first (an export).
    pub fn all(&self, account: &str, mock_id: &str) -> Result<Vec<StoredCall>, HistoryError> {
        self.history.with_db(|db| {
            let sql = format!(
                "SELECT {COLUMNS}, details FROM mock_calls WHERE account = ?1 AND mock_id = ?2
                 ORDER BY served_at, call_id"
            );
            let mut stmt = db.prepare_cached(&sql)?;
            let rows = stmt.query_map(params![account, mock_id], |r| {
                let details: Option<String> = r.get(8)?;
                Ok(StoredCall {
                    row: row(r)?,
                    details: details.and_then(|d| serde_json::from_str(&d).ok()),
                })
            })?;
            rows.collect()
        })
    }

    pub fn details(
        &self,
        account: &str,
        mock_id: &str,
        call_id: &str,
    ) -> Result<Option<CallDetails>, HistoryError> {
        let raw: Option<Option<String>> = self.history.with_db(|db| {
            db.query_row(
                "SELECT details FROM mock_calls WHERE account = ?1 AND mock_id = ?2 AND call_id = ?3",
                params![account, mock_id, call_id],
                |r| r.get(0),
            )
            .optional()
        })?;
        Ok(raw.flatten().and_then(|d| serde_json::from_str(&d).ok()))
    }

    /// Calls of the mock since `since` (epoch ms).
    pub fn count_since(
        &self,
        account: &str,
        mock_id: &str,
        since: i64,
    ) -> Result<u32, HistoryError> {
        self.history.with_db(|db| {
            db.query_row(
                "SELECT count(*) FROM mock_calls WHERE account = ?1 AND mock_id = ?2 AND served_at >= ?3",
                params![account, mock_id, since],
                |r| r.get(0),
            )
        })
    }

    /// A deleted mock's log and access go with it.
    pub fn forget(&self, account: &str, mock_id: &str) -> Result<(), HistoryError> {
        self.history.with_db(|db| {
            db.execute(
                "DELETE FROM mock_calls WHERE account = ?1 AND mock_id = ?2",
                params![account, mock_id],
            )?;
            db.execute(
                "DELETE FROM mock_access WHERE account = ?1 AND mock_id = ?2",
                params![account, mock_id],
            )?;
            Ok(())
        })
    }

    pub fn set_access(
        &self,
        account: &str,
        mock_id: &str,
        private: bool,
    ) -> Result<(), HistoryError> {
        self.history.with_db(|db| {
            db.execute(
                "INSERT INTO mock_access (account, mock_id, private) VALUES (?1, ?2, ?3)
                 ON CONFLICT (account, mock_id) DO UPDATE SET private = excluded.private",
                params![account, mock_id, private],
            )?;
            Ok(())
        })
    }

    pub fn access(&self, account: &str, mock_id: &str) -> Result<Access, HistoryError> {
        let private: Option<bool> = self.history.with_db(|db| {
            db.query_row(
                "SELECT private FROM mock_access WHERE account = ?1 AND mock_id = ?2",
                params![account, mock_id],
                |r| r.get(0),
            )
            .optional()
        })?;
        Ok(match private {
            Some(true) => Access::Private,
            Some(false) => Access::Public,
            None => Access::Unknown,
        })
    }
}
