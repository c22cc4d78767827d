//! Benchmark: revoke 100 collection access keys at a tight per-minute limit and compare the wall
//! time with the theoretical minimum (fixed windows: `(ceil(100 / limit) - 1) × window`).
//! Goal: ≤ 1.1×. Run with `cargo bench -p postman-client --bench revoke`.

use postman_client::{ApiKey, Client, ClientConfig, Pacing, Region};
use postman_sandbox::{start, Config, Limits};
use serde_json::json;
use std::time::{Duration, Instant};

mod support;
use support::admin;

const KEYS: usize = 100;
const LIMIT: u64 = 10;
const WINDOW: Duration = Duration::from_millis(200);

async fn run_once() -> (Duration, usize) {
    let sb = start(Config {
        limits: Limits::lifted(),
        ..Config::default()
    })
    .await
    .expect("sandbox");
    let url = sb.url().to_string();
    let user = "taylor-lee";
    let key = ApiKey::new(sb.keys().get(user).expect("seeded user")).expect("key");
    let mut cfg = ClientConfig::new(Region::Sandbox(url.clone()), "bench", Some(key));
    cfg.pacing = Pacing {
        per_window: LIMIT,
        window: WINDOW,
        ..Pacing::default()
    };
    let c = Client::new(cfg).expect("client");
    let list = c
        .get_collections(&Default::default(), true)
        .await
        .expect("collections");
    let uid = list.data.collections[0].uid.clone().expect("uid");
    let mut ids = Vec::new();
    for _ in 0..KEYS {
        let k = admin(
            &sb,
            reqwest::Method::POST,
            "/_sandbox/access-keys",
            json!({"collection": uid}),
        )
        .await;
        ids.push(k["id"].as_str().expect("id").to_string());
    }
    admin(
        &sb,
        reqwest::Method::POST,
        "/_sandbox/limits",
        json!({"perMinute": LIMIT, "windowMs": WINDOW.as_millis() as u64}),
    )
    .await;
    // Let any window opened by the setup calls close.
    tokio::time::sleep(WINDOW * 2).await;
    let before = c.activity().len();
    let t0 = Instant::now();
    let tasks: Vec<_> = ids
        .into_iter()
        .map(|id| {
            let c = c.clone();
            tokio::spawn(async move { c.delete_access_key(&id).await })
        })
        .collect();
    for t in tasks {
        t.await.expect("task").expect("revoked");
    }
    let elapsed = t0.elapsed();
    let n429 = c.activity().entries()[before..]
        .iter()
        .filter(|e| e.status == Some(429))
        .count();
    sb.shutdown().await;
    (elapsed, n429)
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let theoretical = WINDOW * ((KEYS as u32).div_ceil(LIMIT as u32) - 1);
    let mut ratios = Vec::new();
    for i in 0..3 {
        let (elapsed, n429) = rt.block_on(run_once());
        let ratio = elapsed.as_secs_f64() / theoretical.as_secs_f64();
        println!(
            "run {i}: revoked {KEYS} keys at {LIMIT}/{WINDOW:?} in {elapsed:?}; theoretical minimum {theoretical:?}; ratio {ratio:.3}x; 429s: {n429}"
        );
        ratios.push(ratio);
    }
    ratios.sort_by(f64::total_cmp);
    println!("median ratio: {:.3}x (goal ≤ 1.1x)", ratios[1]);
}
