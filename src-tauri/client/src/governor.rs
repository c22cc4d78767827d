//! Pacing: never send a request that is known to be refused.
//!
//! One [`Governor`] per API key. It models the server's fixed windows: the per-user window
//! (300 per 60 s) and, per endpoint, the 10-per-10-s class (`GET /collections`,
//! `GET /workspaces`, `GET /workspaces/{id}`). A window is anchored conservatively: the server
//! opens it when the first request of the window *arrives*, which is no later than the moment
//! its response comes back, so the engine counts the window from that response. Every response's
//! headers (both families: `X-RateLimit-*` with an epoch `…-Reset`, `RateLimit-*`/`RateLimit`
//! with seconds; an epoch-looking value is always read as an epoch) correct the model when
//! someone else uses the key, and `*-Month` headers feed the monthly meter.
//!
//! Callers queue FIFO (a fair `tokio::sync::Mutex`): the head of the queue sleeps until its
//! permit is certain; [`MeterSnapshot::waiting_until`] says how long. After a
//! `serviceLimitExhausted` 429 (or a `…-Remaining-Month: 0` header) the key is blocked until the
//! UTC month changes or [`Governor::clear_quota_block`] is called.

use crate::error::Error;
pub use crate::headers::{heavy_class, RateHeaders, MAX_SERVER_WAIT};
use postdesk_base::SharedClock;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;

/// The limits the governor assumes before headers say otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct Pacing {
    pub per_window: u64,
    pub window: Duration,
    pub heavy_limit: u64,
    pub heavy_window: Duration,
}

impl Default for Pacing {
    /// The real API: 300 per 60 s; 10 per 10 s on the heavy endpoints.
    fn default() -> Self {
        Pacing {
            per_window: 300,
            window: Duration::from_secs(60),
            heavy_limit: 10,
            heavy_window: Duration::from_secs(10),
        }
    }
}

/// One rate-limit class as the meters show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClassMeter {
    pub class: String,
    pub limit: u64,
    pub remaining: u64,
    /// Epoch ms; `None` when no window is open.
    pub reset_at: Option<u64>,
}

/// What the meters show for one key (crosses IPC; camelCase).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeterSnapshot {
    pub rate_limit: u64,
    pub rate_remaining: u64,
    /// Epoch ms at which the current per-minute window closes.
    pub rate_reset_at: Option<u64>,
    /// Epoch ms until which the head of the queue is waiting for the rate limit.
    pub waiting_until: Option<u64>,
    /// Callers queued behind the rate limit (including the head).
    pub queued: u64,
    pub month_limit: Option<u64>,
    pub month_remaining: Option<u64>,
    /// True while the key is blocked because the monthly allowance is used up.
    pub quota_blocked: bool,
    pub classes: Vec<ClassMeter>,
}

impl MeterSnapshot {
    /// "Waiting 3 s for the rate limit" while callers wait (at `now_ms`, epoch ms), else `None`.
    pub fn waiting_text(&self, now_ms: u64) -> Option<String> {
        let until = self.waiting_until.filter(|u| *u > now_ms)?;
        let secs = (until - now_ms).div_ceil(1000);
        Some(format!("Waiting {secs} s for the rate limit"))
    }
}

/// The header meters (a UI-shaped copy of the client's snapshot). Times are durations from the
/// moment the snapshot was taken, so the UI counts them down on its own clock, whatever the date
/// on either side.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Meters {
    /// Per-minute limit learnt from the last answer; 0 before the first call.
    pub rate_limit: u32,
    pub rate_remaining: u32,
    /// Milliseconds until the per-minute window resets (`None`: no window open).
    pub rate_reset_in_ms: Option<f64>,
    /// Milliseconds a call still waits for the rate limit (`None`: nothing waits).
    pub waiting_ms: Option<f64>,
    /// Calls queued behind the rate limit.
    pub queued: u32,
    pub month_limit: Option<f64>,
    pub month_remaining: Option<f64>,
    /// The monthly allowance is used up: no calls until it resets.
    pub quota_blocked: bool,
}

