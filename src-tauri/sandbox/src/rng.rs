//! A tiny deterministic PRNG (splitmix64) for ids, the formats of keys and tokens, and where
//! secrets come from: the seed's own (derived from the seed, or from an install's key, see
//! [`SeedSecrets`]) and minted ones (the operating system's random source, see [`minted_api_key`],
//! [`minted_access_token`]), which nothing in the state file can re-derive.

use postdesk_base::Secret;
use std::sync::Arc;

/// splitmix64: fast, tiny, good enough for ids; same seed → same sequence.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Rng(u64);

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const HEX: &[u8; 16] = b"0123456789abcdef";

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5EED_CAFE_F00D_D00D)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform-ish in `[lo, hi)`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo).max(1)
    }

    /// Lowercase UUID-v4-formatted string.
    pub fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&a.to_be_bytes());
        bytes[8..].copy_from_slice(&b.to_be_bytes());
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let mut s = String::with_capacity(36);
        for (i, byte) in bytes.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                s.push('-');
            }
            s.push(HEX[(byte >> 4) as usize] as char);
            s.push(HEX[(byte & 15) as usize] as char);
        }
        s
    }

    pub fn hex(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| HEX[(self.next_u64() % 16) as usize] as char)
            .collect()
    }

    pub fn crockford(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| CROCKFORD[(self.next_u64() % 32) as usize] as char)
            .collect()
    }

    /// A Postman API key: `PMAK-` + 24 hex + `-` + 34 hex.
    pub fn api_key(&mut self) -> String {
        format!("PMAK-{}-{}", self.hex(24), self.hex(34))
    }

    /// A collection access key token: `PMAT-` + 26 Crockford base32 characters.
    pub fn access_token(&mut self) -> String {
        format!("PMAT-{}", self.crockford(26))
    }
}

/// Where the seed's secrets (each user's first API key, the seeded access tokens) come from.
#[derive(Debug, Clone, Default)]
pub enum SeedSecrets {
    /// From the seed: the same seed gives the same keys and tokens on every machine (tests, and
    /// the standalone binary's `--seed`).
    #[default]
    FromSeed,
    /// From this key (random bytes kept outside the state file, e.g. in the keychain): the
    /// seeded keys and tokens are this install's own, and the state file, which holds only
    /// digests and the id generator, does not reveal them.
    FromKey(Arc<Secret>),
}

impl SeedSecrets {
    /// The first API key of `username`; `seeded` is the seed's own draw, made either way so ids
    /// come out the same.
    pub fn api_key(&self, username: &str, seeded: String) -> String {
        match self {
            SeedSecrets::FromSeed => seeded,
            SeedSecrets::FromKey(key) => {
                let b = derive(key, &format!("api-key/{username}"));
                let h = postdesk_base::random::hex(&b);
                let h = h.expose();
                format!("PMAK-{}-{}", &h[..24], &h[24..58])
            }
        }
    }

    /// The token of the `n`th seeded access key.
    pub fn access_token(&self, n: usize, rng: &mut Rng) -> String {
        match self {
            SeedSecrets::FromSeed => rng.access_token(),
            SeedSecrets::FromKey(key) => {
                crockford_token(&derive(key, &format!("access-token/{n}")))
            }
        }
    }
}

/// SHA-256 of the key and a label: one independent 32-byte value per label.
fn derive(key: &Secret, label: &str) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"postman-sandbox seed secrets v1\0");
    h.update(key.expose().as_bytes());
    h.update(b"\0");
    h.update(label.as_bytes());
    h.finalize().into()
}

/// `PMAT-` + 26 Crockford base32 characters from 26 bytes (256 is a multiple of 32: uniform).
fn crockford_token(b: &[u8]) -> String {
    let body: String = b[..26]
        .iter()
        .map(|x| char::from(CROCKFORD[usize::from(x % 32)]))
        .collect();
    format!("PMAT-{body}")
}

/// A new API key from the operating system's random source.
pub fn minted_api_key() -> std::io::Result<String> {
    let h = postdesk_base::random::hex_secret::<29>()?;
    let h = h.expose();
    Ok(format!("PMAK-{}-{}", &h[..24], &h[24..58]))
}

/// A new access token from the operating system's random source.
pub fn minted_access_token() -> std::io::Result<String> {
    let mut b = postdesk_base::random::bytes::<26>()?;
    let t = crockford_token(&b);
    b.fill(0);
    Ok(t)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn b64_encode(input: &[u8]) -> String {
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = ((b[0] as u32) << 16) | ((b[1] as u32) << 8) | b[2] as u32;
        out.push(B64[(n >> 18) as usize & 63] as char);
        out.push(B64[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            B64[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            B64[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

pub fn b64_decode(input: &str) -> Option<Vec<u8>> {
    let s = input.trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in s.bytes() {
        let v = B64.iter().position(|&x| x == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if bits >= 6 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let mut r = Rng::new(1);
        let k = r.api_key();
        assert_eq!(k.len(), 5 + 24 + 1 + 34);
        let t = r.access_token();
        assert_eq!(t.len(), 31);
        assert_eq!(r.uuid().len(), 36);
        assert_eq!(
            b64_encode(b"offset=10&limit=10"),
            "b2Zmc2V0PTEwJmxpbWl0PTEw"
        );
        assert_eq!(
            b64_decode("b2Zmc2V0PTEwJmxpbWl0PTEw").as_deref(),
            Some(&b"offset=10&limit=10"[..])
        );
        assert_eq!(b64_decode("YQ==").as_deref(), Some(&b"a"[..]));
        assert!(b64_decode("!!").is_none());
    }

    #[test]
    fn secrets_from_a_key_have_the_formats_and_differ_by_key() {
        let a = SeedSecrets::FromKey(Arc::new(Secret::from("install-a")));
        let b = SeedSecrets::FromKey(Arc::new(Secret::from("install-b")));
        let ka = a.api_key("taylor-lee", Rng::new(1).api_key());
        assert_eq!(ka, a.api_key("taylor-lee", String::new()), "stable");
        assert_ne!(ka, b.api_key("taylor-lee", String::new()));
        assert_ne!(ka, a.api_key("sam-rivera", String::new()));
        assert!(postdesk_base::secret::parse_api_key(&ka).is_ok(), "{ka}");
        let ta = a.access_token(0, &mut Rng::new(1));
        assert!(
            postdesk_base::secret::parse_access_token(&ta).is_ok(),
            "{ta}"
        );
        assert_ne!(ta, a.access_token(1, &mut Rng::new(1)));
        let seeded = Rng::new(1).api_key();
        assert_eq!(SeedSecrets::FromSeed.api_key("x", seeded.clone()), seeded);
    }

    #[test]
    fn minted_secrets_have_the_formats_and_never_repeat() {
        let k = minted_api_key().unwrap();
        assert!(postdesk_base::secret::parse_api_key(&k).is_ok(), "{k}");
        assert_ne!(k, minted_api_key().unwrap());
        let t = minted_access_token().unwrap();
        assert!(postdesk_base::secret::parse_access_token(&t).is_ok(), "{t}");
        assert_ne!(t, minted_access_token().unwrap());
    }
}
