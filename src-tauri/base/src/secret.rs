//! The one secret type, the one way to mask a secret, and the formats of Postman's secrets.
//!
//! [`Secret`] holds an API key or an access token: it is not `Clone`, not `Serialize`, its
//! `Debug` and `Display` print only the masked form, and its memory is wiped on drop. The plain
//! value is reachable only through [`Secret::expose`], for the few places that must send or
//! store it (an HTTP header, the keychain). [`mask`] and [`redact`] are the only code that turns
//! a secret into something that may be shown.
//!
//! [`parse_api_key`] and [`parse_access_token`] are the only format checks: the client, the
//! keys domain and the sharing domain call them, and the UI receives [`API_KEY`] and
//! [`ACCESS_TOKEN`] (the formats as data) through the contract.

use std::fmt;

use zeroize::Zeroizing;

/// A secret's text. Not `Clone`: a second copy is made only with [`Secret::duplicate`]. It can be
/// deserialised (a paste arrives from the UI straight into one) but never serialised.
pub struct Secret(Zeroizing<String>);

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret::new)
    }
}

impl Secret {
    pub fn new(value: String) -> Self {
        Secret(Zeroizing::new(value))
    }

    /// The plain value, for the one place that must send or store it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The last four characters, which the UI may show.
    pub fn last4(&self) -> &str {
        last4(&self.0)
    }

    /// `PMAK-…abcd` (see [`mask`]).
    pub fn mask(&self) -> String {
        mask(&self.0)
    }

    /// A second, independently wiped copy (e.g. a session-only key handed to a client).
    pub fn duplicate(&self) -> Secret {
        Secret::new(self.0.to_string())
    }

    /// The secret without what people paste around it (whitespace, quotes): the same value
    /// moved when there was nothing to trim, else a trimmed copy (this one is wiped).
    pub fn trimmed(self) -> Secret {
        let t = trim_paste(&self.0);
        if t.len() == self.0.len() {
            self
        } else {
            Secret::new(t.to_owned())
        }
    }
}

/// In TypeScript a secret is the `string` a person pastes (it only ever goes from the UI to Rust).
impl ts_rs::TS for Secret {
    type WithoutGenerics = Self;
    type OptionInnerType = Self;
    fn name(_: &ts_rs::Config) -> String {
        "string".to_owned()
    }
    fn inline(cfg: &ts_rs::Config) -> String {
        <Self as ts_rs::TS>::name(cfg)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value.to_owned())
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        // Not timing-sensitive: both values are the user's own, compared locally.
        self.expose() == other.expose()
    }
}

impl Eq for Secret {}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.mask())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.mask())
    }
}

/// The last four characters of `s` (fewer when it is shorter).
pub fn last4(s: &str) -> &str {
    let start = s.char_indices().rev().nth(3).map(|(i, _)| i).unwrap_or(0);
    &s[start..]
}

/// The masked form of a secret (ignoring whitespace and quotes around it): its prefix up to the first `-` (when it is a short word, such
/// as `PMAK` or `PMAT`), then `…` and the last four characters. `PMAT-********43BR` (the
/// API's own masked token) masks to `PMAT-…43BR` too.
pub fn mask(secret: &str) -> String {
    let secret = trim_paste(secret);
    let prefix = secret.split_once('-').map(|(p, _)| p).unwrap_or("");
    let word = !prefix.is_empty()
        && prefix.len() <= 8
        && prefix.chars().all(|c| c.is_ascii_alphanumeric());
    if word && secret.chars().count() >= 12 {
        format!("{prefix}-…{}", last4(secret))
    } else {
        format!("…{}", last4(secret))
    }
}

/// The masked form of a key of which only the last four characters are known.
pub fn mask_last4(prefix: &str, last4: &str) -> String {
    format!("{prefix}…{last4}")
}

