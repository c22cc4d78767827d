//! The Usage view's figures: the account's monthly `api_usage` from `/me`, a projection to the
//! end of the month from the pace so far, and Postdesk's own calls from the activity log (per
//! day this month, and this session's per endpoint). No API call of its own.

use std::collections::BTreeMap;

use postman_client::{ActivityEntry, Fetched, Me};
use serde::Serialize;
use time::{Date, Duration, OffsetDateTime};
use ts_rs::TS;

/// Warnings start at these shares of the monthly allowance.
pub const WARN_AT: f64 = 0.80;
pub const URGENT_AT: f64 = 0.95;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    pub name: String,
    pub limit: f64,
    pub usage: f64,
    pub overage: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CallsOnDay {
    /// `YYYY-MM-DD` (UTC).
    pub day: String,
    pub calls: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EndpointCount {
    /// e.g. `GET /collections/{id}`
    pub endpoint: String,
    pub calls: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UsageSummary {
    pub username: Option<String>,
    pub full_name: Option<String>,
    pub team_name: Option<String>,
    /// `api_usage` of `/me`; `None` when the account does not report it (guest/partner roles).
    pub used: Option<f64>,
    pub limit: Option<f64>,
    pub overage: Option<f64>,
    /// Share of the allowance used, 0..=1 (or more with overage).
    pub share: Option<f64>,
    /// Calls expected by the end of the month at this month's pace so far.
    pub projected: Option<f64>,
    /// `ok`, `warning` (≥ 80 %), `urgent` (≥ 95 %) or `exhausted` (≥ 100 %).
    pub level: String,
    pub operations: Vec<Operation>,
    /// Postdesk's calls per day this month, from the activity log (every day up to today).
    pub calls_per_day: Vec<CallsOnDay>,
    /// This session's calls, by endpoint, most first.
    pub session_by_endpoint: Vec<EndpointCount>,
    /// Where the `/me` answer these figures come from was fetched (or why a refresh failed).
    pub source: postman_client::Freshness,
}

fn at(ms: u64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn month_start(day: Date) -> Date {
    day.replace_day(1).unwrap_or(day)
}

fn next_month_start(day: Date) -> Date {
    let first = month_start(day);
    first + Duration::days(i64::from(first.month().length(first.year())))
}

/// Fraction of the month (UTC) elapsed at `now`, in (0, 1].
fn month_progress(now: OffsetDateTime) -> f64 {
    let start = month_start(now.date()).midnight().assume_utc();
    let end = next_month_start(now.date()).midnight().assume_utc();
    let total = (end - start).as_seconds_f64();
    ((now - start).as_seconds_f64() / total).clamp(1.0 / total, 1.0)
}

/// `GET /collections/12-ab?x=1` → `GET /collections/{id}`.
pub fn endpoint_of(method: &str, path: &str) -> String {
    const LITERALS: [&str; 9] = [
        "me",
        "workspaces",
        "collections",
        "environments",
        "collection-access-keys",
        "collection-updates-tasks",
        "monitors",
        "run",
        "executions",
    ];
    let path = path.split(['?', '#']).next().unwrap_or("");
    let segments: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| if LITERALS.contains(&s) { s } else { "{id}" })
        .collect();
    format!("{method} /{}", segments.join("/"))
}

/// The Usage figures of `me` at `now_ms`: `log` is the whole activity log (calls per day this
/// month), `session` the calls this run of the app made (per endpoint).
pub fn summarise(
    me: &Fetched<Me>,
    log: &[ActivityEntry],
    session: &[ActivityEntry],
    now_ms: u64,
) -> UsageSummary {
    let now = at(now_ms);
    let api = me.data.api_usage();
    let used = api.map(|o| o.usage);
    let limit = api.map(|o| o.limit).filter(|l| *l > 0.0);
    let share = used.zip(limit).map(|(u, l)| u / l);
    let level = match share {
        Some(s) if s >= 1.0 => "exhausted",
        Some(s) if s >= URGENT_AT => "urgent",
        Some(s) if s >= WARN_AT => "warning",
        _ => "ok",
    };

    let today = now.date();
    let first = month_start(today);
    let mut per_day: BTreeMap<Date, u32> = BTreeMap::new();
    let mut day = first;
    while day <= today {
        per_day.insert(day, 0);
        day = day.next_day().unwrap_or(today + Duration::days(1));
    }
    let mut by_endpoint: BTreeMap<String, u32> = BTreeMap::new();
    for e in log.iter().filter(|e| e.status.is_some()) {
        if let Some(n) = per_day.get_mut(&at(e.time).date()) {
            *n += 1;
        }
    }
    for e in session.iter().filter(|e| e.status.is_some()) {
        *by_endpoint
            .entry(endpoint_of(&e.method, &e.path))
            .or_default() += 1;
    }
    let mut session_by_endpoint: Vec<EndpointCount> = by_endpoint
        .into_iter()
        .map(|(endpoint, calls)| EndpointCount { endpoint, calls })
        .collect();
    session_by_endpoint.sort_by(|a, b| {
        b.calls
            .cmp(&a.calls)
            .then_with(|| a.endpoint.cmp(&b.endpoint))
    });

    UsageSummary {
        username: me.data.user.username.clone(),
        full_name: me.data.user.full_name.clone(),
        team_name: me.data.user.team_name.clone(),
        used,
        limit,
        overage: api.map(|o| o.overage),
        share,
        projected: used.map(|u| (u / month_progress(now)).round()),
        level: level.to_owned(),
        operations: me
            .data
            .operations
            .iter()
            .map(|o| Operation {
                name: o.name.clone(),
                limit: o.limit,
                usage: o.usage,
                overage: o.overage,
            })
            .collect(),
        calls_per_day: per_day
            .into_iter()
            .map(|(day, calls)| CallsOnDay {
                day: day.to_string(),
                calls,
            })
            .collect(),
        session_by_endpoint,
        source: me.freshness(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use postman_client::{Operation as ApiOperation, User};

    const NOV_23_NOON: u64 = 1_795_435_200_000; // 2026-11-23T12:00:00Z

    fn me(usage: f64, limit: f64) -> Fetched<Me> {
        Fetched {
            data: Me {
                user: User {
                    username: Some("taylor-lee".into()),
                    ..Default::default()
                },
                operations: vec![ApiOperation {
                    name: "api_usage".into(),
                    limit,
                    usage,
                    overage: 0.0,
                }],
            },
            fetched_at: NOV_23_NOON,
            from_cache: false,
            failure: None,
        }
    }

    /// A first attempt of `method path` at `time` (the rest as the log has it by default).
    fn entry(time: u64, method: &str, path: &str, status: Option<u16>) -> ActivityEntry {
        ActivityEntry {
            status,
            ..ActivityEntry::attempt(time, "k", method, path, 1)
        }
    }

    #[test]
    fn names_endpoints_without_ids_or_queries() {
        assert_eq!(endpoint_of("GET", "/me"), "GET /me");
        assert_eq!(
            endpoint_of("GET", "/collections/12-ab3?model=minimal&access_key=x"),
            "GET /collections/{id}"
        );
        assert_eq!(
            endpoint_of("DELETE", "/collection-access-keys/Njg5"),
            "DELETE /collection-access-keys/{id}"
        );
        assert_eq!(
            endpoint_of("POST", "/monitors/1e6b6dc1-4f2c/run?async=true"),
            "POST /monitors/{id}/run"
        );
    }

    #[test]
    fn projects_the_month_and_warns_at_80_and_95_percent() {
        assert_eq!(
            at(NOV_23_NOON).to_string(),
            "2026-11-23 12:00:00.0 +00:00:00"
        );
        // 22.5 of 30 days gone: 750 calls so far → 1,000 by the end of the month.
        let s = summarise(&me(750.0, 10_000.0), &[], &[], NOV_23_NOON);
        assert_eq!(s.projected, Some(1000.0));
        assert_eq!(s.level, "ok");
        assert_eq!(
            summarise(&me(8_000.0, 10_000.0), &[], &[], NOV_23_NOON).level,
            "warning"
        );
        assert_eq!(
            summarise(&me(9_500.0, 10_000.0), &[], &[], NOV_23_NOON).level,
            "urgent"
        );
        assert_eq!(
            summarise(&me(10_000.0, 10_000.0), &[], &[], NOV_23_NOON).level,
            "exhausted"
        );
    }

    #[test]
    fn counts_calls_per_day_this_month_and_per_endpoint_this_session() {
        let day = 86_400_000;
        let log = [
            entry(NOV_23_NOON - 30 * day, "GET", "/me", Some(200)), // October: not this month
            entry(NOV_23_NOON - 2 * day, "GET", "/me", Some(200)),
            entry(NOV_23_NOON - 60_000, "GET", "/collections/1-a", Some(200)),
            entry(NOV_23_NOON - 50_000, "GET", "/collections/1-b", Some(404)),
            entry(NOV_23_NOON - 40_000, "GET", "/me", None), // no answer: not a call that counted
        ];
        let s = summarise(&me(10.0, 100.0), &log, &log[2..], NOV_23_NOON);
        assert_eq!(s.calls_per_day.len(), 23);
        assert_eq!(s.calls_per_day[0].day, "2026-11-01");
        assert_eq!(
            s.calls_per_day[20],
            CallsOnDay {
                day: "2026-11-21".into(),
                calls: 1
            }
        );
        assert_eq!(
            s.calls_per_day[22],
            CallsOnDay {
                day: "2026-11-23".into(),
                calls: 2
            }
        );
        assert_eq!(
            s.session_by_endpoint,
            vec![EndpointCount {
                endpoint: "GET /collections/{id}".into(),
                calls: 2
            }]
        );
    }
}
