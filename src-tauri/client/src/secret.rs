//! Secrets: [`ApiKey`] (`PMAK-…`) and [`AccessToken`] (`PMAT-…`).
//!
//! Neither type implements `Serialize`; `Debug` and `Display` print only the prefix and the
//! last four characters (`PMAK-…abcd`). The engine attaches the key itself; callers never see
//! the raw value again after construction (only [`ApiKey::expose`], crate-private).

use crate::error::Error;
use std::fmt;

fn validate(raw: &str, prefix: &str, what: &str) -> Result<String, Error> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(Error::InvalidSecret(format!("The {what} is empty.")));
    }
    if !s.starts_with(prefix) {
        return Err(Error::InvalidSecret(format!(
            "This does not look like a {what}: it must start with \"{prefix}\"."
        )));
    }
    let rest = &s[prefix.len()..];
    if rest.len() < 8 {
        return Err(Error::InvalidSecret(format!("The {what} is too short.")));
    }
    if !rest
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Error::InvalidSecret(format!(
            "The {what} contains characters that a {what} never has (spaces, quotes…)."
        )));
    }
    Ok(s.to_string())
}

fn last4(s: &str) -> &str {
    let n = s.len();
    // ASCII only (validated), so byte slicing is safe.
    &s[n.saturating_sub(4)..]
}

macro_rules! secret_type {
    ($name:ident, $prefix:literal, $what:literal) => {
        #[doc = concat!("A ", $what, " (`", $prefix, "…`). Not serialisable; prints as `", $prefix, "…abcd`.")]
        #[derive(Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            /// Validates the format (prefix, length, charset) with a message a person understands.
            pub fn new(raw: &str) -> Result<Self, Error> {
                validate(raw, $prefix, $what).map($name)
            }
            /// The last four characters, for display.
            pub fn last4(&self) -> &str {
                last4(&self.0)
            }
            /// `PMAK-…abcd`
            pub fn masked(&self) -> String {
                format!("{}…{}", $prefix, self.last4())
            }
            pub(crate) fn expose(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.masked())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.masked())
            }
        }

        impl std::str::FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Error> {
                $name::new(s)
            }
        }
    };
}

secret_type!(ApiKey, "PMAK-", "Postman API key");
secret_type!(AccessToken, "PMAT-", "collection access key");

/// Replaces anything that looks like a Postman secret (`PMAK-…`, `PMAT-…`) in `s` with its
/// masked form. Applied to every server-provided message before it reaches an error or a log.
pub fn redact(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    loop {
        let pos = ["PMAK-", "PMAT-"]
            .iter()
            .filter_map(|p| rest.find(p).map(|i| (i, *p)))
            .min_by_key(|(i, _)| *i);
        let Some((i, p)) = pos else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..i]);
        let tail = &rest[i + p.len()..];
        let len = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '*'))
            .unwrap_or(tail.len());
        let token = &tail[..len];
        out.push_str(p);
        out.push('…');
        out.push_str(last4(token));
        rest = &tail[len..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        let k = ApiKey::new(&format!("PMAK-{}-{}efab", "0".repeat(24), "1".repeat(30))).unwrap();
        assert_eq!(format!("{k}"), "PMAK-…efab");
        assert_eq!(format!("{k:?}"), "ApiKey(PMAK-…efab)");
        assert_eq!(k.last4(), "efab");
        assert!(ApiKey::new("pmak-x").is_err());
        assert!(ApiKey::new("PMAT-0123456789").is_err());
        assert!(AccessToken::new(&format!("PMAT-01HNAV{}", "J".repeat(20))).is_ok());
        assert_eq!(
            redact("a PMAK-abcdef123456 b PMAT-xyz98765"),
            "a PMAK-…3456 b PMAT-…8765"
        );
    }
}
