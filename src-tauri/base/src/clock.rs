//! The one clock.
//!
//! Wall-clock time — dates, timestamps, expiry, "this month" — comes from a [`Clock`], handed to
//! every domain as a [`SharedClock`]. Production uses [`SystemClock`], the only code in Postdesk
//! that reads the system's wall clock. Tests (and the E2E build) use [`PinnedClock`]: it starts
//! at a chosen instant and runs on `tokio::time::Instant`, so on a paused tokio runtime it moves
//! only when the test advances time, and a test can set it or move it forward at will.
//!
//! Durations (timeouts, pacing waits, cache ages) are measured with `tokio::time::Instant`, never
//! with the wall clock: a clock that is set, or that jumps, never stretches a wait.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;
/// 9999-12-31T23:59:59.999Z: no clock leaves the years 1970..=9999.
pub const MAX_MS: i64 = 253_402_300_799_999;

/// A source of wall-clock time.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Milliseconds since the Unix epoch (UTC), within `0..=MAX_MS`.
    fn now_ms(&self) -> i64;
}

/// The system's wall clock: the one production implementation.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        i64::try_from(since.as_millis())
            .unwrap_or(MAX_MS)
            .min(MAX_MS)
    }
}

/// A clock that starts at a chosen instant and then runs with `tokio::time::Instant` (virtual
/// time on a paused runtime, real time otherwise); [`PinnedClock::set_ms`] and
/// [`PinnedClock::advance`] move it.
#[derive(Debug)]
pub struct PinnedClock {
    start: tokio::time::Instant,
    base_ms: i64,
    offset_ms: AtomicI64,
}

impl PinnedClock {
    /// Starts at `ms` (epoch milliseconds).
    pub fn at_ms(ms: i64) -> Self {
        PinnedClock {
            start: tokio::time::Instant::now(),
            base_ms: ms.clamp(0, MAX_MS),
            offset_ms: AtomicI64::new(0),
        }
    }

    /// Starts at an RFC 3339 instant, e.g. `2027-02-28T23:59:50Z`.
    pub fn at(rfc3339: &str) -> Result<Self, String> {
        parse_rfc3339(rfc3339).map(Self::at_ms).ok_or_else(|| {
            format!("{rfc3339:?} is not an RFC 3339 instant (e.g. 2027-02-28T23:59:50Z)")
        })
    }

    fn running_ms(&self) -> i64 {
        let elapsed = i64::try_from(self.start.elapsed().as_millis()).unwrap_or(MAX_MS);
        self.base_ms.saturating_add(elapsed)
    }

    /// Sets the clock to `ms`; it runs on from there.
    pub fn set_ms(&self, ms: i64) {
        self.offset_ms
            .store(ms.clamp(0, MAX_MS) - self.running_ms(), Ordering::SeqCst);
    }

    /// Moves the clock forward (or back, with a negative value) by `ms`.
    pub fn advance_ms(&self, ms: i64) {
        self.set_ms(self.now_ms().saturating_add(ms));
    }

    /// Moves the clock forward by `by` (without moving tokio's clock: nothing waiting wakes).
    pub fn advance(&self, by: Duration) {
        self.advance_ms(i64::try_from(by.as_millis()).unwrap_or(MAX_MS));
    }
}

impl Clock for PinnedClock {
    fn now_ms(&self) -> i64 {
        self.running_ms()
            .saturating_add(self.offset_ms.load(Ordering::SeqCst))
            .clamp(0, MAX_MS)
    }
}

/// The clock a domain holds: cheap to clone, shared by everything that must agree on "now".
#[derive(Clone)]
pub struct SharedClock(Arc<dyn Clock>);

impl SharedClock {
    /// The system's wall clock.
    pub fn system() -> Self {
        SharedClock(Arc::new(SystemClock))
    }

    pub fn new(clock: Arc<dyn Clock>) -> Self {
        SharedClock(clock)
    }

    /// A [`PinnedClock`] at an RFC 3339 instant, and the handle that moves it (for tests).
    ///
    /// # Panics
    /// When `rfc3339` does not parse: tests pin literal dates.
    pub fn pinned(rfc3339: &str) -> (Self, Arc<PinnedClock>) {
        let pinned = Arc::new(PinnedClock::at(rfc3339).expect("a valid RFC 3339 instant"));
        (SharedClock(pinned.clone()), pinned)
    }

    /// Epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.0.now_ms()
    }

    /// Epoch milliseconds, unsigned (for fields that are `u64`).
    pub fn now_ms_u64(&self) -> u64 {
        u64::try_from(self.now_ms()).unwrap_or(0)
    }

    pub fn now(&self) -> OffsetDateTime {
        datetime(self.now_ms())
    }

    /// Today's date in UTC.
    pub fn today(&self) -> Date {
        self.now().date()
    }

    /// `2026-11-23T10:00:00.000Z`
    pub fn now_rfc3339(&self) -> String {
        rfc3339(self.now_ms())
    }
}

