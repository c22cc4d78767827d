//! What a person types about a key (its name, its expiry date), checked with messages they
//! understand. The key itself is checked by `postdesk_base::secret::parse_api_key`.

use super::KeysError;

fn format_err(msg: &str) -> KeysError {
    KeysError::Format(msg.to_owned())
}

/// A key's display name: trimmed, 1–80 characters, and not a key by mistake.
pub fn parse_name(raw: &str) -> Result<String, KeysError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(format_err("Give the key a name."));
    }
    if name.chars().count() > 80 {
        return Err(format_err("The name is too long (80 characters at most)."));
    }
    let upper = name.to_ascii_uppercase();
    if upper.contains("PMAK-") || upper.contains("PMAT-") {
        return Err(format_err(
            "The name looks like a key. Give the key a name you recognise instead (for example \"Work\").",
        ));
    }
    Ok(name.to_owned())
}

/// `YYYY-MM-DD`, a real calendar date.
pub fn parse_date(raw: &str) -> Result<time::Date, KeysError> {
    let bad = || {
        format_err("The expiry date must be a date written as YYYY-MM-DD, for example 2027-01-31.")
    };
    let s = raw.trim();
    let b = s.as_bytes();
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !b
            .iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    {
        return Err(bad());
    }
    let year: i32 = s[0..4].parse().map_err(|_| bad())?;
    let month: u8 = s[5..7].parse().map_err(|_| bad())?;
    let day: u8 = s[8..10].parse().map_err(|_| bad())?;
    if !(2000..=2200).contains(&year) {
        return Err(format_err(
            "The expiry year is out of range; use a date between 2000 and 2200.",
        ));
    }
    let month = time::Month::try_from(month).map_err(|_| bad())?;
    time::Date::from_calendar_date(year, month, day).map_err(|_| {
        KeysError::Format(format!(
            "{s} is not a day of the calendar; check the day of the month."
        ))
    })
}

pub fn format_date(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}
