//! The stored monitor, the checks of a create or update body, and the monitor's JSON forms
//! (REFERENCE-monitors-mocks.md §1.1–§1.5). Pure: the route module does ids, visibility and
//! the clock.

use crate::clock::iso;
use crate::error::ApiError;
use postman_schemas::schedule::{Invalid, Schedule};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// Stored runs per monitor (the newest kept): the history the execution endpoints list.
pub const HISTORY_MAX: usize = 500;
/// Runs per monitor that keep their executions and failures (older ones keep `info` and
/// `stats`): the state file is rewritten on every change, so it stays small.
pub const DETAILS_MAX: usize = 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredMonitor {
    pub id: String,
    pub owner: u64,
    pub workspace: String,
    pub name: String,
    pub collection_uid: String,
    pub environment_uid: Option<String>,
    pub active: bool,
    pub notification_limit: Option<u64>,
    /// `{"attempts": 1|2}` as sent.
    pub retry: Option<Value>,
    /// `{strictSSL, followRedirects, requestTimeout, requestDelay}`, the keys sent.
    pub options: Map<String, Value>,
    /// `{onError: [{email}], onFailure: [{email}]}`.
    pub notifications: Map<String, Value>,
    /// `[{region}]`.
    pub distribution: Vec<Value>,
    pub cron: String,
    pub timezone: String,
    /// Epoch ms of the next scheduled run (`None`: the pattern never fires again).
    pub next_run: Option<i64>,
    /// Scheduled runs at or before this instant have been considered (run or skipped).
    pub scheduled_through: i64,
    pub job_id: Option<String>,
    /// The last completed run's summary (`lastRun` of `GET /monitors/{id}`).
    pub last_run: Option<Value>,
    /// Completed runs, oldest first, at most [`HISTORY_MAX`].
    #[serde(default)]
    pub runs: Vec<StoredRun>,
    pub created_at: i64,
    /// Creation order (the list's order).
    pub seq: u64,
}

/// One completed run, as the sandbox keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredRun {
    pub job_id: String,
    /// `manual` or `scheduled`.
    pub trigger: String,
    pub started_at: i64,
    pub finished_at: i64,
    /// The whole `run` object as `POST /monitors/{id}/run` answered it.
    pub run: Value,
}

impl StoredMonitor {
    pub fn uid(&self) -> String {
        format!("{}-{}", self.owner, self.id)
    }

    /// The parsed schedule (it was checked when it was set).
    pub fn schedule(&self) -> Option<Schedule> {
        Schedule::stored(&self.cron, &self.timezone)
    }

    /// Item of `GET /monitors`.
    pub fn summary(&self) -> Value {
        let mut m = json!({"id": self.id, "name": self.name, "active": self.active,
            "uid": self.uid(), "owner": self.owner, "collectionUid": self.collection_uid});
        if let Some(e) = &self.environment_uid {
            m["environmentUid"] = json!(e);
        }
        m
    }

    /// `{"monitor":{id, name, active, uid}}`: the create and update answer.
    pub fn short_body(&self) -> Value {
        json!({"monitor": {"id": self.id, "name": self.name, "active": self.active,
            "uid": self.uid()}})
    }

