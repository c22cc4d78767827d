//! The app itself: what it knows about itself, and the preferences.

use postdesk_core::Core;
use serde_json::json;

use crate::host::TestHost;
use crate::record::Recorder;

pub async fn run(core: &Core, rec: &Recorder, host: &TestHost) {
    rec.scenario("app: info and preferences");
    let info = rec.ok(core, "app_info", json!({})).await;
    assert_eq!(info["name"], "Postdesk");
    assert!(info["sandbox"]["url"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:"));
    assert_eq!(info["keychain"]["available"], true);
    let prefs = rec.ok(core, "prefs_get", json!({})).await;
    assert_eq!(prefs["theme"], "system");
    assert_eq!(prefs["reminderDays"], json!([14, 3, 1, 0]));
    let mut changed = prefs.clone();
    changed["theme"] = json!("dark");
    changed["reminderDays"] = json!([1, 7, 30, 7]);
    changed["notifyExpiringShares"] = json!(false);
    let stored = rec.ok(core, "prefs_set", json!({ "prefs": changed })).await;
    assert_eq!(
        stored["reminderDays"],
        json!([30, 7, 1]),
        "sorted, once each"
    );
    assert_eq!(
        host.seen().prefs["prefs"]["theme"],
        "dark",
        "kept by the host's store"
    );
    let mut bad = stored.clone();
    bad["reminderDays"] = json!([400]);
    let msg = rec
        .err(core, "prefs_set", json!({ "prefs": bad }), "prefs.invalid")
        .await;
    assert!(msg.contains("90 days"), "{msg}");
    assert_eq!(
        rec.ok(core, "prefs_get", json!({})).await,
        stored,
        "nothing changed"
    );
    // Back to the defaults for the scenarios that follow (reminders on 14/3/1/0, notices on).
    rec.ok(core, "prefs_set", json!({ "prefs": prefs })).await;
}
