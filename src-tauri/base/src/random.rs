//! The one source of unguessable values: the operating system's random generator (`getrandom`:
//! `getrandom(2)` on Linux, `BCryptGenRandom` on Windows, `getentropy` on macOS).
//!
//! Secrets that Postdesk makes itself (the built-in sandbox's admin token and per-install key,
//! the keys and tokens the sandbox mints) come from here, never from a seeded generator whose
//! state could be read back from a file.

use crate::Secret;

/// `N` random bytes from the operating system. It fails only when the OS has no random source
/// to give (a broken sandboxed environment): callers answer with a clear error rather than
/// fall back to something guessable.
pub fn bytes<const N: usize>() -> std::io::Result<[u8; N]> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|e| {
        std::io::Error::other(format!("the operating system gave no random bytes: {e}"))
    })?;
    Ok(buf)
}

/// A random secret of `N` bytes written as `2N` lowercase hex digits.
pub fn hex_secret<const N: usize>() -> std::io::Result<Secret> {
    let mut b = bytes::<N>()?;
    let s = hex(&b);
    zeroize::Zeroize::zeroize(&mut b);
    Ok(s)
}

/// Lowercase hex of `bytes`, as a [`Secret`] (the one place such text is built).
pub fn hex(bytes: &[u8]) -> Secret {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    Secret::new(s)
}

#[cfg(test)]
mod tests {
    #[test]
    fn two_draws_differ_and_have_the_asked_length() {
        let a = super::hex_secret::<32>().unwrap();
        let b = super::hex_secret::<32>().unwrap();
        assert_eq!(a.expose().len(), 64);
        assert!(a.expose().bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert_eq!(super::hex(&[0, 0xab, 0xff]).expose(), "00abff");
    }
}