    /// `GET /monitors/{id}`. Absent rather than `null`: `environmentUid`, `jobId`, `lastRun`,
    /// `notificationLimit`, `retry` (§6 #6).
    pub fn full_body(&self) -> Value {
        let mut m = Map::new();
        m.insert("id".into(), json!(self.id));
        m.insert("name".into(), json!(self.name));
        m.insert("uid".into(), json!(self.uid()));
        m.insert("owner".into(), json!(self.owner));
        m.insert("active".into(), json!(self.active));
        if let Some(n) = self.notification_limit {
            m.insert("notificationLimit".into(), json!(n));
        }
        m.insert("collectionUid".into(), json!(self.collection_uid));
        if let Some(e) = &self.environment_uid {
            m.insert("environmentUid".into(), json!(e));
        }
        if let Some(j) = &self.job_id {
            m.insert("jobId".into(), json!(j));
        }
        m.insert("options".into(), Value::Object(self.full_options()));
        let list = |k: &str| self.notifications.get(k).cloned().unwrap_or(json!([]));
        m.insert(
            "notifications".into(),
            json!({"onError": list("onError"), "onFailure": list("onFailure")}),
        );
        m.insert("distribution".into(), json!(self.distribution));
        let mut schedule = json!({"cron": self.cron, "timezone": self.timezone});
        if let Some(n) = self.next_run {
            schedule["nextRun"] = json!(iso(n));
        }
        m.insert("schedule".into(), schedule);
        if let Some(r) = &self.retry {
            m.insert("retry".into(), r.clone());
        }
        if let Some(l) = &self.last_run {
            m.insert("lastRun".into(), l.clone());
        }
        json!({"monitor": m})
    }

    /// `options` with the defaults of a monitor created without them.
    pub fn full_options(&self) -> Map<String, Value> {
        let mut o = Map::new();
        for (k, default) in [
            ("strictSSL", json!(true)),
            ("followRedirects", json!(true)),
            ("requestTimeout", json!(0)),
            ("requestDelay", json!(0)),
        ] {
            o.insert(k.into(), self.options.get(k).cloned().unwrap_or(default));
        }
        o
    }

    /// How many regions a run fans out to (one when none is chosen).
    pub fn regions(&self) -> usize {
        self.distribution.len().max(1)
    }

    /// Stores a completed run: `lastRun`, `jobId`, and the history (bounded).
    pub fn record(&mut self, run: StoredRun) {
        let info = &run.run["run"]["info"];
        let stats = run.run["run"]["stats"].clone();
        self.last_run = Some(json!({
            "status": info["status"],
            "startedAt": info["startedAt"],
            "finishedAt": info["finishedAt"],
            "jobId": run.job_id,
            "stats": stats,
        }));
        self.job_id = Some(run.job_id.clone());
        self.runs.push(run);
        if self.runs.len() > HISTORY_MAX {
            let extra = self.runs.len() - HISTORY_MAX;
            self.runs.drain(..extra);
        }
        if let Some(old) = self.runs.len().checked_sub(DETAILS_MAX + 1) {
            if let Some(r) = self.runs[old].run["run"].as_object_mut() {
                r.remove("executions");
                r.remove("failures");
            }
        }
    }
}

fn missing(param: &str) -> ApiError {
    ApiError::new(
        400,
        json!({"error": {"name": "paramMissingError",
            "message": "Parameter is missing in the request.", "details": {"param": [param]}}}),
    )
}

/// `invalidParamsError` naming the parameter (the documented form for `schedule.timezone`,
/// used for every value out of its documented range).
pub fn invalid(param: &str) -> ApiError {
    ApiError::new(
        400,
        json!({"error": {"name": "invalidParamsError",
            "message": "The request had invalid parameters", "details": {"param": param}}}),
    )
}

fn cron_not_allowed(pattern: &str) -> ApiError {
    ApiError::new(
        400,
        json!({"error": {"name": "cronPatternNotAllowedError",
            "message": "Invalid cron pattern. Enter a valid cron pattern, such as \"0 17 * * *\"",
            "details": {"pattern": pattern}}}),
    )
}

/// The `monitor` object of a body (400 when the body has none).
pub fn monitor_of(body: &Value) -> Result<&Map<String, Value>, ApiError> {
    body.get("monitor")
        .and_then(Value::as_object)
        .ok_or_else(|| missing("monitor"))
}

/// What a create body asks for, checked (the collection and environment are looked up by the
/// caller, which knows who may see them).
#[derive(Debug, Clone, PartialEq)]
pub struct NewMonitor {
    pub name: String,
    pub collection: String,
    pub environment: Option<String>,
    pub settings: Settings,
}

