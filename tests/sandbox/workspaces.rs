//! Workspaces: list (filters, cursor pages), get, create, update, delete.

#[path = "util/mod.rs"]
mod util;

use serde_json::{json, Value};
use util::*;

fn names(r: &Resp) -> Vec<String> {
    r.strings("/workspaces", "name")
}

#[tokio::test]
async fn list_shows_personal_and_team_workspaces_only() {
    let sb = sandbox().await;
    let r = get(&sb, "/workspaces", &key(&sb, TAYLOR)).await;
    assert_eq!(r.status, 200);
    assert_eq!(names(&r), ["My Workspace", "Orbit Team", "Orbit Private"]);
    assert!(r.json.get("meta").is_none(), "no meta without limit");
    let w = &r.json["workspaces"][0];
    assert_fields(
        w,
        "id name type visibility createdBy about createdAt updatedAt",
    );
    assert!(w["createdBy"].is_string());
    // Another team sees other workspaces; the user on no team only their own.
    let r = get(&sb, "/workspaces", &key(&sb, ALEX)).await;
    assert_eq!(names(&r), ["Nimbus Team", "My Workspace"]);
    let r = get(&sb, "/workspaces", &key(&sb, JORDAN)).await;
    assert_eq!(names(&r), ["My Workspace"]);
    sb.shutdown().await;
}

#[tokio::test]
async fn type_filter_and_its_400() {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let r = get(&sb, "/workspaces?type=personal", &k).await;
    assert_eq!(names(&r), ["My Workspace"]);
    let r = get(&sb, "/workspaces?type=team", &k).await;
    assert_eq!(names(&r), ["Orbit Team", "Orbit Private"]);
    let r = get(&sb, "/workspaces?type=private", &k).await;
    assert_eq!(names(&r), ["Orbit Private"]);
    let r = get(&sb, "/workspaces?type=bogus", &k).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json,
        json!({"error":{"name":"invalidParamError","message":"visibilityStatus must be one of personal/private/team/public/partner"},"statusCode":400})
    );
    let r = get(&sb, "/workspaces?elementType=collection", &k).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json,
        json!({"name":"badRequest","message":"elementId is required when elementType is provided"})
    );
    // elementType + elementId: the workspace holding that collection.
    let uid = first_collection_uid(&sb, &k).await;
    let r = get(
        &sb,
        &format!("/workspaces?elementType=collection&elementId={uid}"),
        &k,
    )
    .await;
    assert_eq!(names(&r).len(), 1);
    sb.shutdown().await;
}

#[tokio::test]
async fn cursor_pagination_with_limit() {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let mut seen = Vec::new();
    let mut cursor = String::new();
    for page in 0..5 {
        let r = get(&sb, &format!("/workspaces?limit=2&cursor={cursor}"), &k).await;
        assert_eq!(r.status, 200);
        seen.extend(names(&r));
        cursor = r.json["meta"]["nextCursor"]
            .as_str()
            .expect("meta.nextCursor with limit")
            .to_string();
        if cursor.is_empty() {
            assert_eq!(page, 1);
            break;
        }
    }
    assert_eq!(seen, ["My Workspace", "Orbit Team", "Orbit Private"]);
    let r = get(&sb, "/workspaces?limit=101", &k).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json,
        json!({"error":{"name":"badRequestError","message":"The limit parameter must not exceed 100."}})
    );
    let r = get(&sb, "/workspaces?limit=100", &k).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["meta"]["nextCursor"], "");
    let r = get(&sb, "/workspaces?limit=2&cursor=%%%", &k).await;
    assert_eq!(r.status, 400);
    sb.shutdown().await;
}

