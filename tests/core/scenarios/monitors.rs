//! Monitors: a monitor on a collection whose requests reach a local API (one passes its test,
//! one fails it), the schedule preview, the list in words, run now with its details, two
//! scheduled runs found by a history refresh, the stored runs, pause, export, delete.

use postdesk_core::Core;
use serde_json::{json, Value};

use super::{Sandbox, SCHEMA};
use crate::host::TestHost;
use crate::local_api;
use crate::record::Recorder;

/// The list's row of monitor `id` (read again from Postman).
async fn listed(core: &Core, rec: &Recorder, id: &str) -> Value {
    let list = rec
        .ok(
            core,
            "monitors_list",
            json!({"workspace": null, "force": true}),
        )
        .await;
    let rows = list["rows"].as_array().expect("rows");
    rows.iter()
        .find(|r| r["id"] == id)
        .expect("the monitor is listed")
        .clone()
}

pub async fn run(core: &Core, rec: &Recorder, host: &TestHost, sb: &Sandbox) {
    rec.scenario("monitors: create, run now, scheduled runs, history, export, delete");
    let api = local_api::target().await;
    let test = "pm.test('status is 200', () => pm.response.to.have.status(200));";
    let doc = json!({"info": {"name": "Health checks", "schema": SCHEMA},
        "item": [
            {"name": "ok", "request": format!("{}/ok", api.url),
             "event": [{"listen": "test", "script": {"exec": [test]}}]},
            {"name": "broken", "request": format!("{}/broken", api.url),
             "event": [{"listen": "test", "script": {"exec": [test]}}]}]});
    let made = rec
        .ok(
            core,
            "library_create_collection",
            json!({"workspace": null, "name": null, "import": doc.to_string()}),
        )
        .await;
    let uid = made["uid"].as_str().unwrap().to_owned();

    let preview = rec
        .ok(
            core,
            "monitors_schedule_preview",
            json!({"cron": "0 9 * * *", "timezone": "Europe/Berlin"}),
        )
        .await;
    assert_eq!(preview["words"], "every day at 09:00 Europe/Berlin");
    assert_eq!(preview["next"].as_array().map(Vec::len), Some(5));
    let refused = rec
        .ok(
            core,
            "monitors_schedule_preview",
            json!({"cron": "* * * * *", "timezone": "UTC"}),
        )
        .await;
    assert!(refused["error"].as_str().unwrap().contains("5 minutes"));

    let input = json!({"name": "Health", "collection": uid, "cron": "0 9 * * *",
        "timezone": "Europe/Berlin"});
    let id = rec
        .ok(
            core,
            "monitors_create",
            json!({"workspace": null, "input": input}),
        )
        .await
        .as_str()
        .unwrap()
        .to_owned();
    let bad =
        json!({"name": "Too often", "collection": uid, "cron": "* * * * *", "timezone": "UTC"});
    let e = rec
        .call(
            core,
            "monitors_create",
            json!({"workspace": null, "input": bad}),
        )
        .await;
    let e = e.expect_err("Postman refuses a schedule more often than every 5 minutes");
    assert!(e.message.contains("cron"), "{}", e.message);

    let row = listed(core, rec, &id).await;
    assert_eq!(row["schedule"], "every day at 09:00 Europe/Berlin");
    assert_eq!(row["history"], json!(null));

    let out = rec.ok(core, "monitors_run", json!({"id": id})).await;
    assert_eq!(out["record"]["status"], "failed");
    let (title, body) = host
        .seen()
        .notifications
        .last()
        .cloned()
        .expect("a failed run is announced");
    assert_eq!(title, "Monitor \"Health\" failed");
    assert_eq!(body, "1 of 2 assertions failed, 0 errors.");
    assert_eq!(api.hits(), 2);
    let broken = &out["details"]["executions"][1];
    assert_eq!(broken["code"], 500);
    assert_eq!(broken["assertions"][0]["passed"], false);
    assert!(broken["assertions"][0]["message"]
        .as_str()
        .unwrap()
        .contains("500"));

    // Two scheduled runs pass on the sandbox's clock; the refresh finds them.
    sb.advance(2 * 86_400_000).await;
    let new = rec
        .ok(core, "monitors_refresh_history", json!({"id": id}))
        .await;
    assert_eq!(new, 2);
    let (_, body) = host
        .seen()
        .notifications
        .last()
        .cloned()
        .expect("announced");
    assert_eq!(body, "2 of 2 new runs failed.", "one notification for both");
    let runs = rec
        .ok(core, "monitors_runs", json!({"id": id, "before": null}))
        .await;
    let runs = runs.as_array().unwrap().clone();
    assert_eq!(runs.len(), 3);
    let manual = runs.iter().find(|r| r["trigger"] == "manual").unwrap();
    let details = rec
        .ok(
            core,
            "monitors_run_details",
            json!({"id": id, "jobId": manual["jobId"]}),
        )
        .await;
    assert_eq!(details["executions"].as_array().map(Vec::len), Some(2));

    // The month's estimate counts the active schedule: its runs to the month's end, each
    // sending the two requests its last run sent; the three runs so far are in the meter.
    let active = rec.ok(core, "monitors_month_estimate", json!({})).await;
    let n = |v: &Value| v.as_f64().expect("a number");
    assert!(n(&active["monitors"]) >= 1.0, "{active}");
    assert!(
        n(&active["requestRuns"]) >= 2.0 * n(&active["runs"]),
        "{active}"
    );
    assert!(n(&active["used"]) >= 6.0, "3 runs × 2 requests: {active}");
    assert_eq!(
        n(&active["projected"]),
        n(&active["used"]) + n(&active["requestRuns"])
    );
    assert!(n(&active["limit"]) > 0.0);

    rec.ok(
        core,
        "monitors_update",
        json!({"id": id, "input": {"active": false}}),
    )
    .await;
    let row = listed(core, rec, &id).await;
    assert_eq!(row["active"], false);
    assert_eq!(row["history"]["runs"], 3);
    let paused = rec.ok(core, "monitors_month_estimate", json!({})).await;
    assert_eq!(n(&paused["monitors"]), n(&active["monitors"]) - 1.0);
    assert_eq!(n(&paused["paused"]), n(&active["paused"]) + 1.0);
    assert!(n(&paused["requestRuns"]) < n(&active["requestRuns"]));

    let path = rec
        .ok(
            core,
            "monitors_export",
            json!({"id": id, "name": "Health", "format": "csv"}),
        )
        .await;
    let path = path.as_str().unwrap().to_owned();
    assert!(path.ends_with("Health-history.csv"), "{path}");
    assert!(path.starts_with(&host.dir.join("Downloads").display().to_string()));
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), 4, "a header and three runs: {text}");

    rec.delete_by_name(
        core,
        "monitors_delete",
        json!({"id": id}),
        ["health", "Health"],
        "monitors.nameMismatch",
    )
    .await;
    let runs = rec
        .ok(core, "monitors_runs", json!({"id": id, "before": null}))
        .await;
    assert_eq!(runs, json!([]));
}
