//! The monitors' typed answers and requests (REFERENCE-monitors-mocks.md §1, §2, §7 "For the
//! Rust client"): every response field optional, `owner` a number, `""` read as no cursor,
//! header values that may be `null`, unknown statuses kept as text.

use crate::model::{lenient_opt, lenient_string, lenient_text, null_as_default};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// An item of `GET /monitors`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MonitorSummary {
    #[serde(deserialize_with = "lenient_text")]
    pub id: String,
    #[serde(deserialize_with = "lenient_text")]
    pub name: String,
    #[serde(deserialize_with = "lenient_opt")]
    pub active: Option<bool>,
    #[serde(deserialize_with = "lenient_string")]
    pub uid: Option<String>,
    #[serde(deserialize_with = "lenient_opt")]
    pub owner: Option<i64>,
    #[serde(deserialize_with = "lenient_string")]
    pub collection_uid: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub environment_uid: Option<String>,
}

/// One page of `GET /monitors`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MonitorPage {
    pub monitors: Vec<MonitorSummary>,
    /// `None` on the last page (the API sends `""`).
    pub next_cursor: Option<String>,
}

/// `{total, failed}` of a run's assertions or requests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RunCount {
    #[serde(deserialize_with = "lenient_opt")]
    pub total: Option<u64>,
    #[serde(deserialize_with = "lenient_opt")]
    pub failed: Option<u64>,
}

/// `run.stats` (and `lastRun.stats`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RunStats {
    #[serde(deserialize_with = "lenient_opt")]
    pub assertions: Option<RunCount>,
    #[serde(deserialize_with = "lenient_opt")]
    pub requests: Option<RunCount>,
    #[serde(deserialize_with = "lenient_opt")]
    pub run_count: Option<u64>,
    #[serde(deserialize_with = "lenient_opt")]
    pub error_count: Option<u64>,
    #[serde(deserialize_with = "lenient_opt")]
    pub aborted_count: Option<u64>,
    /// Total time of the run, ms.
    #[serde(deserialize_with = "lenient_opt")]
    pub response_latency: Option<u64>,
    /// Bytes over all regions.
    #[serde(deserialize_with = "lenient_opt")]
    pub response_size: Option<u64>,
}

/// `lastRun` of `GET /monitors/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LastRun {
    /// `success`, `failed`, … (kept as sent).
    #[serde(deserialize_with = "lenient_string")]
    pub status: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub started_at: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub finished_at: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub job_id: Option<String>,
    #[serde(deserialize_with = "lenient_opt")]
    pub stats: Option<RunStats>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MonitorSchedule {
    #[serde(deserialize_with = "lenient_string")]
    pub cron: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub timezone: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub next_run: Option<String>,
}

/// `GET /monitors/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Monitor {
    #[serde(deserialize_with = "lenient_text")]
    pub id: String,
    #[serde(deserialize_with = "lenient_text")]
    pub name: String,
    #[serde(deserialize_with = "lenient_string")]
    pub uid: Option<String>,
    #[serde(deserialize_with = "lenient_opt")]
    pub owner: Option<i64>,
    #[serde(deserialize_with = "lenient_opt")]
    pub active: Option<bool>,
    #[serde(deserialize_with = "lenient_opt")]
    pub notification_limit: Option<u32>,
    #[serde(deserialize_with = "lenient_string")]
    pub collection_uid: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub environment_uid: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub job_id: Option<String>,
    /// `{strictSSL, followRedirects, requestTimeout, requestDelay}` as sent.
    #[serde(deserialize_with = "lenient_opt")]
    pub options: Option<Map<String, Value>>,
    /// `{onError: [{email}], onFailure: [{email}]}` as sent.
    #[serde(deserialize_with = "lenient_opt")]
    pub notifications: Option<Map<String, Value>>,
    #[serde(deserialize_with = "null_as_default")]
    pub distribution: Vec<Value>,
    #[serde(deserialize_with = "lenient_opt")]
    pub schedule: Option<MonitorSchedule>,
    #[serde(deserialize_with = "lenient_opt")]
    pub retry: Option<Map<String, Value>>,
    #[serde(deserialize_with = "lenient_opt")]
    pub last_run: Option<LastRun>,
}