/// Replaces every Postman secret (`PMAK-…`, `PMAT-…`) in `s` with its masked form. Applied to
/// every server-provided text before it reaches an error or a log, and to links shown in the UI.
pub fn redact(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    loop {
        let found = [API_KEY.prefix, ACCESS_TOKEN.prefix]
            .iter()
            .filter_map(|p| rest.find(p).map(|i| (i, *p)))
            .min_by_key(|(i, _)| *i);
        let Some((i, p)) = found else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..i]);
        let tail = &rest[i + p.len()..];
        let len = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '*')))
            .unwrap_or(tail.len());
        out.push_str(p);
        out.push('…');
        out.push_str(last4(&tail[..len]));
        rest = &tail[len..];
    }
}

/// The shape of one kind of Postman secret, as data (the UI gets it through the contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecretFormat {
    /// What a person calls it.
    pub name: &'static str,
    pub prefix: &'static str,
    /// Lengths of the `-`-separated groups after the prefix.
    pub groups: &'static [usize],
    /// Characters of the groups: `hex` (0-9, a-f) or `base32` (Crockford, upper case).
    pub alphabet: &'static str,
    /// Longer pastes are refused before any other work.
    pub max_paste: usize,
}

impl SecretFormat {
    /// Total length of a well-formed secret.
    pub fn length(&self) -> usize {
        self.prefix.len() + self.groups.iter().sum::<usize>() + self.groups.len() - 1
    }

    fn allows(&self, c: char) -> bool {
        match self.alphabet {
            "hex" => c.is_ascii_hexdigit() && !c.is_ascii_uppercase(),
            _ => {
                c.is_ascii_digit()
                    || (c.is_ascii_uppercase() && !matches!(c, 'I' | 'L' | 'O' | 'U'))
            }
        }
    }
}

/// `PMAK-` + 24 hex + `-` + 34 hex (64 characters).
pub static API_KEY: SecretFormat = SecretFormat {
    name: "Postman API key",
    prefix: "PMAK-",
    groups: &[24, 34],
    alphabet: "hex",
    max_paste: 200,
};

/// `PMAT-` + 26 characters of Crockford base32 (a ULID).
pub static ACCESS_TOKEN: SecretFormat = SecretFormat {
    name: "collection access key",
    prefix: "PMAT-",
    groups: &[26],
    alphabet: "base32",
    max_paste: 200,
};

