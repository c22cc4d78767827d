//! What crosses IPC for monitors: a run's details as the detail view shows them, what the
//! create/edit form sends, and the schedule builder's preview.

use postman_client::{MonitorFields, MonitorRun, ScheduleFields};
use postman_schemas::schedule::{Invalid, Schedule};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use ts_rs::TS;

/// One assertion of a request.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AssertionView {
    pub name: String,
    pub passed: bool,
    /// Why it failed, as the test said.
    pub message: Option<String>,
}

/// One request of a run.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionView {
    pub name: String,
    pub method: Option<String>,
    pub url: Option<String>,
    /// `None`: no answer (see `errors`).
    pub code: Option<u16>,
    pub time_ms: Option<u32>,
    #[ts(type = "number | null")]
    pub size: Option<u64>,
    pub assertions: Vec<AssertionView>,
    pub errors: Vec<String>,
}

/// A run's requests and assertions.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunDetails {
    pub executions: Vec<ExecutionView>,
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

impl RunDetails {
    /// The details of a run as the API answered it; a failed assertion takes its message from
    /// the run's `failures` (`{executionId, name, message}`).
    pub fn of(run: &MonitorRun) -> RunDetails {
        let executions = run
            .executions
            .iter()
            .map(|e| {
                let message = |name: &str| {
                    run.failures
                        .iter()
                        .find(|f| {
                            f.get("name").and_then(Value::as_str) == Some(name)
                                && f.get("executionId").and_then(Value::as_u64) == e.id
                        })
                        .and_then(|f| f.get("message").and_then(text))
                };
                let assertions = e
                    .assertions
                    .iter()
                    .flatten()
                    .map(|(name, passed)| AssertionView {
                        name: name.clone(),
                        passed: *passed,
                        message: if *passed { None } else { message(name) },
                    })
                    .collect();
                let req = e.request.as_ref();
                let resp = e.response.as_ref();
                ExecutionView {
                    name: e.item.name.clone(),
                    method: req.and_then(|r| r.method.clone()),
                    url: req.and_then(|r| r.url.clone()),
                    code: resp.and_then(|r| r.code),
                    time_ms: resp
                        .and_then(|r| r.response_time)
                        .map(|t| t.min(u32::MAX as u64) as u32),
                    size: resp.and_then(|r| r.response_size),
                    assertions,
                    errors: e
                        .errors
                        .iter()
                        .map(|x| {
                            let name = x
                                .get("name")
                                .and_then(text)
                                .unwrap_or_else(|| "Error".into());
                            let msg = x.get("message").and_then(text).unwrap_or_default();
                            format!("{name}: {msg}")
                        })
                        .collect(),
                }
            })
            .collect();
        RunDetails { executions }
    }
}

/// What the create and edit form sends. On edit, the collection and environment are not sent
/// (the API cannot change them).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(optional_fields)]
pub struct MonitorInput {
    pub name: Option<String>,
    /// Create only: the collection's UID.
    pub collection: Option<String>,
    /// Create only: the environment's UID.
    pub environment: Option<String>,
    pub active: Option<bool>,
    pub cron: Option<String>,
    pub timezone: Option<String>,
    pub regions: Option<Vec<String>>,
    pub retry_attempts: Option<u8>,
    pub request_timeout_ms: Option<u32>,
    pub request_delay_ms: Option<u32>,
    pub strict_ssl: Option<bool>,
    pub follow_redirects: Option<bool>,
    pub notification_limit: Option<u32>,
    pub on_error_emails: Option<Vec<String>>,
    pub on_failure_emails: Option<Vec<String>>,
}

