//! [`Monitors`]: the monitors of an account as Postdesk shows them, and the history it keeps.
//!
//! # Calls per task
//! - the list of a workspace: 1 per 25 monitors, plus 1 `GET /monitors/{id}` per monitor for
//!   its schedule and last run (each cached; `force` asks again). All in the monitors' own
//!   10-per-10-s bucket, so 30 monitors take about 20 s when nothing is cached.
//! - run now: 1 (`POST …/run`, synchronous); when the API answers 202 (over 300 s) or the run
//!   was asked asynchronously, 1 `GET /monitors/{id}` every poll until `lastRun` is the new run.
//! - refresh a monitor's history: 1 per 25 runs of `GET /monitors/{id}/executions` (stops at
//!   the first page whose runs are all stored).
//! - create, update (pause/resume): 1 each; delete: 2 (the name is checked on the server).
//! - the month's estimate (Usage view): the list's calls, from the cache when fresh.
//!
//! The history database is the one the app opened at start ([`Monitors::with_history`]), or
//! opened on first use.

use crate::estimate::{estimate, MonthEstimate};
use crate::history::{History, HistoryError, HistorySummary, RunRecord};
use crate::views::{MonitorSettings, RunDetails};
use crate::words::schedule_in_words;
use postdesk_base::error::{Code, DomainError, MonitorsCode};
use postman_client::{Client, Freshness, Monitor, MonitorFields, MonitorSummary, RunAnswer};
use serde::Serialize;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use ts_rs::TS;

/// The history file in the data folder.
pub const HISTORY_FILE: &str = "history.db";
/// Runs shown per page of a monitor's history.
pub const PAGE: usize = 100;
/// Runs in a list row's sparkline.
pub const SPARK: usize = 30;

#[derive(Debug, thiserror::Error)]
pub enum MonitorsError {
    #[error(transparent)]
    Api(#[from] postman_client::Error),
    #[error("{0} Monitors still work; their history is not kept until it can be opened.")]
    History(#[from] HistoryError),
    #[error("The run started but its result did not arrive within {0} s; it may still finish. Refresh the monitor to see it.")]
    RunPending(u64),
    #[error("The name typed is not the monitor's name; nothing was deleted.")]
    NameMismatch,
    #[error("Postdesk failed while reading the run history ({0}).")]
    Task(String),
    #[error("The history could not be saved ({0}).")]
    Export(String),
}

impl DomainError for MonitorsError {
    fn code(&self) -> Code {
        match self {
            MonitorsError::Api(e) => e.code(),
            MonitorsError::History(_) | MonitorsError::Task(_) => MonitorsCode::History.into(),
            MonitorsError::RunPending(_) => MonitorsCode::RunPending.into(),
            MonitorsError::NameMismatch => MonitorsCode::NameMismatch.into(),
            MonitorsError::Export(_) => MonitorsCode::Export.into(),
        }
    }
}

/// One row of the Monitors view.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MonitorRow {
    pub id: String,
    pub name: String,
    pub active: bool,
    pub collection_uid: Option<String>,
    pub environment_uid: Option<String>,
    pub cron: Option<String>,
    pub timezone: Option<String>,
    /// "every day at 09:00 Europe/Berlin".
    pub schedule: Option<String>,
    /// Epoch ms (the UI shows it in the user's local time).
    #[ts(type = "number | null")]
    pub next_run: Option<i64>,
    pub last_status: Option<String>,
    #[ts(type = "number | null")]
    pub last_run_at: Option<i64>,
    /// What the history says (`None`: no run stored yet).
    pub history: Option<HistorySummary>,
    /// The monitor's details could not be read: the row shows the list's fields only.
    pub detail_error: Option<String>,
    /// Its options (regions, retries, timeouts, e-mails), from its details.
    pub settings: Option<MonitorSettings>,
}

/// The list of a workspace's monitors and where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MonitorList {
    pub rows: Vec<MonitorRow>,
    /// The list call's freshness (a failed refresh shows the copy and says so).
    pub source: Freshness,
}

