//! Pacing: bursts never provoke a 429 and finish close to the theoretical minimum; limits are
//! learned from headers; callers wait FIFO; the meters show the wait.

#[path = "support.rs"]
mod support;

use postman_client::*;
use postman_sandbox::Limits;
use serde_json::json;
use std::future::Future;
use std::time::Duration;
use support::*;

/// The two classes of calls the sandbox and the client pace separately.
#[derive(Clone, Copy)]
enum Class {
    /// The per-minute budget of every call.
    All,
    /// The heavy endpoints' own budget.
    Heavy,
}

/// Sandbox limits of `per` calls of `class` a `window` (the other limits lifted), and the
/// client pacing that knows them in advance.
fn limits_and_pacing(class: Class, per: u64, window: Duration) -> (Limits, Pacing) {
    match class {
        Class::All => (
            Limits {
                per_minute: per,
                window,
                ..Limits::lifted()
            },
            Pacing {
                per_window: per,
                window,
                ..Pacing::default()
            },
        ),
        Class::Heavy => (
            Limits {
                heavy_limit: per,
                heavy_window: window,
                ..Limits::lifted()
            },
            Pacing {
                heavy_limit: per,
                heavy_window: window,
                ..Pacing::default()
            },
        ),
    }
}

/// A sandbox with those limits and a client for Taylor paced for them.
async fn paced(class: Class, per: u64, window: Duration) -> (postman_sandbox::Sandbox, Client) {
    let (limits, pacing) = limits_and_pacing(class, per, window);
    let sb = sandbox_with(limits).await;
    let c = client_with(&sb, TAYLOR, |cfg| cfg.pacing = pacing);
    (sb, c)
}

fn count_429(c: &Client) -> usize {
    c.activity()
        .entries()
        .iter()
        .filter(|e| e.status == Some(429))
        .count()
}

/// The send times (epoch ms, from the activity log) of the client's calls, in order.
fn send_times(c: &Client) -> Vec<u64> {
    let mut t: Vec<u64> = c.activity().entries().iter().map(|e| e.time).collect();
    t.sort_unstable();
    t
}

/// No call of window `k` (of `per` calls each) left before `k` windows had passed since the
/// first one: the pacing's exact lower bound, read from when each call was really sent. (How
/// close to that minimum the governor gets is measured on a paused clock in its unit tests.)
fn assert_windows(times: &[u64], per: usize, window: Duration) {
    let first = times[0];
    for (i, t) in times.iter().enumerate() {
        let k = (i / per) as u64;
        assert!(
            *t >= first + k * window.as_millis() as u64,
            "call {i} sent {} ms after the first, before window {k} opened",
            t - first
        );
    }
}

