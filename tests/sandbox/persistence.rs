//! State file: edits survive a restart; the file is written atomically; reset to the seed.

#[path = "util/mod.rs"]
mod util;

use postdesk_base::Secret;
use postman_sandbox::rng::SeedSecrets;
use postman_sandbox::Config;
use serde_json::json;
use std::path::PathBuf;
use std::sync::Arc;
use util::*;

fn temp_file(name: &str) -> PathBuf {
    fresh_dir(&format!("test-{name}")).join("state.json")
}

#[tokio::test]
async fn edits_survive_a_restart() {
    let file = temp_file("restart");
    let cfg = with_state_file(&file);
    let sb = sandbox_with(cfg.clone()).await;
    assert!(file.exists(), "written at start");
    let k = key(&sb, TAYLOR);
    let ws = create_workspace(&sb, &k, "Kept", "personal").await;
    let target = format!("/collections?workspace={ws}");
    let r = post(&sb, &target, &k, empty_collection("Persisted")).await;
    let uid = r.string("/collection/uid");
    let minted = mint_api_key(&sb, SAM).await;
    get(&sb, "/me", &k).await;
    sb.shutdown().await;

    let sb = sandbox_with(cfg.clone()).await;
    assert_eq!(key(&sb, TAYLOR), k);
    let r = get(&sb, &format!("/collections/{uid}"), &k).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["collection"]["info"]["name"], "Persisted");
    assert_eq!(get(&sb, &format!("/workspaces/{ws}"), &k).await.status, 200);
    assert_eq!(get(&sb, "/me", &minted).await.json["user"]["username"], SAM);
    // Usage was persisted too (POST ws, POST coll, /me before; this /me now).
    let r = get(&sb, "/me", &k).await;
    assert!(r.api_usage()["usage"].as_u64().unwrap() >= 5);
    // New ids do not collide with old ones after a restart.
    let r = post(&sb, "/collections", &k, empty_collection("Second")).await;
    assert_ne!(r.string("/collection/uid"), uid);
    // No temp files are left behind; the file is valid JSON.
    sb.shutdown().await;
    let dir = file.parent().unwrap();
    let names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["state.json"]);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(v["version"], 1);
    let _ = std::fs::remove_dir_all(dir);
}

/// Every write of the state file puts a new file in its place (temp file, rename), so its
/// inode tells whether it was written.
#[cfg(unix)]
#[tokio::test]
async fn a_state_loaded_unchanged_is_not_written_again_at_start() {
    use std::os::unix::fs::MetadataExt;
    let file = temp_file("unchanged");
    let installed = |key: &str| Config {
        secrets: SeedSecrets::FromKey(Arc::new(Secret::from(key))),
        ..with_state_file(&file)
    };
    let inode = || std::fs::metadata(&file).unwrap().ino();
    let sb = sandbox_with(installed("this install")).await;
    let k = key(&sb, TAYLOR);
    let ws = create_workspace(&sb, &k, "Kept", "personal").await;
    sb.shutdown().await;

    let written = inode();
    let sb = sandbox_with(installed("this install")).await;
    assert_eq!(inode(), written, "the same state is not written again");
    assert_eq!(get(&sb, &format!("/workspaces/{ws}"), &k).await.status, 200);
    sb.shutdown().await;

    // Under another install's key the seed's keys in the state change: written at start.
    let written = inode();
    let sb = sandbox_with(installed("another install")).await;
    assert_ne!(inode(), written, "a changed state is written at start");
    let other = key(&sb, TAYLOR);
    assert_ne!(other, k);
    sb.shutdown().await;
    let sb = sandbox_with(installed("another install")).await;
    assert_eq!(
        get(&sb, &format!("/workspaces/{ws}"), &other).await.status,
        200
    );
    sb.shutdown().await;
    let _ = std::fs::remove_dir_all(file.parent().unwrap());
}