/// The `{id, name, active, uid}` a create, update or delete answers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MonitorRef {
    #[serde(deserialize_with = "lenient_text")]
    pub id: String,
    #[serde(deserialize_with = "lenient_string")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient_opt")]
    pub active: Option<bool>,
    #[serde(deserialize_with = "lenient_string")]
    pub uid: Option<String>,
}

/// `run.info`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RunInfo {
    #[serde(deserialize_with = "lenient_string")]
    pub job_id: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub monitor_id: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub collection_uid: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub environment_uid: Option<String>,
    /// `success`, `failed`, `running`, … (kept as sent).
    #[serde(deserialize_with = "lenient_string")]
    pub status: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub started_at: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub finished_at: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub message: Option<String>,
}

/// A header map of a run's request or response: values may be `null`.
pub type RunHeaders = BTreeMap<String, Option<String>>;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ExecutionRequest {
    #[serde(deserialize_with = "lenient_string")]
    pub method: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub url: Option<String>,
    #[serde(deserialize_with = "lenient_opt")]
    pub headers: Option<RunHeaders>,
    #[serde(deserialize_with = "lenient_string")]
    pub timestamp: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ExecutionResponse {
    #[serde(deserialize_with = "lenient_opt")]
    pub code: Option<u16>,
    #[serde(deserialize_with = "lenient_opt")]
    pub response_time: Option<u64>,
    #[serde(deserialize_with = "lenient_opt")]
    pub response_size: Option<u64>,
    #[serde(deserialize_with = "lenient_opt")]
    pub headers: Option<RunHeaders>,
}

/// `{name}` of the collection item an execution ran.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ExecutionItem {
    #[serde(deserialize_with = "lenient_text")]
    pub name: String,
}

/// One request of a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Execution {
    #[serde(deserialize_with = "lenient_opt")]
    pub id: Option<u64>,
    pub item: ExecutionItem,
    #[serde(deserialize_with = "lenient_opt")]
    pub request: Option<ExecutionRequest>,
    /// `None`: no answer (see `errors`).
    #[serde(deserialize_with = "lenient_opt")]
    pub response: Option<ExecutionResponse>,
    /// Test name → passed (the v1 API's form, which the sandbox sends).
    #[serde(deserialize_with = "lenient_opt")]
    pub assertions: Option<BTreeMap<String, bool>>,
    #[serde(deserialize_with = "null_as_default")]
    pub errors: Vec<Value>,
}

/// A completed run (`POST /monitors/{id}/run` answered 200).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MonitorRun {
    pub info: RunInfo,
    #[serde(deserialize_with = "lenient_opt")]
    pub stats: Option<RunStats>,
    #[serde(deserialize_with = "null_as_default")]
    pub executions: Vec<Execution>,
    /// `{executionId, name, message}` in the sandbox; untyped in the spec.
    #[serde(deserialize_with = "null_as_default")]
    pub failures: Vec<Value>,
}

/// What `POST /monitors/{id}/run` answered.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum RunAnswer {
    /// 200 with stats and executions: the run is over.
    Finished { run: MonitorRun },
    /// 200 with `info` only (`async=true`), or 202 (over 300 s): read `lastRun` later.
    Started { info: RunInfo },
}

/// One run of the history (`GET /monitors/{id}/executions`, an endpoint the official MCP
/// server uses and the spec does not document: provisional).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MonitorExecution {
    #[serde(deserialize_with = "lenient_text")]
    pub id: String,
    #[serde(deserialize_with = "lenient_string")]
    pub state: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub trigger: Option<String>,
    #[serde(deserialize_with = "lenient_opt")]
    pub results: Option<Map<String, Value>>,
    #[serde(deserialize_with = "lenient_string")]
    pub created_at: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub finished_at: Option<String>,
}

/// What a create or an update sends; `None` fields are not sent (so an update changes only
/// what it names, and `active` is sent only when the user sets it).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MonitorFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Create only (the API refuses to change it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collection: Option<String>,
    /// Create only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule: Option<ScheduleFields>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notification_limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notifications: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Vec<Value>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleFields {
    pub cron: String,
    pub timezone: String,
}
