//! Benchmark (issue 15, the collection list): 10,000 collections listed through `Library` from
//! the in-process sandbox over loopback, fresh (one `GET /collections`) and from the cache,
//! beside the client's own cached read and the JSON the IPC sends (the rows as columns). Run:
//! `cargo bench -p postdesk-library --bench list` (release settings). Prints medians of N.

use std::time::Instant;

use postdesk_library::{CollectionColumns, Library};
use postman_client::CollectionQuery;
use postman_sandbox::{Config, Limits};
use serde_json::json;

#[path = "on_sandbox.rs"]
mod on_sandbox;
#[path = "timing.rs"]
#[allow(dead_code)] // `time` serves the other benchmarks
mod timing;

const COLLECTIONS: usize = 10_000;
const N: usize = 9;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let (sb, _key, client) = on_sandbox::client_on(Config {
            limits: Limits::lifted(),
            ..Config::default()
        })
        .await;
        let dir = std::env::temp_dir().join(format!("postdesk-bench-list-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let lib = Library::new(&dir, sb.clock()).expect("library");

        let t = Instant::now();
        for i in 0..COLLECTIONS {
            // Created out of name order, as a real account's are: the list is sorted for real.
            let n = i * 7919 % COLLECTIONS;
            let doc = json!({
                "info": {
                    "name": format!("Generated {n:05}"),
                    "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
                },
                "item": []
            });
            client.create_collection(None, doc).await.expect("create");
        }
        println!("setup: {COLLECTIONS} collections in {:.1?}", t.elapsed());

        let (mut fresh, mut cached, mut client_cached, mut encode) =
            (vec![], vec![], vec![], vec![]);
        let mut bytes = 0;
        let mut rows = 0;
        for _ in 0..N {
            let t = Instant::now();
            lib.collections(&client, None, true).await.expect("fresh");
            fresh.push(t.elapsed());
            let t = Instant::now();
            let listed = lib.collections(&client, None, false).await.expect("cached");
            cached.push(t.elapsed());
            let t = Instant::now();
            client
                .get_collections(&CollectionQuery::default(), false)
                .await
                .expect("client");
            client_cached.push(t.elapsed());
            rows = listed.rows.len();
            let t = Instant::now();
            let json = serde_json::to_vec(&CollectionColumns::from(listed)).expect("json");
            encode.push(t.elapsed());
            bytes = json.len();
        }
        println!(
            "{rows} rows; {:.2} MB as JSON; medians of {N}",
            bytes as f64 / 1e6
        );
        for (what, samples) in [
            ("list, fresh (GET /collections + rows)", &fresh),
            ("list from the cache", &cached),
            ("  of which the client's cached read", &client_cached),
            ("the rows as the IPC's columns (JSON)", &encode),
        ] {
            println!("{what:<40} {:>8.1?}", timing::median(samples.clone()));
        }
    });
}
