//! A tiny deterministic PRNG (splitmix64) and the id/key/token formats built on it.

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
}