/// What a run now gave.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunOutcome {
    pub record: RunRecord,
    /// The requests and assertions, when the API sent them (a synchronous run).
    pub details: Option<RunDetails>,
}

/// The monitors domain.
pub struct Monitors {
    path: PathBuf,
    history: OnceLock<Arc<History>>,
    /// How long a run now waits for an asynchronous result, and how often it asks.
    poll: (Duration, Duration),
}

fn ms(iso: Option<&str>) -> Option<i64> {
    iso.and_then(postdesk_base::clock::parse_rfc3339)
}

impl Monitors {
    /// Keeps the history in `data_dir/history.db` (opened on first use).
    pub fn new(data_dir: &std::path::Path) -> Monitors {
        Monitors {
            path: data_dir.join(HISTORY_FILE),
            history: OnceLock::new(),
            poll: (Duration::from_secs(600), Duration::from_secs(5)),
        }
    }

    /// Uses `history`, already open (the app opens it at start for the activity log).
    pub fn with_history(self, history: Arc<History>) -> Monitors {
        let _ = self.history.set(history);
        self
    }

    /// Waits at most `total` for an asynchronous run, asking every `every` (tests shorten it).
    pub fn with_poll(mut self, total: Duration, every: Duration) -> Monitors {
        self.poll = (total, every);
        self
    }

    /// The history, opened on first use (on the blocking pool).
    async fn history(&self) -> Result<Arc<History>, MonitorsError> {
        if let Some(h) = self.history.get() {
            return Ok(h.clone());
        }
        let path = self.path.clone();
        let h = blocking(move || History::open(&path).map(Arc::new)).await?;
        Ok(self.history.get_or_init(|| h).clone())
    }

    /// A workspace's monitors with their schedules, last runs and history; every `lastRun` seen
    /// is stored. A monitor whose details fail to load is listed with the list's fields and why.
    pub async fn list(
        &self,
        client: &Client,
        workspace: Option<&str>,
        force: bool,
    ) -> Result<MonitorList, MonitorsError> {
        let (all, details, source) = with_details(client, workspace, force).await?;
        let account = client.account().to_owned();
        let history = self.history().await?;
        let seen: Vec<RunRecord> = details
            .iter()
            .filter_map(|d| d.as_ref().ok())
            .filter_map(|m| RunRecord::from_last_run(&m.id, m.last_run.as_ref()?))
            .collect();
        let summaries = blocking(move || {
            for r in &seen {
                history.record(&account, r, None)?;
            }
            history.summaries(&account, SPARK)
        })
        .await?;
        let mut by_id: HashMap<String, HistorySummary> = summaries.into_iter().collect();
        let rows = all
            .into_iter()
            .zip(details)
            .map(|(m, d)| {
                let history = by_id.remove(&m.id);
                let mut row = MonitorRow {
                    id: m.id,
                    name: m.name,
                    active: m.active.unwrap_or(true),
                    collection_uid: m.collection_uid,
                    environment_uid: m.environment_uid,
                    cron: None,
                    timezone: None,
                    schedule: None,
                    next_run: None,
                    last_status: None,
                    last_run_at: None,
                    history,
                    detail_error: None,
                    settings: None,
                };
                match d {
                    Ok(full) => fill(&mut row, &full),
                    Err(e) => row.detail_error = Some(e),
                }
                row
            })
            .collect();
        Ok(MonitorList { rows, source })
    }

    /// What the active schedules of every monitor the key can see will add to this month's
    /// `monitor_request_runs` (`usage`: its usage and limit from `/me`). Reads the list and
    /// each monitor from the cache when it is fresh (the calls of [`Monitors::list`] otherwise).
    pub async fn month_estimate(
        &self,
        client: &Client,
        usage: Option<(f64, f64)>,
        now_ms: i64,
    ) -> Result<MonthEstimate, MonitorsError> {
        let (_, details, source) = with_details(client, None, false).await?;
        let known: Vec<Monitor> = details.into_iter().filter_map(Result::ok).collect();
        Ok(estimate(&known, usage, now_ms, source))
    }

