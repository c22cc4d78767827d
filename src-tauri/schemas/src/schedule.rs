//! Monitor schedules: a cron pattern (five POSIX fields, or six with seconds first, as the
//! API's own `getMonitor` example stores) evaluated in an IANA timezone, and the API's rule
//! that a monitor runs at most every five minutes. The sandbox computes `schedule.nextRun`
//! and its scheduled runs with it; the app shows the next run times with the same code.
//!
//! Times are epoch milliseconds (UTC) in and out: the caller's clock decides "now".

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;
use croner::parser::{CronParser, Seconds};
use croner::Cron;

/// The shortest interval between two runs the API allows (paid plans; Free plans: hourly).
pub const MIN_INTERVAL_MS: i64 = 5 * 60 * 1000;

/// How many upcoming runs [`Schedule::parse`] looks at to find the shortest interval: enough
/// for a pattern that fires every minute during one hour of one weekday to show it.
const SCAN_RUNS: usize = 2_000;

/// Why a schedule is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    /// No cron pattern (absent or blank).
    MissingCron,
    /// Not a cron pattern, or one that runs more often than [`MIN_INTERVAL_MS`].
    Pattern,
    /// Not an IANA timezone name.
    Timezone,
}

/// A parsed, allowed schedule.
#[derive(Debug, Clone)]
pub struct Schedule {
    cron: Cron,
    tz: Tz,
}

impl Schedule {
    /// Parses `pattern` in `timezone` (an IANA name such as `Europe/Berlin`; `UTC` works) and
    /// checks the five-minute rule from `now_ms` on.
    pub fn parse(pattern: &str, timezone: &str, now_ms: i64) -> Result<Schedule, Invalid> {
        if pattern.trim().is_empty() {
            return Err(Invalid::MissingCron);
        }
        let s = Schedule::read(pattern, timezone)?;
        match s.shortest_interval(now_ms) {
            Some(gap) if gap < MIN_INTERVAL_MS => Err(Invalid::Pattern),
            // A pattern that never fires again (e.g. 30 February) is no schedule either.
            None if s.next_after(now_ms).is_none() => Err(Invalid::Pattern),
            _ => Ok(s),
        }
    }

    /// A schedule [`Schedule::parse`] allowed before (a stored one): read again without the
    /// five-minute check, which walks thousands of runs.
    pub fn stored(pattern: &str, timezone: &str) -> Option<Schedule> {
        Schedule::read(pattern, timezone).ok()
    }

    fn read(pattern: &str, timezone: &str) -> Result<Schedule, Invalid> {
        let tz: Tz = timezone.parse().map_err(|_| Invalid::Timezone)?;
        let fields = pattern.split_whitespace().count();
        if !(5..=6).contains(&fields) || pattern.trim_start().starts_with('@') {
            // No aliases (`@hourly`) and no year field: the API documents five-field cron.
            return Err(Invalid::Pattern);
        }
        let cron = CronParser::builder()
            .seconds(Seconds::Optional)
            .build()
            .parse(pattern)
            .map_err(|_| Invalid::Pattern)?;
        Ok(Schedule { cron, tz })
    }

    /// The first run strictly after `ms`, if the pattern fires again (within croner's years).
    pub fn next_after(&self, ms: i64) -> Option<i64> {
        let from = self.local(ms)?;
        let next = self.cron.find_next_occurrence(&from, false).ok()?;
        Some(next.timestamp_millis())
    }

    /// The next `n` runs strictly after `ms`.
    pub fn upcoming(&self, ms: i64, n: usize) -> Vec<i64> {
        let Some(from) = self.local(ms) else {
            return Vec::new();
        };
        self.cron
            .iter_after(from)
            .take(n)
            .map(|t| t.timestamp_millis())
            .collect()
    }

    /// The scheduled runs in `(after, until]`, oldest first, at most `cap` of them (the newest
    /// `cap` when more are due: a sandbox whose clock jumped a year does not run a monitor
    /// 100,000 times).
    pub fn due(&self, after: i64, until: i64, cap: usize) -> Vec<i64> {
        // Walked back from `until`, so a long gap costs `cap` steps, not one per missed run.
        let mut due = Vec::new();
        let Some(mut at) = self.local(until) else {
            return due;
        };
        let mut inclusive = true;
        while due.len() < cap {
            let Ok(prev) = self.cron.find_previous_occurrence(&at, inclusive) else {
                break;
            };
            if prev.timestamp_millis() <= after {
                break;
            }
            due.push(prev.timestamp_millis());
            at = prev;
            inclusive = false;
        }
        due.reverse();
        due
    }