/// The fields a create and an update share, each `None` when not sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    pub name: Option<String>,
    pub active: Option<bool>,
    pub notification_limit: Option<u64>,
    pub retry: Option<Value>,
    pub options: Option<Map<String, Value>>,
    pub notifications: Option<Map<String, Value>>,
    pub distribution: Option<Vec<Value>>,
    /// `(cron, timezone)`.
    pub schedule: Option<(String, String)>,
}

/// The timezone of a schedule sent without one.
pub const DEFAULT_TIMEZONE: &str = "UTC";

fn int_in(v: &Value, lo: u64, hi: u64) -> Option<u64> {
    let n = v.as_f64()?;
    (n.fract() == 0.0 && n >= lo as f64 && n <= hi as f64).then_some(n as u64)
}

fn emails(v: &Value, param: &str) -> Result<Value, ApiError> {
    let list = v.as_array().ok_or_else(|| invalid(param))?;
    if list.len() > 5 {
        return Err(invalid(param));
    }
    for e in list {
        let ok = e.get("email").and_then(Value::as_str).is_some_and(|s| {
            s.len() <= 254
                && s.split_once('@')
                    .is_some_and(|(a, b)| !a.is_empty() && b.contains('.'))
        });
        if !ok {
            return Err(invalid(param));
        }
    }
    Ok(v.clone())
}

/// Checks the shared fields of `m` (create and update), the schedule against `now`.
pub fn settings(m: &Map<String, Value>, now: i64) -> Result<Settings, ApiError> {
    let mut s = Settings::default();
    if let Some(v) = m.get("name") {
        let name = v.as_str().map(str::trim).filter(|n| !n.is_empty());
        let name = name
            .filter(|n| n.chars().count() <= 255)
            .ok_or_else(|| invalid("name"))?;
        s.name = Some(name.to_owned());
    }
    if let Some(v) = m.get("active") {
        s.active = Some(v.as_bool().ok_or_else(|| invalid("active"))?);
    }
    if let Some(v) = m.get("notificationLimit") {
        s.notification_limit = Some(int_in(v, 1, 99).ok_or_else(|| invalid("notificationLimit"))?);
    }
    if let Some(v) = m.get("retry") {
        let attempts = v.get("attempts").and_then(|a| int_in(a, 1, 2));
        attempts.ok_or_else(|| invalid("retry.attempts"))?;
        s.retry = Some(json!({"attempts": attempts}));
    }
    if let Some(v) = m.get("options") {
        let o = v.as_object().ok_or_else(|| invalid("options"))?;
        let mut out = Map::new();
        for (k, val) in o {
            let ok = match k.as_str() {
                "strictSSL" | "followRedirects" => val.is_boolean(),
                "requestTimeout" | "requestDelay" => int_in(val, 1, 900_000).is_some(),
                _ => true,
            };
            if !ok {
                return Err(invalid(&format!("options.{k}")));
            }
            if matches!(
                k.as_str(),
                "strictSSL" | "followRedirects" | "requestTimeout" | "requestDelay"
            ) {
                out.insert(k.clone(), val.clone());
            }
        }
        s.options = Some(out);
    }
    if let Some(v) = m.get("notifications") {
        let o = v.as_object().ok_or_else(|| invalid("notifications"))?;
        let mut out = Map::new();
        for k in ["onError", "onFailure"] {
            if let Some(list) = o.get(k) {
                out.insert(k.into(), emails(list, &format!("notifications.{k}"))?);
            }
        }
        s.notifications = Some(out);
    }
    if let Some(v) = m.get("distribution") {
        let list = v.as_array().ok_or_else(|| invalid("distribution"))?;
        let mut out = Vec::new();
        for d in list {
            let r = d.get("region").and_then(Value::as_str);
            let r = r
                .filter(|r| postman_schemas::MONITOR_REGIONS.contains(r))
                .ok_or_else(|| invalid("distribution.region"))?;
            out.push(json!({"region": r}));
        }
        s.distribution = Some(out);
    }
    if let Some(v) = m.get("schedule") {
        let cron = v.get("cron").and_then(Value::as_str).unwrap_or("");
        let tz = match v.get("timezone") {
            None | Some(Value::Null) => DEFAULT_TIMEZONE,
            Some(t) => t.as_str().ok_or_else(|| invalid("schedule.timezone"))?,
        };
        match Schedule::parse(cron, tz, now) {
            Ok(_) => s.schedule = Some((cron.to_owned(), tz.to_owned())),
            Err(Invalid::MissingCron) => return Err(missing("cron")),
            Err(Invalid::Pattern) => return Err(cron_not_allowed(cron)),
            Err(Invalid::Timezone) => return Err(invalid("schedule.timezone")),
        }
    }
    Ok(s)
}

