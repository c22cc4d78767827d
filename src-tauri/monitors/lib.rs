//! `postdesk-monitors`: what Postdesk adds to the Postman API's monitors. The API keeps only a
//! monitor's last run; [`history`] keeps every run Postdesk sees (SQLite in the data folder),
//! with pass rates, median latency and the recent runs for a sparkline. [`words`] says a cron
//! schedule in words; [`export`] writes a history as CSV or JSON; [`service`] is what the core
//! calls: the list with schedules and last runs, run now, the history refresh (calls per task
//! are in its docs). A plain library (no Tauri).

pub mod activity;
pub mod estimate;
pub mod export;
pub mod history;
pub mod service;
pub mod views;
pub mod words;

pub use activity::ActivityTable;
pub use estimate::MonthEstimate;
pub use history::{History, HistoryError, HistorySummary, RecentRun, RunRecord};
/// The regions a monitor may run in (the form offers them).
pub use postman_schemas::MONITOR_REGIONS as REGIONS;
pub use service::{MonitorList, MonitorRow, Monitors, MonitorsError, RunOutcome};
pub use views::{
    preview, AssertionView, ExecutionView, MonitorInput, MonitorSettings, RunDetails,
    SchedulePreview,
};
pub use words::schedule_in_words;