fn clamp_u32(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

impl Meters {
    /// The meters of `s` as seen at `now_ms` (epoch ms on the engine's clock).
    pub fn of(s: &MeterSnapshot, now_ms: u64) -> Self {
        let until = |at: Option<u64>| at.filter(|at| *at > now_ms).map(|at| (at - now_ms) as f64);
        Meters {
            rate_limit: clamp_u32(s.rate_limit),
            rate_remaining: clamp_u32(s.rate_remaining),
            rate_reset_in_ms: until(s.rate_reset_at),
            waiting_ms: until(s.waiting_until),
            queued: clamp_u32(s.queued),
            month_limit: s.month_limit.map(|v| v as f64),
            month_remaining: s.month_remaining.map(|v| v as f64),
            quota_blocked: s.quota_blocked,
        }
    }
}

#[derive(Debug, Clone)]
struct Bucket {
    limit: u64,
    window: Duration,
    end: Option<Instant>,
    /// The window was opened by a request whose response has not come back yet.
    pending: bool,
    used: u64,
    generation: u64,
}

impl Bucket {
    fn new(limit: u64, window: Duration) -> Self {
        Bucket {
            limit: limit.max(1),
            window: window.clamp(Duration::from_millis(1), MAX_SERVER_WAIT),
            end: None,
            pending: false,
            used: 0,
            generation: 0,
        }
    }
    fn roll(&mut self, now: Instant) {
        if let Some(e) = self.end {
            if now >= e && !self.pending {
                self.end = None;
                self.used = 0;
            }
        }
    }
    /// When a permit becomes possible (`None`: now).
    fn ready_at(&mut self, now: Instant) -> Option<Instant> {
        self.roll(now);
        if self.used < self.limit {
            return None;
        }
        match self.end {
            Some(e) if e > now => Some(e),
            // Window full, its anchor still in flight: poll shortly.
            _ => Some(now + Duration::from_millis(2)),
        }
    }
    fn grant(&mut self, now: Instant) -> (u64, bool) {
        self.roll(now);
        let opened = self.end.is_none();
        if opened {
            self.generation += 1;
            self.end = Some(now + self.window);
            self.pending = true;
        }
        self.used += 1;
        (self.generation, opened)
    }
    fn observe(&mut self, generation: u64, opened: bool, recv: Instant, h: &RateHeaders) {
        if let Some(l) = h.limit.filter(|l| *l > 0) {
            self.limit = l;
        }
        if let Some(w) = h.window {
            // `w=` is in whole seconds: only a real difference changes the window.
            if w.as_secs() != self.window.as_secs_f64().ceil() as u64 {
                self.window = w;
            }
        }
        if generation == self.generation {
            // The first answer of the window (whichever request it is) bounds the server's
            // anchor: that request arrived inside the window, so the window opened no later.
            let _ = opened;
            if self.pending {
                self.end = Some(recv + self.window);
                self.pending = false;
            }
            if let Some(rem) = h.remaining {
                let server_used = self.limit.saturating_sub(rem);
                let server_end = h.reset.map(|r| recv + r);
                match (server_end, self.end) {
                    // The server's window closes clearly before ours (reset values are whole
                    // seconds): it opened after ours, e.g. because its limits changed. The
                    // server is authoritative about its window: follow it.
                    (Some(theirs), Some(ours)) if theirs + Duration::from_secs(1) < ours => {
                        self.end = Some(theirs);
                        self.used = server_used;
                    }
                    _ if server_used > self.used => {
                        self.used = server_used;
                        if let Some(e) = server_end {
                            self.end = Some(self.end.map_or(e, |x| x.max(e)));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    fn failed(&mut self, generation: u64, opened: bool, recv: Instant) {
        let _ = opened;
        if generation == self.generation && self.pending {
            // Unknown whether the server counted it: assume it did, anchored now.
            self.end = Some(recv + self.window);
            self.pending = false;
        }
    }
    fn refused(&mut self, recv: Instant, retry_after: Duration) {
        // The server is authoritative about when it accepts again.
        self.used = self.limit;
        self.pending = false;
        self.end = Some(recv + retry_after);
    }
}

/// What happened to a permitted request.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// An HTTP answer (any status) with its headers.
    Answered {
        headers: RateHeaders,
        rate_limited: bool,
        quota_exhausted: bool,
    },
    /// No usable answer (connection, timeout).
    Failed,
}

struct State {
    minute: Bucket,
    heavy: BTreeMap<&'static str, Bucket>,
    pacing: Pacing,
    /// The UTC month (year, month) in which the monthly allowance ran out.
    quota_block: Option<(i32, u8)>,
    month_limit: Option<u64>,
    month_remaining: Option<u64>,
    waiting_until: Option<Instant>,
    queued: u64,
}

/// Per-key pacing (see the module docs).
pub struct Governor {
    clock: SharedClock,
    queue: tokio::sync::Mutex<()>,
    state: Mutex<State>,
    meter: watch::Sender<MeterSnapshot>,
}

impl std::fmt::Debug for Governor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Governor")
            .field("meters", &*self.meter.borrow())
            .finish()
    }
}

/// The right to send one request; report its outcome with [`Governor::finish`]. Dropping it
/// unreported (a cancelled call) counts the request as sent.
pub struct Permit {
    gov: Arc<Governor>,
    minute: (u64, bool),
    heavy: Option<(&'static str, u64, bool)>,
    done: bool,
}

impl Drop for Permit {
    fn drop(&mut self) {
        if !self.done {
            self.done = true;
            let gov = self.gov.clone();
            gov.apply(self, Outcome::Failed);
        }
    }
}

/// The wall-clock time (epoch ms) of a monotonic instant, `now` being `(now_instant, now_ms)`.
fn to_epoch(i: Instant, now: (Instant, u64)) -> u64 {
    let (at, ms) = now;
    if i >= at {
        ms + (i - at).as_millis() as u64
    } else {
        ms.saturating_sub((at - i).as_millis() as u64)
    }
}

impl Governor {
    /// A governor assuming `pacing` until headers say otherwise. Windows and waits are measured
    /// with `tokio::time::Instant`; `clock` (the wall clock) dates the meters, reads epoch reset
    /// headers and tells when the UTC month changes.
    pub fn new(pacing: Pacing, clock: SharedClock) -> Arc<Self> {
        let st = State {
            minute: Bucket::new(pacing.per_window, pacing.window),
            heavy: BTreeMap::new(),
            pacing,
            quota_block: None,
            month_limit: None,
            month_remaining: None,
            waiting_until: None,
            queued: 0,
        };
        let (tx, _) = watch::channel(MeterSnapshot::default());
        let g = Arc::new(Governor {
            clock,
            queue: tokio::sync::Mutex::new(()),
            state: Mutex::new(st),
            meter: tx,
        });
        g.publish(&mut g.lock());
        g
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A receiver of this key's meters.
    pub fn meters(&self) -> watch::Receiver<MeterSnapshot> {
        self.meter.subscribe()
    }

    pub fn snapshot(&self) -> MeterSnapshot {
        self.meter.borrow().clone()
    }

    /// Lifts the monthly block (e.g. after the plan or usage changed).
    pub fn clear_quota_block(&self) {
        let mut st = self.lock();
        st.quota_block = None;
        st.month_remaining = None;
        self.publish(&mut st);
    }

    /// The clock this governor dates things with.
    pub fn clock(&self) -> &SharedClock {
        &self.clock
    }

    fn utc_month(&self) -> (i32, u8) {
        postdesk_base::clock::utc_month(self.clock.now_ms())
    }

    fn publish(&self, st: &mut State) {
        let now = Instant::now();
        let wall = (now, self.clock.now_ms_u64());
        let view = |b: &mut Bucket| {
            b.roll(now);
            let end = b.end.map(|e| to_epoch(e, wall));
            (b.limit, b.limit.saturating_sub(b.used), end)
        };
        let (rl, rr, re) = view(&mut st.minute);
        let classes = st
            .heavy
            .iter_mut()
            .map(|(k, b)| {
                let (limit, remaining, reset_at) = view(b);
                ClassMeter {
                    class: (*k).to_string(),
                    limit,
                    remaining,
                    reset_at,
                }
            })
            .collect();
        let snap = MeterSnapshot {
            rate_limit: rl,
            rate_remaining: rr,
            rate_reset_at: re,
            waiting_until: st
                .waiting_until
                .filter(|w| *w > now)
                .map(|w| to_epoch(w, wall)),
            queued: st.queued,
            month_limit: st.month_limit,
            month_remaining: st.month_remaining,
            quota_blocked: st.quota_block.is_some(),
            classes,
        };
        self.meter.send_if_modified(|old| {
            if *old == snap {
                false
            } else {
                *old = snap;
                true
            }
        });
    }

    fn check_quota(&self, st: &mut State) -> Result<(), Error> {
        if let Some(m) = st.quota_block {
            if m == self.utc_month() {
                return Err(Error::QuotaExhausted {
                    message: "(Refused locally: no request was sent.)".into(),
                });
            }
            st.quota_block = None;
            st.month_remaining = None;
        }
        Ok(())
    }

    /// Waits (FIFO) until a request of `class` is certain to be accepted, then takes a permit.
    pub async fn acquire(self: &Arc<Self>, class: Option<&'static str>) -> Result<Permit, Error> {
        {
            let mut st = self.lock();
            self.check_quota(&mut st)?;
            st.queued += 1;
            self.publish(&mut st);
        }
        struct Dequeue<'a>(&'a Governor);
        impl Drop for Dequeue<'_> {
            fn drop(&mut self) {
                let mut st = self.0.lock();
                st.queued = st.queued.saturating_sub(1);
                self.0.publish(&mut st);
            }
        }
        let _dq = Dequeue(self);
        let _turn = self.queue.lock().await;
        loop {
            let wait = {
                let mut st = self.lock();
                self.check_quota(&mut st)?;
                let now = Instant::now();
                let st = &mut *st;
                let a = st.minute.ready_at(now);
                let b = match class {
                    Some(c) => {
                        let p = &st.pacing;
                        let (l, w) = (p.heavy_limit, p.heavy_window);
                        st.heavy
                            .entry(c)
                            .or_insert_with(|| Bucket::new(l, w))
                            .ready_at(now)
                    }
                    None => None,
                };
                match a.max(b) {
                    None => {
                        let minute = st.minute.grant(now);
                        let heavy = class.and_then(|c| {
                            st.heavy.get_mut(c).map(|b| {
                                let (g, o) = b.grant(now);
                                (c, g, o)
                            })
                        });
                        st.waiting_until = None;
                        self.publish(st);
                        return Ok(Permit {
                            gov: self.clone(),
                            minute,
                            heavy,
                            done: false,
                        });
                    }
                    Some(t) => {
                        st.waiting_until = Some(t);
                        self.publish(st);
                        t
                    }
                }
            };
            tokio::time::sleep_until(wait).await;
        }
    }

    /// Reports what happened to a permitted request.
    pub fn finish(&self, mut permit: Permit, outcome: Outcome) {
        permit.done = true;
        self.apply(&permit, outcome);
    }

    fn apply(&self, p: &Permit, outcome: Outcome) {
        let recv = Instant::now();
        let mut st = self.lock();
        let st = &mut *st;
        match outcome {
            Outcome::Failed => {
                st.minute.failed(p.minute.0, p.minute.1, recv);
                if let Some((c, g, o)) = p.heavy {
                    if let Some(b) = st.heavy.get_mut(c) {
                        b.failed(g, o, recv);
                    }
                }
            }
            Outcome::Answered {
                headers,
                rate_limited,
                quota_exhausted,
            } => {
                let none = RateHeaders::default();
                // On heavy routes the headers describe the route's class, elsewhere the minute.
                match p.heavy {
                    Some((c, g, o)) => {
                        st.minute.observe(p.minute.0, p.minute.1, recv, &none);
                        if let Some(b) = st.heavy.get_mut(c) {
                            b.observe(g, o, recv, &headers);
                        }
                    }
                    None => st.minute.observe(p.minute.0, p.minute.1, recv, &headers),
                }
                if rate_limited {
                    let ra = headers
                        .retry_after
                        .or(headers.reset)
                        .unwrap_or(Duration::from_secs(1));
                    match p.heavy.and_then(|(c, _, _)| st.heavy.get_mut(c)) {
                        Some(b) => b.refused(recv, ra),
                        None => st.minute.refused(recv, ra),
                    }
                }
                if headers.month_limit.is_some() {
                    st.month_limit = headers.month_limit;
                }
                if headers.month_remaining.is_some() {
                    st.month_remaining = headers.month_remaining;
                }
                if quota_exhausted || headers.month_remaining == Some(0) {
                    st.quota_block = Some(self.utc_month());
                    st.month_remaining = Some(0);
                }
            }
        }
        self.publish(st);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: &str = "2026-11-23T10:00:00Z";

    fn answered() -> Outcome {
        Outcome::Answered {
            headers: RateHeaders::default(),
            rate_limited: false,
            quota_exhausted: false,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn paces_fixed_window_to_the_millisecond() {
        let (clock, _) = SharedClock::pinned(NOW);
        let g = Governor::new(
            Pacing {
                per_window: 3,
                window: Duration::from_millis(100),
                ..Pacing::default()
            },
            clock,
        );
        let t0 = Instant::now();
        let mut granted = Vec::new();
        for _ in 0..7 {
            let p = g.acquire(None).await.unwrap();
            granted.push(t0.elapsed().as_millis());
            g.finish(p, answered());
        }
        // Three per window: the 4th waits for the second window, the 7th for the third.
        assert_eq!(granted, [0, 0, 0, 100, 100, 100, 200]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_of_heavy_calls_takes_exactly_the_minimum() {
        let (clock, _) = SharedClock::pinned(NOW);
        let g = Governor::new(
            Pacing {
                heavy_limit: 10,
                heavy_window: Duration::from_secs(10),
                ..Pacing::default()
            },
            clock,
        );
        let t0 = Instant::now();
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let g = g.clone();
                tokio::spawn(async move {
                    let p = g.acquire(Some("GET /collections")).await.unwrap();
                    let at = t0.elapsed();
                    g.finish(p, answered());
                    at
                })
            })
            .collect();
        let mut last = Duration::ZERO;
        for t in tasks {
            last = last.max(t.await.unwrap());
        }
        // 50 calls at 10 per 10 s: the last window opens 40 s after the first.
        assert_eq!(last, Duration::from_secs(40));
    }

    #[tokio::test(start_paused = true)]
    async fn the_meters_say_how_long_the_head_of_the_queue_waits() {
        let (clock, _) = SharedClock::pinned(NOW);
        let now_ms = clock.now_ms_u64();
        let g = Governor::new(
            Pacing {
                per_window: 1,
                window: Duration::from_secs(60),
                ..Pacing::default()
            },
            clock,
        );
        let p = g.acquire(None).await.unwrap();
        g.finish(p, answered());
        let snap = g.snapshot();
        assert_eq!(snap.rate_remaining, 0);
        assert_eq!(snap.rate_reset_at, Some(now_ms + 60_000));
        let waiter = {
            let g = g.clone();
            tokio::spawn(async move { g.acquire(None).await.map(|p| g.finish(p, answered())) })
        };
        tokio::task::yield_now().await;
        let snap = g.snapshot();
        assert_eq!(snap.waiting_until, Some(now_ms + 60_000));
        assert_eq!(
            snap.waiting_text(now_ms + 1),
            Some("Waiting 60 s for the rate limit".into())
        );
        waiter.await.unwrap().unwrap();
        assert_eq!(g.snapshot().waiting_until, None);
    }

    /// The monthly block ends when the UTC month changes, on the governor's clock.
    async fn quota_block_lifts_at(month_end: &str, seconds_to_midnight: u64) {
        let (clock, pin) = SharedClock::pinned(month_end);
        let g = Governor::new(Pacing::default(), clock);
        let p = g.acquire(None).await.unwrap();
        g.finish(
            p,
            Outcome::Answered {
                headers: RateHeaders::default(),
                rate_limited: false,
                quota_exhausted: true,
            },
        );
        assert!(g.snapshot().quota_blocked);
        let refused = g.acquire(None).await.err().expect("blocked");
        assert_eq!(refused.code(), "api.quotaExhausted");
        pin.advance(Duration::from_secs(seconds_to_midnight - 1));
        assert!(g.acquire(None).await.is_err(), "still the same month");
        pin.advance(Duration::from_secs(1));
        let p = g.acquire(None).await.expect("a new month");
        g.finish(p, answered());
        assert!(!g.snapshot().quota_blocked);
    }

    #[tokio::test(start_paused = true)]
    async fn the_quota_block_ends_with_the_utc_month() {
        quota_block_lifts_at("2027-02-28T23:59:50Z", 10).await;
        quota_block_lifts_at("2028-02-29T23:59:00Z", 60).await;
        quota_block_lifts_at("2028-12-31T23:59:50Z", 10).await;
    }
}
