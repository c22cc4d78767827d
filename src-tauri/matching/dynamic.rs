//! Dynamic variables (`{{$randomUUID}}`, `{{$timestamp}}`, …): drawn from the caller's seeded
//! generator and clock, so a seed gives the same response every time.

use std::fmt::Write;

use crate::RenderCtx;

const FIRST: &[&str] = &[
    "Alice", "Bruno", "Carmen", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal",
    "Keiko", "Liam", "Maya", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sven", "Tara", "Umar",
    "Vera", "Wes", "Xena", "Yusuf", "Zoe",
];
const LAST: &[&str] = &[
    "Anderson", "Baker", "Castillo", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova",
    "Jensen", "Kowalski", "Lopez", "Moreau", "Nakamura", "Okafor", "Patel", "Rossi", "Schmidt",
    "Tanaka", "Umarov", "Varga", "Weber", "Yilmaz", "Zhang",
];
const DOMAINS: &[&str] = &["example.com", "example.org", "example.net"];
const COLORS: &[&str] = &[
    "red", "orange", "yellow", "green", "blue", "indigo", "violet", "teal", "cyan", "magenta",
    "maroon", "olive", "navy", "purple", "silver", "gold", "azure", "salmon", "orchid", "plum",
];
const CITIES: &[&str] = &[
    "Lisbon",
    "Osaka",
    "Nairobi",
    "Porto Alegre",
    "Tallinn",
    "Montreal",
    "Auckland",
    "Seville",
    "Krakow",
    "Hanoi",
    "Lyon",
    "Bergen",
    "Cusco",
    "Adelaide",
    "Accra",
    "Graz",
];
const COUNTRIES: &[&str] = &[
    "Portugal",
    "Japan",
    "Kenya",
    "Brazil",
    "Estonia",
    "Canada",
    "New Zealand",
    "Spain",
    "Poland",
    "Vietnam",
    "France",
    "Norway",
    "Peru",
    "Australia",
    "Ghana",
    "Austria",
];
const WORDS: &[&str] = &[
    "lorem", "ipsum", "harbor", "quartz", "meadow", "signal", "lantern", "cobalt", "orbit",
    "willow", "ember", "canvas", "pivot", "summit", "ripple", "falcon", "granite", "velvet",
    "beacon", "tundra",
];
const COMPANIES: &[&str] = &[
    "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wonka",
];
const SUFFIXES: &[&str] = &["Inc", "LLC", "Group", "Labs", "and Sons"];

/// A dynamic variable the engine knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dyn {
    Guid,
    Timestamp,
    IsoTimestamp,
    Int,
    Boolean,
    FirstName,
    LastName,
    FullName,
    UserName,
    Email,
    Color,
    HexColor,
    City,
    Country,
    Word,
    CompanyName,
    AlphaNumeric,
    Ip,
    PhoneNumber,
}

impl Dyn {
    /// `name` without the leading `$`.
    pub(crate) fn from_name(name: &str) -> Option<Dyn> {
        Some(match name {
            "guid" | "randomUUID" => Dyn::Guid,
            "timestamp" => Dyn::Timestamp,
            "isoTimestamp" => Dyn::IsoTimestamp,
            "randomInt" => Dyn::Int,
            "randomBoolean" => Dyn::Boolean,
            "randomFirstName" => Dyn::FirstName,
            "randomLastName" => Dyn::LastName,
            "randomFullName" => Dyn::FullName,
            "randomUserName" => Dyn::UserName,
            "randomEmail" | "randomExampleEmail" => Dyn::Email,
            "randomColor" => Dyn::Color,
            "randomHexColor" => Dyn::HexColor,
            "randomCity" => Dyn::City,
            "randomCountry" => Dyn::Country,
            "randomWord" | "randomLoremWord" => Dyn::Word,
            "randomCompanyName" => Dyn::CompanyName,
            "randomAlphaNumeric" => Dyn::AlphaNumeric,
            "randomIP" => Dyn::Ip,
            "randomPhoneNumber" => Dyn::PhoneNumber,
            _ => return None,
        })
    }

    pub(crate) fn render(self, out: &mut String, ctx: &mut RenderCtx) {
        let rng = &mut ctx.rng;
        let pick = |rng: &mut fastrand::Rng, list: &[&'static str]| list[rng.usize(..list.len())];
        // Writing to a String cannot fail.
        let _ = match self {
            Dyn::Guid => {
                let mut b = rng.u128(..).to_be_bytes();
                b[6] = (b[6] & 0x0f) | 0x40;
                b[8] = (b[8] & 0x3f) | 0x80;
                for (i, x) in b.iter().enumerate() {
                    if matches!(i, 4 | 6 | 8 | 10) {
                        out.push('-');
                    }
                    let _ = write!(out, "{x:02x}");
                }
                Ok(())
            }
            Dyn::Timestamp => write!(out, "{}", ctx.now_ms.div_euclid(1000)),
            Dyn::IsoTimestamp => match chrono::DateTime::from_timestamp_millis(ctx.now_ms) {
                Some(t) => write!(out, "{}", t.format("%Y-%m-%dT%H:%M:%S%.3fZ")),
                None => Ok(()),
            },
            Dyn::Int => write!(out, "{}", rng.u32(0..=1000)),
            Dyn::Boolean => write!(out, "{}", rng.bool()),
            Dyn::FirstName => write!(out, "{}", pick(rng, FIRST)),
            Dyn::LastName => write!(out, "{}", pick(rng, LAST)),
            Dyn::FullName => {
                let first = pick(rng, FIRST);
                write!(out, "{first} {}", pick(rng, LAST))
            }
            Dyn::UserName => {
                let first = pick(rng, FIRST);
                let last = pick(rng, LAST);
                write!(out, "{first}.{last}{}", rng.u32(1..100))
            }
            Dyn::Email => {
                let first = pick(rng, FIRST).to_lowercase();
                let last = pick(rng, LAST).to_lowercase();
                let n = rng.u32(1..100);
                write!(out, "{first}.{last}{n}@{}", pick(rng, DOMAINS))
            }
            Dyn::Color => write!(out, "{}", pick(rng, COLORS)),
            Dyn::HexColor => write!(out, "#{:06x}", rng.u32(..0x100_0000)),
            Dyn::City => write!(out, "{}", pick(rng, CITIES)),
            Dyn::Country => write!(out, "{}", pick(rng, COUNTRIES)),
            Dyn::Word => write!(out, "{}", pick(rng, WORDS)),
            Dyn::CompanyName => {
                let name = pick(rng, COMPANIES);
                write!(out, "{name} {}", pick(rng, SUFFIXES))
            }
            Dyn::AlphaNumeric => {
                out.push(rng.alphanumeric().to_ascii_lowercase());
                Ok(())
            }
            Dyn::Ip => {
                let [a, b, c, d] = rng.u32(..).to_be_bytes();
                write!(out, "{a}.{b}.{c}.{d}")
            }
            Dyn::PhoneNumber => {
                let a = rng.u32(200..1000);
                let b = rng.u32(200..1000);
                write!(out, "{a}-{b}-{:04}", rng.u32(..10_000))
            }
        };
    }
}