/// Why a paste is not a well-formed secret. `Display` is a sentence for the person who pasted it;
/// it never contains the paste.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatError {
    Empty(&'static SecretFormat),
    TooLong(&'static SecretFormat),
    /// An access token where an API key was expected, or the other way round.
    OtherKind {
        wanted: &'static SecretFormat,
        got: &'static SecretFormat,
    },
    /// The key is in there, with more around it.
    ExtraText(&'static SecretFormat),
    WrongPrefix(&'static SecretFormat),
    LowerCasePrefix(&'static SecretFormat),
    Whitespace(&'static SecretFormat),
    BadCharacters(&'static SecretFormat),
    /// Shorter than the format; `got` characters.
    Incomplete {
        format: &'static SecretFormat,
        got: usize,
    },
    /// Longer than the format (or groups of the wrong lengths); `got` characters.
    TooManyCharacters {
        format: &'static SecretFormat,
        got: usize,
    },
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use FormatError::*;
        let where_from = |k: &SecretFormat| {
            if k.prefix == API_KEY.prefix {
                "Postman › Settings › API keys"
            } else {
                "the collection's Share › Via API dialog in Postman"
            }
        };
        match self {
            Empty(k) => write!(f, "Paste a {}: it starts with {} ({}).", k.name, k.prefix, where_from(k)),
            TooLong(k) => write!(
                f,
                "That paste is far too long to be a {} (one is {} characters, starting with {}). Copy just the key from {}.",
                k.name,
                k.length(),
                k.prefix,
                where_from(k)
            ),
            OtherKind { wanted, got } => write!(
                f,
                "That looks like a {} ({}…); paste a {} ({}…) instead. It comes from {}.",
                got.name,
                got.prefix,
                wanted.name,
                wanted.prefix,
                where_from(wanted)
            ),
            ExtraText(k) => write!(
                f,
                "The paste contains more than the key. Paste only the key itself, starting with {}.",
                k.prefix
            ),
            WrongPrefix(k) => write!(
                f,
                "That is not a {}: a {} starts with {} ({}).",
                k.name,
                k.name,
                k.prefix,
                where_from(k)
            ),
            LowerCasePrefix(k) => write!(
                f,
                "A {} starts with {} in capital letters; copy it again from Postman.",
                k.name, k.prefix
            ),
            Whitespace(k) => write!(
                f,
                "The {} contains spaces or line breaks; copy it again from Postman as one piece.",
                k.name
            ),
            BadCharacters(k) => {
                let which = if k.alphabet == "hex" {
                    "the digits 0-9, the letters a-f and dashes"
                } else {
                    "digits and capital letters"
                };
                write!(
                    f,
                    "The paste contains characters a {} never has (it has only {which}). Copy it again from Postman.",
                    k.name
                )
            }
            Incomplete { format, got } => write!(
                f,
                "The key is incomplete (part of it is missing): a {} has {} characters and this paste has {got}. Copy it again from Postman.",
                format.name,
                format.length()
            ),
            TooManyCharacters { format, got } => write!(
                f,
                "The paste is longer than a {} ({} characters; this one has {got}). Copy it again from Postman.",
                format.name,
                format.length()
            ),
        }
    }
}

impl std::error::Error for FormatError {}

/// What people wrap around a paste: whitespace, quotes, zero-width spaces.
fn trim_paste(raw: &str) -> &str {
    raw.trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '"' | '\'' | '`' | '“' | '”' | '‘' | '’' | '\u{200B}' | '\u{FEFF}'
            )
    })
}

/// Checks a paste against `format` (after trimming whitespace and quotes around it) and returns
/// the secret it holds.
pub fn parse<'a>(raw: &'a str, format: &'static SecretFormat) -> Result<&'a str, FormatError> {
    let s = trim_paste(raw);
    if s.len() > format.max_paste {
        return Err(FormatError::TooLong(format));
    }
    if s.is_empty() {
        return Err(FormatError::Empty(format));
    }
    let head: String = s.chars().take(format.prefix.len()).collect();
    for other in [&API_KEY, &ACCESS_TOKEN] {
        if other.prefix != format.prefix && head.eq_ignore_ascii_case(other.prefix) {
            return Err(FormatError::OtherKind {
                wanted: format,
                got: other,
            });
        }
    }
    if !head.eq_ignore_ascii_case(format.prefix) {
        return Err(if s.contains(format.prefix) {
            FormatError::ExtraText(format)
        } else {
            FormatError::WrongPrefix(format)
        });
    }
    if head != format.prefix {
        return Err(FormatError::LowerCasePrefix(format));
    }
    let rest = &s[format.prefix.len()..];
    if rest.chars().any(char::is_whitespace) {
        return Err(FormatError::Whitespace(format));
    }
    if !rest.chars().all(|c| c == '-' || format.allows(c)) {
        return Err(FormatError::BadCharacters(format));
    }
    let groups: Vec<usize> = rest.split('-').map(str::len).collect();
    if groups != format.groups {
        let got = s.chars().count();
        return Err(if got < format.length() {
            FormatError::Incomplete { format, got }
        } else {
            FormatError::TooManyCharacters { format, got }
        });
    }
    Ok(s)
}

/// A Postman API key: `PMAK-` + 24 hex + `-` + 34 hex.
pub fn parse_api_key(raw: &str) -> Result<&str, FormatError> {
    parse(raw, &API_KEY)
}

/// A collection access key: `PMAT-` + 26 base32 characters.
pub fn parse_access_token(raw: &str) -> Result<&str, FormatError> {
    parse(raw, &ACCESS_TOKEN)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A well-formed fake key, built at run time (no key-shaped literal in the source).
    fn key() -> String {
        format!(
            "PMAK-{}-{}ef01",
            "0123456789abcdef01234567", "0123456789abcdef0123456789abcd"
        )
    }

    #[test]
    fn a_secret_never_prints_its_value() {
        let s = Secret::new(key());
        assert_eq!(s.to_string(), "PMAK-…ef01");
        assert_eq!(format!("{s:?}"), "Secret(PMAK-…ef01)");
        assert_eq!(format!("{s:#?}"), "Secret(PMAK-…ef01)");
        assert!(!format!("{s:?}{s}").contains("0123456789"));
        assert_eq!(s.last4(), "ef01");
        assert_eq!(s.expose(), key());
        assert_eq!(s.duplicate(), s);
    }

    #[test]
    fn masks_short_odd_and_api_masked_values() {
        assert_eq!(mask("abc"), "…abc");
        assert_eq!(mask("verylongprefixwithoutdash"), "…dash");
        assert_eq!(mask(""), "…");
        assert_eq!(last4("ключ-секретный-длинный"), "нный");
        assert_eq!(mask("PMAT-**********************43BR"), "PMAT-…43BR");
        assert_eq!(mask_last4("PMAK-", "abcd"), "PMAK-…abcd");
        assert_eq!(
            redact("a PMAK-abcdef123456 b PMAT-xyz98765 c"),
            "a PMAK-…3456 b PMAT-…8765 c"
        );
        assert_eq!(
            redact("https://api.postman.com/collections/1-abc?access_key=PMAT-01HNAVJJJJ"),
            "https://api.postman.com/collections/1-abc?access_key=PMAT-…JJJJ"
        );
    }

    #[test]
    fn api_keys_are_checked_with_sentences_that_never_echo_the_paste() {
        let k = key();
        assert_eq!(parse_api_key(&format!("  \"{k}\"\n")), Ok(k.as_str()));
        let cases = [
            ("", FormatError::Empty(&API_KEY)),
            (
                "PMAT-01HNAVJJJJJJJJJJJJJJJJJJJJ",
                FormatError::OtherKind {
                    wanted: &API_KEY,
                    got: &ACCESS_TOKEN,
                },
            ),
            ("hello", FormatError::WrongPrefix(&API_KEY)),
            (
                &format!("key: {k}") as &str,
                FormatError::ExtraText(&API_KEY),
            ),
            (
                &k.replace("PMAK", "pmak"),
                FormatError::LowerCasePrefix(&API_KEY),
            ),
            (
                &k.replace("01234567-", "01234567 -"),
                FormatError::Whitespace(&API_KEY),
            ),
            (
                &k.replace("ef01", "EF01"),
                FormatError::BadCharacters(&API_KEY),
            ),
            (
                &k[..60],
                FormatError::Incomplete {
                    format: &API_KEY,
                    got: 60,
                },
            ),
            (
                &format!("{k}00"),
                FormatError::TooManyCharacters {
                    format: &API_KEY,
                    got: 66,
                },
            ),
            (&"x".repeat(201), FormatError::TooLong(&API_KEY)),
        ];
        for (paste, want) in cases {
            let got = parse_api_key(paste).unwrap_err();
            assert_eq!(got, want, "{paste:?}");
            let text = got.to_string();
            assert!(text.ends_with('.'), "{text}");
            if paste.len() > 12 {
                assert!(!text.contains(&paste[5..12]), "{text} echoes the paste");
            }
        }
        assert_eq!(API_KEY.length(), 64);
    }

    #[test]
    fn access_tokens_are_ulids() {
        let t = format!("PMAT-01HNAV{}", "J".repeat(20));
        assert_eq!(parse_access_token(&t), Ok(t.as_str()));
        assert_eq!(
            parse_access_token(&key()),
            Err(FormatError::OtherKind {
                wanted: &ACCESS_TOKEN,
                got: &API_KEY
            })
        );
        assert_eq!(
            parse_access_token(&t.replace('J', "j")),
            Err(FormatError::BadCharacters(&ACCESS_TOKEN))
        );
        assert_eq!(ACCESS_TOKEN.length(), 31);
    }
}