#[tokio::test]
async fn get_one_lists_its_collections_and_environments_and_404s() {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let id = workspace_id(&sb, &k, "Orbit Team").await;
    let r = get(&sb, &format!("/workspaces/{id}"), &k).await;
    assert_eq!(r.status, 200);
    let w = &r.json["workspace"];
    assert_eq!(w["id"], id.as_str());
    assert_eq!(w["type"], "team");
    assert!(!w["collections"].as_array().unwrap().is_empty());
    assert!(!w["environments"].as_array().unwrap().is_empty());
    let c = &w["collections"][0];
    assert!(c["uid"]
        .as_str()
        .unwrap()
        .ends_with(c["id"].as_str().unwrap()));
    assert_fields(w, "description updatedBy mocks monitors apis specs");
    let nf = json!({"error":{"name":"workspaceNotFoundError","message":"Workspace not found","statusCode":404}});
    let r = get(&sb, &format!("/workspaces/{UNKNOWN_ID}"), &k).await;
    assert_eq!((r.status, &r.json), (404, &nf));
    // Another team's workspace is not found either.
    let r = get(&sb, &format!("/workspaces/{id}"), &key(&sb, ALEX)).await;
    assert_eq!((r.status, &r.json), (404, &nf));
    sb.shutdown().await;
}

#[tokio::test]
async fn create_update_delete() {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let scratch = json!({"workspace": {"name": "Scratch", "type": "team", "description": "tmp"}});
    let r = post(&sb, "/workspaces", &k, scratch).await;
    assert_eq!(r.status, 200);
    let id = r.string("/workspace/id");
    let path = format!("/workspaces/{id}");
    assert_eq!(r.json["workspace"]["name"], "Scratch");
    assert_eq!(r.json["workspace"].as_object().unwrap().len(), 2);
    // Team mates see it.
    assert_eq!(get(&sb, &path, &key(&sb, SAM)).await.status, 200);
    // A collection and an environment in it.
    let into = |list: &str| format!("/{list}?workspace={id}");
    let r = post(&sb, &into("collections"), &k, empty_collection("Tmp")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let cid = r.string("/collection/uid");
    let env = json!({"environment": {"name": "E", "values": []}});
    let r = post(&sb, &into("environments"), &k, env).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let eid = r.string("/environment/id");

    let r = put(&sb, &path, &k, json!({"workspace": {"name": "Renamed"}})).await;
    let renamed = json!({"workspace": {"id": id, "name": "Renamed"}});
    assert_eq!((r.status, &r.json), (200, &renamed));
    let r = put(&sb, &path, &k, json!({"name": "x"})).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json,
        json!({"error":{"name":"malformedRequestError","message":"'workspace' object missing in the request"}})
    );
    let unknown = format!("/workspaces/{UNKNOWN_ID}");
    let r = put(&sb, &unknown, &k, json!({"workspace": {"name": "x"}})).await;
    assert_error(&r, 404, "instanceNotFoundError");

    let r = delete(&sb, &path, &k).await;
    assert_eq!(
        (r.status, &r.json),
        (200, &json!({"workspace": {"id": id}}))
    );
    for gone in [
        format!("/collections/{cid}"),
        format!("/environments/{eid}"),
    ] {
        assert_eq!(get(&sb, &gone, &k).await.status, 404, "{gone}");
    }
    let r = delete(&sb, &path, &k).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json,
        json!({"error":{"name":"instanceNotFoundError","message":"The specified workspace does not exist."}})
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn user_on_no_team_cannot_create_team_workspaces() {
    let sb = sandbox().await;
    let k = key(&sb, JORDAN);
    let team = json!({"workspace": {"name": "T", "type": "team"}});
    let r = post(&sb, "/workspaces", &k, team).await;
    assert_error(&r, 403, "forbiddenError");
    let personal = json!({"workspace": {"name": "P", "type": "personal"}});
    assert_eq!(post(&sb, "/workspaces", &k, personal).await.status, 200);
    let r = post(&sb, "/workspaces", &k, Value::Null).await;
    assert_eq!(r.status, 400);
    sb.shutdown().await;
}

#[tokio::test]
async fn malformed_json_is_a_400_not_a_crash() {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let json = "application/json";
    let r = send_raw(&sb, "POST", "/workspaces", &k, json, "{not json").await;
    assert_error(&r, 400, "malformedRequestError");
    assert_eq!(get(&sb, "/me", &k).await.status, 200);
    sb.shutdown().await;
}