    /// The shortest interval between two consecutive runs among the next [`SCAN_RUNS`] (DST
    /// changes included), `None` when it fires fewer than twice.
    fn shortest_interval(&self, now_ms: i64) -> Option<i64> {
        let runs = self.upcoming(now_ms, SCAN_RUNS);
        runs.windows(2).map(|w| w[1] - w[0]).min()
    }

    fn local(&self, ms: i64) -> Option<DateTime<Tz>> {
        let utc = Utc.timestamp_millis_opt(ms).single()?;
        Some(utc.with_timezone(&self.tz))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-03-28T12:00:00Z, a Saturday, the day before Europe's clocks go forward.
    const SAT: i64 = 1_774_699_200_000;
    const HOUR: i64 = 3_600_000;
    const MIN: i64 = 60_000;

    fn iso(ms: i64) -> String {
        Utc.timestamp_millis_opt(ms)
            .unwrap()
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    }

    #[test]
    fn the_documented_patterns_are_allowed_and_fire_when_they_say() {
        let every_5 = Schedule::parse("*/5 * * * *", "UTC", SAT).unwrap();
        assert_eq!(every_5.next_after(SAT), Some(SAT + 5 * MIN));
        let at_17 = Schedule::parse("0 17 * * *", "America/Chicago", SAT).unwrap();
        // 17:00 in Chicago (CDT, UTC-5) is 22:00 UTC.
        assert_eq!(iso(at_17.next_after(SAT).unwrap()), "2026-03-28T22:00:00Z");
        let monday_noon = Schedule::parse("0 12 * * MON", "UTC", SAT).unwrap();
        assert_eq!(
            iso(monday_noon.next_after(SAT).unwrap()),
            "2026-03-30T12:00:00Z"
        );
        for p in [
            "*/30 * * * *",
            "0 */1 * * *",
            "0 */6 * * *",
            "0 6 * * MON-FRI",
        ] {
            assert!(Schedule::parse(p, "UTC", SAT).is_ok(), "{p}");
        }
        // The six-field form of the getMonitor example (seconds first): every hour.
        let hourly = Schedule::parse("0 0 * * * *", "America/Chicago", SAT).unwrap();
        assert_eq!(hourly.next_after(SAT), Some(SAT + HOUR));
    }

    #[test]
    fn more_often_than_every_five_minutes_is_refused_even_within_one_hour() {
        for p in [
            "* * * * *",
            "*/4 * * * *",
            "* 9 * * MON",
            "0,1 * * * *",
            "*/10 * * * * *",
        ] {
            assert_eq!(
                Schedule::parse(p, "UTC", SAT).unwrap_err(),
                Invalid::Pattern,
                "{p}"
            );
        }
    }

    #[test]
    fn nonsense_is_refused_with_the_reason() {
        assert_eq!(
            Schedule::parse("  ", "UTC", SAT).unwrap_err(),
            Invalid::MissingCron
        );
        for p in [
            "61 * * * *",
            "every day",
            "0 0 * *",
            "@hourly",
            "0 0 30 2 *",
            "0 0 0 0 0 0 0",
        ] {
            assert_eq!(
                Schedule::parse(p, "UTC", SAT).unwrap_err(),
                Invalid::Pattern,
                "{p}"
            );
        }
        assert_eq!(
            Schedule::parse("0 17 * * *", "Mars/Olympus", SAT).unwrap_err(),
            Invalid::Timezone
        );
    }

    #[test]
    fn a_daily_run_keeps_its_local_time_across_a_dst_change() {
        let nine = Schedule::parse("0 9 * * *", "Europe/Berlin", SAT).unwrap();
        let runs: Vec<String> = nine.upcoming(SAT, 2).into_iter().map(iso).collect();
        // 09:00 CET is 08:00 UTC; the next day (CEST) 07:00 UTC.
        assert_eq!(runs, ["2026-03-29T07:00:00Z", "2026-03-30T07:00:00Z"]);
    }

    #[test]
    fn due_runs_are_the_ones_passed_oldest_first_and_capped() {
        let hourly = Schedule::parse("0 * * * *", "UTC", SAT).unwrap();
        assert_eq!(
            hourly.due(SAT, SAT + 2 * HOUR + MIN, 10),
            [SAT + HOUR, SAT + 2 * HOUR]
        );
        assert!(hourly.due(SAT, SAT + HOUR - 1, 10).is_empty());
        let capped = hourly.due(SAT, SAT + 100 * HOUR, 3);
        assert_eq!(capped, [SAT + 98 * HOUR, SAT + 99 * HOUR, SAT + 100 * HOUR]);
    }
}
