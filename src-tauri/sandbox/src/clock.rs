//! The sandbox clock (real time plus an adjustable offset) and ISO-8601 helpers.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

pub const DAY_MS: i64 = 86_400_000;
/// 9999-12-31T23:59:59.999Z: the clock never leaves years 1970..=9999.
pub const MAX_MS: i64 = 253_402_300_799_999;

#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

fn real_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl Clock {
    pub fn now_ms(&self) -> i64 {
        (real_ms() + self.offset_ms.load(Ordering::Relaxed)).clamp(0, MAX_MS)
    }
    pub fn set_ms(&self, ms: i64) {
        self.offset_ms
            .store(ms.clamp(0, MAX_MS) - real_ms(), Ordering::Relaxed);
    }
    pub fn advance_ms(&self, ms: i64) {
        let now = self.now_ms();
        self.set_ms(now.saturating_add(ms));
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

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `2026-11-23T10:00:00.000Z`
pub fn iso(ms: i64) -> String {
    let days = ms.div_euclid(DAY_MS);
    let rem = ms.rem_euclid(DAY_MS);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
}

/// Calendar month key `YYYY-MM` of an instant (UTC).
pub fn month_key(ms: i64) -> String {
    let (y, m, _) = civil_from_days(ms.div_euclid(DAY_MS));
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
        let ms = parse_iso("2026-11-23T10:45:01.123Z").unwrap();
        assert_eq!(iso(ms), "2026-11-23T10:45:01.123Z");
        assert_eq!(month_key(ms), "2026-11");
        assert_eq!(iso(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            parse_iso("2024-02-29T00:00:00Z").map(iso).unwrap(),
            "2024-02-29T00:00:00.000Z"
        );
    }
}
