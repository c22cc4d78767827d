//! Benchmark (issue 6 figures): a generated ~20 MB collection (10,000 requests in nested
//! folders) opened through `Library` from the in-process sandbox over loopback, next to a bare
//! `serde_json` parse of the same bytes; then one edit (applied + stored as a draft) and the
//! async save. Run: `cargo bench -p postdesk --bench library` (release). Prints best-of-N.

use std::time::{Duration, Instant};

use postdesk_drafts::{validate_collection_text, DraftKind, SaveOutcome};
use postdesk_library::{CollectionEdit, Library};
use postman_sandbox::{Config, Limits};
use serde_json::Value;

#[path = "../common/mod.rs"]
mod common;
#[path = "on_sandbox.rs"]
mod on_sandbox;

fn best(samples: &[Duration]) -> Duration {
    samples.iter().copied().min().unwrap_or_default()
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let (sb, key, client) = on_sandbox::client_on(Config {
            limits: Limits::lifted(),
            task_duration: Duration::from_millis(300),
            ..Config::default()
        })
        .await;
        let dir =
            std::env::temp_dir().join(format!("postdesk-bench-library-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let lib = Library::new(&dir, sb.clock()).expect("library");

        let doc = common::big_collection("Big", false);
        let text = serde_json::to_string(&doc).expect("json");
        let made = client.create_collection(None, doc).await.expect("create");
        let uid = made.uid.expect("uid");
        // What the server answers for GET /collections/{uid} (the bytes the client parses).
        let body = reqwest::Client::new()
            .get(format!("{}/collections/{uid}", sb.url()))
            .header("x-api-key", &key)
            .send()
            .await
            .expect("get")
            .bytes()
            .await
            .expect("body");

        const N: usize = 7;
        let (mut bare, mut valid, mut open, mut ipc, mut edit) =
            (vec![], vec![], vec![], vec![], vec![]);
        let mut ipc_bytes = 0;
        let mut requests = 0;
        for _ in 0..N {
            let t = Instant::now();
            let v: Value = serde_json::from_slice(&body).expect("parse");
            bare.push(t.elapsed());
            drop(v);

            let t = Instant::now();
            validate_collection_text(&text).expect("valid");
            valid.push(t.elapsed());

            lib.close(Some(&client), DraftKind::Collection, &uid);
            let t = Instant::now();
            let view = lib
                .open_collection(&client, &uid, true)
                .await
                .expect("open");
            open.push(t.elapsed());
            requests = view.request_count;

            let t = Instant::now();
            let payload = serde_json::to_vec(&view).expect("view json");
            ipc.push(t.elapsed());
            ipc_bytes = payload.len();

            let t = Instant::now();
            lib.edit_collection(
                &uid,
                &CollectionEdit::RenameItem {
                    path: "3/4/50".into(),
                    name: format!("Renamed {}", edit.len()),
                },
            )
            .expect("edit");
            edit.push(t.elapsed());
            lib.discard(DraftKind::Collection, &uid).expect("discard");
        }
        lib.open_collection(&client, &uid, true)
            .await
            .expect("open");
        lib.edit_collection(
            &uid,
            &CollectionEdit::RenameItem {
                path: "0/0/0".into(),
                name: "Saved".into(),
            },
        )
        .expect("edit");
        let t = Instant::now();
        let out = lib
            .save(&client, DraftKind::Collection, &uid, false, &mut |_| {})
            .await
            .expect("save");
        let save = t.elapsed();
        assert!(matches!(out, SaveOutcome::Saved { .. }), "{out:?}");

        let mb = body.len() as f64 / 1_048_576.0;
        println!("collection: {mb:.1} MB as served, {requests} requests; best / median of {N}");
        println!(
            "bare serde_json::from_slice::<Value>       {:>9.1?} / {:>9.1?}",
            best(&bare),
            median(&mut bare)
        );
        println!(
            "validate_collection_text (schema v2.1)     {:>9.1?} / {:>9.1?}",
            best(&valid),
            median(&mut valid)
        );
        println!(
            "open_collection (GET over loopback + parse + tree + view)  {:>9.1?} / {:>9.1?}",
            best(&open),
            median(&mut open)
        );
        println!(
            "CollectionView → IPC JSON ({:.2} MB)       {:>9.1?} / {:>9.1?}",
            ipc_bytes as f64 / 1_048_576.0,
            best(&ipc),
            median(&mut ipc)
        );
        println!(
            "one tree edit, draft stored (fsync)        {:>9.1?} / {:>9.1?}",
            best(&edit),
            median(&mut edit)
        );
        println!("save (check + async PUT + task polls + read-back)  {save:.1?}");
        sb.shutdown().await;
        let _ = std::fs::remove_dir_all(&dir);
    });
}
