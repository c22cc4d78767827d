//! The engine: the active backend (the built-in sandbox until a key is added), the meters, the
//! Usage figures and the activity log.

use postdesk_core::{Core, Event};
use serde_json::{json, Value};

use crate::host::TestHost;
use crate::record::Recorder;

pub async fn run(core: &Core, rec: &Recorder, host: &TestHost) {
    rec.scenario("engine: meters, usage and activity");
    let active = rec.ok(core, "engine_active_key", json!({})).await;
    assert_eq!(active["name"], "Sandbox (taylor-lee)");
    assert_eq!(active["region"], "sandbox");
    let before = rec.ok(core, "engine_meters", json!({})).await;
    assert_eq!(
        before["waitingMs"],
        serde_json::Value::Null,
        "nothing waits"
    );
    let usage = rec.ok(core, "engine_usage", json!({"force": false})).await;
    assert_eq!(usage["username"], "taylor-lee");
    assert_eq!(usage["source"]["fromCache"], false);
    let cached = rec.ok(core, "engine_usage", json!({"force": false})).await;
    assert_eq!(
        cached["source"]["fromCache"], true,
        "the second read is the cache's"
    );
    rec.ok(core, "engine_usage", json!({"force": true})).await;
    let meters = rec.ok(core, "engine_meters", json!({})).await;
    assert_eq!(meters["rateLimit"], 300);
    assert!(meters["monthLimit"].as_f64().unwrap() > 0.0);
    let calls = rec.ok(core, "engine_activity", json!({})).await;
    assert_eq!(calls.as_array().unwrap().len(), 2, "two calls were made");
    assert_eq!(calls[0]["path"], "/me");
    let path = rec
        .ok(core, "engine_export_activity", json!({"format": "csv"}))
        .await;
    assert!(path.as_str().unwrap().ends_with(".csv"));
    let text = std::fs::read_to_string(path.as_str().unwrap()).unwrap();
    assert!(text.starts_with("time,keyName,method,path"));
    // The save dialog suggested the file's name and opened in Downloads; the file is the user's.
    assert!(path
        .as_str()
        .unwrap()
        .starts_with(&host.dir.join("Downloads").display().to_string()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path.as_str().unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Cancelled: nothing is written, and the answer says so.
    host.seen().cancel_save = true;
    let cancelled = rec
        .ok(core, "engine_export_activity", json!({"format": "json"}))
        .await;
    assert_eq!(cancelled, Value::Null);
    host.seen().cancel_save = false;
    let suggested = host.seen().save_dialogs.clone();
    assert_eq!(suggested.len(), 2);
    assert!(suggested[1].starts_with("postdesk-activity-") && suggested[1].ends_with(".json"));
    assert_eq!(
        std::fs::read_dir(host.dir.join("Downloads"))
            .unwrap()
            .count(),
        1,
        "only the saved export is there"
    );
    // The meters moved as the calls were answered: the UI heard it.
    let events = host.seen().events.clone();
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::Meters(m) if m.rate_limit == 300)));
    rec.events(&events);
}
