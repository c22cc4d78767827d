//! Where the API lives: US, EU or a sandbox URL. Only `https`, except `http` on loopback.

use crate::error::Error;
use serde::{Deserialize, Serialize};
use url::{Host, Url};

/// A Postman API region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "url")]
pub enum Region {
    /// `https://api.postman.com`
    Us,
    /// `https://api.eu.postman.com` (EU Enterprise plans)
    Eu,
    /// Any base URL: https, or http on loopback only (127.0.0.0/8, ::1, localhost).
    Sandbox(String),
}

impl Region {
    /// The validated base URL (no trailing slash). Refuses anything insecure before any request.
    pub fn base_url(&self) -> Result<Url, Error> {
        let raw = match self {
            Region::Us => "https://api.postman.com",
            Region::Eu => "https://api.eu.postman.com",
            Region::Sandbox(u) => u.as_str(),
        };
        check_url(raw)
    }
}

/// The URL's host is this computer (localhost, 127.0.0.0/8, ::1).
pub fn is_loopback_url(url: &Url) -> bool {
    url.host().is_some_and(|h| is_loopback(&h))
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => ip.is_loopback(),
    }
}

/// Parses and checks a base URL.
pub fn check_url(raw: &str) -> Result<Url, Error> {
    let url = Url::parse(raw.trim()).map_err(|_| {
        Error::InsecureUrl(format!(
            "\"{}\" is not a valid URL.",
            crate::secret::redact(raw)
        ))
    })?;
    let host = url
        .host()
        .ok_or_else(|| Error::InsecureUrl("The URL has no host.".into()))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        "http" => {
            return Err(Error::InsecureUrl(format!(
                "Refusing plain http to {host}: the API key would travel unencrypted. Use https (http is allowed only on this computer: localhost, 127.0.0.1, ::1)."
            )))
        }
        s => {
            return Err(Error::InsecureUrl(format!(
                "Unsupported URL scheme \"{s}\": use https."
            )))
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::InsecureUrl(
            "The URL must not contain credentials.".into(),
        ));
    }
    let mut url = url;
    url.set_query(None);
    url.set_fragment(None);
    let path = url.path().trim_end_matches('/').to_string();
    url.set_path(&path);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn urls() {
        assert!(Region::Us.base_url().is_ok());
        assert!(Region::Eu.base_url().is_ok());
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.3.4.5",
            "http://[::1]:9",
            "http://localhost:1",
            "https://example.com",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com",
            "http://10.0.0.1",
            "ftp://localhost",
            "nonsense",
            "http://127.0.0.1.evil.com",
        ] {
            assert!(
                matches!(check_url(bad), Err(Error::InsecureUrl(_))),
                "{bad}"
            );
        }
    }
}