    /// Runs a monitor now and stores the result. A synchronous run answers with its requests
    /// and assertions; one that outlasts the API's wait (202) is polled through `lastRun`.
    pub async fn run_now(&self, client: &Client, id: &str) -> Result<RunOutcome, MonitorsError> {
        let account = client.account().to_owned();
        let history = self.history().await?;
        match client.run_monitor(id, true).await? {
            RunAnswer::Finished { run } => {
                let record = RunRecord::from_run(id, &run, "manual").ok_or_else(|| {
                    postman_client::Error::BadResponse("the run has no job id or start time".into())
                })?;
                let details = RunDetails::of(&run);
                let r = record.clone();
                blocking(move || history.record(&account, &r, Some(&run))).await?;
                Ok(RunOutcome {
                    record,
                    details: Some(details),
                })
            }
            RunAnswer::Started { info } => {
                let record = self.wait_for(client, id, info.job_id.as_deref()).await?;
                let r = record.clone();
                blocking(move || history.record(&account, &r, None)).await?;
                Ok(RunOutcome {
                    record,
                    details: None,
                })
            }
        }
    }

    /// Polls `lastRun` until it is the run `job` (or, without a job id, a run newer than the
    /// one before), within the poll bound.
    async fn wait_for(
        &self,
        client: &Client,
        id: &str,
        job: Option<&str>,
    ) -> Result<RunRecord, MonitorsError> {
        let (total, every) = self.poll;
        let before = client.get_monitor(id, true).await?.data.last_run;
        let deadline = tokio::time::Instant::now() + total;
        loop {
            let m = client.get_monitor(id, true).await?.data;
            if let Some(last) = &m.last_run {
                let is_it = match job {
                    Some(j) => last.job_id.as_deref() == Some(j),
                    None => before.as_ref().map(|b| &b.job_id) != Some(&last.job_id),
                };
                if is_it {
                    if let Some(mut r) = RunRecord::from_last_run(id, last) {
                        r.trigger = Some("manual".into());
                        return Ok(r);
                    }
                }
            }
            if tokio::time::Instant::now() + every > deadline {
                return Err(MonitorsError::RunPending(total.as_secs()));
            }
            tokio::time::sleep(every).await;
        }
    }

    /// Reads the API's run history of a monitor (newest first) and stores what is new; stops at
    /// the first page with nothing new. Answers the runs that were new, newest first.
    pub async fn refresh_history(
        &self,
        client: &Client,
        id: &str,
    ) -> Result<Vec<RunRecord>, MonitorsError> {
        let account = client.account().to_owned();
        let history = self.history().await?;
        let mut cursor: Option<String> = None;
        let mut new = Vec::new();
        for _ in 0..400 {
            let (page, next) = client
                .get_monitor_executions(id, cursor.as_deref(), true)
                .await?
                .data;
            let records: Vec<RunRecord> = page
                .iter()
                .filter_map(|e| RunRecord::from_execution(id, e))
                .collect();
            let (h, a) = (history.clone(), account.clone());
            let added = blocking(move || {
                let mut added = Vec::new();
                for r in records {
                    if h.record(&a, &r, None)? {
                        added.push(r);
                    }
                }
                Ok::<_, HistoryError>(added)
            })
            .await?;
            let any = !added.is_empty();
            new.extend(added);
            match next {
                Some(c) if any && Some(&c) != cursor.as_ref() => cursor = Some(c),
                _ => break,
            }
        }
        Ok(new)
    }

    /// Every stored run of a monitor, newest first (for an export).
    pub async fn all_runs(&self, account: &str, id: &str) -> Result<Vec<RunRecord>, MonitorsError> {
        let h = self.history().await?;
        let (a, i) = (account.to_owned(), id.to_owned());
        blocking(move || h.runs(&a, &i, crate::history::RUNS_KEPT, None)).await
    }