impl Default for SharedClock {
    fn default() -> Self {
        SharedClock::system()
    }
}

impl fmt::Debug for SharedClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SharedClock").field(&self.0).finish()
    }
}

impl<C: Clock + 'static> From<Arc<C>> for SharedClock {
    fn from(clock: Arc<C>) -> Self {
        SharedClock(clock)
    }
}

/// The UTC date-time of epoch milliseconds (clamped to 1970..=9999).
pub fn datetime(ms: i64) -> OffsetDateTime {
    let ms = ms.clamp(0, MAX_MS);
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// `2026-11-23T10:00:00.000Z` (always milliseconds, always `Z`).
pub fn rfc3339(ms: i64) -> String {
    let t = datetime(ms);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// Epoch milliseconds of an RFC 3339 instant (any offset, any fraction).
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let t = OffsetDateTime::parse(s.trim(), &Rfc3339).ok()?;
    i64::try_from(t.unix_timestamp_nanos().div_euclid(1_000_000)).ok()
}

/// The first instant (epoch ms) of the UTC month after the one `ms` falls in.
pub fn next_month_start_ms(ms: i64) -> i64 {
    let d = datetime(ms).date();
    let (y, m) = match d.month() {
        time::Month::December => (d.year() + 1, time::Month::January),
        m => (d.year(), m.next()),
    };
    Date::from_calendar_date(y, m, 1)
        .map(|first| first.midnight().assume_utc().unix_timestamp() * 1000)
        .unwrap_or(MAX_MS)
}

/// `(year, month)` of the UTC month `ms` falls in.
pub fn utc_month(ms: i64) -> (i32, u8) {
    let d = datetime(ms).date();
    (d.year(), u8::from(d.month()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_rfc3339() {
        let ms = parse_rfc3339("2026-11-23T10:45:01.123Z").unwrap();
        assert_eq!(rfc3339(ms), "2026-11-23T10:45:01.123Z");
        assert_eq!(
            parse_rfc3339("2026-11-23T11:45:01.123+01:00"),
            Some(ms),
            "offsets are honoured"
        );
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(parse_rfc3339("2026-11-23"), None);
        assert_eq!(
            rfc3339(parse_rfc3339("2028-02-29T12:00:00Z").unwrap()),
            "2028-02-29T12:00:00.000Z"
        );
    }

    #[test]
    fn month_boundaries_are_utc() {
        let feb = parse_rfc3339("2027-02-28T23:59:50Z").unwrap();
        assert_eq!(utc_month(feb), (2027, 2));
        assert_eq!(
            rfc3339(next_month_start_ms(feb)),
            "2027-03-01T00:00:00.000Z"
        );
        let leap = parse_rfc3339("2028-02-29T12:00:00Z").unwrap();
        assert_eq!(
            rfc3339(next_month_start_ms(leap)),
            "2028-03-01T00:00:00.000Z"
        );
        let eve = parse_rfc3339("2028-12-31T23:59:50Z").unwrap();
        assert_eq!(utc_month(eve), (2028, 12));
        assert_eq!(
            rfc3339(next_month_start_ms(eve)),
            "2029-01-01T00:00:00.000Z"
        );
        assert_eq!(utc_month(eve + 10_000), (2029, 1));
    }

    #[tokio::test(start_paused = true)]
    async fn a_pinned_clock_runs_with_tokio_time_and_can_be_moved() {
        let (clock, pin) = SharedClock::pinned("2028-12-31T23:59:50Z");
        assert_eq!(clock.now_rfc3339(), "2028-12-31T23:59:50.000Z");
        tokio::time::sleep(Duration::from_secs(15)).await;
        assert_eq!(clock.now_rfc3339(), "2029-01-01T00:00:05.000Z");
        assert_eq!(clock.today().to_string(), "2029-01-01");
        pin.advance(Duration::from_secs(86_400));
        assert_eq!(clock.now_rfc3339(), "2029-01-02T00:00:05.000Z");
        pin.set_ms(parse_rfc3339("2028-02-29T12:00:00Z").unwrap());
        assert_eq!(clock.now_rfc3339(), "2028-02-29T12:00:00.000Z");
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert_eq!(clock.now_rfc3339(), "2028-02-29T12:00:00.250Z");
    }

    #[test]
    fn the_system_clock_is_after_the_epoch() {
        assert!(SystemClock.now_ms() > 1_600_000_000_000);
    }
}
