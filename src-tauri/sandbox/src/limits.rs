//! Per-user rate limiting: fixed windows (per minute, and the 10-per-10-seconds class) and the
//! monthly quota, plus the header values every response carries.

use crate::policy;
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

/// Every limit the sandbox enforces; all are configurable (and settable at runtime through
/// `/_sandbox/limits`), so a test can hit any of them in milliseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Requests per user per `window` (real API: 300 per 60 s).
    pub per_minute: u64,
    pub window: Duration,
    /// Requests per user per `heavy_window` on `GET /collections`, `GET /workspaces`,
    /// `GET /workspaces/{id}` (real API: 10 per 10 s).
    pub heavy_limit: u64,
    pub heavy_window: Duration,
    /// API calls per user per calendar month (sandbox clock).
    pub monthly: u64,
    /// Requests monitor runs may send per user per calendar month (`monitor_request_runs`
    /// in `/me`; the spec's example: 15,000,000).
    pub monitor_runs_monthly: u64,
    /// How long `POST /monitors/{id}/run` waits for the run before it answers 202 (real
    /// API: 300 s).
    pub monitor_run_wait: Duration,
    /// Calls a mock URL answers per minute (real: 120), and the calls a user's mocks answer
    /// per calendar month (`mock_usage` in `/me`; the spec's example: 1,000,000).
    pub mock_per_minute: u64,
    pub mock_monthly: u64,
    /// Request body caps: collections 100 MB, environments 30 MB (→ 413).
    pub collection_body_max: usize,
    pub environment_body_max: usize,
    /// Cap for every other route's body.
    pub other_body_max: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_minute: 300,
            window: Duration::from_secs(60),
            heavy_limit: 10,
            heavy_window: Duration::from_secs(10),
            monthly: policy::DEFAULT_MONTHLY,
            monitor_runs_monthly: 15_000_000,
            monitor_run_wait: Duration::from_secs(300),
            mock_per_minute: 120,
            mock_monthly: 1_000_000,
            collection_body_max: 100 * 1024 * 1024,
            environment_body_max: 30 * 1024 * 1024,
            other_body_max: 10 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// No practical limit (headers are still sent): for the app's demo backend and for tests
    /// that are not about limits.
    pub fn lifted() -> Self {
        Limits {
            per_minute: 1_000_000_000,
            heavy_limit: 1_000_000_000,
            monthly: 1_000_000_000_000,
            ..Limits::default()
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Window {
    start: i64,
    count: u64,
}

/// One window's view, for headers.
#[derive(Debug, Clone, Copy)]
pub struct WindowView {
    pub limit: u64,
    pub remaining: u64,
    pub window_ms: i64,
    /// Epoch ms at which the window resets.
    pub reset_at: i64,
}

#[derive(Debug, Clone, Copy)]
pub struct Verdict {
    /// The window the headers describe.
    pub shown: WindowView,
    pub month_limit: u64,
    pub month_remaining: u64,
    pub refused: Option<Refusal>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Refusal {
    /// Per-minute or per-endpoint window full; retry at this epoch ms.
    RateLimited {
        retry_at: i64,
    },
    MonthlyExhausted,
}

#[derive(Debug, Default)]
pub struct Limiter {
    minute: HashMap<u64, Window>,
    heavy: HashMap<(u64, &'static str), Window>,
    /// `"<userId>:<YYYY-MM>"` → API calls counted that month (persisted).
    pub usage: BTreeMap<String, u64>,
}

/// Window length in ms, kept within 1 ms ..= 400 days.
fn ms(d: Duration) -> i64 {
    (d.as_millis().min(400 * 86_400_000) as i64).max(1)
}

fn view(w: Option<&Window>, limit: u64, window_ms: i64, now: i64) -> WindowView {
    match w {
        Some(w) if now < w.start + window_ms => WindowView {
            limit,
            remaining: limit.saturating_sub(w.count),
            window_ms,
            reset_at: w.start + window_ms,
        },
        _ => WindowView {
            limit,
            remaining: limit,
            window_ms,
            reset_at: now + window_ms,
        },
    }
}

fn bump(w: &mut Window, window_ms: i64, now: i64) {
    if now >= w.start + window_ms {
        w.start = now;
        w.count = 0;
    }
    w.count += 1;
}

impl Limiter {
    pub fn clear(&mut self) {
        self.minute.clear();
        self.heavy.clear();
    }

    /// Headers for a request that consumes nothing (401s, faults, sandbox-only reads).
    pub fn peek(
        &self,
        limits: &Limits,
        user: Option<u64>,
        heavy: Option<&'static str>,
        now: i64,
    ) -> WindowView {
        match (user, heavy) {
            (Some(u), Some(h)) if policy::HEAVY_HEADERS_DESCRIBE_CLASS => view(
                self.heavy.get(&(u, h)),
                limits.heavy_limit,
                ms(limits.heavy_window),
                now,
            ),
            (Some(u), _) => view(
                self.minute.get(&u),
                limits.per_minute,
                ms(limits.window),
                now,
            ),
            (None, Some(_)) if policy::HEAVY_HEADERS_DESCRIBE_CLASS => {
                view(None, limits.heavy_limit, ms(limits.heavy_window), now)
            }
            (None, _) => view(None, limits.per_minute, ms(limits.window), now),
        }
    }

    /// Checks and (when allowed) consumes one request of `user`. `month_used` is the user's
    /// usage this month before this request; the caller increments it when allowed.
    pub fn check(
        &mut self,
        limits: &Limits,
        user: u64,
        heavy: Option<&'static str>,
        month_used: u64,
        now: i64,
    ) -> Verdict {
        let wm = ms(limits.window);
        let hm = ms(limits.heavy_window);
        let minute = view(self.minute.get(&user), limits.per_minute, wm, now);
        let heavy_view =
            heavy.map(|h| view(self.heavy.get(&(user, h)), limits.heavy_limit, hm, now));
        let shown_before = match heavy_view {
            Some(h) if policy::HEAVY_HEADERS_DESCRIBE_CLASS => h,
            _ => minute,
        };
        let month_remaining = limits.monthly.saturating_sub(month_used);
        if month_used >= limits.monthly {
            return Verdict {
                shown: shown_before,
                month_limit: limits.monthly,
                month_remaining: 0,
                refused: Some(Refusal::MonthlyExhausted),
            };
        }
        let mut retry_at = None;
        if minute.remaining == 0 {
            retry_at = Some(minute.reset_at);
        }
        if let Some(h) = heavy_view {
            if h.remaining == 0 {
                retry_at = Some(retry_at.map_or(h.reset_at, |r: i64| r.max(h.reset_at)));
            }
        }
        if let Some(retry_at) = retry_at {
            return Verdict {
                shown: shown_before,
                month_limit: limits.monthly,
                month_remaining,
                refused: Some(Refusal::RateLimited { retry_at }),
            };
        }
        let w = self.minute.entry(user).or_insert(Window {
            start: now,
            count: 0,
        });
        bump(w, wm, now);
        if let Some(h) = heavy {
            let w = self.heavy.entry((user, h)).or_insert(Window {
                start: now,
                count: 0,
            });
            bump(w, hm, now);
        }
        let shown = match heavy {
            Some(h) if policy::HEAVY_HEADERS_DESCRIBE_CLASS => {
                view(self.heavy.get(&(user, h)), limits.heavy_limit, hm, now)
            }
            _ => view(self.minute.get(&user), limits.per_minute, wm, now),
        };
        Verdict {
            shown,
            month_limit: limits.monthly,
            month_remaining: month_remaining.saturating_sub(1),
            refused: None,
        }
    }
}
