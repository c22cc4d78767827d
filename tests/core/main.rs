//! The application core end to end, without Tauri: a [`host::TestHost`], the core's own built-in
//! sandbox over loopback, the real Secret Service of the test session (scripts/with-keyring.sh),
//! a pinned clock. Every command is called by name with JSON arguments as the UI sends them
//! (through `contract::dispatch`), and every exchange is recorded for the UI's fakes
//! ([`record`]). Run as one test so the recording has one order.

mod host;
#[path = "../common/local_api.rs"]
mod local_api;
mod record;
mod scenarios;

use std::time::Duration;

use host::{scratch, start, TestHost};
use record::Recorder;

/// Fails the test instead of hanging it.
pub async fn bounded<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(60), f)
        .await
        .expect("a step took longer than 60 s")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_through_the_contract_and_recorded_for_the_ui() {
    let dir = scratch("contract");
    let host = TestHost::new(dir.clone());
    let core = bounded(start(&host)).await;
    let rec = Recorder::new(&dir);
    let sb = scenarios::Sandbox::of(&core, &rec).await;
    bounded(scenarios::app::run(&core, &rec, &host)).await;
    bounded(scenarios::engine::run(&core, &rec, &host)).await;
    bounded(scenarios::keys::run(&core, &rec, &host, &sb)).await;
    bounded(scenarios::library::run(&core, &rec, &host, &sb)).await;
    bounded(scenarios::sharing::run(&core, &rec, &host, &sb)).await;
    bounded(scenarios::monitors::run(&core, &rec, &host, &sb)).await;
    bounded(scenarios::mocks::run(&core, &rec, &host, &sb)).await;
    bounded(scenarios::updates::run(
        &core,
        &rec,
        &host,
        &dir.join("data"),
    ))
    .await;
    core.shutdown().await;
    bounded(scenarios::startup::run(&rec, &dir)).await;
    bounded(scenarios::pacing::run(&rec, &dir)).await;
    bounded(scenarios::refusals::run(&rec, &dir)).await;
    rec.finish();
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn damaged_preferences_are_set_aside_and_the_defaults_used() {
    let dir = scratch("prefs-damaged");
    let host = TestHost::new(dir.clone());
    host.seen().prefs_damaged = true;
    let core = bounded(start(&host)).await;
    let info = postdesk_core::contract::dispatch(&core, "app_info", serde_json::json!({}))
        .await
        .unwrap();
    let warnings = info["warnings"].to_string();
    assert!(
        warnings.contains("Postdesk uses the defaults"),
        "{warnings}"
    );
    assert!(warnings.contains("prefs.json.damaged"), "{warnings}");
    assert_eq!(host.seen().set_aside, 1);
    assert_eq!(core.prefs(), postdesk_core::Prefs::default());
    core.shutdown().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_with_arguments_it_cannot_use_is_a_clear_error() {
    let dir = scratch("bad-args");
    let host = TestHost::new(dir.clone());
    let core = bounded(start(&host)).await;
    let err = postdesk_core::contract::dispatch(&core, "keys_rename", serde_json::json!({"id": 3}))
        .await
        .unwrap_err();
    assert_eq!(err.code, "ipc.failed");
    assert!(err.message.contains("keys_rename"), "{}", err.message);
    let err = postdesk_core::contract::dispatch(&core, "keys_explode", serde_json::json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.code, "ipc.failed");
    core.shutdown().await;
    let _ = std::fs::remove_dir_all(dir);
}
