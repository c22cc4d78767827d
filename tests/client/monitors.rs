//! The monitors' typed calls against the in-process sandbox: create, list in cursor pages,
//! read, pause, run now (finished and started), the run history, delete; and that a run is a
//! write (never retried: a retried run would be a second run).

#[path = "support.rs"]
mod support;

use postman_client::*;
use serde_json::json;
use support::*;

fn hourly(name: &str, collection: &str) -> MonitorFields {
    MonitorFields {
        name: Some(name.into()),
        collection: Some(collection.into()),
        schedule: Some(ScheduleFields {
            cron: "0 * * * *".into(),
            timezone: "Europe/Berlin".into(),
        }),
        ..MonitorFields::default()
    }
}

/// A collection with one request that no test server answers (a host other than loopback),
/// and one test: each run of it fails the same way.
async fn unreachable_collection(c: &Client) -> String {
    let doc = json!({"info": {"name": "Away",
        "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [{"name": "away", "request": "https://api.example.com/health"}]});
    let r = c.create_collection(None, doc).await.expect("collection");
    r.uid.expect("uid")
}

#[tokio::test]
async fn create_list_read_pause_run_and_delete() {
    let (sb, c) = sandbox_and_taylor().await;
    let uid = unreachable_collection(&c).await;
    let mut ids = Vec::new();
    for i in 0..27 {
        let m = c
            .create_monitor(None, &hourly(&format!("m{i}"), &uid))
            .await
            .expect("create");
        assert_eq!(m.active, Some(true));
        ids.push(m.id);
    }
    let first = data(c.get_monitors(None, None, false)).await;
    assert_eq!(first.monitors.len(), 25);
    assert!(first.next_cursor.is_some());
    let all = bounded(10, c.get_all_monitors(None, false))
        .await
        .expect("all");
    assert_eq!(all.iter().map(|m| m.id.clone()).collect::<Vec<_>>(), ids);

    let m = data(c.get_monitor(&ids[0], false)).await;
    assert_eq!(m.collection_uid.as_deref(), Some(uid.as_str()));
    assert!(m.owner.is_some_and(|o| o > 0));
    assert_eq!(
        m.schedule.as_ref().and_then(|s| s.next_run.as_deref()),
        Some("2026-11-23T11:00:00.000Z")
    );
    assert!(m.last_run.is_none());

    let pause = MonitorFields {
        active: Some(false),
        ..MonitorFields::default()
    };
    assert_eq!(
        c.update_monitor(&ids[0], &pause)
            .await
            .expect("pause")
            .active,
        Some(false)
    );
    // The cached read was let go: the pause shows.
    assert_eq!(
        data(c.get_monitor(&ids[0], false)).await.active,
        Some(false)
    );

    let RunAnswer::Finished { run } = c.run_monitor(&ids[0], true).await.expect("run") else {
        panic!("a synchronous run of one request finishes");
    };
    assert_eq!(run.info.status.as_deref(), Some("failed"));
    let e = &run.executions[0];
    assert!(e.response.is_none());
    assert_eq!(
        e.errors[0]["message"],
        "getaddrinfo ENOTFOUND api.example.com"
    );
    let last = data(c.get_monitor(&ids[0], false))
        .await
        .last_run
        .expect("lastRun");
    assert_eq!(last.job_id, run.info.job_id);

    match c.run_monitor(&ids[0], false).await.expect("async run") {
        RunAnswer::Started { info } => assert!(info.job_id.is_some()),
        RunAnswer::Finished { .. } => panic!("an async run answers with info only"),
    }
    let (history, next) = data(c.get_monitor_executions(&ids[0], None, true)).await;
    assert!(next.is_none());
    assert!(!history.is_empty() && history[0].trigger.as_deref() == Some("manual"));

    let gone = c.delete_monitor(&ids[0]).await.expect("delete");
    assert_eq!(gone.id, ids[0]);
    let e = error_of(c.get_monitor(&ids[0], false)).await;
    assert!(matches!(e, Error::NotFound { .. }), "{e:?}");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_run_that_meets_a_server_error_is_not_sent_again() {
    let (sb, c) = sandbox_and_taylor().await;
    let uid = unreachable_collection(&c).await;
    let id = c
        .create_monitor(None, &hourly("m", &uid))
        .await
        .expect("create")
        .id;
    add_fault_for(&sb, "POST /monitors/{id}/run", 1, json!({"status": 500})).await;
    let e = error_of(c.run_monitor(&id, true)).await;
    assert!(e.is_transient(), "{e:?}");
    assert_eq!(
        faults_left(&sb).await.as_array().map(Vec::len),
        Some(0),
        "the fault was met"
    );
    let runs = c
        .activity()
        .entries()
        .iter()
        .filter(|a| a.path.ends_with("/run"))
        .count();
    assert_eq!(runs, 1, "one attempt only");
    assert!(
        data(c.get_monitor(&id, true)).await.last_run.is_none(),
        "no run happened"
    );
    sb.shutdown().await;
}
