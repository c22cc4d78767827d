//! The monitors domain against the sandbox over loopback, with a local API for the monitors'
//! requests and the run history in a real SQLite file: the list with schedules in words and
//! history, run now (stored once), a 202 run followed through `lastRun`, the scheduled runs
//! found by a history refresh, the history after a restart, and delete with the name typed.

#[path = "common/local_api.rs"]
mod local_api;

use postdesk_monitors::{Monitors, MonitorsError};
use postman_client::{ApiKey, Client, ClientConfig, MonitorFields, Region, ScheduleFields};
use postman_sandbox::{start, Config, Limits, Sandbox};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::Duration;

const T0: &str = "2026-11-23T10:00:00Z";

async fn sandbox() -> Sandbox {
    start(Config {
        limits: Limits::lifted(),
        clock: postdesk_base::SharedClock::pinned(T0).0,
        ..Config::default()
    })
    .await
    .expect("sandbox")
}

fn client(sb: &Sandbox) -> Client {
    let key = sb.keys().get("taylor-lee").cloned().expect("seeded user");
    let mut c = ClientConfig::new(
        Region::Sandbox(sb.url().to_string()),
        "Taylor's key",
        Some(ApiKey::new(&key).expect("key")),
    );
    c.account = "taylor".into();
    c.clock = sb.clock();
    Client::new(c).expect("client")
}

fn data_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("postdesk-monitors-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

async fn admin(sb: &Sandbox, path: &str, body: Value) {
    let r = reqwest::Client::new()
        .post(format!("{}{path}", sb.url()))
        .header("X-Sandbox-Token", sb.admin_token().expose())
        .json(&body)
        .send()
        .await
        .expect("admin call");
    assert!(r.status().is_success(), "{path}: {}", r.status());
}

/// A collection whose first request passes its test and second fails it.
async fn collection(c: &Client, base: &str) -> String {
    let test = "pm.test('status is 200', () => pm.response.to.have.status(200));";
    let doc = json!({"info": {"name": "Health",
        "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [
            {"name": "ok", "request": format!("{base}/ok"),
             "event": [{"listen": "test", "script": {"exec": [test]}}]},
            {"name": "broken", "request": format!("{base}/broken"),
             "event": [{"listen": "test", "script": {"exec": [test]}}]}]});
    c.create_collection(None, doc)
        .await
        .expect("collection")
        .uid
        .expect("uid")
}

fn fields(name: &str, collection: &str, cron: &str) -> MonitorFields {
    MonitorFields {
        name: Some(name.into()),
        collection: Some(collection.into()),
        schedule: Some(ScheduleFields {
            cron: cron.into(),
            timezone: "Europe/Berlin".into(),
        }),
        ..MonitorFields::default()
    }
}

#[tokio::test]
async fn list_run_refresh_and_history_across_a_restart() {
    let sb = sandbox().await;
    let api = local_api::target().await;
    let c = client(&sb);
    let uid = collection(&c, &api.url).await;
    let dir = data_dir("flow");
    let monitors = Monitors::new(&dir);
    let id = monitors
        .create(&c, None, &fields("Daily", &uid, "0 9 * * *"))
        .await
        .expect("create");

    let list = monitors.list(&c, None, false).await.expect("list");
    let row = list.rows.iter().find(|r| r.id == id).expect("listed");
    assert_eq!(
        row.schedule.as_deref(),
        Some("every day at 09:00 Europe/Berlin")
    );
    assert_eq!(
        row.next_run,
        postdesk_base::clock::parse_rfc3339("2026-11-24T08:00:00Z")
    );
    assert!(row.history.is_none() && row.last_status.is_none());

    let out = monitors.run_now(&c, &id).await.expect("run");
    assert_eq!(out.record.status, "failed");
    assert_eq!(
        (out.record.assertions_total, out.record.assertions_failed),
        (2, 1)
    );
    let details = out.details.expect("a synchronous run has its details");
    let broken = &details.executions[1];
    assert_eq!((broken.name.as_str(), broken.code), ("broken", Some(500)));
    let failed = &broken.assertions[0];
    assert!(!failed.passed);
    let message = failed.message.as_deref().unwrap_or_default();
    assert!(
        message.contains("200") && message.contains("500"),
        "{message}"
    );
    assert_eq!(api.hits(), 2);

    // The clock passes two scheduled runs (09:00 on the next two days); a history refresh
    // finds them: three runs, stored once however often they are seen.
    admin(
        &sb,
        "/_sandbox/clock",
        json!({"now": "2026-11-25T09:30:00Z"}),
    )
    .await;
    let new = monitors.refresh_history(&c, &id).await.expect("refresh");
    assert_eq!(new.len(), 2);
    assert!(new
        .iter()
        .all(|r| r.trigger.as_deref() == Some("scheduled")));
    assert!(monitors
        .refresh_history(&c, &id)
        .await
        .expect("again")
        .is_empty());
    let list = monitors.list(&c, None, true).await.expect("list");
    let row = list.rows.iter().find(|r| r.id == id).expect("listed");
    let h = row.history.as_ref().expect("history");
    assert_eq!((h.runs, h.passed), (3, 0));
    assert_eq!(h.recent.len(), 3);
    assert_eq!(row.last_status.as_deref(), Some("failed"));

    // A restart: a new domain over the same folder reads the same history, details included.
    drop(monitors);
    let again = Monitors::new(&dir);
    let runs = again.runs("taylor", &id, None).await.expect("runs");
    assert_eq!(runs.len(), 3);
    let manual = runs
        .iter()
        .find(|r| r.trigger.as_deref() == Some("manual"))
        .expect("manual");
    let details = again
        .details("taylor", &id, &manual.job_id)
        .await
        .expect("details");
    let kept = details.expect("kept");
    assert_eq!(kept.executions.len(), 2);
    assert!(!kept.executions[1].assertions[0].passed);
    assert!(
        runs.iter()
            .filter(|r| r.trigger.as_deref() == Some("scheduled"))
            .count()
            == 2
    );

    // Delete needs the name; the history goes with the monitor.
    let e = again.delete(&c, &id, "daily").await.unwrap_err();
    assert!(matches!(e, MonitorsError::NameMismatch), "{e:?}");
    again.delete(&c, &id, "Daily").await.expect("delete");
    assert!(again
        .runs("taylor", &id, None)
        .await
        .expect("runs")
        .is_empty());
    sb.shutdown().await;
}

#[tokio::test]
async fn a_run_that_outlasts_the_apis_wait_is_followed_through_last_run() {
    let sb = sandbox().await;
    let api = local_api::target().await;
    let c = client(&sb);
    let doc = json!({"info": {"name": "Slow",
        "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [{"name": "slow", "request": format!("{}/slow", api.url)}]});
    let uid = c
        .create_collection(None, doc)
        .await
        .expect("c")
        .uid
        .expect("uid");
    let monitors = Monitors::new(&data_dir("slow"))
        .with_poll(Duration::from_secs(10), Duration::from_millis(100));
    let id = monitors
        .create(&c, None, &fields("Slow", &uid, "0 * * * *"))
        .await
        .expect("create");
    admin(&sb, "/_sandbox/limits", json!({"monitorRunWaitMs": 50})).await;
    let out = monitors.run_now(&c, &id).await.expect("run");
    assert!(out.details.is_none(), "a 202 gives no details");
    assert_eq!(out.record.status, "success");
    assert_eq!(out.record.trigger.as_deref(), Some("manual"));
    let runs = monitors.runs(c.account(), &id, None).await.expect("runs");
    assert_eq!(runs.len(), 1);
    sb.shutdown().await;
}
