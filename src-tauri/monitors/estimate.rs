//! What the active schedules will add to the month's `monitor_request_runs`: every run each
//! active monitor's cron gives from now to the end of the month (UTC, as `/me` counts it), times
//! the requests a run sends over all its regions (its last run's `requests.total`, which the API
//! sums over regions; one per region for a monitor never run). Retries and requests a script
//! adds are not foreseen: the figure is a floor.

use postman_client::{Freshness, Monitor};
use postman_schemas::schedule::Schedule;
use serde::Serialize;
use ts_rs::TS;

/// Runs counted per monitor at most (every 5 minutes for 31 days is 8,928).
const RUNS_MAX: usize = 10_000;

/// The month's monitor usage as the schedules foretell it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MonthEstimate {
    /// Active monitors with a schedule (the ones counted).
    pub monitors: u32,
    /// Paused monitors (not counted).
    pub paused: u32,
    /// Scheduled runs from now to the end of the month.
    #[ts(type = "number")]
    pub runs: u64,
    /// What those runs add to `monitor_request_runs` (runs × requests per run, all regions).
    #[ts(type = "number")]
    pub request_runs: u64,
    /// Counted monitors with no run seen yet: one request per region is assumed for them.
    pub guessed: u32,
    /// `monitor_request_runs` of `/me` so far this month, and its limit (when reported).
    pub used: Option<f64>,
    pub limit: Option<f64>,
    /// `used` + `request_runs`: the month's figure at these schedules.
    pub projected: Option<f64>,
    /// The projection passes the limit.
    pub above_limit: bool,
    /// Where the monitors' schedules come from (a failed refresh says so).
    pub source: Freshness,
}

/// The first instant (epoch ms) of the UTC month after the one holding `now_ms`.
pub fn month_end(now_ms: i64) -> i64 {
    use chrono::{Datelike, TimeZone, Utc};
    let now = Utc
        .timestamp_millis_opt(now_ms)
        .single()
        .unwrap_or_default();
    let (y, m) = if now.month() == 12 {
        (now.year() + 1, 1)
    } else {
        (now.year(), now.month() + 1)
    };
    Utc.with_ymd_and_hms(y, m, 1, 0, 0, 0)
        .single()
        .map(|d| d.timestamp_millis())
        .unwrap_or(now_ms)
}

/// The estimate for `monitors` (each with its schedule and last run) at `now_ms`; `usage` is
/// `monitor_request_runs`'s (usage, limit) when `/me` reports it.
pub fn estimate(
    monitors: &[Monitor],
    usage: Option<(f64, f64)>,
    now_ms: i64,
    source: Freshness,
) -> MonthEstimate {
    let end = month_end(now_ms);
    let mut e = MonthEstimate {
        monitors: 0,
        paused: 0,
        runs: 0,
        request_runs: 0,
        guessed: 0,
        used: usage.map(|u| u.0),
        limit: usage.map(|u| u.1).filter(|l| *l > 0.0),
        projected: None,
        above_limit: false,
        source,
    };
    for m in monitors {
        if m.active == Some(false) {
            e.paused += 1;
            continue;
        }
        let Some(s) = &m.schedule else { continue };
        let Some(schedule) = s
            .cron
            .as_deref()
            .and_then(|c| Schedule::stored(c, s.timezone.as_deref().unwrap_or("UTC")))
        else {
            continue;
        };
        e.monitors += 1;
        let runs = schedule.due(now_ms, end - 1, RUNS_MAX).len() as u64;
        let requests = m
            .last_run
            .as_ref()
            .and_then(|l| l.stats.as_ref())
            .and_then(|s| s.requests)
            .and_then(|r| r.total)
            .filter(|n| *n > 0);
        if requests.is_none() {
            e.guessed += 1;
        }
        let regions = m.distribution.len().max(1) as u64;
        e.runs += runs;
        e.request_runs += runs * requests.unwrap_or(regions);
    }
    e.projected = e.used.map(|u| u + e.request_runs as f64);
    e.above_limit = matches!((e.projected, e.limit), (Some(p), Some(l)) if p > l);
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const DEC_1_NOON: i64 = 1_796_126_400_000; // 2026-12-01T12:00:00Z

    fn monitor(v: serde_json::Value) -> Monitor {
        serde_json::from_value(v).unwrap()
    }

    fn fresh() -> Freshness {
        Freshness {
            fetched_at: 0.0,
            from_cache: false,
            failure: None,
        }
    }

    #[test]
    fn the_month_ends_at_the_next_months_first_instant() {
        assert_eq!(month_end(DEC_1_NOON), 1_798_761_600_000); // 2027-01-01T00:00:00Z
    }

    #[test]
    fn active_schedules_count_their_runs_times_the_requests_of_a_run() {
        let hourly = monitor(json!({
            "id": "a", "name": "Hourly", "active": true,
            "schedule": {"cron": "0 * * * *", "timezone": "UTC"},
            "distribution": [{"region": "us-east"}, {"region": "eu-central"}],
            "lastRun": {"stats": {"requests": {"total": 6}}}
        }));
        let daily_new = monitor(json!({
            "id": "b", "name": "Daily", "active": true,
            "schedule": {"cron": "0 9 * * *", "timezone": "Europe/Berlin"},
            "distribution": [{"region": "uk"}]
        }));
        let paused = monitor(json!({
            "id": "c", "name": "Paused", "active": false,
            "schedule": {"cron": "*/5 * * * *", "timezone": "UTC"}
        }));
        let e = estimate(
            &[hourly, daily_new, paused],
            Some((1_000.0, 20_000.0)),
            DEC_1_NOON,
            fresh(),
        );
        // From Dec 1 12:00 UTC (not counted): 11 hourly runs that day and 24 on each of 30
        // more days, 6 requests each (3 in each of 2 regions); 30 daily runs (Dec 2–31 at 09:00
        // Berlin; Dec 1's, 08:00 UTC, has passed), never run: 1 request in its 1 region.
        assert_eq!((e.monitors, e.paused, e.guessed), (2, 1, 1));
        assert_eq!(e.runs, 731 + 30);
        assert_eq!(e.request_runs, 731 * 3 * 2 + 30);
        assert_eq!(e.projected, Some(1_000.0 + 4_416.0));
        assert!(!e.above_limit);
        let tight = estimate(&[], Some((25_000.0, 20_000.0)), DEC_1_NOON, fresh());
        assert!(tight.above_limit, "already past the limit");
        let unknown = estimate(&[], None, DEC_1_NOON, fresh());
        assert_eq!((unknown.projected, unknown.above_limit), (None, false));
    }
}
