//! Whose data something is: an account on a backend. Working copies, drafts, kept access
//! tokens and logged calls are each one account's own, so that switching keys never shows (or
//! saves with) another account's work.

use std::fmt;

/// An account on a backend. Two keys of the same user on the same backend are the same
/// account (a rotated key keeps its drafts); the same user id on another backend is not.
#[derive(Debug, Clone)]
pub struct Account {
    /// `us`, `eu`, `sandbox`, or `local` (no key known yet).
    pub backend: String,
    /// The user's id on that backend (from `/me`), or `key:<local key id>` for a key that was
    /// never verified.
    pub user: String,
    /// How a person names it ("taylor-lee on the sandbox"); not part of its identity.
    pub label: String,
}

impl Account {
    pub fn new(backend: &str, user: &str, label: impl Into<String>) -> Self {
        Account {
            backend: backend.to_owned(),
            user: user.to_owned(),
            label: label.into(),
        }
    }

    /// The account of code that runs before any key is known (a library or a test on its own).
    pub fn local() -> Self {
        Account::new("local", "default", "this computer")
    }

    /// A stable name for folders, files and keychain entries: `<backend>-<user>`, every byte
    /// outside `[A-Za-z0-9]` (and `.` after the first) written as `_XX` (hex): nothing in it can
    /// name another path, and the one `-` separates the two parts.
    pub fn slug(&self) -> String {
        let mut out = String::with_capacity(self.backend.len() + self.user.len() + 1);
        for (i, part) in [&self.backend, &self.user].into_iter().enumerate() {
            if i > 0 {
                out.push('-');
            }
            for b in part.bytes() {
                if b.is_ascii_alphanumeric() || b == b'.' && !out.is_empty() {
                    out.push(char::from(b));
                } else {
                    out.push_str(&format!("_{b:02x}"));
                }
            }
        }
        out
    }
}

impl PartialEq for Account {
    fn eq(&self, other: &Self) -> bool {
        self.backend == other.backend && self.user == other.user
    }
}

impl Eq for Account {}

impl std::hash::Hash for Account {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        (&self.backend, &self.user).hash(h);
    }
}

impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_label_is_not_the_identity() {
        let a = Account::new("us", "12345", "taylor");
        assert_eq!(a, Account::new("us", "12345", "Taylor Lee"));
        assert_ne!(a, Account::new("eu", "12345", "taylor"));
        assert_ne!(a, Account::new("us", "123456", "taylor"));
    }

    #[test]
    fn slugs_are_safe_file_names_and_tell_accounts_apart() {
        assert_eq!(Account::new("us", "12345", "").slug(), "us-12345");
        assert_eq!(
            Account::new("sandbox", "key:k-9f", "").slug(),
            "sandbox-key_3ak_2d9f"
        );
        let hostile = Account::new("us", "../../etc/passwd", "").slug();
        assert!(
            !hostile.contains('/') && !hostile.starts_with('.'),
            "{hostile}"
        );
        assert_ne!(
            Account::new("us", "a-b", "").slug(),
            Account::new("us-a", "b", "").slug(),
            "the separator cannot be forged"
        );
    }
}
