//! Turning what a person pasted into a Postman API key, with messages they understand.
//! Nothing here ever echoes the pasted text back.

use super::KeysError;

/// Longer pastes are refused before any other work (a Postman API key is 64 characters).
pub const MAX_PASTE: usize = 200;

const PREFIX: &str = "PMAK-";
const FIRST: usize = 24;
const SECOND: usize = 34;

fn format_err(msg: &str) -> KeysError {
    KeysError::Format(msg.to_owned())
}

/// Trims whitespace, newlines and quotes around a paste, checks the `PMAK-` + 24 hex + `-` +
/// 34 hex format, and returns the key.
pub fn parse_key(raw: &str) -> Result<String, KeysError> {
    let trimmed = raw.trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '"' | '\'' | '`' | '“' | '”' | '‘' | '’' | '\u{200B}' | '\u{FEFF}'
            )
    });
    if trimmed.len() > MAX_PASTE {
        return Err(format_err(
            "That paste is far too long to be a Postman API key (a key is 64 characters: PMAK- followed by letters and digits). Copy just the key from Postman › Settings › API keys.",
        ));
    }
    if trimmed.is_empty() {
        return Err(format_err(
            "Paste a Postman API key: it starts with PMAK- (Postman › Settings › API keys).",
        ));
    }
    let upper: String = trimmed
        .chars()
        .take(5)
        .collect::<String>()
        .to_ascii_uppercase();
    if upper == "PMAT-" {
        return Err(format_err(
            "That looks like a collection access key (PMAT-…); paste a Postman API key (PMAK-…) instead. You can create one in Postman › Settings › API keys.",
        ));
    }
    if upper != PREFIX {
        if trimmed.contains(PREFIX) {
            return Err(format_err(
                "The paste contains more than the key. Paste only the API key itself, starting with PMAK-.",
            ));
        }
        return Err(format_err(
            "That is not a Postman API key: a key starts with PMAK- (Postman › Settings › API keys).",
        ));
    }
    if !trimmed.starts_with(PREFIX) {
        return Err(format_err(
            "A Postman API key starts with PMAK- in capital letters; copy it again from Postman.",
        ));
    }
    let rest = &trimmed[PREFIX.len()..];
    if rest.chars().any(char::is_whitespace) {
        return Err(format_err(
            "The key contains spaces or line breaks; copy it again from Postman as one piece.",
        ));
    }
    if !rest.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Err(format_err(
            "The key contains characters a Postman API key never has (it has only the digits 0-9, the letters a-f and dashes). Copy it again from Postman.",
        ));
    }
    let parts: Vec<&str> = rest.split('-').collect();
    let expected = PREFIX.len() + FIRST + 1 + SECOND;
    if parts.len() != 2 || parts[0].len() != FIRST || parts[1].len() != SECOND {
        let n = trimmed.chars().count();
        let what = if n < expected {
            "incomplete (part of it is missing)"
        } else if n > expected {
            "longer than a Postman API key"
        } else {
            "not shaped like a Postman API key"
        };
        return Err(KeysError::Format(format!(
            "The key is {what}: a Postman API key has {expected} characters (PMAK-, 24 characters, a dash, 34 characters) and this one has {n}. Copy it again from Postman."
        )));
    }
    Ok(trimmed.to_owned())
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
