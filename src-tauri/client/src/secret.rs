//! Secrets: [`ApiKey`] (`PMAK-…`) and [`AccessToken`] (`PMAT-…`), checked wrappers around the
//! one secret type, `postdesk_base::Secret`.
//!
//! Neither type is `Clone` or `Serialize`; `Debug` and `Display` print only the masked form
//! (`PMAK-…abcd`). A key read from the keychain becomes an `ApiKey` without a copy of its text
//! ([`ApiKey::from_secret`]); the engine attaches it itself, and only this crate can read it back.

use crate::error::Error;
pub use postdesk_base::secret::redact;
use postdesk_base::secret::{self, SecretFormat};
use postdesk_base::Secret;
use std::fmt;

macro_rules! secret_type {
    ($name:ident, $format:expr) => {
        #[doc = concat!("A checked `", stringify!($name), "`. Not `Clone`, not serialisable; prints masked.")]
        #[derive(PartialEq, Eq)]
        pub struct $name(Secret);

        impl $name {
            const FORMAT: &'static SecretFormat = &$format;

            /// Checks a paste (trimmed of whitespace and quotes) and keeps the secret.
            pub fn new(raw: &str) -> Result<Self, Error> {
                secret::parse(raw, Self::FORMAT)
                    .map(|s| $name(Secret::new(s.to_owned())))
                    .map_err(|e| Error::InvalidSecret(e.to_string()))
            }
            /// Takes a secret (a paste from the UI, an entry of the keychain) without copying its
            /// text, after trimming what people paste around it and checking its format.
            pub fn from_secret(secret: Secret) -> Result<Self, Error> {
                let secret = secret.trimmed();
                secret::parse(secret.expose(), Self::FORMAT)
                    .map_err(|e| Error::InvalidSecret(e.to_string()))?;
                Ok($name(secret))
            }
            /// A second copy (e.g. for a client that checks the key before it is kept).
            pub fn duplicate(&self) -> Self {
                $name(self.0.duplicate())
            }
            /// The secret, for the keychain.
            pub fn as_secret(&self) -> &Secret {
                &self.0
            }
            /// The last four characters, for display.
            pub fn last4(&self) -> &str {
                self.0.last4()
            }
            /// `PMAK-…abcd`
            pub fn mask(&self) -> String {
                self.0.mask()
            }
            pub(crate) fn expose(&self) -> &str {
                self.0.expose()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.mask())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.mask())
            }
        }
    };
}

secret_type!(ApiKey, secret::API_KEY);
secret_type!(AccessToken, secret::ACCESS_TOKEN);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_and_checks() {
        let raw = format!("PMAK-{}-{}efab", "0".repeat(24), "1".repeat(30));
        let k = ApiKey::new(&raw).unwrap();
        assert_eq!(format!("{k}"), "PMAK-…efab");
        assert_eq!(format!("{k:?}"), "ApiKey(PMAK-…efab)");
        assert_eq!(k.last4(), "efab");
        assert!(ApiKey::new("pmak-x").is_err());
        assert!(ApiKey::new("PMAT-0123456789").is_err());
        assert_eq!(ApiKey::from_secret(Secret::new(raw.clone())).unwrap(), k);
        assert_eq!(
            ApiKey::from_secret(Secret::new(format!(" '{raw}'\n"))).unwrap(),
            k
        );
        assert!(ApiKey::from_secret(Secret::new(format!("{raw}0"))).is_err());
        assert!(AccessToken::new(&format!("PMAT-01HNAV{}", "J".repeat(20))).is_ok());
    }
}
