//! Environments over HTTP: list, get, create, replace, JSON-patch (both content types), delete.

#[path = "util/mod.rs"]
mod util;

use serde_json::json;
use util::*;

#[tokio::test]
async fn list_filter_and_invalid_workspace() {
    let sb = sandbox().await;
    let k = key(&sb, TAYLOR);
    let r = get(&sb, "/environments", &k).await;
    assert_eq!(r.status, 200);
    let all = r.json["environments"].as_array().unwrap();
    assert!(all.len() >= 3);
    for f in [
        "id",
        "name",
        "createdAt",
        "updatedAt",
        "owner",
        "uid",
        "isPublic",
    ] {
        assert!(all[0].get(f).is_some(), "{f}");
    }
    let ws = workspace_id(&sb, &k, "Orbit Team").await;
    let r = get(&sb, &format!("/environments?workspace={ws}"), &k).await;
    assert_eq!(r.json["environments"].as_array().unwrap().len(), 2);
    let r = get(&sb, "/environments?workspace=nope", &k).await;
    assert_eq!((r.status, &r.json), (200, &json!({"environments": []})));
    sb.shutdown().await;
}

#[tokio::test]
async fn seeded_environment_has_default_and_secret_values() {
    let sb = sandbox().await;
    let k = key(&sb, TAYLOR);
    let id = get(&sb, "/environments", &k).await.json["environments"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = get(&sb, &format!("/environments/{id}"), &k).await;
    assert_eq!(r.status, 200);
    let types: Vec<&str> = r.json["environment"]["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["type"].as_str().unwrap())
        .collect();
    assert!(types.contains(&"default") && types.contains(&"secret"));
    // By UID as well.
    let uid = format!("{}-{id}", r.json["environment"]["owner"].as_str().unwrap());
    assert_eq!(
        get(&sb, &format!("/environments/{uid}"), &k).await.json,
        r.json
    );
    let r = get(
        &sb,
        "/environments/00000000-0000-4000-8000-000000000000",
        &k,
    )
    .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json["error"]["name"], "instanceNotFoundError");
    sb.shutdown().await;
}

#[tokio::test]
async fn create_replace_patch_delete() {
    let sb = sandbox().await;
    let k = key(&sb, TAYLOR);
    let r = call(&sb, "POST", "/environments", Some(&k), Some(json!({"environment": {"name": "Mine", "values": [{"key": "a", "value": "1", "enabled": true, "type": "default"}]}}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.json["environment"]["id"].as_str().unwrap().to_string();
    let uid = r.json["environment"]["uid"].as_str().unwrap().to_string();
    let r = call(
        &sb,
        "POST",
        "/environments",
        Some(&k),
        Some(json!({"environment": {"values": []}})),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json["error"]["name"], "malformedRequestError");

    let r = call(
        &sb,
        "PUT",
        &format!("/environments/{id}"),
        Some(&k),
        Some(json!({"environment": {"name": "Mine 2", "values": []}})),
    )
    .await;
    assert_eq!(
        (r.status, &r.json),
        (
            200,
            &json!({"environment": {"id": id, "name": "Mine 2", "uid": uid}})
        )
    );
    assert_eq!(
        get(&sb, &format!("/environments/{id}"), &k).await.json["environment"]["values"],
        json!([])
    );

    // PATCH with application/json (what real clients send) …
    let ops = json!([{"op": "add", "path": "/values/0", "value": {"key": "x", "value": "y", "enabled": true, "type": "secret"}}]);
    let r = call(
        &sb,
        "PATCH",
        &format!("/environments/{uid}"),
        Some(&k),
        Some(ops),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["environment"]["values"][0]["key"], "x");
    assert_eq!(r.json["environment"]["uid"], uid.as_str());
    // … and with application/json-patch+json.
    let r = send(
        client()
            .patch(format!("{}/environments/{id}", sb.url()))
            .header("x-api-key", &k)
            .header("content-type", "application/json-patch+json")
            .body(r#"[{"op":"replace","path":"/name","value":"Renamed"}]"#),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["environment"]["name"], "Renamed");
    // PATCH errors are problem+json.
    let r = call(
        &sb,
        "PATCH",
        &format!("/environments/{id}"),
        Some(&k),
        Some(json!({"op": "x"})),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json["detail"], "Patch sequence must be an array");
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/problem+json"));
    let r = call(
        &sb,
        "PATCH",
        &format!("/environments/{id}"),
        Some(&k),
        Some(json!([{"op": "remove", "path": "/values/9"}])),
    )
    .await;
    assert_eq!(r.status, 400);
    let r = call(
        &sb,
        "PATCH",
        "/environments/5daabc50-8451-43f6",
        Some(&k),
        Some(json!([])),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json["detail"], "Invalid Environment ID");

    let r = call(
        &sb,
        "DELETE",
        &format!("/environments/{id}"),
        Some(&k),
        None,
    )
    .await;
    assert_eq!(
        (r.status, &r.json),
        (200, &json!({"environment": {"id": id, "uid": uid}}))
    );
    assert_eq!(
        get(&sb, &format!("/environments/{id}"), &k).await.status,
        404
    );
    assert_eq!(
        call(
            &sb,
            "DELETE",
            &format!("/environments/{id}"),
            Some(&k),
            None
        )
        .await
        .status,
        404
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn environment_body_cap_413() {
    let mut cfg = config();
    cfg.limits.environment_body_max = 1_000;
    let sb = sandbox_with(cfg).await;
    let k = key(&sb, TAYLOR);
    let r = call(
        &sb,
        "POST",
        "/environments",
        Some(&k),
        Some(json!({"environment": {"name": "x".repeat(2_000), "values": []}})),
    )
    .await;
    assert_eq!(r.status, 413);
    assert_eq!(
        r.json["type"],
        "https://api.postman.com/problems/payload-too-large"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn other_teams_environments_are_invisible() {
    let sb = sandbox().await;
    let id = get(&sb, "/environments", &key(&sb, ALEX)).await.json["environments"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let k = key(&sb, TAYLOR);
    assert_eq!(
        get(&sb, &format!("/environments/{id}"), &k).await.status,
        404
    );
    let r = call(
        &sb,
        "PUT",
        &format!("/environments/{id}"),
        Some(&k),
        Some(json!({"environment": {"name": "hijack"}})),
    )
    .await;
    assert_eq!(r.status, 404);
    sb.shutdown().await;
}