/// Checks a create body's `monitor`: `name`, `collection` and `schedule.cron` are required.
pub fn new_monitor(m: &Map<String, Value>, now: i64) -> Result<NewMonitor, ApiError> {
    let str_of = |k: &str| {
        m.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
    };
    if m.get("name").is_none_or(Value::is_null) {
        return Err(missing("name"));
    }
    let collection = str_of("collection").ok_or_else(|| missing("collection"))?;
    let environment = match m.get("environment") {
        None | Some(Value::Null) => None,
        Some(e) => Some(e.as_str().ok_or_else(|| invalid("environment"))?.to_owned()),
    };
    if m.get("schedule").is_none_or(Value::is_null) {
        return Err(missing("cron"));
    }
    let settings = settings(m, now)?;
    Ok(NewMonitor {
        name: settings.name.clone().unwrap_or_default(),
        collection: collection.to_owned(),
        environment,
        settings,
    })
}

/// Checks an update body: `collection` and `environment` cannot change.
pub fn update(m: &Map<String, Value>, now: i64) -> Result<Settings, ApiError> {
    if m.contains_key("collection") || m.contains_key("environment") {
        return Err(ApiError::new(
            400,
            json!({"error": {"name": "parameterNotAllowedError",
                "message": "The specified parameter cannot be updated.",
                "details": {"param": ["collection", "environment"]}}}),
        ));
    }
    settings(m, now)
}

impl StoredMonitor {
    /// Applies checked settings; a new schedule (or a resumed monitor) computes `nextRun` from
    /// `now`, and runs due before `now` are not owed.
    pub fn apply(&mut self, s: Settings, now: i64) {
        let resumed = s.active == Some(true) && !self.active;
        if let Some(n) = s.name {
            self.name = n;
        }
        if let Some(a) = s.active {
            self.active = a;
        }
        if s.notification_limit.is_some() {
            self.notification_limit = s.notification_limit;
        }
        if s.retry.is_some() {
            self.retry = s.retry;
        }
        if let Some(o) = s.options {
            self.options = o;
        }
        if let Some(n) = s.notifications {
            self.notifications = n;
        }
        if let Some(d) = s.distribution {
            self.distribution = d;
        }
        let rescheduled = s.schedule.is_some();
        if let Some((cron, tz)) = s.schedule {
            self.cron = cron;
            self.timezone = tz;
        }
        if rescheduled || resumed {
            self.scheduled_through = now;
        }
        self.next_run = self
            .schedule()
            .and_then(|s| s.next_after(self.scheduled_through));
    }
}