    /// A page of a monitor's stored runs, newest first (`before`: epoch ms of the last shown).
    pub async fn runs(
        &self,
        account: &str,
        id: &str,
        before: Option<i64>,
    ) -> Result<Vec<RunRecord>, MonitorsError> {
        let h = self.history().await?;
        let (a, i) = (account.to_owned(), id.to_owned());
        blocking(move || h.runs(&a, &i, PAGE, before)).await
    }

    /// One stored run's requests and assertions, if kept.
    pub async fn details(
        &self,
        account: &str,
        id: &str,
        job: &str,
    ) -> Result<Option<RunDetails>, MonitorsError> {
        let h = self.history().await?;
        let (a, i, j) = (account.to_owned(), id.to_owned(), job.to_owned());
        let run = blocking(move || h.details(&a, &i, &j)).await?;
        Ok(run.as_ref().map(RunDetails::of))
    }

    /// Creates a monitor.
    pub async fn create(
        &self,
        client: &Client,
        workspace: Option<&str>,
        fields: &MonitorFields,
    ) -> Result<String, MonitorsError> {
        Ok(client.create_monitor(workspace, fields).await?.id)
    }

    /// Changes a monitor (pause: `active: Some(false)`).
    pub async fn update(
        &self,
        client: &Client,
        id: &str,
        fields: &MonitorFields,
    ) -> Result<(), MonitorsError> {
        client.update_monitor(id, fields).await?;
        Ok(())
    }

    /// Deletes a monitor once `confirm_name` is its name on the server; its stored history
    /// goes too (Postman deletes it as well).
    pub async fn delete(
        &self,
        client: &Client,
        id: &str,
        confirm_name: &str,
    ) -> Result<(), MonitorsError> {
        let m = client.get_monitor(id, true).await?.data;
        if m.name != confirm_name {
            return Err(MonitorsError::NameMismatch);
        }
        client.delete_monitor(id).await?;
        let h = self.history().await?;
        let (a, i) = (client.account().to_owned(), id.to_owned());
        blocking(move || h.forget_monitor(&a, &i)).await?;
        Ok(())
    }
}

/// Every monitor of `workspace` (all pages) and each one's details (its own call, cached), or
/// why they could not be read; the list's freshness.
async fn with_details(
    client: &Client,
    workspace: Option<&str>,
    force: bool,
) -> Result<(Vec<MonitorSummary>, Vec<Result<Monitor, String>>, Freshness), MonitorsError> {
    let first = client.get_monitors(workspace, None, force).await?;
    let mut source = first.freshness();
    let mut all = first.data.monitors;
    let mut cursor = first.data.next_cursor;
    while let Some(c) = cursor.take() {
        let p = client.get_monitors(workspace, Some(&c), force).await?;
        source = source.and(p.freshness());
        all.extend(p.data.monitors);
        cursor = p.data.next_cursor.filter(|n| *n != c);
    }
    let mut details: Vec<Result<Monitor, String>> = Vec::with_capacity(all.len());
    for m in &all {
        details.push(
            client
                .get_monitor(&m.id, force)
                .await
                .map(|f| f.data)
                .map_err(|e| e.to_string()),
        );
    }
    Ok((all, details, source))
}

fn fill(row: &mut MonitorRow, m: &Monitor) {
    row.active = m.active.unwrap_or(row.active);
    row.settings = Some(MonitorSettings::of(m));
    if let Some(s) = &m.schedule {
        row.cron = s.cron.clone();
        row.timezone = s.timezone.clone();
        row.schedule = s
            .cron
            .as_deref()
            .map(|c| schedule_in_words(c, s.timezone.as_deref().unwrap_or("UTC")));
        row.next_run = ms(s.next_run.as_deref());
    }
    if let Some(l) = &m.last_run {
        row.last_status = l.status.clone();
        row.last_run_at = ms(l.started_at.as_deref());
    }
}

/// Runs blocking history work on tokio's blocking pool (a task that failed: `Task`).
async fn blocking<T: Send + 'static, E: Into<MonitorsError> + Send + 'static>(
    f: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, MonitorsError> {
    postdesk_base::tasks::blocking(f, MonitorsError::Task).await
}
