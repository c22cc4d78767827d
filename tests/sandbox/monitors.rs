//! Monitors over HTTP: create, read, list (filters, cursor pages), update (pause, resume),
//! delete, run now (sync, async, 202), scheduled runs on the sandbox clock, the run's result
//! from a collection whose requests reach a local test server and whose scripts pass and fail,
//! the execution history, `monitor_request_runs` in `/me`, and the monitors' rate-limit bucket.

#[path = "../common/local_api.rs"]
mod local_api;
#[path = "util/mod.rs"]
mod util;

use local_api::target;
use postman_sandbox::Sandbox;
use serde_json::{json, Value};
use std::sync::atomic::Ordering;
use std::time::Duration;
use util::*;

/// A collection of `requests` (`(name, url, test script)`), with `{{base}}` as a collection
/// variable; returns its UID.
async fn collection(sb: &Sandbox, k: &str, base: &str, requests: &[(&str, &str, &str)]) -> String {
    let items: Vec<Value> = requests
        .iter()
        .map(|(name, url, test)| {
            json!({"name": name, "request": {"method": "GET", "url": url},
                "event": [{"listen": "test", "script": {"type": "text/javascript", "exec": [test]}}]})
        })
        .collect();
    let body = json!({"collection": {"info": {"name": "Monitored", "schema": SCHEMA},
        "item": items, "variable": [{"key": "base", "value": base}]}});
    let r = post(sb, "/collections", k, body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.string("/collection/uid")
}

/// A sandbox, Taylor's key, the local API and a collection of `requests` that calls it.
async fn monitored(
    requests: &[(&str, &str, &str)],
) -> (Sandbox, String, local_api::Target, String) {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let t = target().await;
    let uid = collection(&sb, &k, &t.url, requests).await;
    (sb, k, t, uid)
}

async fn monitor(sb: &Sandbox, k: &str, collection: &str, cron: &str) -> String {
    let body = json!({"monitor": {"name": "Health", "collection": collection,
        "schedule": {"cron": cron, "timezone": "Europe/Berlin"}}});
    let r = post(sb, "/monitors", k, body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.string("/monitor/id")
}

const PASS: &str = "pm.test('status is 200', () => pm.response.to.have.status(200)); pm.test('body ok', () => pm.expect(pm.response.json().ok).to.equal(true));";
const FAIL: &str = "pm.test('status is 200', () => pm.response.to.have.status(200));";

#[tokio::test]
async fn create_read_update_delete_with_the_documented_shapes() {
    let (sb, k, _api, uid) = monitored(&[("ok", "{{base}}/ok", PASS)]).await;
    let r = post(
        &sb,
        "/monitors",
        &k,
        json!({"monitor": {"name": "Health", "collection": uid,
        "schedule": {"cron": "0 9 * * *", "timezone": "Europe/Berlin"},
        "options": {"requestTimeout": 4000}, "retry": {"attempts": 1}}}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.string("/monitor/id");
    let owner = get(&sb, "/me", &k).await.json["user"]["id"].clone();
    let muid = format!("{owner}-{id}");
    assert_eq!(
        r.json,
        json!({"monitor": {"id": id, "name": "Health", "active": true, "uid": muid}})
    );

    let m = get(&sb, &format!("/monitors/{id}"), &k).await;
    assert_eq!(m.status, 200);
    let mon = &m.json["monitor"];
    assert_eq!(mon["owner"], owner, "owner is an integer");
    assert_eq!(mon["collectionUid"], uid.as_str());
    assert!(
        mon.get("environmentUid").is_none()
            && mon.get("lastRun").is_none()
            && mon.get("jobId").is_none()
    );
    // T0 is 2026-11-23T10:00Z = 11:00 in Berlin: the next 09:00 there is the next day, 08:00Z.
    assert_eq!(
        mon["schedule"],
        json!({"cron": "0 9 * * *", "timezone": "Europe/Berlin",
        "nextRun": "2026-11-24T08:00:00.000Z"})
    );
    assert_eq!(mon["options"]["requestTimeout"], 4000);
    assert_eq!(mon["retry"], json!({"attempts": 1}));
    assert_eq!(
        get(&sb, &format!("/monitors/{muid}"), &k).await.json,
        m.json,
        "by UID too"
    );

    let paused = put(
        &sb,
        &format!("/monitors/{id}"),
        &k,
        json!({"monitor": {"active": false}}),
    )
    .await;
    assert_eq!(paused.json["monitor"]["active"], false);
    let r = put(
        &sb,
        &format!("/monitors/{id}"),
        &k,
        json!({"monitor": {"collection": uid}}),
    )
    .await;
    assert_error(&r, 400, "parameterNotAllowedError");
    assert_eq!(
        r.json["error"]["details"]["param"],
        json!(["collection", "environment"])
    );
    let r = put(
        &sb,
        &format!("/monitors/{id}"),
        &k,
        json!({"monitor": {"schedule": {"cron": "*/2 * * * *", "timezone": "UTC"}}}),
    )
    .await;
    assert_error(&r, 400, "cronPatternNotAllowedError");
    assert_eq!(r.json["error"]["details"]["pattern"], "*/2 * * * *");
    let r = put(
        &sb,
        &format!("/monitors/{id}"),
        &k,
        json!({"monitor": {"schedule": {"cron": "0 17 * * *", "timezone": "Atlantis/Deep"}}}),
    )
    .await;
    assert_eq!(r.json["error"]["details"]["param"], "schedule.timezone");

    let r = delete(&sb, &format!("/monitors/{id}"), &k).await;
    assert_eq!(r.json, json!({"monitor": {"id": id, "uid": muid}}));
    let r = get(&sb, &format!("/monitors/{id}"), &k).await;
    assert_eq!(r.status, 404);
    assert_eq!(
        r.json,
        json!({"error": {"name": "instanceNotFoundError",
        "message": "The specified monitor does not exist."}})
    );
    // Another user does not see it either way.
    let other = key(&sb, JORDAN);
    let id2 = monitor(&sb, &k, &uid, "0 * * * *").await;
    assert_error(
        &get(&sb, &format!("/monitors/{id2}"), &other).await,
        404,
        "instanceNotFoundError",
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn create_errors_name_the_missing_or_invalid_parameter() {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let uid = first_collection_uid(&sb, &k).await;
    for (body, name, param) in [
        (
            json!({"monitor": {"collection": uid, "schedule": {"cron": "0 * * * *"}}}),
            "paramMissingError",
            json!(["name"]),
        ),
        (
            json!({"monitor": {"name": "m", "schedule": {"cron": "0 * * * *"}}}),
            "paramMissingError",
            json!(["collection"]),
        ),
        (
            json!({"monitor": {"name": "m", "collection": uid, "schedule": {"timezone": "UTC"}}}),
            "paramMissingError",
            json!(["cron"]),
        ),
        (
            json!({"monitor": {"name": "m", "collection": uid, "notificationLimit": 0, "schedule": {"cron": "0 * * * *"}}}),
            "invalidParamsError",
            json!("notificationLimit"),
        ),
    ] {
        let r = post(&sb, "/monitors", &k, body).await;
        assert_error(&r, 400, name);
        assert_eq!(r.json["error"]["details"]["param"], param);
    }
    let r = post(
        &sb,
        "/monitors",
        &k,
        json!({"monitor": {"name": "m", "collection": format!("1-{UNKNOWN_ID}"),
        "schedule": {"cron": "0 * * * *"}}}),
    )
    .await;
    assert_error(&r, 404, "instanceNotFoundError");
    sb.shutdown().await;
}

#[tokio::test]
async fn the_list_filters_and_pages_with_a_cursor() {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let uid = first_collection_uid(&sb, &k).await;
    let ids = [
        monitor(&sb, &k, &uid, "0 * * * *").await,
        monitor(&sb, &k, &uid, "0 */6 * * *").await,
        monitor(&sb, &k, &uid, "0 12 * * MON").await,
    ];
    put(
        &sb,
        &format!("/monitors/{}", ids[1]),
        &k,
        json!({"monitor": {"active": false}}),
    )
    .await;
    let all = get(&sb, "/monitors", &k).await;
    assert_eq!(all.strings("/monitors", "id"), ids);
    assert_eq!(all.json["meta"], json!({"nextCursor": "", "limit": 25}));
    assert_fields(
        &all.json["monitors"][0],
        "id name active uid owner collectionUid",
    );
    assert_eq!(
        get(&sb, "/monitors?active=false", &k)
            .await
            .strings("/monitors", "id"),
        [ids[1].clone()]
    );
    assert_eq!(
        get(&sb, "/monitors?active=true", &k)
            .await
            .strings("/monitors", "id")
            .len(),
        2
    );
    let page = get(&sb, "/monitors?limit=2", &k).await;
    assert_eq!(page.strings("/monitors", "id"), ids[..2]);
    let cursor = page.string("/meta/nextCursor");
    let rest = get(&sb, &format!("/monitors?limit=2&cursor={cursor}"), &k).await;
    assert_eq!(rest.strings("/monitors", "id"), ids[2..]);
    assert_eq!(rest.json["meta"]["nextCursor"], "");
    assert!(get(&sb, "/monitors?owner=1", &k).await.json["monitors"]
        .as_array()
        .unwrap()
        .is_empty());
    assert!(
        get(&sb, &format!("/monitors?collectionUid=1-{UNKNOWN_ID}"), &k)
            .await
            .json["monitors"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    for (q, message) in [
        ("limit=26", "Query param limit cannot exceed 25."),
        ("active=yes", "Active must be a boolean."),
        ("owner=me", "Owner user ID must be an integer."),
        ("cursor=%21%21", "Invalid cursor query parameter passed."),
        ("workspace=short", "Workspace ID must be 36 characters (5)."),
    ] {
        let r = get(&sb, &format!("/monitors?{q}"), &k).await;
        assert_eq!(
            r.json,
            json!({"error": {"name": "badRequest", "message": message}}),
            "{q}"
        );
    }
    let r = get(&sb, &format!("/monitors?workspace={UNKNOWN_ID}"), &k).await;
    assert_error(&r, 404, "instanceNotFoundError");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_run_sends_the_requests_runs_the_scripts_and_reports_pass_and_failure() {
    let (sb, k, t, uid) = monitored(&[
        ("ok", "{{base}}/ok", PASS),
        ("broken", "{{base}}/broken", FAIL),
    ])
    .await;
    let id = monitor(&sb, &k, &uid, "0 9 * * *").await;
    let r = post(&sb, &format!("/monitors/{id}/run"), &k, json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        t.hits.load(Ordering::SeqCst),
        2,
        "both requests were really sent"
    );
    let run = &r.json["run"];
    assert_eq!(run["info"]["status"], "failed");
    assert_eq!(run["info"]["monitorId"], id.as_str());
    // The test clock starts at T0 and runs on.
    let started = run["info"]["startedAt"].as_str().unwrap();
    assert!(started.starts_with("2026-11-23T10:00:0"), "{started}");
    assert_eq!(run["stats"]["assertions"], json!({"total": 3, "failed": 1}));
    assert_eq!(run["stats"]["requests"], json!({"total": 2, "failed": 0}));
    assert_eq!(run["stats"]["runCount"], 1);
    let execs = run["executions"].as_array().unwrap();
    assert_eq!(execs.len(), 2);
    assert_eq!(execs[0]["id"], 1);
    assert_eq!(execs[0]["item"]["name"], "ok");
    assert_eq!(
        execs[0]["request"]["url"],
        format!("{}/ok", t.url),
        "variables resolved"
    );
    assert_eq!(execs[0]["response"]["code"], 200);
    assert_eq!(
        execs[0]["response"]["responseSize"],
        r#"{"ok":true,"n":3}"#.len()
    );
    assert_eq!(
        execs[0]["assertions"],
        json!({"status is 200": true, "body ok": true})
    );
    assert_eq!(execs[1]["response"]["code"], 500);
    assert_eq!(execs[1]["assertions"], json!({"status is 200": false}));
    let failures = run["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0]["executionId"], 2);
    assert_eq!(failures[0]["name"], "status is 200");
    let message = failures[0]["message"].as_str().unwrap();
    assert!(
        message.contains("200") && message.contains("500"),
        "{message}"
    );

    let m = get(&sb, &format!("/monitors/{id}"), &k).await.json;
    assert_eq!(m["monitor"]["lastRun"]["status"], "failed");
    assert_eq!(m["monitor"]["lastRun"]["stats"], run["stats"]);
    assert_eq!(m["monitor"]["jobId"], run["info"]["jobId"]);
    let me = get(&sb, "/me", &k).await.json;
    let op = me["operations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "monitor_request_runs")
        .cloned();
    assert_eq!(op.unwrap()["usage"], 2, "each request sent counts");
    sb.shutdown().await;
}

#[tokio::test]
async fn hosts_other_than_loopback_fail_as_unreachable_and_scripts_that_loop_are_stopped() {
    let (sb, k, t, uid) = monitored(&[
        (
            "away",
            "https://api.example.com/x",
            "pm.test('never', () => {});",
        ),
        (
            "loops",
            "{{base}}/ok",
            "pm.test('first', () => {}); while (true) {}",
        ),
    ])
    .await;
    let id = monitor(&sb, &k, &uid, "0 9 * * *").await;
    let r = post(&sb, &format!("/monitors/{id}/run"), &k, json!({})).await;
    let run = &r.json["run"];
    assert_eq!(run["info"]["status"], "failed");
    let execs = run["executions"].as_array().unwrap();
    assert!(execs[0].get("response").is_none());
    assert_eq!(
        execs[0]["errors"][0]["message"],
        "getaddrinfo ENOTFOUND api.example.com"
    );
    assert_eq!(
        execs[0]["assertions"],
        json!({}),
        "no test runs without a response"
    );
    assert_eq!(execs[1]["response"]["code"], 200);
    assert_eq!(
        execs[1]["assertions"],
        json!({"first": true}),
        "tests before the loop are kept"
    );
    let err = execs[1]["errors"][0]["message"].as_str().unwrap();
    assert!(err.to_lowercase().contains("time"), "{err}");
    assert_eq!(run["stats"]["requests"]["failed"], 2);
    assert_eq!(
        t.hits.load(Ordering::SeqCst),
        1,
        "only the loopback request went out"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn scheduled_runs_happen_when_the_sandbox_clock_passes_them() {
    let (sb, k, t, uid) = monitored(&[("ok", "{{base}}/ok", PASS)]).await;
    let id = monitor(&sb, &k, &uid, "0 * * * *").await;
    let paused = monitor(&sb, &k, &uid, "0 * * * *").await;
    put(
        &sb,
        &format!("/monitors/{paused}"),
        &k,
        json!({"monitor": {"active": false}}),
    )
    .await;
    let before = get(&sb, &format!("/monitors/{id}"), &k).await.json;
    assert_eq!(
        before["monitor"]["schedule"]["nextRun"],
        "2026-11-23T11:00:00.000Z"
    );
    // 10:00 → 12:30: the 11:00 and 12:00 runs are due.
    advance_secs(&sb, 9_000).await;
    assert_eq!(
        t.hits.load(Ordering::SeqCst),
        2,
        "two runs, one request each; none for the paused one"
    );
    let after = get(&sb, &format!("/monitors/{id}"), &k).await.json;
    let m = &after["monitor"];
    assert_eq!(m["schedule"]["nextRun"], "2026-11-23T13:00:00.000Z");
    assert_eq!(m["lastRun"]["status"], "success");
    assert_eq!(
        m["lastRun"]["startedAt"], "2026-11-23T12:00:00.000Z",
        "dated at its scheduled time"
    );
    let history = get(&sb, &format!("/monitors/{id}/executions"), &k).await;
    assert_eq!(history.status, 200, "{}", history.text);
    let starts: Vec<Value> = history.pluck("/executions", "createdAt");
    assert_eq!(
        starts,
        [
            json!("2026-11-23T12:00:00.000Z"),
            json!("2026-11-23T11:00:00.000Z")
        ]
    );
    assert_eq!(
        history.pluck("/executions", "trigger"),
        [json!("scheduled"), json!("scheduled")]
    );
    assert!(
        get(&sb, &format!("/monitors/{paused}"), &k).await.json["monitor"]
            .get("lastRun")
            .is_none()
    );
    // The results of one run: its requests and assertions.
    let exec = history.string("/executions/0/id");
    let runs = get(&sb, &format!("/monitors/{id}/executions/{exec}/runs"), &k).await;
    let run_id = runs.string("/runs/0/id");
    let results = get(&sb, &format!("/monitors/{id}/runs/{run_id}/results"), &k).await;
    assert_eq!(
        results.json["results"]["assertions"],
        json!({"total": 2, "failed": 0})
    );
    assert_eq!(
        results.pluck("/logs", "type"),
        [json!("beforeItem"), json!("assertion"), json!("assertion")]
    );
    assert_eq!(results.json["logs"][0]["response"]["code"], 200);
    // An execution id is no run id, and the UID is not accepted on these endpoints.
    assert_eq!(
        get(&sb, &format!("/monitors/{id}/runs/{exec}/results"), &k)
            .await
            .status,
        404
    );
    let owner = after["monitor"]["owner"].clone();
    assert_eq!(
        get(&sb, &format!("/monitors/{owner}-{id}/executions"), &k)
            .await
            .status,
        404
    );
    // Resumed, the paused one does not owe the runs it missed.
    put(
        &sb,
        &format!("/monitors/{paused}"),
        &k,
        json!({"monitor": {"active": true}}),
    )
    .await;
    advance_secs(&sb, 60).await;
    assert_eq!(t.hits.load(Ordering::SeqCst), 2);
    sb.shutdown().await;
}

#[tokio::test]
async fn async_runs_answer_at_once_and_a_slow_sync_run_answers_202() {
    let (sb, k, _api, uid) =
        monitored(&[("slow", "{{base}}/slow", "pm.test('late', () => {});")]).await;
    let id = monitor(&sb, &k, &uid, "0 9 * * *").await;
    admin(
        &sb,
        "POST",
        "/_sandbox/limits",
        json!({"monitorRunWaitMs": 100}),
    )
    .await;
    let r = post(&sb, &format!("/monitors/{id}/run"), &k, json!({})).await;
    assert_eq!(r.status, 202, "{}", r.text);
    assert_eq!(r.json["run"]["info"]["status"], "running");
    assert!(r.json["run"]["info"]["message"]
        .as_str()
        .unwrap()
        .contains("'async=true'"));
    // The run goes on and is recorded.
    let mut last = Value::Null;
    for _ in 0..50 {
        last = get(&sb, &format!("/monitors/{id}"), &k).await.json["monitor"]["lastRun"].clone();
        if !last.is_null() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(last["status"], "success");
    let r = post(
        &sb,
        &format!("/monitors/{id}/run?async=true"),
        &k,
        json!({}),
    )
    .await;
    assert_eq!(r.status, 200);
    let info = &r.json["run"]["info"];
    assert!(r.json["run"].get("executions").is_none(), "{}", r.text);
    assert_eq!(info["monitorId"], id.as_str());
    assert!(
        matches!(info["status"].as_str(), Some("success" | "running")),
        "{info}"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn monitor_endpoints_share_one_bucket_of_ten_per_ten_seconds() {
    let (sb, k) = started_as(config_with(|c| c.limits = sandbox_limits_default()), TAYLOR).await;
    let r = assert_429_after(&sb, &k, "/monitors", 10, "rateLimited").await;
    assert!(r.header("retry-after").is_some());
    assert_eq!(
        get(&sb, "/me", &k).await.status,
        200,
        "other endpoints are not in it"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn a_used_up_monitor_allowance_refuses_runs_and_skips_schedules() {
    let (sb, k, t, uid) = monitored(&[("ok", "{{base}}/ok", PASS)]).await;
    let id = monitor(&sb, &k, &uid, "0 * * * *").await;
    admin(
        &sb,
        "POST",
        "/_sandbox/limits",
        json!({"monitorRunsMonthly": 1}),
    )
    .await;
    assert_eq!(
        post(&sb, &format!("/monitors/{id}/run"), &k, json!({}))
            .await
            .status,
        200
    );
    let r = post(&sb, &format!("/monitors/{id}/run"), &k, json!({})).await;
    assert_error(&r, 429, "serviceLimitExhausted");
    advance_secs(&sb, 3_600).await;
    assert_eq!(
        t.hits.load(Ordering::SeqCst),
        1,
        "the scheduled run was skipped"
    );
    sb.shutdown().await;
}

fn sandbox_limits_default() -> postman_sandbox::Limits {
    postman_sandbox::Limits::default()
}
