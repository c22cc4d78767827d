//! Rate limits: headers on every response, per-minute and 10-per-10-seconds 429s, the monthly
//! quota's 429, windows, runtime changes.

#[path = "util/mod.rs"]
mod util;

use postman_sandbox::{Config, Limits};
use serde_json::json;
use std::time::Duration;
use util::*;

fn limited(per_minute: u64, heavy: u64, monthly: u64) -> Config {
    Config {
        limits: Limits {
            per_minute,
            window: Duration::from_secs(60),
            heavy_limit: heavy,
            heavy_window: Duration::from_secs(10),
            monthly,
            ..Limits::default()
        },
        ..config()
    }
}

#[tokio::test]
async fn default_limits_are_the_real_ones() {
    let l = Limits::default();
    assert_eq!(
        (l.per_minute, l.window, l.heavy_limit, l.heavy_window),
        (300, Duration::from_secs(60), 10, Duration::from_secs(10))
    );
    assert!(Limits::lifted().per_minute > 1_000_000);
}

#[tokio::test]
async fn every_response_has_both_header_families() {
    let sb = sandbox_with(Config {
        limits: Limits::default(),
        ..config()
    })
    .await;
    let k = key(&sb, TAYLOR);
    for r in [
        get(&sb, "/me", &k).await,
        get(&sb, "/collections/nope", &k).await,
        call(&sb, "GET", "/me", None, None).await,
        get(&sb, "/no/such/route", &k).await,
    ] {
        for h in [
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-reset",
            "ratelimit-limit",
            "ratelimit-remaining",
            "ratelimit-reset",
            "ratelimit-policy",
            "ratelimit-limit-month",
            "ratelimit-remaining-month",
        ] {
            assert!(r.header(h).is_some(), "{h} on {}", r.status);
        }
    }
    let r = get(&sb, "/me", &k).await;
    assert_eq!(r.header("ratelimit-policy"), Some("300;w=60"));
    assert_eq!(r.num("x-ratelimit-limit"), 300);
    // Counted: /me, /collections/nope, /no/such/route and this one (the 401 is not).
    assert_eq!(r.num("ratelimit-remaining"), 300 - 4);
    assert!(r.num("ratelimit-reset") <= 60 && r.num("ratelimit-reset") >= 1);
    // X-RateLimit-Reset: epoch seconds (policy.rs) on the sandbox clock.
    let now = sandbox_clock(&sb).await["epochMs"].as_i64().unwrap() / 1000;
    assert!((r.num("x-ratelimit-reset") - now - r.num("ratelimit-reset")).abs() <= 2);
    // Heavy endpoints describe their class.
    let r = get(&sb, "/collections", &k).await;
    assert_eq!(r.header("ratelimit-policy"), Some("10;w=10"));
    assert_eq!(r.num("ratelimit-remaining"), 9);
    sb.shutdown().await;
}

#[tokio::test]
async fn per_minute_429_then_window_reset() {
    let (sb, k) = started_as(limited(3, 100, 1_000_000), TAYLOR).await;
    for i in 0..3 {
        let r = get(&sb, "/me", &k).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.num("x-ratelimit-remaining"), 2 - i);
    }
    let r = get(&sb, "/me", &k).await;
    assert_error(&r, 429, "rateLimited");
    assert!(r.num("retry-after") >= 1 && r.num("retry-after") <= 60);
    assert_eq!(r.num("x-ratelimit-retryafter"), r.num("retry-after"));
    assert_eq!(r.num("x-ratelimit-remaining"), 0);
    // Per user: Sam is unaffected.
    assert_eq!(get(&sb, "/me", &key(&sb, SAM)).await.status, 200);
    // 429s are not counted toward the month.
    let usage = get(&sb, "/me", &key(&sb, SAM)).await;
    assert_eq!(usage.num("ratelimit-remaining-month"), 1_000_000 - 2);
    // The window passes (sandbox clock).
    advance_secs(&sb, 61).await;
    let r = get(&sb, "/me", &k).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.num("ratelimit-remaining-month"), 1_000_000 - 4);
    sb.shutdown().await;
}

#[tokio::test]
async fn heavy_endpoints_allow_ten_per_ten_seconds() {
    let (sb, k) = started_as(limited(300, 10, 1_000_000), TAYLOR).await;
    let r = assert_429_after(&sb, &k, "/workspaces", 10, "rateLimited").await;
    assert!(r.num("retry-after") <= 10);
    // Other endpoints (and the other heavy endpoints) still work.
    assert_eq!(get(&sb, "/me", &k).await.status, 200);
    assert_eq!(get(&sb, "/collections", &k).await.status, 200);
    advance_secs(&sb, 11).await;
    assert_eq!(get(&sb, "/workspaces", &k).await.status, 200);
    sb.shutdown().await;
}

#[tokio::test]
async fn monthly_quota_exhausted_is_service_limit_exhausted() {
    let (sb, k) = started_as(limited(300, 10, 5), TAYLOR).await;
    let r = assert_429_after(&sb, &k, "/me", 5, "serviceLimitExhausted").await;
    assert_eq!(r.num("ratelimit-remaining-month"), 0);
    assert_eq!(r.num("ratelimit-limit-month"), 5);
    // Set usage at runtime: back under the quota.
    set_usage(&sb, TAYLOR, 2).await;
    let r = get(&sb, "/me", &k).await;
    assert_eq!(r.status, 200);
    let op = r.api_usage();
    assert_eq!(
        op,
        json!({"name": "api_usage", "limit": 5, "usage": 3, "overage": 0})
    );
    // A new month starts over.
    set_usage(&sb, TAYLOR, 5).await;
    assert_eq!(get(&sb, "/me", &k).await.status, 429);
    advance_secs(&sb, 86_400 * 32).await;
    assert_eq!(get(&sb, "/me", &k).await.status, 200);
    sb.shutdown().await;
}