/// `n` distinct calls at once (`call(client, i)` makes the i-th; identical ones would be
/// collapsed into one by the cache) through a client paced for `per` calls of `class` a
/// `window`, against a sandbox with those limits: none meets a 429, none is retried, none is
/// sent before its window opened. Returns the send times.
async fn burst<F>(
    class: Class,
    per: u64,
    window: Duration,
    n: usize,
    call: impl Fn(Client, usize) -> F,
) -> Vec<u64>
where
    F: Future<Output = Result<(), Error>> + Send + 'static,
{
    let (sb, c) = paced(class, per, window).await;
    all_at_once(n, 20, |i| call(c.clone(), i)).await;
    assert_eq!(count_429(&c), 0, "no 429");
    assert_eq!(c.activity().len(), n, "no retries were needed");
    let times = send_times(&c);
    assert_windows(&times, per as usize, window);
    sb.shutdown().await;
    times
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn burst_of_50_heavy_calls_meets_no_429() {
    let window = Duration::from_millis(200);
    let times = burst(Class::Heavy, 10, window, 50, |c, i| async move {
        let q = CollectionQuery {
            limit: Some(1),
            offset: Some(i as u32),
            ..Default::default()
        };
        c.get_collections(&q, true).await.map(drop)
    })
    .await;
    println!(
        "burst of 50: {} ms from the first call to the last vs the minimum of {} ms",
        times[49] - times[0],
        window.as_millis() * 4
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_minute_window_is_respected() {
    let window = Duration::from_millis(300);
    burst(Class::All, 5, window, 20, |c, i| async move {
        let workspace = format!("w{i}");
        c.get_environments(Some(&workspace), true).await.map(drop)
    })
    .await;
}

#[tokio::test]
async fn learns_limits_and_foreign_usage_from_headers() {
    // The client assumes the real 300/60 s; the server says 5 per 1 s.
    let (limits, _) = limits_and_pacing(Class::All, 5, Duration::from_millis(1000));
    let sb = sandbox_with(limits).await;
    let c = client(&sb, TAYLOR);
    // Someone else (another app with the same key) uses 3 of the 5 first.
    let raw = raw_key(&sb, TAYLOR);
    let http = reqwest::Client::new();
    for _ in 0..3 {
        let r = http
            .get(format!("{}/me", sb.url()))
            .header("x-api-key", &raw)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    for _ in 0..8 {
        bounded(10, c.get_environments(None, true)).await.unwrap();
    }
    assert_eq!(
        count_429(&c),
        0,
        "{}",
        postman_client::ActivityLog::json(&c.activity().entries())
    );
    let m = c.meters().borrow().clone();
    assert_eq!(m.rate_limit, 5);
    assert!(m.month_limit.is_some() && m.month_remaining.is_some());
    sb.shutdown().await;
}

#[tokio::test]
async fn fifo_queue_and_waiting_meter() {
    let window = Duration::from_millis(150);
    let (sb, c) = paced(Class::Heavy, 2, window).await;
    let mut meters = c.meters();
    let watcher = tokio::spawn(async move {
        let mut saw_wait = false;
        let mut max_queued = 0;
        while meters.changed().await.is_ok() {
            let m = meters.borrow().clone();
            saw_wait |= m.waiting_until.is_some();
            max_queued = max_queued.max(m.queued);
            if saw_wait && max_queued >= 4 {
                break;
            }
        }
        (saw_wait, max_queued)
    });
    let mut tasks = Vec::new();
    for i in 0..8 {
        let c = c.clone();
        tasks.push(tokio::spawn(async move {
            let q = CollectionQuery {
                name: Some(format!("t{i}")),
                ..Default::default()
            };
            c.get_collections(&q, true).await
        }));
        // On this single-threaded runtime the caller runs until it waits: by then it holds its
        // place in the queue (or its permit), so the next one arrives after it.
        tokio::task::yield_now().await;
    }
    for t in tasks {
        bounded(20, t).await.unwrap().unwrap();
    }
    let (saw_wait, max_queued) = bounded(5, watcher).await.unwrap();
    assert!(saw_wait, "the meter showed the wait");
    assert!(max_queued >= 4, "{max_queued}");
    // Entries are logged on completion; their send times must follow the arrival order.
    let sent = |i: usize| {
        let p = format!("/collections?name=t{i}");
        c.activity()
            .entries()
            .iter()
            .find(|e| e.path == p)
            .map(|e| e.time)
            .unwrap()
    };
    for i in 0..7 {
        assert!(sent(i) <= sent(i + 1), "t{i} sent after t{}", i + 1);
    }
    // Two per window: t2 waited for the second window, t4 for the third.
    assert!(
        sent(2) >= sent(0) + 140 && sent(4) >= sent(2) + 140,
        "{}",
        postman_client::ActivityLog::json(&c.activity().entries())
    );
    assert_eq!(count_429(&c), 0);
    sb.shutdown().await;
}

#[tokio::test]
async fn rate_limited_read_storm_is_waited_out_and_bounded() {
    let (sb, c) = limited_sandbox_and_taylor(json!({"windowMs": 300})).await;
    // More 429s than the client is willing to wait out: a clear RateLimited error, bounded.
    add_fault_for(&sb, "GET /me", 10, json!({"storm429": true})).await;
    let e = bounded(15, c.get_me(true)).await.unwrap_err();
    assert_eq!(e.code(), "api.rateLimited");
    assert_eq!(c.activity().len(), 4, "1 try + 3 waits");
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_keys_of_one_user_share_a_governor() {
    let window = Duration::from_millis(250);
    let (limits, pacing) = limits_and_pacing(Class::All, 4, window);
    let sb = sandbox_with(limits).await;
    let second = mint_api_key(&sb, TAYLOR).await;
    let gov = Governor::new(pacing, sb.clock());
    let mut a = config(&sb, TAYLOR);
    a.governor = Some(gov.clone());
    let mut b = config(&sb, TAYLOR);
    b.key_name = "second key".into();
    b.api_key = Some(ApiKey::new(&second).unwrap());
    b.governor = Some(gov);
    let log = std::sync::Arc::new(ActivityLog::new(100));
    a.activity = Some(log.clone());
    b.activity = Some(log.clone());
    let (a, b) = (Client::new(a).unwrap(), Client::new(b).unwrap());
    // Six workspaces' environments, each asked by both keys in turn: a, b, a, b, …
    all_at_once(12, 20, |k| {
        let c = [&a, &b][k % 2].clone();
        async move { c.get_environments(Some(&format!("w{}", k / 2)), true).await }
    })
    .await;
    assert_eq!(
        log.entries()
            .iter()
            .filter(|e| e.status == Some(429))
            .count(),
        0
    );
    assert_eq!(log.len(), 12);
    assert!(log.entries().iter().any(|e| e.key_name == "second key"));
    sb.shutdown().await;
}
