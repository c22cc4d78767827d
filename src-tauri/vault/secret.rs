//! A secret (API key or access token) that cannot leak by accident: no `Serialize`, `Debug` and
//! `Display` show only a masked form, and the memory is wiped on drop.

use std::fmt;

use zeroize::Zeroizing;

pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(value: String) -> Self {
        Self(Zeroizing::new(value))
    }

    /// The plain value, for the one place that must send it (an HTTP header, the keychain).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The last four characters, which the UI may show.
    pub fn last4(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        chars[chars.len().saturating_sub(4)..].iter().collect()
    }

    /// `PMAK-…abcd`: the prefix before the first `-`, then the last four characters.
    pub fn masked(&self) -> String {
        let prefix = self.0.split_once('-').map(|(p, _)| p).unwrap_or("");
        if prefix.is_empty() || prefix.len() > 8 || self.0.chars().count() < 12 {
            return "…".to_owned() + &self.last4();
        }
        format!("{prefix}-…{}", self.last4())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.masked())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A well-formed fake key, built at run time (no key-shaped literal in the source).
    fn key() -> String {
        format!(
            "PMAK-{}-{}ef01",
            "0123456789abcdef01234567",
            "0123456789abcdef".repeat(2)
        )
    }

    #[test]
    fn never_prints_the_value() {
        let s = Secret::new(key());
        assert_eq!(s.to_string(), "PMAK-…ef01");
        assert_eq!(format!("{s:?}"), "Secret(PMAK-…ef01)");
        assert_eq!(format!("{s:#?}"), "Secret(PMAK-…ef01)");
        assert!(!format!("{s:?}{s}").contains("0123456789"));
        assert_eq!(s.last4(), "ef01");
        assert_eq!(s.expose(), key());
    }

    #[test]
    fn short_or_odd_values_are_masked_too() {
        assert_eq!(Secret::new("abc".into()).to_string(), "…abc");
        assert_eq!(
            Secret::new("verylongprefixwithoutdash".into()).to_string(),
            "…dash"
        );
        assert_eq!(Secret::new(String::new()).to_string(), "…");
        assert_eq!(Secret::new("ключ-секретный-длинный".into()).last4(), "нный");
    }
}
