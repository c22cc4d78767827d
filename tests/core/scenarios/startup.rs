//! What the app says about itself when something it starts from is missing: no usable
//! keychain, a built-in sandbox whose saved state is damaged, a data folder removed while the app
//! runs. Each in a core of its own.

use std::path::Path;

use serde_json::json;

use super::side;
use crate::host::{memory_vault, os_vault};
use crate::record::Recorder;

pub async fn run(rec: &Recorder, root: &Path) {
    no_keychain(rec, root).await;
    no_sandbox(rec, root).await;
}

async fn no_keychain(rec: &Recorder, root: &Path) {
    rec.scenario("app: no usable keychain");
    let host = side::host(root, "no-keychain");
    let core = side::core(&host, memory_vault(true), true).await;
    let info = rec.ok(&core, "app_info", json!({})).await;
    assert_eq!(info["keychain"]["available"], false);
    assert!(info["keychain"]["error"].is_string(), "{info}");
    assert!(
        info["sandbox"]["url"].is_string(),
        "the sandbox runs anyway"
    );
    let warnings = info["warnings"].to_string();
    assert!(warnings.contains("new at every start"), "{warnings}");
    core.shutdown().await;
}

async fn no_sandbox(rec: &Recorder, root: &Path) {
    rec.scenario("app: the built-in sandbox could not start");
    let host = side::host(root, "damaged-sandbox");
    // A first run leaves the sandbox's state in the data folder; then half of it is lost.
    side::core(&host, os_vault(), true).await.shutdown().await;
    let state = host
        .dir
        .join("data")
        .join(postdesk_core::sandbox_host::STATE_FILE);
    let bytes = std::fs::read(&state).expect("the sandbox's state was written");
    std::fs::write(&state, &bytes[..bytes.len() / 2]).unwrap();
    let core = side::core(&host, os_vault(), true).await;
    let info = rec.ok(&core, "app_info", json!({})).await;
    assert_eq!(info["sandbox"]["url"], serde_json::Value::Null);
    let why = info["sandbox"]["error"].as_str().unwrap_or_default();
    assert!(why.contains("could not start"), "{info}");
    assert_eq!(
        std::fs::read(&state).unwrap().len(),
        bytes.len() / 2,
        "left as it is"
    );

    rec.scenario("app: the data folder is gone");
    std::fs::remove_dir_all(host.dir.join("data")).unwrap();
    let msg = rec
        .err(&core, "app_info", json!({}), "app.dataDirUnavailable")
        .await;
    assert!(msg.contains("writable"), "{msg}");
    core.shutdown().await;
}
