//! Pastes and days shared by the keys crate's unit tests (`src-tauri/keys/tests/`) and its
//! app-level tests (`tests/keys.rs`). Needs only the `time` crate.
#![allow(dead_code)] // each test target uses its own subset

/// Well-formed, but no sandbox user holds it.
pub const UNKNOWN: &str = "PMAK-000000000000000000000000-0000000000000000000000000000000000";
/// A collection access key: the wrong kind of key for the key list.
pub const ACCESS_KEY: &str = "PMAT-0123456789abcdef01234567-0123456789abcdef0123456789abcdef01";

pub fn day(y: i32, m: u8, d: u8) -> time::Date {
    time::Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), d).unwrap()
}

/// The day every test starts on (whatever the real date): the sandbox's and the keys' clocks
/// are pinned on it.
pub fn today() -> time::Date {
    day(2026, 11, 23)
}

/// 10:00 UTC on `day`, in ms since the epoch: the time of day the tests' clocks are pinned at.
pub fn ten_am_ms(day: time::Date) -> i64 {
    day.midnight().assume_utc().unix_timestamp() * 1000 + 36_000_000
}
