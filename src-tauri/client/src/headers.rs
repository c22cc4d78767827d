//! What the API's answers say about the limits: both header families (`X-RateLimit-*` with an
//! epoch `…-Reset`, `RateLimit-*`/`RateLimit` with seconds; an epoch-looking value is always
//! read as an epoch), the `*-Month` headers, and which requests belong to the 10-per-10-s class.

use reqwest::header::HeaderMap;
use std::collections::BTreeMap;
use std::time::Duration;

/// The heavy (10-per-10-s) class of a request, if any: three reads, each its own bucket, and
/// every `/monitors*` call (any method) in one shared bucket.
pub fn heavy_class(method: &str, path: &str) -> Option<&'static str> {
    let segs: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    if segs.first() == Some(&"monitors") {
        return Some("/monitors");
    }
    if method != "GET" {
        return None;
    }
    match segs.as_slice() {
        ["collections"] => Some("GET /collections"),
        ["workspaces"] => Some("GET /workspaces"),
        ["workspaces", _] => Some("GET /workspaces/{id}"),
        _ => None,
    }
}

/// Rate-limit values read from one response.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RateHeaders {
    pub limit: Option<u64>,
    pub remaining: Option<u64>,
    /// Time until the window resets.
    pub reset: Option<Duration>,
    pub retry_after: Option<Duration>,
    /// `RateLimit-Policy: N;w=S`
    pub window: Option<Duration>,
    pub month_limit: Option<u64>,
    pub month_remaining: Option<u64>,
}

fn num(h: &HeaderMap, names: &[&str]) -> Option<u64> {
    names.iter().find_map(|n| {
        h.get(*n)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|v| v.is_finite() && *v >= 0.0)
            .map(|v| v as u64)
    })
}

/// No header may make the engine wait longer than this (a garbage value must not freeze a key).
pub const MAX_SERVER_WAIT: Duration = Duration::from_secs(6 * 3600);

/// A reset value: epoch seconds (or ms) when it looks like one, else seconds from now.
fn reset_value(v: u64, now_ms: u64) -> Duration {
    let d = if v >= 100_000_000_000 {
        Duration::from_millis(v.saturating_sub(now_ms))
    } else if v >= 1_000_000_000 {
        Duration::from_millis(v.saturating_mul(1000).saturating_sub(now_ms))
    } else {
        Duration::from_secs(v)
    };
    d.min(MAX_SERVER_WAIT)
}

impl RateHeaders {
    /// Reads both header families; epoch-looking reset values are read against `now_ms` (the
    /// wall clock, epoch ms).
    pub fn parse(h: &HeaderMap, now_ms: u64) -> Self {
        let reset_value = |v| reset_value(v, now_ms);
        let mut combined: BTreeMap<String, u64> = BTreeMap::new();
        if let Some(v) = h.get("ratelimit").and_then(|v| v.to_str().ok()) {
            for part in v.split([',', ';']) {
                if let Some((k, val)) = part.split_once('=') {
                    if let Ok(n) = val.trim().parse::<u64>() {
                        combined.insert(k.trim().to_ascii_lowercase(), n);
                    }
                }
            }
        }
        let reset = num(h, &["ratelimit-reset"])
            .or_else(|| combined.get("reset").copied())
            .or_else(|| num(h, &["x-ratelimit-reset"]))
            .map(reset_value);
        let retry_after =
            num(h, &["retry-after", "x-ratelimit-retryafter", "retryafter"]).map(reset_value);
        RateHeaders {
            limit: num(h, &["ratelimit-limit", "x-ratelimit-limit"])
                .or_else(|| combined.get("limit").copied()),
            remaining: num(h, &["ratelimit-remaining", "x-ratelimit-remaining"])
                .or_else(|| combined.get("remaining").copied()),
            reset,
            retry_after,
            window: h
                .get("ratelimit-policy")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| {
                    v.split(';')
                        .filter_map(|p| p.trim().strip_prefix("w="))
                        .find_map(|w| w.trim().parse::<u64>().ok())
                })
                .filter(|w| *w > 0)
                .map(|w| Duration::from_secs(w).min(MAX_SERVER_WAIT)),
            month_limit: num(h, &["ratelimit-limit-month", "x-ratelimit-limit-month"]),
            month_remaining: num(
                h,
                &["ratelimit-remaining-month", "x-ratelimit-remaining-month"],
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    const NOW: &str = "2026-11-23T10:00:00Z";

    #[test]
    fn headers_both_families() {
        let now_ms = postdesk_base::clock::parse_rfc3339(NOW).unwrap() as u64;
        let mut h = HeaderMap::new();
        let epoch = now_ms / 1000 + 30;
        h.insert("x-ratelimit-limit", HeaderValue::from_static("300"));
        h.insert("x-ratelimit-remaining", HeaderValue::from_static("12"));
        h.insert(
            "x-ratelimit-reset",
            HeaderValue::from_str(&epoch.to_string()).unwrap(),
        );
        let r = RateHeaders::parse(&h, now_ms);
        assert_eq!(r.limit, Some(300));
        assert_eq!(r.remaining, Some(12));
        assert_eq!(r.reset, Some(Duration::from_secs(30)));
        let mut h = HeaderMap::new();
        h.insert(
            "ratelimit",
            HeaderValue::from_static("limit=10, remaining=3, reset=7"),
        );
        let r = RateHeaders::parse(&h, now_ms);
        assert_eq!(
            (r.limit, r.remaining, r.reset),
            (Some(10), Some(3), Some(Duration::from_secs(7)))
        );
        assert_eq!(
            heavy_class("GET", "/workspaces/abc"),
            Some("GET /workspaces/{id}")
        );
        assert_eq!(heavy_class("GET", "/collections/abc"), None);
        assert_eq!(heavy_class("POST", "/collections"), None);
        assert_eq!(heavy_class("POST", "/monitors/abc/run"), Some("/monitors"));
        assert_eq!(heavy_class("GET", "/monitors"), Some("/monitors"));
    }
}