/// Error when a monitor does not exist (§6 #9).
pub fn not_found() -> ApiError {
    ApiError::classic(
        404,
        "instanceNotFoundError",
        "The specified monitor does not exist.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_774_699_200_000;

    fn body(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn create_requires_name_collection_and_cron_in_that_order() {
        let e = new_monitor(
            &body(json!({"collection": "1-x", "schedule": {"cron": "0 * * * *"}})),
            NOW,
        );
        assert_eq!(
            e.unwrap_err().body["error"]["details"]["param"],
            json!(["name"])
        );
        let e = new_monitor(
            &body(json!({"name": "m", "schedule": {"cron": "0 * * * *"}})),
            NOW,
        );
        assert_eq!(
            e.unwrap_err().body["error"]["details"]["param"],
            json!(["collection"])
        );
        let e = new_monitor(
            &body(json!({"name": "m", "collection": "1-x", "schedule": {}})),
            NOW,
        );
        assert_eq!(
            e.unwrap_err().body["error"]["details"]["param"],
            json!(["cron"])
        );
        let e = new_monitor(&body(json!({"name": "m", "collection": "1-x"})), NOW);
        assert_eq!(
            e.unwrap_err().body["error"]["details"]["param"],
            json!(["cron"])
        );
    }

    #[test]
    fn the_documented_errors_for_cron_and_timezone() {
        let m = body(json!({"name": "m", "collection": "1-x", "schedule": {"cron": "* * * * *"}}));
        let e = new_monitor(&m, NOW).unwrap_err();
        assert_eq!(e.body["error"]["name"], "cronPatternNotAllowedError");
        assert_eq!(e.body["error"]["details"]["pattern"], "* * * * *");
        let m = body(json!({"name": "m", "collection": "1-x",
            "schedule": {"cron": "0 17 * * *", "timezone": "Nowhere/City"}}));
        let e = new_monitor(&m, NOW).unwrap_err();
        assert_eq!(e.body["error"]["details"]["param"], "schedule.timezone");
    }

    #[test]
    fn ranges_of_the_create_schema_are_checked() {
        let base = json!({"name": "m", "collection": "1-x", "schedule": {"cron": "0 * * * *"}});
        for (k, v, param) in [
            ("notificationLimit", json!(100), "notificationLimit"),
            ("retry", json!({"attempts": 3}), "retry.attempts"),
            (
                "options",
                json!({"requestTimeout": 900_001}),
                "options.requestTimeout",
            ),
            ("options", json!({"strictSSL": "yes"}), "options.strictSSL"),
            (
                "distribution",
                json!([{"region": "mars"}]),
                "distribution.region",
            ),
            (
                "notifications",
                json!({"onError": [{"email": "nope"}]}),
                "notifications.onError",
            ),
            ("active", json!("true"), "active"),
        ] {
            let mut b = base.clone();
            b[k] = v;
            let e = new_monitor(&body(b), NOW).unwrap_err();
            assert_eq!(e.body["error"]["details"]["param"], param, "{k}");
        }
    }

    #[test]
    fn the_history_is_bounded_and_only_recent_runs_keep_their_details() {
        let mut m: StoredMonitor = serde_json::from_value(json!({
            "id": "m", "owner": 1, "workspace": "w", "name": "n", "collection_uid": "1-c",
            "environment_uid": null, "active": true, "notification_limit": null, "retry": null,
            "options": {}, "notifications": {}, "distribution": [], "cron": "0 * * * *",
            "timezone": "UTC", "next_run": null, "scheduled_through": 0, "job_id": null,
            "last_run": null, "created_at": 0, "seq": 1}))
        .unwrap();
        for i in 0..(HISTORY_MAX + 5) as i64 {
            m.record(StoredRun {
                job_id: format!("j{i}"),
                trigger: "scheduled".into(),
                started_at: i,
                finished_at: i,
                run: json!({"run": {"info": {"status": "success"}, "stats": {}, "executions": [1], "failures": []}}),
            });
        }
        assert_eq!(m.runs.len(), HISTORY_MAX);
        assert_eq!(m.runs[0].job_id, "j5", "the oldest went");
        let with = m
            .runs
            .iter()
            .filter(|r| r.run["run"].get("executions").is_some())
            .count();
        assert_eq!(with, DETAILS_MAX);
        assert_eq!(
            m.last_run.as_ref().unwrap()["jobId"],
            format!("j{}", HISTORY_MAX + 4)
        );
    }

    #[test]
    fn collection_and_environment_cannot_be_updated() {
        let e = update(&body(json!({"collection": "1-y"})), NOW).unwrap_err();
        assert_eq!(e.body["error"]["name"], "parameterNotAllowedError");
        assert!(update(&body(json!({"active": false})), NOW).is_ok());
    }
}