#[tokio::test]
async fn writes_happen_without_shutdown() {
    let file = temp_file("debounce");
    let sb = sandbox_with(with_state_file(&file)).await;
    let k = key(&sb, TAYLOR);
    let before = std::fs::read(&file).unwrap();
    create_workspace(&sb, &k, "Debounced", "personal").await;
    let mut seen = false;
    for _ in 0..100 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let now = std::fs::read(&file).unwrap();
        if now != before && String::from_utf8_lossy(&now).contains("Debounced") {
            seen = true;
            break;
        }
    }
    assert!(seen, "state file updated within 2 s of the mutation");
    sb.shutdown().await;
    let _ = std::fs::remove_dir_all(file.parent().unwrap());
}

#[tokio::test]
async fn reset_returns_to_the_seed() {
    let sb = sandbox().await;
    let k = key(&sb, TAYLOR);
    let before = get(&sb, "/collections", &k).await;
    let uid = first_collection_uid(&sb, &k).await;
    delete(&sb, &format!("/collections/{uid}"), &k).await;
    assert_ne!(get(&sb, "/collections", &k).await.json, before.json);
    let r = admin(&sb, "POST", "/_sandbox/reset", json!({})).await;
    assert_eq!(r.json["keys"][TAYLOR], k.as_str());
    let after = get(&sb, "/collections", &k).await;
    assert_eq!(
        after.pluck("/collections", "uid"),
        before.pluck("/collections", "uid")
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn a_torn_temp_file_does_not_matter_and_a_corrupt_state_file_is_refused() {
    let file = temp_file("torn");
    let cfg = with_state_file(&file);
    let (sb, k) = started_as(cfg.clone(), TAYLOR).await;
    create_workspace(&sb, &k, "Survivor", "personal").await;
    sb.shutdown().await;
    // A crash mid-write leaves at most a partial temp file beside the real one.
    let dir = file.parent().unwrap().to_path_buf();
    std::fs::write(dir.join(".state.json.tmp-99999"), b"{\"version\":1,\"sta").unwrap();
    let sb = sandbox_with(cfg.clone()).await;
    let names: Vec<String> = get(&sb, "/workspaces", &k).await.json["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap().to_string())
        .collect();
    assert!(names.contains(&"Survivor".to_string()));
    sb.shutdown().await;
    // A state file that is not ours is never silently overwritten.
    std::fs::write(&file, b"not json").unwrap();
    let err = postman_sandbox::start(cfg)
        .await
        .err()
        .expect("refuses a corrupt state file");
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    assert_eq!(std::fs::read(&file).unwrap(), b"not json");
    let _ = std::fs::remove_dir_all(dir);
}

/// Like a real server, the sandbox keeps only digests of API keys and access tokens: its state
/// file (which lives in Postdesk's data folder) holds no usable credential, yet every key and
/// token still works after a restart.
#[tokio::test]
async fn the_state_file_holds_no_plaintext_key_or_token() {
    let file = temp_file("no-secrets");
    let cfg = with_state_file(&file);
    let (sb, seeded) = started_as(cfg.clone(), TAYLOR).await;
    let minted = mint_api_key(&sb, SAM).await;
    let uid = first_collection_uid(&sb, &seeded).await;
    let (_, token) = mint_access_key(&sb, &uid).await;
    assert!(token.starts_with("PMAT-") && token.len() == 31, "{token}");
    sb.shutdown().await;

    let bytes = std::fs::read_to_string(&file).unwrap();
    for secret in [&seeded, &minted, &token] {
        assert!(
            !bytes.contains(secret.as_str()),
            "the state file holds a secret"
        );
    }

    let sb = sandbox_with(cfg).await;
    assert_eq!(
        key(&sb, TAYLOR),
        seeded,
        "seeded keys are derived from the seed again"
    );
    assert_eq!(get(&sb, "/me", &minted).await.status, 200);
    assert_eq!(get_shared(&sb, &uid, &token).await.status, 200);
    sb.shutdown().await;
}
