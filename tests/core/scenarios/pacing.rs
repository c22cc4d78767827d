//! Calls that wait for the rate limit: the key's window allows one call per two seconds (as a
//! key shared with a busy script would leave it), three views load at once, and the meters say
//! how long the head of the queue still waits and how many calls are queued. A core of its own,
//! so its limits and waits touch nothing else.

use std::path::Path;
use std::time::Duration;

use postdesk_core::contract::dispatch;
use postdesk_core::{Core, Event};
use serde_json::json;

use super::{side, Sandbox};
use crate::record::Recorder;

/// Reads the meters (unrecorded) until calls wait behind the rate limit.
async fn until_calls_wait(core: &Core) {
    loop {
        let m = dispatch(core, "engine_meters", json!({})).await.unwrap();
        if m["waitingMs"].is_number() && m["queued"].as_u64().unwrap_or(0) > 1 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub async fn run(rec: &Recorder, root: &Path) {
    rec.scenario("engine: calls wait for the rate limit");
    let (host, core) = side::usual(root, "rate-limit").await;
    let sb = Sandbox::of(&core, rec).await;
    sb.admin(
        "POST",
        "/_sandbox/limits",
        json!({"perMinute": 1, "windowMs": 2000}),
    )
    .await;
    // The first answer tells the engine the limit, and that nothing is left of this window.
    rec.ok(&core, "engine_usage", json!({"force": true})).await;
    let load = async {
        tokio::join!(
            dispatch(&core, "library_workspaces", json!({"force": true})),
            dispatch(
                &core,
                "library_collections",
                json!({"workspace": null, "force": true})
            ),
            dispatch(
                &core,
                "library_environments",
                json!({"workspace": null, "force": true})
            ),
        )
    };
    let watch = async {
        until_calls_wait(&core).await;
        rec.ok(&core, "engine_meters", json!({})).await
    };
    let ((workspaces, collections, environments), meters) = tokio::join!(load, watch);
    for (what, answer) in [
        ("workspaces", workspaces),
        ("collections", collections),
        ("environments", environments),
    ] {
        answer.unwrap_or_else(|e| panic!("{what} after the wait: {e}"));
    }
    let waiting = meters["waitingMs"].as_f64().unwrap();
    assert!(waiting > 0.0 && waiting <= 2_000.0, "{meters}");
    assert!(meters["queued"].as_u64().unwrap() > 1, "{meters}");
    assert_eq!(meters["rateLimit"], 1, "{meters}");
    // The UI heard the wait as it happened.
    let events: Vec<Event> = host
        .seen()
        .events
        .iter()
        .filter(|e| matches!(e, Event::Meters(m) if m.waiting_ms.is_some()))
        .cloned()
        .collect();
    assert!(!events.is_empty());
    rec.events(&events);
    sb.admin("POST", "/_sandbox/limits", json!({"default": true}))
        .await;
    core.shutdown().await;
}
