//! Scratch folders and bounded waits. Needs only std and tokio, so any test target can include
//! it (`tests/common/mod.rs` re-exports it; `tests/engine.rs` includes it alone).
#![allow(dead_code)] // each test target uses its own subset

use std::path::PathBuf;
use std::time::Duration;

/// Fails the test instead of hanging it.
pub async fn bounded<T>(secs: u64, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(secs), f)
        .await
        .expect("bounded wait exceeded")
}

/// An empty scratch folder for this test process.
pub fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("postdesk-it-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch folder");
    d
}
