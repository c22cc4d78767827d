//! Benchmark (issue 17 figures): the run history with 10,000 runs of one monitor in a real
//! SQLite file. Storing each run (one transaction, pruning included), then the reads the
//! Monitors view makes: the newest page of 100 runs, the list's summaries (count, passes,
//! median latency, the last 30 runs), one run's details, every run for an export and the CSV
//! of them. Medians of 7. Run: `cargo bench -p postdesk-monitors --bench history`.

#[path = "timing.rs"]
mod timing;

use postdesk_monitors::export::to_csv;
use postdesk_monitors::{History, RunRecord};
use postman_client::MonitorRun;
use std::time::Instant;
use timing::time;

const RUNS: usize = 10_000;

fn run(i: usize) -> RunRecord {
    RunRecord {
        monitor_id: "m1".into(),
        job_id: format!("job-{i:06}"),
        started_at: 1_795_000_000_000 + i as i64 * 3_600_000,
        finished_at: Some(1_795_000_000_000 + i as i64 * 3_600_000 + 850),
        status: if i.is_multiple_of(7) {
            "failed"
        } else {
            "success"
        }
        .into(),
        trigger: Some("scheduled".into()),
        assertions_total: 5,
        assertions_failed: u32::from(i.is_multiple_of(7)),
        requests_total: 3,
        requests_failed: 0,
        errors: 0,
        latency_ms: Some(200 + (i % 500) as u32),
        size_bytes: Some(2048),
        has_details: true,
    }
}

fn main() {
    let details: MonitorRun = serde_json::from_value(serde_json::json!({
        "info": {"jobId": "x", "status": "failed"},
        "executions": (0..3).map(|i| serde_json::json!({"id": i + 1, "item": {"name": format!("request {i}")},
            "request": {"method": "GET", "url": "http://127.0.0.1:9/x"},
            "response": {"code": 200, "responseTime": 40, "responseSize": 512},
            "assertions": {"status is 200": true, "body ok": i != 2}})).collect::<Vec<_>>(),
        "failures": [{"executionId": 3, "name": "body ok", "message": "AssertionError: expected false to equal true"}]
    }))
    .expect("details");
    let dir = std::env::temp_dir().join(format!("postdesk-bench-history-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let h = History::open(&dir.join("history.db")).expect("history");
    let t = Instant::now();
    for i in 0..RUNS {
        h.record("acct", &run(i), Some(&details)).expect("record");
    }
    let fill = t.elapsed();
    println!("store {RUNS} runs, one transaction each (with details, pruning): {:.1} s, {:.0} µs per run", fill.as_secs_f64(), fill.as_micros() as f64 / RUNS as f64);
    let again = time(7, || h.record("acct", &run(RUNS / 2), None).expect("again"));
    println!(
        "a run seen again (stored once: nothing new): {:.0} µs",
        again.as_micros()
    );
    let page = time(7, || h.runs("acct", "m1", 100, None).expect("page"));
    println!(
        "newest page of 100 runs: {:.2} ms",
        page.as_secs_f64() * 1e3
    );
    let older = time(7, || {
        h.runs(
            "acct",
            "m1",
            100,
            Some(1_795_000_000_000 + 5_000 * 3_600_000),
        )
        .expect("older")
    });
    println!(
        "a page of 100 in the middle: {:.2} ms",
        older.as_secs_f64() * 1e3
    );
    let sums = time(7, || h.summaries("acct", 30).expect("summaries"));
    println!(
        "list summary (count, passes, median latency, last 30): {:.2} ms",
        sums.as_secs_f64() * 1e3
    );
    let one = time(7, || {
        h.details("acct", "m1", &format!("job-{:06}", RUNS - 1))
            .expect("details")
    });
    println!("one run's details: {:.2} ms", one.as_secs_f64() * 1e3);
    let all = time(7, || h.runs("acct", "m1", RUNS, None).expect("all"));
    println!("every run (export): {:.1} ms", all.as_secs_f64() * 1e3);
    let rows = h.runs("acct", "m1", RUNS, None).expect("all");
    let csv = time(7, || to_csv(&rows).expect("csv"));
    println!(
        "CSV of {} runs: {:.1} ms ({} KB)",
        rows.len(),
        csv.as_secs_f64() * 1e3,
        to_csv(&rows).expect("csv").len() / 1024
    );
    let size = std::fs::metadata(dir.join("history.db"))
        .map(|m| m.len())
        .unwrap_or(0)
        + std::fs::metadata(dir.join("history.db-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    println!("database on disk: {:.1} MB", size as f64 / 1e6);
    let _ = std::fs::remove_dir_all(&dir);
}