impl MonitorInput {
    /// The API's body fields.
    pub fn fields(&self) -> MonitorFields {
        let mut options = Map::new();
        let mut put = |k: &str, v: Option<Value>| {
            if let Some(v) = v {
                options.insert(k.into(), v);
            }
        };
        put("requestTimeout", self.request_timeout_ms.map(|v| json!(v)));
        put("requestDelay", self.request_delay_ms.map(|v| json!(v)));
        put("strictSSL", self.strict_ssl.map(|v| json!(v)));
        put("followRedirects", self.follow_redirects.map(|v| json!(v)));
        let emails = |l: &Option<Vec<String>>| {
            l.as_ref().map(|l| {
                Value::Array(
                    l.iter()
                        .map(|e| e.trim())
                        .filter(|e| !e.is_empty())
                        .map(|e| json!({"email": e}))
                        .collect(),
                )
            })
        };
        let mut notifications = Map::new();
        if let Some(v) = emails(&self.on_error_emails) {
            notifications.insert("onError".into(), v);
        }
        if let Some(v) = emails(&self.on_failure_emails) {
            notifications.insert("onFailure".into(), v);
        }
        MonitorFields {
            name: self.name.as_ref().map(|n| n.trim().to_owned()),
            collection: self.collection.clone(),
            environment: self.environment.clone().filter(|e| !e.is_empty()),
            active: self.active,
            schedule: self.cron.as_ref().map(|cron| ScheduleFields {
                cron: cron.trim().to_owned(),
                timezone: self.timezone.clone().unwrap_or_else(|| "UTC".into()),
            }),
            notification_limit: self.notification_limit,
            retry: self.retry_attempts.map(|a| json!({"attempts": a})),
            options: (!options.is_empty()).then_some(options),
            notifications: (!notifications.is_empty()).then_some(notifications),
            distribution: self
                .regions
                .as_ref()
                .map(|r| r.iter().map(|r| json!({"region": r})).collect()),
        }
    }
}

/// A monitor's options as the edit form starts from them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MonitorSettings {
    /// Empty: Postman picks (a free plan's only choice).
    pub regions: Vec<String>,
    pub retry_attempts: Option<u8>,
    /// `None`: none set (the API's 0).
    pub request_timeout_ms: Option<u32>,
    pub request_delay_ms: Option<u32>,
    /// Kept as they are by the form (it sends `options` whole: the API replaces the object).
    pub strict_ssl: Option<bool>,
    pub follow_redirects: Option<bool>,
    /// E-mails stop after this many failures in a row (1–99).
    pub notification_limit: Option<u32>,
    pub on_error_emails: Vec<String>,
    pub on_failure_emails: Vec<String>,
}