#[tokio::test]
async fn limits_change_at_runtime_and_short_windows_work() {
    let sb = sandbox().await; // lifted
    let k = key(&sb, TAYLOR);
    let r = admin(
        &sb,
        "POST",
        "/_sandbox/limits",
        json!({"perMinute": 2, "windowMs": 800}),
    )
    .await;
    assert_eq!(r.json["perMinute"], 2);
    assert_eq!(get(&sb, "/me", &k).await.status, 200);
    assert_eq!(get(&sb, "/me", &k).await.status, 200);
    let r = get(&sb, "/me", &k).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.header("ratelimit-policy"), Some("2;w=1"));
    advance_clock(&sb, 900).await;
    assert_eq!(get(&sb, "/me", &k).await.status, 200);
    // Sandbox endpoints are never limited.
    for _ in 0..5 {
        admin(&sb, "GET", "/_sandbox/limits", json!({})).await;
    }
    admin(&sb, "POST", "/_sandbox/limits", json!({"lifted": true})).await;
    for _ in 0..5 {
        assert_eq!(get(&sb, "/me", &k).await.status, 200);
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn concurrent_requests_are_counted_exactly() {
    let (sb, k) = started_as(limited(150, 1_000, 1_000_000), TAYLOR).await;
    let c = client();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..200 {
        let rb = c.get(format!("{}/me", sb.url())).header("x-api-key", &k);
        set.spawn(async move { rb.send().await.map(|r| r.status().as_u16()).unwrap_or(0) });
    }
    let mut ok = 0;
    let mut limited_n = 0;
    while let Some(s) = set.join_next().await {
        match s.unwrap() {
            200 => ok += 1,
            429 => limited_n += 1,
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!((ok, limited_n), (150, 50));
    advance_secs(&sb, 61).await;
    let r = get(&sb, "/me", &k).await;
    let op = r.api_usage();
    assert_eq!(op["usage"], 151);
    sb.shutdown().await;
}

/// At the end of a UTC month: the allowance is used up, then the month turns and both the
/// counter and the `*-Month` headers start over.
async fn monthly_counter_resets_at(last_seconds: &str, next_month: &str) {
    let (sb, k) = started_as(limited(300, 10, 3), TAYLOR).await;
    set_clock(&sb, last_seconds).await;
    for left in [2, 1, 0] {
        let r = get(&sb, "/me", &k).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.num("ratelimit-remaining-month"), left);
        assert_eq!(r.num("x-ratelimit-remaining-month"), left);
    }
    let r = get(&sb, "/me", &k).await;
    assert_eq!(r.status, 429, "{last_seconds}: used up");
    assert_eq!(r.json["error"]["name"], "serviceLimitExhausted");
    // Still the same month one second before midnight UTC.
    let clock = sandbox_clock(&sb).await;
    let month_of = |iso: &str| iso[..7].to_owned();
    assert_eq!(
        month_of(clock["now"].as_str().unwrap()),
        month_of(last_seconds)
    );
    set_clock(&sb, next_month).await;
    let r = get(&sb, "/me", &k).await;
    assert_eq!(r.status, 200, "{next_month}: a new month");
    assert_eq!(r.num("ratelimit-limit-month"), 3);
    assert_eq!(r.num("ratelimit-remaining-month"), 2);
    let usage = set_usage(&sb, TAYLOR, 1).await;
    assert_eq!(usage.json["month"], month_of(next_month));
    sb.shutdown().await;
}

#[tokio::test]
async fn the_monthly_counter_resets_at_each_utc_month_boundary() {
    // February of a common year, 29 February of a leap year, and the turn of the year.
    monthly_counter_resets_at("2027-02-28T23:59:50Z", "2027-03-01T00:00:00Z").await;
    monthly_counter_resets_at("2028-02-29T23:59:50Z", "2028-03-01T00:00:00Z").await;
    monthly_counter_resets_at("2028-12-31T23:59:50Z", "2029-01-01T00:00:00Z").await;
}

#[tokio::test]
async fn the_per_minute_window_does_not_depend_on_the_month() {
    // A window that spans midnight at the turn of the year still counts as one window, and
    // the month's counter starts over inside it.
    let (sb, k) = started_as(limited(2, 100, 1_000), TAYLOR).await;
    set_clock(&sb, "2028-12-31T23:59:30Z").await;
    assert_eq!(get(&sb, "/me", &k).await.status, 200);
    set_clock(&sb, "2029-01-01T00:00:10Z").await;
    let r = get(&sb, "/me", &k).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.num("ratelimit-remaining"), 0, "same 60 s window");
    assert_eq!(r.num("ratelimit-remaining-month"), 999, "new month");
    assert_eq!(get(&sb, "/me", &k).await.status, 429);
    advance_clock(&sb, 21_000).await;
    assert_eq!(get(&sb, "/me", &k).await.status, 200);
    sb.shutdown().await;
}
