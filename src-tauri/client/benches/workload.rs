//! Benchmark (issue 15): a scripted 1,000-action workload — browse, open, edit, save, revoke —
//! against the sandbox at the real API's limits (300 calls per 60 s; 10 per 10 s on
//! `GET /collections`), run one action after another as a script or a busy user would. Prints
//! the 429s the server gave (goal: none) and the wall time beside the minimum the limits allow
//! for the same sequence of calls (goal: ≤ 1.1×). The minimum replays the sequence through the
//! sandbox's own fixed-window rule with zero latency. Every run takes at least that minimum in
//! real time (about 2.5 minutes). Run: `cargo bench -p postman-client --bench workload`
//! (`POSTDESK_BENCH_RUNS`, default 3; medians printed).

use postman_client::{ApiKey, Client, ClientConfig, Region};
use postman_sandbox::{start, Config, Limits};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

mod support;
use support::admin;

/// One cycle of the script: 20 actions, repeated 50 times.
const CYCLE: [Action; 20] = {
    use Action::*;
    [
        Browse, Open, Edit, Save, Open, Edit, Save, Revoke, Open, Edit, Save, Open, Edit, Save,
        Open, Edit, Revoke, Open, Edit, Save,
    ]
};
const CYCLES: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    /// `GET /collections` (the heavy class).
    Browse,
    /// `GET /collections/{uid}`.
    Open,
    /// A change to the open document, made locally (no call).
    Edit,
    /// `PUT /collections/{uid}`.
    Save,
    /// `DELETE /collection-access-keys/{id}`.
    Revoke,
}

impl Action {
    /// `None`: no call; `Some(true)`: a call in the heavy class.
    fn call(self) -> Option<bool> {
        match self {
            Action::Browse => Some(true),
            Action::Edit => None,
            _ => Some(false),
        }
    }
}

/// The earliest the last call of `calls` (heavy or not, in order, one after another) can start
/// under fixed windows that open with the first call after the previous one ended — the rule of
/// `postman_sandbox`'s limiter — if every call took no time.
fn minimum(calls: &[bool], limits: &Limits) -> Duration {
    #[derive(Clone, Copy)]
    struct W {
        start: Duration,
        count: u64,
    }
    let open = |w: &Option<W>, len: Duration, t: Duration| w.filter(|w| t < w.start + len);
    let (mut minute, mut heavy): (Option<W>, Option<W>) = (None, None);
    let mut t = Duration::ZERO;
    for &is_heavy in calls {
        loop {
            if let Some(w) = open(&minute, limits.window, t) {
                if w.count >= limits.per_minute {
                    t = w.start + limits.window;
                    continue;
                }
            }
            if is_heavy {
                if let Some(w) = open(&heavy, limits.heavy_window, t) {
                    if w.count >= limits.heavy_limit {
                        t = w.start + limits.heavy_window;
                        continue;
                    }
                }
            }
            break;
        }
        let bump = |w: &mut Option<W>, len: Duration| {
            *w = Some(match open(w, len, t) {
                Some(w) => W {
                    count: w.count + 1,
                    ..w
                },
                None => W { start: t, count: 1 },
            });
        };
        bump(&mut minute, limits.window);
        if is_heavy {
            bump(&mut heavy, limits.heavy_window);
        }
    }
    t
}

struct Run {
    elapsed: Duration,
    calls: usize,
    n429: usize,
}

async fn run_once(script: &[Action]) -> Run {
    // The real limits from the first call on; the set-up goes through `/_sandbox/`, which
    // consumes none of them.
    let sb = start(Config {
        limits: Limits::default(),
        ..Config::default()
    })
    .await
    .expect("sandbox");
    let key = ApiKey::new(sb.keys().get("taylor-lee").expect("seeded user")).expect("key");
    let mut cfg = ClientConfig::new(Region::Sandbox(sb.url().to_string()), "bench", Some(key));
    cfg.timeout = Duration::from_secs(30);
    let c = Client::new(cfg).expect("client");

    let t0 = Instant::now();
    let mut uids: Vec<String> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    let mut open: Option<(String, Value)> = None;
    for (n, action) in script.iter().enumerate() {
        match action {
            Action::Browse => {
                let list = c
                    .get_collections(&Default::default(), true)
                    .await
                    .expect("browse");
                uids = list
                    .data
                    .collections
                    .iter()
                    .filter_map(|s| s.uid.clone())
                    .collect();
                assert!(!uids.is_empty(), "the seeded user has collections");
                if keys.is_empty() {
                    // Access keys to revoke, made by the sandbox's admin route: no limit counts
                    // them, but their time is in the wall time (the ratio can only be worse).
                    for i in 0..script.iter().filter(|a| **a == Action::Revoke).count() {
                        let k = admin(
                            &sb,
                            reqwest::Method::POST,
                            "/_sandbox/access-keys",
                            json!({"collection": uids[i % uids.len()]}),
                        )
                        .await;
                        keys.push(k["id"].as_str().expect("id").to_string());
                    }
                }
            }
            Action::Open => {
                let uid = uids[n % uids.len()].clone();
                let doc = c.get_collection(&uid, false, true).await.expect("open");
                open = Some((uid, doc.data.raw));
            }
            Action::Edit => {
                let (_, doc) = open.as_mut().expect("a document is open");
                doc["info"]["description"] = json!(format!("Edited by the workload, action {n}"));
            }
            Action::Save => {
                let (uid, doc) = open.as_ref().expect("a document is open");
                c.put_collection(uid, doc.clone()).await.expect("save");
            }
            Action::Revoke => {
                let id = keys.pop().expect("a key to revoke");
                c.delete_access_key(&id).await.expect("revoke");
            }
        }
    }
    let elapsed = t0.elapsed();
    let entries = c.activity().entries();
    let run = Run {
        elapsed,
        calls: entries.len(),
        n429: entries.iter().filter(|e| e.status == Some(429)).count(),
    };
    sb.shutdown().await;
    run
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let runs: usize = std::env::var("POSTDESK_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1);
    let script: Vec<Action> = (0..CYCLES).flat_map(|_| CYCLE).collect();
    let calls: Vec<bool> = script.iter().filter_map(|a| a.call()).collect();
    let heavy = calls.iter().filter(|h| **h).count();
    let least = minimum(&calls, &Limits::default());
    println!(
        "{} actions, {} calls ({heavy} in the heavy class); the limits allow them in {least:?} at the least",
        script.len(),
        calls.len()
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (mut times, mut ratios, mut n429s) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..runs {
        let run = rt.block_on(run_once(&script));
        let ratio = run.elapsed.as_secs_f64() / least.as_secs_f64();
        println!(
            "run {i}: {} calls in {:.1} s; {ratio:.3}× the minimum; 429s: {}",
            run.calls,
            run.elapsed.as_secs_f64(),
            run.n429
        );
        times.push(run.elapsed.as_secs_f64());
        ratios.push(ratio);
        n429s.push(run.n429 as f64);
    }
    println!(
        "median of {runs}: {:.1} s, {:.3}× the minimum (goal ≤ 1.1×), {} × 429 (goal 0)",
        median(times),
        median(ratios),
        median(n429s)
    );
}
