//! Environments over HTTP: list, get, create, replace, JSON-patch (both content types), delete.

#[path = "util/mod.rs"]
mod util;

use serde_json::json;
use util::*;

#[tokio::test]
async fn list_filter_and_invalid_workspace() {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let r = get(&sb, "/environments", &k).await;
    assert_eq!(r.status, 200);
    let all = r.json["environments"].as_array().unwrap();
    assert!(all.len() >= 3);
    assert_fields(&all[0], "id name createdAt updatedAt owner uid isPublic");
    let ws = workspace_id(&sb, &k, "Orbit Team").await;
    let r = get(&sb, &format!("/environments?workspace={ws}"), &k).await;
    assert_eq!(r.json["environments"].as_array().unwrap().len(), 2);
    let r = get(&sb, "/environments?workspace=nope", &k).await;
    assert_eq!((r.status, &r.json), (200, &json!({"environments": []})));
    sb.shutdown().await;
}

#[tokio::test]
async fn seeded_environment_has_default_and_secret_values() {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let id = get(&sb, "/environments", &k)
        .await
        .string("/environments/0/id");
    let r = get(&sb, &format!("/environments/{id}"), &k).await;
    assert_eq!(r.status, 200);
    let types = r.strings("/environment/values", "type");
    assert!(types.iter().any(|t| t == "default") && types.iter().any(|t| t == "secret"));
    // By UID as well.
    let uid = format!("{}-{id}", r.string("/environment/owner"));
    let by_uid = get(&sb, &format!("/environments/{uid}"), &k).await;
    assert_eq!(by_uid.json, r.json);
    let r = get(&sb, &format!("/environments/{UNKNOWN_ID}"), &k).await;
    assert_error(&r, 404, "instanceNotFoundError");
    sb.shutdown().await;
}

#[tokio::test]
async fn create_replace_patch_delete() {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let var = json!({"key": "a", "value": "1", "enabled": true, "type": "default"});
    let mine = json!({"environment": {"name": "Mine", "values": [var]}});
    let r = post(&sb, "/environments", &k, mine).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.string("/environment/id");
    let uid = r.string("/environment/uid");
    let nameless = json!({"environment": {"values": []}});
    let r = post(&sb, "/environments", &k, nameless).await;
    assert_error(&r, 400, "malformedRequestError");

    let path = format!("/environments/{id}");
    let mine2 = json!({"environment": {"name": "Mine 2", "values": []}});
    let r = put(&sb, &path, &k, mine2).await;
    let replaced = json!({"environment": {"id": id, "name": "Mine 2", "uid": uid}});
    assert_eq!((r.status, &r.json), (200, &replaced));
    let values = &get(&sb, &path, &k).await.json["environment"]["values"];
    assert_eq!(values, &json!([]));

    // PATCH with application/json (what real clients send) …
    let ops = json!([{"op": "add", "path": "/values/0", "value": {"key": "x", "value": "y", "enabled": true, "type": "secret"}}]);
    let r = patch(&sb, &format!("/environments/{uid}"), &k, ops).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["environment"]["values"][0]["key"], "x");
    assert_eq!(r.json["environment"]["uid"], uid.as_str());
    // … and with application/json-patch+json.
    let rename = r#"[{"op":"replace","path":"/name","value":"Renamed"}]"#;
    let r = send_raw(
        &sb,
        "PATCH",
        &path,
        &k,
        "application/json-patch+json",
        rename,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["environment"]["name"], "Renamed");
    // PATCH errors are problem+json.
    let r = patch(&sb, &path, &k, json!({"op": "x"})).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json["detail"], "Patch sequence must be an array");
    assert_problem_json(&r);
    let r = patch(
        &sb,
        &path,
        &k,
        json!([{"op": "remove", "path": "/values/9"}]),
    )
    .await;
    assert_eq!(r.status, 400);
    let r = patch(&sb, "/environments/5daabc50-8451-43f6", &k, json!([])).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json["detail"], "Invalid Environment ID");

    let r = delete(&sb, &path, &k).await;
    let deleted = json!({"environment": {"id": id, "uid": uid}});
    assert_eq!((r.status, &r.json), (200, &deleted));
    assert_eq!(get(&sb, &path, &k).await.status, 404);
    assert_eq!(delete(&sb, &path, &k).await.status, 404);
    sb.shutdown().await;
}

#[tokio::test]
async fn environment_body_cap_413() {
    let capped = config_with(|c| c.limits.environment_body_max = 1_000);
    let (sb, k) = started_as(capped, TAYLOR).await;
    let big = json!({"environment": {"name": "x".repeat(2_000), "values": []}});
    let r = post(&sb, "/environments", &k, big).await;
    assert_eq!(r.status, 413);
    let problem = "https://api.postman.com/problems/payload-too-large";
    assert_eq!(r.json["type"], problem);
    sb.shutdown().await;
}

#[tokio::test]
async fn other_teams_environments_are_invisible() {
    let sb = sandbox().await;
    let alex = key(&sb, ALEX);
    let id = get(&sb, "/environments", &alex)
        .await
        .string("/environments/0/id");
    let path = format!("/environments/{id}");
    let k = key(&sb, TAYLOR);
    assert_eq!(get(&sb, &path, &k).await.status, 404);
    let hijack = json!({"environment": {"name": "hijack"}});
    assert_eq!(put(&sb, &path, &k, hijack).await.status, 404);
    sb.shutdown().await;
}
