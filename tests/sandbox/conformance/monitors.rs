//! `/monitors*`: every operation's answers (success and error) against the spec's schemas, and
//! the errors against its named examples (REFERENCE-monitors-mocks.md §1.0, §1.9).

use super::*;

const T_LIST: &str = "/monitors";
const T_ONE: &str = "/monitors/{monitorId}";
const T_RUN: &str = "/monitors/{monitorId}/run";

/// A collection and an environment of the first workspace, as UIDs.
async fn targets(live: &Live, ws: &str) -> (String, String) {
    let (_, c) = create_collection(live, ws, "Monitored").await;
    let (_, e) = create_environment(live, ws, "Monitor env").await;
    (c, e)
}

/// The official "Create Monitor" body with our collection and environment.
fn create_body(collection: &str, environment: &str) -> Value {
    let mut body = official("monitorCreate");
    body["monitor"]["collection"] = json!(collection);
    body["monitor"]["environment"] = json!(environment);
    body
}

#[tokio::test]
async fn monitors() {
    let live = Live::start().await;
    let ws = first_workspace(&live).await;
    let (collection, environment) = targets(&live, &ws).await;

    // Create: the official body, then its documented 400s.
    let target = format!("/monitors?workspace={ws}");
    let body = create_body(&collection, &environment);
    let r = live.call("POST", &target, Body::Json(body.clone())).await;
    let created = live.expect(&r, T_LIST, 200);
    has_keys(&live, &r, "/monitor", "id name active uid");
    let id = r.str_at("/monitor/id").unwrap_or_default().to_string();
    let uid = r.str_at("/monitor/uid").unwrap_or_default().to_string();
    assert!(
        created && !id.is_empty(),
        "POST /monitors failed: cannot go on"
    );
    for (change, example) in [
        (
            json!({"cron": "* * * * *", "timezone": "America/Chicago"}),
            "monitors400ErrorInvalidCronPattern",
        ),
        (
            json!({"cron": "0 17 * * *", "timezone": "Nowhere/Town"}),
            "monitors400ErrorInvalidTimezone",
        ),
        (
            json!({"timezone": "America/Chicago"}),
            "updateMonitor400ErrorMissingParameter",
        ),
    ] {
        let mut bad = body.clone();
        bad["monitor"]["schedule"] = change;
        let r = live.call("POST", &target, Body::Json(bad)).await;
        live.expect_example(&r, T_LIST, 400, example);
    }
    expect_401(&live, "POST", &target, T_LIST, Body::Json(body.clone())).await;

    // List: the spec's shape, its documented 400s and the unknown workspace's 404.
    let r = live.get("/monitors").await;
    if live.expect(&r, T_LIST, 200) {
        live.check(
            r.ids("monitors").contains(&json!(id)),
            &r,
            "the new monitor is listed",
        );
        live.check_str(&r, "/meta/nextCursor", "", "the last page's cursor is \"\"");
    }
    for (q, example) in [
        ("active=maybe", "getMonitors400ErrorInvalidActive"),
        ("cursor=%21%21", "getMonitors400ErrorInvalidCursor"),
        ("owner=abc", "getMonitors400ErrorInvalidOwner"),
        ("limit=26", "getMonitors400ErrorInvalidPagination"),
    ] {
        let r = live.get(&format!("/monitors?{q}")).await;
        live.expect_example(&r, T_LIST, 400, example);
    }
    let r = live.get(&format!("/monitors?workspace={UNKNOWN_ID}")).await;
    live.expect_example(&r, T_LIST, 404, "monitors404ErrorWorkspaceNotFound");
    let r = live
        .get(&format!("/monitors?collectionUid=1-{UNKNOWN_ID}"))
        .await;
    if live.expect(&r, T_LIST, 200) {
        live.check(
            r.items("monitors").is_empty(),
            &r,
            "an unknown collection lists nothing",
        );
    }
    expect_401(&live, "GET", "/monitors", T_LIST, Body::None).await;

    // Read, by ID and by UID.
    for path_id in [&id, &uid] {
        let r = live.get(&format!("/monitors/{path_id}")).await;
        if live.expect(&r, T_ONE, 200) {
            has_keys(&live, &r, "/monitor", "id name uid owner active collectionUid environmentUid options notifications distribution schedule");
            has_keys(&live, &r, "/monitor/schedule", "cron timezone nextRun");
        }
    }
    let unknown = format!("/monitors/{UNKNOWN_ID}");
    let r = live.get(&unknown).await;
    live.expect_example(&r, T_ONE, 404, "monitors404ErrorInstanceNotFoundMonitor");
    expect_401(&live, "GET", &format!("/monitors/{id}"), T_ONE, Body::None).await;

    // Update with each official body, then the documented 400 and 404.
    let path = format!("/monitors/{id}");
    for name in ["monitorUpdate", "monitorPause", "monitorResume"] {
        let r = live.call("PUT", &path, Body::Json(official(name))).await;
        if live.expect(&r, T_ONE, 200) {
            has_keys(&live, &r, "/monitor", "id name active uid");
        }
    }
    let r = live.get(&path).await;
    live.check_str(
        &r,
        "/monitor/schedule/cron",
        "*/5 * * * *",
        "the update's schedule is kept",
    );
    let bad = json!({"monitor": {"collection": collection, "environment": environment}});
    let r = live.call("PUT", &path, Body::Json(bad)).await;
    live.expect_example(&r, T_ONE, 400, "updateMonitor400ErrorInvalidParameters");
    let r = live
        .call("PUT", &unknown, Body::Json(official("monitorPause")))
        .await;
    live.expect_example(&r, T_ONE, 404, "monitors404ErrorInstanceNotFoundMonitor");
    expect_401(
        &live,
        "PUT",
        &path,
        T_ONE,
        Body::Json(official("monitorPause")),
    )
    .await;

    // Run: synchronous, asynchronous, over the wait (202), unknown.
    let run = format!("/monitors/{id}/run");
    let r = live.call("POST", &run, Body::None).await;
    if live.expect(&r, T_RUN, 200) {
        has_keys(&live, &r, "/run", "info stats executions failures");
    }
    let r = live
        .call("POST", &format!("{run}?async=true"), Body::Json(json!({})))
        .await;
    if live.expect(&r, T_RUN, 200) {
        live.check(
            r.body["run"].get("executions").is_none(),
            &r,
            "an async run answers info only",
        );
    }
    let r = live.get(&path).await;
    if live.expect(&r, T_ONE, 200) {
        has_keys(&live, &r, "/monitor", "jobId lastRun");
        has_keys(
            &live,
            &r,
            "/monitor/lastRun",
            "status startedAt finishedAt stats",
        );
    }
    live.admin(
        "POST",
        "/_sandbox/limits",
        Some(json!({"monitorRunWaitMs": 0})),
    )
    .await;
    let r = live.call("POST", &run, Body::None).await;
    if live.expect(&r, T_RUN, 202) {
        let mut want = official("runMonitor202");
        want["run"]["info"]["monitorId"] = json!(id);
        live.expect_body_one_of(&r, &[("runMonitor202", want)]);
    }
    let r = live
        .call("POST", &format!("/monitors/{UNKNOWN_ID}/run"), Body::None)
        .await;
    live.expect_example(&r, T_RUN, 404, "monitors404ErrorInstanceNotFoundMonitor");
    expect_401(&live, "POST", &run, T_RUN, Body::None).await;

    // Delete, twice.
    let (first, again) = delete_twice(&live, &path, T_ONE).await;
    if live.expect(&first, T_ONE, 200) {
        live.check(
            first.body == json!({"monitor": {"id": id, "uid": uid}}),
            &first,
            "the delete answers {id, uid}",
        );
    }
    live.expect_example(
        &again,
        T_ONE,
        404,
        "monitors404ErrorInstanceNotFoundMonitor",
    );
    live.finish("monitors").await;
}
