//! The sandbox is the user's own: every request is checked here before it is routed, so that
//! neither a web page in the user's browser nor another program that does not hold the admin
//! token can drive it.
//!
//! In order, each refusal answering `{"error":{"name":"sandboxError","message":…}}`:
//! 1. **403** unless `Host` is the sandbox's own address (`127.0.0.1` or `localhost`, with its
//!    port if a port is given): a DNS-rebound page reaches 127.0.0.1 under its own host name.
//! 2. **403** when the request carries `Origin`, or `Sec-Fetch-Site` other than `none`: what
//!    browsers add to a page's requests (a `text/plain` POST needs no CORS preflight, so a page
//!    could otherwise write without ever reading an answer).
//! 3. **401** on `/_sandbox/*` without the process's admin token in `X-Sandbox-Token`.
//! 4. **415** when a write (any method but GET and HEAD) has a body that is not declared
//!    `application/json` (`+json` types and parameters such as `charset` are accepted).
//!
//! None of these is counted, limited or faulted: they come before the gate.

use crate::error::ApiError;
use crate::shared::Shared;
use hyper::header::{HeaderMap, CONTENT_LENGTH, CONTENT_TYPE, HOST, ORIGIN, TRANSFER_ENCODING};
use hyper::{Method, Request};
use serde_json::json;

/// The header that carries the admin token.
pub const TOKEN_HEADER: &str = "x-sandbox-token";

fn refuse(status: u16, message: &str) -> ApiError {
    ApiError::new(
        status,
        json!({"error": {"name": "sandboxError", "message": message}}),
    )
}

/// The refusal of a request addressed to another host.
pub fn foreign_host(port: u16) -> ApiError {
    refuse(
        403,
        &format!(
            "The sandbox answers only requests addressed to it (127.0.0.1:{port}); this one \
             named another host."
        ),
    )
}

/// Checks a request (see the module docs); `admin` is whether it is for `/_sandbox/*`.
pub fn check<B>(req: &Request<B>, sh: &Shared, admin: bool) -> Result<(), ApiError> {
    let h = req.headers();
    if !own_host(req, sh.port) {
        return Err(foreign_host(sh.port));
    }
    let fetch_site = h.get("sec-fetch-site").map(|v| v.as_bytes());
    if h.contains_key(ORIGIN) || fetch_site.is_some_and(|v| !v.eq_ignore_ascii_case(b"none")) {
        return Err(refuse(
            403,
            "The sandbox does not answer web pages: a request with an Origin or Sec-Fetch-Site \
             header is refused.",
        ));
    }
    if admin && !token_matches(h, sh.admin_token.expose()) {
        return Err(refuse(
            401,
            "The /_sandbox/ endpoints need the X-Sandbox-Token header: the adminToken of the \
             sandbox's start line, or of sandbox.json in Postdesk's data folder.",
        ));
    }
    let write = req.method() != Method::GET && req.method() != Method::HEAD;
    if write && has_body(h) && !is_json(h) {
        return Err(refuse(
            415,
            "A request body must be JSON, sent with Content-Type: application/json.",
        ));
    }
    Ok(())
}

/// `Host` (or the authority of an absolute-form target) is `127.0.0.1` or `localhost`, with
/// this port if it names one. A request without one is refused.
pub fn own_host<B>(req: &Request<B>, port: u16) -> bool {
    let host = match req.headers().get(HOST) {
        Some(v) => v.to_str().ok(),
        None => req.uri().authority().map(|a| a.as_str()),
    };
    let Some(host) = host else {
        return false;
    };
    let (name, port_ok) = match host.rsplit_once(':') {
        Some((name, p)) => (name, p.parse::<u16>().ok() == Some(port)),
        // No port: a hand-written request to the loopback name; the name is what matters.
        None => (host, true),
    };
    port_ok && (name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost"))
}

/// Compares in time independent of where the first difference is.
fn token_matches(h: &HeaderMap, token: &str) -> bool {
    let Some(given) = h.get(TOKEN_HEADER).map(|v| v.as_bytes()) else {
        return false;
    };
    let want = token.as_bytes();
    given.len() == want.len() && given.iter().zip(want).fold(0u8, |d, (a, b)| d | (a ^ b)) == 0
}

fn has_body(h: &HeaderMap) -> bool {
    h.contains_key(TRANSFER_ENCODING)
        || h.get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() != "0")
}

fn is_json(h: &HeaderMap) -> bool {
    let Some(ct) = h.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || essence.starts_with("application/") && essence.ends_with("+json")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(host: Option<&str>, extra: &[(&str, &str)]) -> Request<()> {
        let mut b = Request::builder().method("POST").uri("/collections");
        if let Some(h) = host {
            b = b.header(HOST, h);
        }
        for (k, v) in extra {
            b = b.header(*k, *v);
        }
        b.body(()).unwrap()
    }

    #[test]
    fn only_the_own_loopback_address_is_served() {
        assert!(own_host(&req(Some("127.0.0.1:4000"), &[]), 4000));
        assert!(own_host(&req(Some("LOCALHOST:4000"), &[]), 4000));
        assert!(!own_host(&req(Some("127.0.0.1:4001"), &[]), 4000));
        assert!(!own_host(&req(Some("evil.example:4000"), &[]), 4000));
        assert!(own_host(&req(Some("127.0.0.1"), &[]), 4000));
        assert!(!own_host(&req(Some("127.0.0.2:4000"), &[]), 4000));
        assert!(!own_host(&req(Some("evil.example"), &[]), 4000));
        assert!(!own_host(&req(None, &[]), 4000));
        assert!(!own_host(
            &req(Some("127.0.0.1.evil.example:4000"), &[]),
            4000
        ));
    }

    #[test]
    fn json_bodies_only() {
        let h = |ct: &str| req(Some("x"), &[("content-type", ct)]).headers().clone();
        assert!(is_json(&h("application/json")));
        assert!(is_json(&h("Application/JSON; charset=utf-8")));
        assert!(is_json(&h("application/vnd.api+json")));
        assert!(!is_json(&h("text/plain")));
        assert!(!is_json(&h("application/x-www-form-urlencoded")));
        assert!(!is_json(&h("multipart/form-data; boundary=x")));
        assert!(!is_json(&HeaderMap::new()));
        let with_len = |n: &str| req(None, &[("content-length", n)]).headers().clone();
        assert!(!has_body(&with_len("0")));
        assert!(has_body(&with_len("12")));
        assert!(has_body(
            req(None, &[("transfer-encoding", "chunked")]).headers()
        ));
    }

    #[test]
    fn the_token_must_match_exactly() {
        let h = |t: &str| req(None, &[(TOKEN_HEADER, t)]).headers().clone();
        assert!(token_matches(&h("abc123"), "abc123"));
        assert!(!token_matches(&h("abc124"), "abc123"));
        assert!(!token_matches(&h("abc12"), "abc123"));
        assert!(!token_matches(&HeaderMap::new(), "abc123"));
    }
}
