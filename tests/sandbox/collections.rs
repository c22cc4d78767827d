//! Collections over HTTP: list (filters, offset pages), both id forms, minimal model, create,
//! PUT (sync, id semantics, async task + 409), PATCH, DELETE, body caps.

#[path = "util/mod.rs"]
mod util;

use postman_sandbox::Sandbox;
use serde_json::{json, Value};
use std::time::Duration;
use util::*;

fn new_collection(name: &str) -> Value {
    json!({"collection": {"info": {"name": name, "schema": SCHEMA}, "item": [
        {"name": "Folder", "item": [{"name": "Inner", "request": {"method": "GET", "url": "https://example.com/a"}}]},
        {"name": "Root request", "request": {"method": "POST", "url": "https://example.com/b"}}
    ]}})
}

async fn create(sb: &Sandbox, k: &str, name: &str) -> (String, String) {
    let r = post(sb, "/collections", k, new_collection(name)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    (r.string("/collection/id"), r.string("/collection/uid"))
}

/// A fresh sandbox, Taylor's key, and the (id, UID) of a new collection `name` of hers.
async fn with_new_collection(name: &str) -> (Sandbox, String, (String, String)) {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let created = create(&sb, &k, name).await;
    (sb, k, created)
}

/// A sandbox whose update tasks take `task` of sandbox time, Taylor's key, and the UID of a
/// new collection `name` of hers.
async fn with_tasks_taking(task: Duration, name: &str) -> (Sandbox, String, String) {
    let (sb, k) = started_as(config_with(|c| c.task_duration = task), TAYLOR).await;
    let (_, uid) = create(&sb, &k, name).await;
    (sb, k, uid)
}

#[tokio::test]
async fn list_filters_and_offset_pages() {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let r = get(&sb, "/collections", &k).await;
    assert_eq!(r.status, 200);
    let all = r.json["collections"].as_array().unwrap().clone();
    assert!(all.len() >= 10);
    assert!(r.json.get("meta").is_none());
    assert_fields(&all[0], "id name owner createdAt updatedAt uid isPublic");
    assert_eq!(
        all[0]["uid"],
        format!(
            "{}-{}",
            all[0]["owner"].as_str().unwrap(),
            all[0]["id"].as_str().unwrap()
        )
    );
    // Pages.
    let r = get(&sb, "/collections?limit=3&offset=2", &k).await;
    assert_eq!(
        r.json["meta"],
        json!({"total": all.len(), "offset": 2, "limit": 3})
    );
    assert_eq!(r.json["collections"].as_array().unwrap()[..], all[2..5]);
    // Exact name only.
    let name = all[1]["name"].as_str().unwrap();
    let r = get(&sb, &format!("/collections?name={}", urlenc(name)), &k).await;
    assert_eq!(r.json["collections"].as_array().unwrap().len(), 1);
    let r = get(
        &sb,
        &format!("/collections?name={}", urlenc(&name[..name.len() - 1])),
        &k,
    )
    .await;
    assert!(r.json["collections"].as_array().unwrap().is_empty());
    // Workspace filter; an invalid workspace is an empty 200.
    let ws = workspace_id(&sb, &k, "My Workspace").await;
    let r = get(&sb, &format!("/collections?workspace={ws}"), &k).await;
    let mine = r.json["collections"].as_array().unwrap();
    assert!(!mine.is_empty() && mine.len() < all.len());
    let r = get(&sb, "/collections?workspace=not-a-workspace", &k).await;
    assert_eq!((r.status, &r.json), (200, &json!({"collections": []})));
    // Another team's workspace is as good as invalid.
    let nimbus = workspace_id(&sb, &key(&sb, ALEX), "Nimbus Team").await;
    let r = get(&sb, &format!("/collections?workspace={nimbus}"), &k).await;
    assert_eq!(r.json, json!({"collections": []}));
    sb.shutdown().await;
}

fn urlenc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn get_by_id_and_uid_and_minimal() {
    let (sb, k, (id, uid)) = with_new_collection("Both forms").await;
    let a = get(&sb, &format!("/collections/{id}"), &k).await;
    let b = get(&sb, &format!("/collections/{uid}"), &k).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json, b.json);
    let info = &a.json["collection"]["info"];
    assert_eq!(info["_postman_id"], id.as_str());
    assert_eq!(info["uid"], uid.as_str());
    assert_eq!(info["schema"], SCHEMA);
    let items = a.json["collection"]["item"].as_array().unwrap();
    assert!(items
        .iter()
        .all(|i| i["id"].is_string() && i["uid"].is_string()));
    let m = get(&sb, &format!("/collections/{uid}?model=minimal"), &k).await;
    let mc = &m.json["collection"];
    assert_eq!(mc["rootLevelFolders"], json!([items[0]["uid"]]));
    assert_eq!(mc["rootLevelRequests"], json!([items[1]["uid"]]));
    assert!(mc.get("item").is_none());
    // Wrong owner prefix, unknown id, another team's collection: 404.
    let nf = json!({"error":{"name":"instanceNotFoundError","message":"We could not find the collection you are looking for"}});
    for p in [
        format!("/collections/1-{id}"),
        "/collections/00000000-0000-4000-8000-000000000000".to_string(),
    ] {
        let r = get(&sb, &p, &k).await;
        assert_eq!((r.status, &r.json), (404, &nf), "{p}");
    }
    let r = get(&sb, &format!("/collections/{uid}"), &key(&sb, ALEX)).await;
    assert_eq!(r.status, 404);
    // Team mates can read it (it went into Taylor's personal workspace: they cannot).
    let sam = key(&sb, SAM);
    assert_eq!(
        get(&sb, &format!("/collections/{uid}"), &sam).await.status,
        404
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn create_into_a_workspace_and_errors() {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let ws = workspace_id(&sb, &k, "Orbit Team").await;
    let target = format!("/collections?workspace={ws}");
    let r = post(&sb, &target, &k, new_collection("Team thing")).await;
    assert_eq!(r.status, 200);
    let c = r.json["collection"].clone();
    assert_eq!(c.as_object().unwrap().len(), 3);
    assert_eq!(c["name"], "Team thing");
    // Sam (same team) sees it in the workspace.
    let r = get(
        &sb,
        &format!("/collections?workspace={ws}&name=Team%20thing"),
        &key(&sb, SAM),
    )
    .await;
    assert_eq!(r.json["collections"][0]["uid"], c["uid"]);
    // Missing item: malformedRequestError.
    let no_item = json!({"collection": {"info": {"name": "x", "schema": SCHEMA}}});
    let r = post(&sb, "/collections", &k, no_item).await;
    assert_error(&r, 400, "malformedRequestError");
    // Not JSON at all.
    let r = send_raw(&sb, "POST", "/collections", &k, "application/json", "]]").await;
    assert_error(&r, 400, "malformedRequestError");
    sb.shutdown().await;
}

#[tokio::test]
async fn put_sync_keeps_ids_and_rejects_mismatch() {
    let (sb, k, (id, uid)) = with_new_collection("Put me").await;
    let got = get(&sb, &format!("/collections/{uid}"), &k).await.json;
    let mut body = got.clone();
    body["collection"]["info"]["name"] = json!("Put me v2");
    let r = put(&sb, &format!("/collections/{uid}"), &k, body).await;
    assert_eq!(
        (r.status, &r.json),
        (
            200,
            &json!({"collection": {"id": id, "name": "Put me v2", "uid": uid}})
        )
    );
    let after = get(&sb, &format!("/collections/{id}"), &k).await.json;
    assert_eq!(
        after["collection"]["item"][0]["id"], got["collection"]["item"][0]["id"],
        "ids kept"
    );
    assert_eq!(after["collection"]["info"]["name"], "Put me v2");
    // Items without ids are recreated with new ids.
    let mut stripped = after.clone();
    stripped["collection"]["item"][1]
        .as_object_mut()
        .unwrap()
        .remove("id");
    stripped["collection"]["item"][1]
        .as_object_mut()
        .unwrap()
        .remove("uid");
    put(&sb, &format!("/collections/{uid}"), &k, stripped).await;
    let again = get(&sb, &format!("/collections/{id}"), &k).await.json;
    assert_ne!(
        again["collection"]["item"][1]["id"],
        after["collection"]["item"][1]["id"]
    );
    // Body id must match the path.
    let mut other = again.clone();
    other["collection"]["info"]["_postman_id"] = json!("00000000-0000-4000-8000-000000000000");
    let r = put(&sb, &format!("/collections/{uid}"), &k, other).await;
    assert_error(&r, 400, "collectionMismatchError");
    // Unknown collection.
    let unknown = format!("/collections/{UNKNOWN_ID}");
    let r = put(&sb, &unknown, &k, again).await;
    assert_error(&r, 404, "instanceNotFoundError");
    sb.shutdown().await;
}

#[tokio::test]
async fn put_async_task_and_conflict() {
    // A minute of sandbox time: the task finishes when the test moves the clock, not before.
    let (sb, k, uid) = with_tasks_taking(Duration::from_secs(60), "Async").await;
    let path = format!("/collections/{uid}");
    let mut body = get(&sb, &path, &k).await.json;
    body["collection"]["info"]["name"] = json!("Async v2");
    let put_async = |b: Value| {
        let rb = client().put(format!("{}{path}", sb.url()));
        let rb = rb.header("x-api-key", &k).header("Prefer", "respond-async");
        send(rb.json(&b))
    };
    let r = put_async(body.clone()).await;
    assert_eq!(r.status, 202);
    assert_eq!(r.json["task"]["status"], "in-progress");
    let task = r.string("/task/id");
    let task_path = format!("/collection-updates-tasks/{task}");
    // A second PUT (async or not) while it runs: 409.
    let r = put_async(body.clone()).await;
    assert_eq!(r.status, 409);
    assert_eq!(
        r.json,
        json!({"type":"https://api.postman.com/problems/conflict","status":409,"title":"Conflict","detail":"Deep update operation is already in progress for this collection."})
    );
    assert_problem_json(&r);
    let r = put(&sb, &path, &k, body.clone()).await;
    assert_eq!(r.status, 409);
    let t = get(&sb, &task_path, &k).await;
    assert_eq!(t.json, json!({"id": task, "status": "in-progress"}));
    // The update takes the task's duration of sandbox time: move the clock past it.
    advance_clock(&sb, 30_000).await;
    let t = get(&sb, &task_path, &k).await;
    assert_eq!(t.json["status"], "in-progress", "not before its time");
    advance_clock(&sb, 30_000).await;
    let t = get(&sb, &task_path, &k).await;
    assert_eq!(t.json["status"], "successful");
    let c = get(&sb, &path, &k).await;
    assert_eq!(c.json["collection"]["info"]["name"], "Async v2");
    // Invalid async bodies: the documented problem+json 400s.
    let r = put_async(json!({"nope": 1})).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json["title"], "Missing property 'collection'");
    let r = put_async(json!({"collection": {"item": []}})).await;
    assert_eq!(r.json["title"], "Missing property 'info'");
    sb.shutdown().await;
}

#[tokio::test]
async fn patch_and_its_errors() {
    let (sb, k, (id, uid)) = with_new_collection("Patch me").await;
    let path = format!("/collections/{uid}");
    let r = patch(
        &sb,
        &path,
        &k,
        json!({"collection": {"info": {"name": "Patched", "description": "d"}}}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["collection"]["id"], id.as_str());
    assert_eq!(r.json["collection"]["name"], "Patched");
    let r = patch(&sb, &path, &k, json!({"collection": {}})).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json,
        json!({"error":{"name":"paramMissingError","message":"'info' key is mandatory when 'collection' is empty.","details":{"param":"info"}}})
    );
    let r = patch(&sb, &path, &k, json!({"collection": {"item": []}})).await;
    assert_eq!(r.status, 400);
    let r = patch(
        &sb,
        "/collections/00000000-0000-4000-8000-000000000000",
        &k,
        json!({"collection": {"info": {"name": "x"}}}),
    )
    .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        get(&sb, &format!("/collections/{id}"), &k).await.json["collection"]["info"]["name"],
        "Patched"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn delete_then_gone() {
    let (sb, k, (id, uid)) = with_new_collection("Delete me").await;
    let path = format!("/collections/{uid}");
    let r = delete(&sb, &path, &k).await;
    assert_eq!(
        (r.status, &r.json),
        (200, &json!({"collection": {"id": id, "uid": uid}}))
    );
    assert_eq!(get(&sb, &path, &k).await.status, 404);
    let r = delete(&sb, &path, &k).await;
    assert_eq!(r.status, 404);
    assert_eq!(
        r.json,
        json!({"error":{"name":"instanceNotFoundError","message":"The specified item does not exist.","details":{"item":"collection","id": uid}}})
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn body_cap_is_the_documented_413() {
    let capped = config_with(|c| c.limits.collection_body_max = 2_000);
    let (sb, k) = started_as(capped, TAYLOR).await;
    let big =
        json!({"collection": {"info": {"name": "x".repeat(5_000), "schema": SCHEMA}, "item": []}});
    let r = post(&sb, "/collections", &k, big).await;
    assert_eq!(r.status, 413);
    assert_eq!(
        r.json,
        json!({"type":"https://api.postman.com/problems/payload-too-large","title":"Payload Too Large","detail":"Request size limit exceeded","status":413,"instance":"/"})
    );
    // Default caps are the real ones.
    assert_eq!(
        postman_sandbox::Limits::default().collection_body_max,
        100 * 1024 * 1024
    );
    assert_eq!(
        postman_sandbox::Limits::default().environment_body_max,
        30 * 1024 * 1024
    );
    // A body larger than axum's / hyper's usual 2 MB default is accepted under the real cap.
    let sb2 = sandbox().await;
    let k2 = key(&sb2, TAYLOR);
    let big = json!({"collection": {"info": {"name": "big", "description": "y".repeat(3_000_000), "schema": SCHEMA}, "item": []}});
    let r = post(&sb2, "/collections", &k2, big).await;
    assert_eq!(r.status, 200);
    sb.shutdown().await;
    sb2.shutdown().await;
}

#[tokio::test]
async fn seeded_examples_are_all_there() {
    let sb = sandbox().await;
    let mut names = std::collections::BTreeSet::new();
    for u in [TAYLOR, SAM, ALEX, JORDAN] {
        let r = get(&sb, "/collections", &key(&sb, u)).await;
        for c in r.json["collections"].as_array().unwrap() {
            names.insert(c["id"].as_str().unwrap().to_string());
        }
    }
    // The 25 example collections plus one fork of one of them.
    assert_eq!(names.len(), 26);
    let r = get(&sb, "/collections", &key(&sb, SAM)).await;
    let fork = r.json["collections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c.get("fork").is_some())
        .cloned()
        .expect("a fork");
    assert_eq!(fork["fork"]["label"], "Sam's fork");
    let from = fork["fork"]["from"].as_str().unwrap();
    assert_eq!(
        get(&sb, &format!("/collections/{from}"), &key(&sb, SAM))
            .await
            .status,
        200
    );
    let full = get(
        &sb,
        &format!("/collections/{}", fork["uid"].as_str().unwrap()),
        &key(&sb, SAM),
    )
    .await;
    assert_eq!(full.json["collection"]["info"]["fork"], fork["fork"]);
    sb.shutdown().await;
}

#[tokio::test]
async fn concurrent_async_updates_and_reads_do_not_deadlock() {
    let (sb, k, uid) = with_tasks_taking(Duration::from_millis(5), "Busy").await;
    let body = get(&sb, &format!("/collections/{uid}"), &k).await.json;
    let c = client();
    let mut set = tokio::task::JoinSet::new();
    for i in 0..120 {
        let url = format!("{}/collections/{uid}", sb.url());
        let mut b = body.clone();
        b["collection"]["info"]["name"] = json!(format!("Busy {i}"));
        let rb = match i % 3 {
            0 => c.put(&url).header("Prefer", "respond-async").json(&b),
            1 => c.put(&url).json(&b),
            _ => c.get(&url),
        };
        let rb = rb.header("x-api-key", &k);
        set.spawn(async move { rb.send().await.map(|r| r.status().as_u16()).unwrap_or(0) });
    }
    let all = tokio::time::timeout(Duration::from_secs(30), async {
        let mut v = Vec::new();
        while let Some(s) = set.join_next().await {
            v.push(s.unwrap());
        }
        v
    })
    .await
    .expect("no deadlock");
    assert!(all.iter().all(|s| [200, 202, 409].contains(s)), "{all:?}");
    assert!(
        all.iter().any(|s| *s == 200 || *s == 202),
        "some update went through"
    );
    sb.shutdown().await;
}

/// A document of about `mb` MB: the sandbox renders such a document's bytes right after the write.
fn large_collection(name: &str, mb: usize) -> Value {
    let pad = "x".repeat(1_000);
    let item: Vec<Value> = (0..mb * 1_000)
        .map(|i| json!({"name": format!("R{i}"), "request": {"method": "GET", "url": "https://example.com/r", "description": pad}}))
        .collect();
    json!({"collection": {"info": {"name": name, "schema": SCHEMA}, "item": item}})
}

#[tokio::test]
async fn a_large_collection_reads_as_written_and_as_changed_right_after() {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let doc = large_collection("Large", 2);
    let r = post(&sb, "/collections", &k, doc.clone()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let uid = r.string("/collection/uid");
    // Changed at once, while its bytes may still be rendering: the change is what reads.
    let renamed = patch(
        &sb,
        &format!("/collections/{uid}"),
        &k,
        json!({"collection": {"info": {"name": "Large, renamed"}}}),
    )
    .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    for _ in 0..3 {
        let got = get(&sb, &format!("/collections/{uid}"), &k).await;
        assert_eq!(got.status, 200);
        assert_eq!(got.string("/collection/info/name"), "Large, renamed");
        let items = got.json["collection"]["item"].as_array().unwrap();
        assert_eq!(items.len(), 2_000);
        assert_eq!(items[1_999]["name"], "R1999");
        assert_eq!(
            items[7]["request"]["description"],
            doc["collection"]["item"][7]["request"]["description"]
        );
    }
    // Replaced whole (a sync PUT of the large document): the new version reads.
    let mut again = large_collection("Large again", 2);
    again["collection"]["item"][0]["name"] = json!("First");
    let put_r = put(&sb, &format!("/collections/{uid}"), &k, again).await;
    assert_eq!(put_r.status, 200, "{}", put_r.text);
    let got = get(&sb, &format!("/collections/{uid}"), &k).await;
    assert_eq!(got.string("/collection/info/name"), "Large again");
    assert_eq!(got.json["collection"]["item"][0]["name"], "First");
    sb.shutdown().await;
}
