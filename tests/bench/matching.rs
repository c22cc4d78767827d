//! Benchmark: the mock matching engine over a collection of 1,000 saved examples (250
//! requests × 4 examples; plain paths, `{{wildcard}}` segments, paths with IDs, query
//! parameters). Prints the `Mock::new` time, then requests per second for exact-path hits,
//! wildcard hits, query-scored hits, calls that match nothing (every example goes through
//! the distance step's filters) and `x-mock-response-name` picks. Medians of 7.
//! Run: `cargo bench -p postman-matching --bench matching`.

#[path = "timing.rs"]
mod timing;

use postman_matching::{Mock, Options, Outcome, RenderCtx, Request};
use serde_json::{json, Value};
use timing::time;

const REQUESTS: usize = 250;
const PER_REQUEST: usize = 4;
const CALLS: usize = 2_000;
const CODES: [u16; 4] = [200, 201, 404, 500];
const NOUNS: &[&str] = &[
    "users", "orders", "products", "invoices", "carts", "teams", "projects", "reports", "tickets",
    "events",
];

/// A letters-only resource name (digits would make the segment an ID).
fn noun(i: usize) -> String {
    let a = (b'a' + (i / 10 % 26) as u8) as char;
    let b = (b'a' + (i / 260 % 26) as u8) as char;
    format!("{}{a}{b}", NOUNS[i % NOUNS.len()])
}

/// Request `i`'s URL: four kinds in turn (`i % 4`).
fn url(i: usize, j: usize) -> String {
    let n = noun(i);
    match i % 4 {
        0 => format!("{{{{url}}}}/api/v1/{n}/list"),
        1 => format!("{{{{url}}}}/api/v1/{n}/{{{{itemId}}}}"),
        2 => format!("{{{{url}}}}/api/v1/{n}/items/{}", 1000 + i),
        _ => format!(
            "{{{{url}}}}/api/v1/{n}/search?q=term&page={}&size=20",
            j + 1
        ),
    }
}

fn collection() -> Value {
    let items: Vec<Value> = (0..REQUESTS)
        .map(|i| {
            let responses: Vec<Value> = (0..PER_REQUEST)
                .map(|j| {
                    let id = format!("{:08x}-{i:04}-{j}", i * 7919 + j);
                    json!({
                        "id": id, "uid": format!("12345-{id}"), "name": format!("example {i}-{j}"),
                        "code": CODES[j], "status": "OK",
                        "originalRequest": {"method": "GET", "url": url(i, j),
                            "header": [{"key": "Accept", "value": "application/json"}]},
                        "header": [{"key": "Content-Type", "value": "application/json"}],
                        "body": format!(r#"{{"request":{i},"example":{j},"item":"{{{{itemId}}}}","at":"{{{{$isoTimestamp}}}}","who":"{{{{$randomFullName}}}}"}}"#),
                    })
                })
                .collect();
            json!({"name": format!("request {i}"), "request": {"method": "GET", "url": url(i, 0)}, "response": responses})
        })
        .collect();
    let folders: Vec<Value> = items
        .chunks(25)
        .enumerate()
        .map(|(f, chunk)| json!({"name": format!("folder {f}"), "item": chunk}))
        .collect();
    json!({"info": {"name": "bench", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": folders, "variable": [{"key": "url", "value": "https://example.com"}]})
}

struct Call {
    path: String,
    query: Option<String>,
    headers: Vec<(String, String)>,
}

fn calls(kind: usize, make: impl Fn(usize) -> Call) -> Vec<Call> {
    (0..CALLS)
        .map(|k| make(k % (REQUESTS / 4) * 4 + kind))
        .collect()
}

fn plain(path: String) -> Call {
    Call {
        path,
        query: None,
        headers: Vec::new(),
    }
}

/// Requests per second over `calls`, and how many were served.
fn rate(mock: &Mock, calls: &[Call]) -> (f64, usize) {
    let opts = Options::default();
    let mut ctx = RenderCtx::new(1_795_000_000_000, 42);
    let mut served = 0;
    let d = time(7, || {
        served = 0;
        for c in calls {
            let req = Request {
                method: "GET",
                path: &c.path,
                query: c.query.as_deref(),
                headers: &c.headers,
                body: b"",
            };
            if let Outcome::Served(_) = mock.serve(&req, &opts, &mut ctx) {
                served += 1;
            }
        }
    });
    (calls.len() as f64 / d.as_secs_f64(), served)
}

fn main() {
    let doc = collection();
    let build = time(7, || Mock::new(&doc, None));
    let mock = Mock::new(&doc, None);
    assert_eq!(mock.example_count(), REQUESTS * PER_REQUEST);

    let exact = calls(0, |i| plain(format!("/api/v1/{}/list", noun(i))));
    let wild = calls(1, |i| plain(format!("/api/v1/{}/item-{i}", noun(i))));
    let query = calls(3, |i| Call {
        path: format!("/api/v1/{}/search", noun(i)),
        query: Some(format!("q=term&page={}&sort=asc", i % 4 + 1)),
        headers: Vec::new(),
    });
    // An example path's segments shuffled: the same length and letters, so the distance is
    // computed (the cheap bounds before it do not rule it out), and it is too far.
    let none = calls(0, |i| plain(format!("/api/list/{}/v1", noun(i))));
    let named = calls(2, |i| Call {
        path: "/anything".into(),
        query: None,
        headers: vec![(
            "x-mock-response-name".into(),
            format!("example {i}-{}", i % 4),
        )],
    });

    println!("Mock matching over {} examples ({REQUESTS} requests × {PER_REQUEST}), medians of 7, {CALLS} calls a sample\n", mock.example_count());
    println!("| measure | result |");
    println!("|---|---|");
    println!(
        "| `Mock::new` (prepare 1,000 examples) | {:.2} ms |",
        build.as_secs_f64() * 1e3
    );
    for (label, set) in [
        ("(a) exact-path hits", &exact),
        ("(b) wildcard hits", &wild),
        ("(c) query-scored hits", &query),
        ("(d) no match (distance step)", &none),
        ("(e) `x-mock-response-name`", &named),
    ] {
        let (rps, served) = rate(&mock, set);
        println!(
            "| {label} | {rps:.0} req/s ({served}/{} served) |",
            set.len()
        );
    }
}
