//! The sandbox clock: the clock it was given (the app's, the system's, or a test's pinned one)
//! plus an offset that `/_sandbox/clock` sets — and the ISO-8601 helpers.

use std::sync::atomic::{AtomicI64, Ordering};

pub use postdesk_base::clock::{rfc3339 as iso, DAY_MS, MAX_MS};
use postdesk_base::SharedClock;

#[derive(Debug, Default)]
pub struct Clock {
    base: SharedClock,
    offset_ms: AtomicI64,
}

impl Clock {
    pub fn new(base: SharedClock) -> Self {
        Clock {
            base,
            offset_ms: AtomicI64::new(0),
        }
    }
    pub fn now_ms(&self) -> i64 {
        self.base
            .now_ms()
            .saturating_add(self.offset_ms.load(Ordering::SeqCst))
            .clamp(0, MAX_MS)
    }
    pub fn set_ms(&self, ms: i64) {
        self.offset_ms
            .store(ms.clamp(0, MAX_MS) - self.base.now_ms(), Ordering::SeqCst);
    }
    pub fn advance_ms(&self, ms: i64) {
        let now = self.now_ms();
        self.set_ms(now.saturating_add(ms));
    }
}

/// A client in the same process can run on the sandbox's own clock (`Sandbox::clock`), so that
/// moving it through `/_sandbox/clock` moves both.
impl postdesk_base::Clock for Clock {
    fn now_ms(&self) -> i64 {
        Clock::now_ms(self)
    }
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Calendar month key `YYYY-MM` of an instant (UTC).
pub fn month_key(ms: i64) -> String {
    let (y, m) = postdesk_base::clock::utc_month(ms);
    format!("{y:04}-{m:02}")
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z` (also without the `Z` or fraction).
pub fn parse_iso(s: &str) -> Option<i64> {
    let s = s.trim().trim_end_matches('Z');
    let (date, time) = s.split_once('T').unwrap_or((s, "00:00:00"));
    let mut dp = date.split('-');
    let y: i64 = dp.next()?.parse().ok()?;
    if !(0..=9999).contains(&y) {
        return None;
    }
    let m: u32 = dp.next()?.parse().ok()?;
    let d: u32 = dp.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
    let mut tp = hms.split(':');
    let h: i64 = tp.next()?.parse().ok()?;
    let mi: i64 = tp.next()?.parse().ok()?;
    let sec: i64 = tp.next().unwrap_or("0").parse().ok()?;
    if !(0..24).contains(&h) || !(0..60).contains(&mi) || !(0..=60).contains(&sec) {
        return None;
    }
    let frac3: String = frac.chars().chain("000".chars()).take(3).collect();
    let millis: i64 = frac3.parse().ok()?;
    Some(days_from_civil(y, m, d) * DAY_MS + ((h * 60 + mi) * 60 + sec) * 1000 + millis)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn roundtrip() {
        // What `parse_iso` reads, `iso` writes back (always with milliseconds).
        for (text, written) in [
            ("2026-11-23T10:45:01.123Z", "2026-11-23T10:45:01.123Z"),
            ("2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"),
        ] {
            assert_eq!(parse_iso(text).map(iso).as_deref(), Some(written), "{text}");
        }
        let november = parse_iso("2026-11-23T10:45:01.123Z").map(month_key);
        assert_eq!(november.as_deref(), Some("2026-11"));
        assert_eq!(iso(0), "1970-01-01T00:00:00.000Z");
    }
}