impl MonitorSettings {
    pub fn of(m: &postman_client::Monitor) -> MonitorSettings {
        let num = |map: Option<&Map<String, Value>>, k: &str| {
            map.and_then(|o| o.get(k))
                .and_then(Value::as_u64)
                .map(|v| v.min(u32::MAX as u64) as u32)
        };
        let emails = |k: &str| -> Vec<String> {
            m.notifications
                .as_ref()
                .and_then(|n| n.get(k))
                .and_then(Value::as_array)
                .map(|l| {
                    l.iter()
                        .filter_map(|e| e.get("email").and_then(Value::as_str))
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
        MonitorSettings {
            regions: m
                .distribution
                .iter()
                .filter_map(|d| d.get("region").and_then(Value::as_str))
                .map(str::to_owned)
                .collect(),
            retry_attempts: num(m.retry.as_ref(), "attempts").map(|a| a.min(u8::MAX as u32) as u8),
            // 0 is the API's "none".
            request_timeout_ms: num(m.options.as_ref(), "requestTimeout").filter(|v| *v > 0),
            request_delay_ms: num(m.options.as_ref(), "requestDelay").filter(|v| *v > 0),
            strict_ssl: m
                .options
                .as_ref()
                .and_then(|o| o.get("strictSSL"))
                .and_then(Value::as_bool),
            follow_redirects: m
                .options
                .as_ref()
                .and_then(|o| o.get("followRedirects"))
                .and_then(Value::as_bool),
            notification_limit: m.notification_limit,
            on_error_emails: emails("onError"),
            on_failure_emails: emails("onFailure"),
        }
    }
}

/// The schedule builder's preview: the pattern in words and its next five runs, or why the API
/// would refuse it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SchedulePreview {
    pub words: Option<String>,
    /// Epoch ms, UTC (the UI shows them in local time and in the monitor's timezone).
    pub next: Vec<f64>,
    pub error: Option<String>,
}

/// The preview of `cron` in `timezone` from `now_ms`.
pub fn preview(cron: &str, timezone: &str, now_ms: i64) -> SchedulePreview {
    match Schedule::parse(cron, timezone, now_ms) {
        Ok(s) => SchedulePreview {
            words: Some(crate::words::schedule_in_words(cron, timezone)),
            next: s.upcoming(now_ms, 5).into_iter().map(|t| t as f64).collect(),
            error: None,
        },
        Err(e) => SchedulePreview {
            words: None,
            next: Vec::new(),
            error: Some(
                match e {
                    Invalid::MissingCron => "Enter a cron pattern, such as \"0 9 * * *\".",
                    Invalid::Pattern => "Not a cron pattern Postman accepts: five fields (minute hour day month weekday), at most every 5 minutes.",
                    Invalid::Timezone => "Not a timezone name (use one such as Europe/Berlin or UTC).",
                }
                .to_owned(),
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_assertion_takes_its_message_from_the_failures() {
        let run: MonitorRun = serde_json::from_value(json!({
            "info": {"jobId": "j"},
            "executions": [{"id": 2, "item": {"name": "broken"},
                "request": {"method": "GET", "url": "http://127.0.0.1/broken"},
                "response": {"code": 500, "responseTime": 4, "responseSize": 4},
                "assertions": {"status is 200": false, "fast": true},
                "errors": [{"name": "Error", "message": "x"}]}],
            "failures": [{"executionId": 2, "name": "status is 200",
                "message": "AssertionError: expected response to have status code 200 but got 500"}]
        }))
        .unwrap();
        let d = RunDetails::of(&run);
        let e = &d.executions[0];
        assert_eq!((e.code, e.time_ms, e.size), (Some(500), Some(4), Some(4)));
        let failed = e.assertions.iter().find(|a| !a.passed).unwrap();
        assert!(failed.message.as_deref().unwrap().contains("got 500"));
        assert!(e
            .assertions
            .iter()
            .find(|a| a.passed)
            .unwrap()
            .message
            .is_none());
        assert_eq!(e.errors, ["Error: x"]);
    }

    #[test]
    fn the_form_sends_only_what_it_has() {
        let input = MonitorInput {
            name: Some(" Daily ".into()),
            cron: Some("0 9 * * *".into()),
            timezone: Some("Europe/Berlin".into()),
            request_timeout_ms: Some(4000),
            on_failure_emails: Some(vec!["a@example.com".into(), " ".into()]),
            ..MonitorInput::default()
        };
        let v = serde_json::to_value(input.fields()).unwrap();
        assert_eq!(
            v,
            json!({"name": "Daily", "schedule": {"cron": "0 9 * * *", "timezone": "Europe/Berlin"},
                "options": {"requestTimeout": 4000},
                "notifications": {"onFailure": [{"email": "a@example.com"}]}})
        );
    }

    #[test]
    fn the_preview_gives_words_and_five_runs_or_why_not() {
        let now = 1_774_699_200_000; // 2026-03-28T12:00:00Z
        let p = preview("0 9 * * *", "UTC", now);
        assert_eq!(p.words.as_deref(), Some("every day at 09:00 UTC"));
        assert_eq!(p.next.len(), 5);
        assert_eq!(p.next[1] - p.next[0], 86_400_000.0);
        let bad = preview("* * * * *", "UTC", now);
        assert!(bad.error.unwrap().contains("5 minutes"));
        assert!(preview("0 9 * * *", "Moon/Base", now)
            .error
            .unwrap()
            .contains("timezone"));
    }
}
