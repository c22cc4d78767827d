//! Drafts against the in-process sandbox over loopback: stored drafts survive a restart,
//! invalid drafts send nothing, PATCH vs PUT, conflicts, failures keep the draft, async PUT.
//! Every wait is bounded.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use postdesk_base::DomainError;
use postdesk_drafts::{
    save_draft, validate_collection_text, Draft, DraftKind, DraftStore, DraftsError, SaveMethod,
    SaveOptions, SaveOutcome, SaveProgress,
};
use postman_client::{Client, EnvVar};
use postman_sandbox::{Limits, Sandbox};
use serde_json::{json, Value};

mod common;
use common::{advance, bounded, item_ids, raw_key, tmpdir, SCHEMA};

async fn sandbox() -> Sandbox {
    common::sandbox(Limits::lifted(), Duration::from_millis(300)).await
}

fn client(sb: &Sandbox) -> Client {
    common::client(sb, 2)
}

/// A raw call to the sandbox (the API as another app would use it, or `/_sandbox/` admin).
async fn raw(sb: &Sandbox, method: &str, path: &str, body: Value) -> Value {
    let c = reqwest::Client::new();
    let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let r = bounded(
        10,
        c.request(m, format!("{}{}", sb.url(), path))
            .header("x-api-key", raw_key(sb))
            .header("x-sandbox-token", sb.admin_token().expose())
            .json(&body)
            .send(),
    )
    .await
    .expect("call");
    let status = r.status().as_u16();
    let v: Value = r.json().await.unwrap_or(Value::Null);
    assert!(status < 300, "{method} {path}: {status} {v}");
    v
}

fn collection_doc(name: &str, requests: usize) -> Value {
    let items: Vec<Value> = (0..requests)
        .map(|i| json!({"name": format!("Request {i}"), "request": {"method": "GET", "url": format!("https://postman-echo.com/get?i={i}")}}))
        .collect();
    json!({
        "info": {"name": name, "schema": SCHEMA},
        "item": [{"name": "Folder", "item": items}, {"name": "Root request", "request": {"method": "POST", "url": "https://postman-echo.com/post"}}],
        "event": [{"listen": "test", "script": {"id": "script-1", "type": "text/javascript", "exec": ["pm.test('ok', () => {});"]}}]
    })
}

/// Creates a collection in Taylor's personal workspace and returns its uid and full document.
async fn new_collection(c: &Client, name: &str, requests: usize) -> (String, Value) {
    let ws = bounded(10, c.get_all_workspaces(Some("personal"), false))
        .await
        .expect("workspaces");
    let created = bounded(
        10,
        c.create_collection(Some(&ws[0].id.0), collection_doc(name, requests)),
    )
    .await
    .expect("created");
    let uid = created.uid.expect("uid");
    let full = bounded(10, c.get_collection(&uid, false, true))
        .await
        .expect("get")
        .data
        .raw;
    (uid, full)
}

fn methods(c: &Client, from: usize) -> Vec<String> {
    c.activity().entries()[from..]
        .iter()
        .map(|e| e.method.clone())
        .collect()
}

type Log = Arc<Mutex<Vec<SaveProgress>>>;

fn recorder() -> (Log, impl FnMut(SaveProgress) + Send) {
    let log: Log = Arc::default();
    let l = log.clone();
    (log, move |p| {
        if let Ok(mut v) = l.lock() {
            v.push(p);
        }
    })
}

#[tokio::test]
async fn a_stored_draft_survives_a_restart() {
    let sb = sandbox().await;
    let c = client(&sb);
    let (uid, full) = new_collection(&c, "Restart", 2).await;
    let dir = tmpdir("restart");
    let mut d = Draft::from_server(DraftKind::Collection, &uid, &full);
    d.doc["info"]["name"] = json!("Edited before the crash");
    DraftStore::open(&dir, sb.clock()).unwrap().put(&d).unwrap();
    // "Restart": a new store on the same folder.
    let store = DraftStore::open(&dir, sb.clock()).unwrap();
    let listing = store.list().unwrap();
    assert!(listing.set_aside.is_empty());
    assert_eq!(listing.drafts.len(), 1);
    let back = &listing.drafts[0];
    assert_eq!(back.id, uid);
    assert_eq!(back.doc["info"]["name"], "Edited before the crash");
    assert_eq!(back.base_updated_at, d.base_updated_at);
    assert!(back.base_updated_at.is_some());
    let _ = std::fs::remove_dir_all(&dir);
    sb.shutdown().await;
}

#[tokio::test]
async fn invalid_drafts_point_at_the_problem_and_send_nothing() {
    let sb = sandbox().await;
    let c = client(&sb);
    let (uid, full) = new_collection(&c, "Invalid", 3).await;
    let before = c.activity().len();
    // Malformed JSON: serde_json's line/column.
    let text = "{\n  \"info\": {\"name\": \"x\"},\n  \"item\": [\n    {\"name\": \"a\",}\n  ]\n}";
    let errs = validate_collection_text(text).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:?}");
    // The `}` after the trailing comma.
    assert_eq!((errs[0].line, errs[0].column), (4, 18), "{errs:?}");
    // Schema error: the right path and line.
    let mut doc = full.clone();
    doc["item"][0]["item"][2]["request"]["url"] = json!(12);
    let text = serde_json::to_string_pretty(&doc).unwrap();
    let errs = validate_collection_text(&text).unwrap_err();
    let e = errs
        .iter()
        .find(|e| e.path == "item[0].item[2].request.url")
        .unwrap_or_else(|| panic!("{errs:?}"));
    let line = text
        .lines()
        .position(|l| l.trim_start().starts_with("\"url\": 12"))
        .unwrap()
        + 1;
    assert_eq!(e.line as usize, line);
    // Saving it: refused locally, the draft is kept, no call was made.
    let dir = tmpdir("invalid");
    let store = DraftStore::open(&dir, sb.clock()).unwrap();
    let mut d = Draft::from_server(DraftKind::Collection, &uid, &full);
    d.doc = doc;
    let (_, mut cb) = recorder();
    let err = bounded(
        10,
        save_draft(&c, &store, &d, &SaveOptions::default(), &mut cb),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "drafts.invalid");
    assert!(
        err.to_string().contains("item[0].item[2].request.url"),
        "{err}"
    );
    assert_eq!(
        c.activity().len(),
        before,
        "no API call for an invalid draft"
    );
    assert!(store.get(DraftKind::Collection, &uid).unwrap().is_some());
    let _ = std::fs::remove_dir_all(&dir);
    sb.shutdown().await;
}

#[tokio::test]
async fn info_change_is_a_patch_and_tree_change_a_put_that_keeps_ids() {
    let sb = sandbox().await;
    let c = client(&sb);
    let (uid, full) = new_collection(&c, "Plan", 3).await;
    let dir = tmpdir("plan");
    let store = DraftStore::open(&dir, sb.clock()).unwrap();
    // Only the name and an event: PATCH.
    let mut d = Draft::from_server(DraftKind::Collection, &uid, &full);
    d.doc["info"]["name"] = json!("Plan (renamed)");
    d.doc["event"][0]["script"]["exec"] = json!(["pm.test('still ok', () => {});"]);
    let from = c.activity().len();
    let (log, mut cb) = recorder();
    let out = bounded(
        20,
        save_draft(&c, &store, &d, &SaveOptions::default(), &mut cb),
    )
    .await
    .unwrap();
    let SaveOutcome::Saved { method, updated_at } = out else {
        panic!("{out:?}")
    };
    assert_eq!(method, SaveMethod::Patch);
    assert_eq!(methods(&c, from), ["GET", "PATCH", "GET"]);
    assert!(updated_at.is_some());
    assert!(log.lock().unwrap().contains(&SaveProgress::Confirming));
    assert!(store.get(DraftKind::Collection, &uid).unwrap().is_none());
    let now = bounded(10, c.get_collection(&uid, false, true))
        .await
        .unwrap()
        .data
        .raw;
    assert_eq!(now["info"]["name"], "Plan (renamed)");
    assert_eq!(now["info"]["updatedAt"].as_str(), updated_at.as_deref());
    assert_eq!(
        now["event"][0]["script"]["exec"][0],
        "pm.test('still ok', () => {});"
    );
    // A tree change (one request renamed, one added): PUT, existing ids kept.
    let mut ids_before = Vec::new();
    item_ids(&now, &mut ids_before);
    let mut d = Draft::from_server(DraftKind::Collection, &uid, &now);
    d.doc["item"][0]["item"][1]["name"] = json!("Renamed request");
    if let Some(items) = d.doc["item"][0]["item"].as_array_mut() {
        items.push(json!({"name": "New request", "request": {"method": "GET", "url": "https://x.test/new"}}));
    }
    let from = c.activity().len();
    let out = bounded(
        20,
        save_draft(&c, &store, &d, &SaveOptions::default(), &mut cb),
    )
    .await
    .unwrap();
    assert!(
        matches!(
            out,
            SaveOutcome::Saved {
                method: SaveMethod::Put,
                ..
            }
        ),
        "{out:?}"
    );
    assert_eq!(methods(&c, from), ["GET", "PUT", "GET"]);
    let after = bounded(10, c.get_collection(&uid, false, true))
        .await
        .unwrap()
        .data
        .raw;
    let mut ids_after = Vec::new();
    item_ids(&after, &mut ids_after);
    for id in &ids_before {
        assert!(ids_after.contains(id), "item {id} lost its id");
    }
    assert_eq!(ids_after.len(), ids_before.len() + 1);
    assert_eq!(after["item"][0]["item"][1]["name"], "Renamed request");
    let _ = std::fs::remove_dir_all(&dir);
    sb.shutdown().await;
}

#[tokio::test]
async fn a_concurrent_change_is_a_conflict_and_nothing_is_written() {
    let sb = sandbox().await;
    let c = client(&sb);
    let (uid, full) = new_collection(&c, "Shared", 2).await;
    let dir = tmpdir("conflict");
    let store = DraftStore::open(&dir, sb.clock()).unwrap();
    let mut d = Draft::from_server(DraftKind::Collection, &uid, &full);
    d.doc["info"]["name"] = json!("Mine");
    store.put(&d).unwrap();
    // Someone else renames it directly through the API, a little later.
    advance(&sb, 5_000).await;
    raw(
        &sb,
        "PATCH",
        &format!("/collections/{uid}"),
        json!({"collection": {"info": {"name": "Theirs"}}}),
    )
    .await;
    let server_before = bounded(10, c.get_collection(&uid, false, true))
        .await
        .unwrap()
        .data
        .raw;
    let (_, mut cb) = recorder();
    let out = bounded(
        20,
        save_draft(&c, &store, &d, &SaveOptions::default(), &mut cb),
    )
    .await
    .unwrap();
    let SaveOutcome::Conflict { mine, theirs } = out else {
        panic!("{out:?}")
    };
    assert_eq!(mine["info"]["name"], "Mine");
    assert_eq!(theirs["info"]["name"], "Theirs");
    let server_after = bounded(10, c.get_collection(&uid, false, true))
        .await
        .unwrap()
        .data
        .raw;
    assert_eq!(server_before, server_after, "the server is unchanged");
    assert!(store.get(DraftKind::Collection, &uid).unwrap().is_some());
    let _ = std::fs::remove_dir_all(&dir);
    sb.shutdown().await;
}

#[tokio::test]
async fn a_server_failure_keeps_the_draft_and_says_why() {
    let sb = sandbox().await;
    let c = client(&sb);
    let (uid, full) = new_collection(&c, "Fails", 2).await;
    let dir = tmpdir("fault");
    let store = DraftStore::open(&dir, sb.clock()).unwrap();
    let mut d = Draft::from_server(DraftKind::Collection, &uid, &full);
    d.doc["item"][1]["name"] = json!("Changed");
    raw(
        &sb,
        "POST",
        "/_sandbox/faults",
        json!({"route": "PUT /collections/{id}", "status": 500}),
    )
    .await;
    let (_, mut cb) = recorder();
    let err = bounded(
        20,
        save_draft(&c, &store, &d, &SaveOptions::default(), &mut cb),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "api.server", "{err}");
    assert!(err.to_string().contains("draft is kept"), "{err}");
    assert!(matches!(err, DraftsError::Api { .. }));
    let kept = store
        .get(DraftKind::Collection, &uid)
        .unwrap()
        .expect("kept");
    assert_eq!(kept.doc["item"][1]["name"], "Changed");
    // Once the server is back, the same draft saves.
    raw(&sb, "DELETE", "/_sandbox/faults", json!({})).await;
    let out = bounded(
        20,
        save_draft(&c, &store, &kept, &SaveOptions::default(), &mut cb),
    )
    .await
    .unwrap();
    assert!(
        matches!(
            out,
            SaveOutcome::Saved {
                method: SaveMethod::Put,
                ..
            }
        ),
        "{out:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
    sb.shutdown().await;
}

#[tokio::test]
async fn a_big_collection_is_put_async_with_progress() {
    let sb = sandbox().await;
    let c = client(&sb);
    let (uid, full) = new_collection(&c, "Big", 400).await;
    let dir = tmpdir("async");
    let store = DraftStore::open(&dir, sb.clock()).unwrap();
    let mut d = Draft::from_server(DraftKind::Collection, &uid, &full);
    d.doc["item"][0]["item"][399]["name"] = json!("Last one, renamed");
    let opts = SaveOptions {
        async_threshold_bytes: 16 * 1024,
        first_poll: Duration::from_millis(50),
        max_poll: Duration::from_millis(200),
        max_wait: Duration::from_secs(10),
    };
    let (log, mut cb) = recorder();
    let out = bounded(30, save_draft(&c, &store, &d, &opts, &mut cb))
        .await
        .unwrap();
    assert!(
        matches!(
            out,
            SaveOutcome::Saved {
                method: SaveMethod::PutAsync,
                updated_at: Some(_)
            }
        ),
        "{out:?}"
    );
    let log = log.lock().unwrap().clone();
    assert!(
        log.iter().any(|p| matches!(
            p,
            SaveProgress::Sending {
                method: SaveMethod::PutAsync,
                ..
            }
        )),
        "{log:?}"
    );
    assert!(
        log.iter()
            .any(|p| matches!(p, SaveProgress::Waiting { .. })),
        "{log:?}"
    );
    assert_eq!(log.last(), Some(&SaveProgress::Confirming));
    let after = bounded(10, c.get_collection(&uid, false, true))
        .await
        .unwrap()
        .data
        .raw;
    assert_eq!(after["item"][0]["item"][399]["name"], "Last one, renamed");
    assert!(store.get(DraftKind::Collection, &uid).unwrap().is_none());
    let _ = std::fs::remove_dir_all(&dir);
    sb.shutdown().await;
}

#[tokio::test]
async fn environments_patch_small_edits_put_others_and_detect_conflicts() {
    let sb = sandbox().await;
    let c = client(&sb);
    let vars = vec![
        EnvVar {
            key: "host".into(),
            value: Some("a.test".into()),
            enabled: Some(true),
            ..Default::default()
        },
        EnvVar {
            key: "token".into(),
            value: Some("s3cret".into()),
            enabled: Some(true),
            kind: Some("secret".into()),
            ..Default::default()
        },
    ];
    let env = bounded(10, c.create_environment(None, "Env", &vars))
        .await
        .unwrap();
    let id = env.uid.clone().unwrap_or(env.id.0.clone());
    let dir = tmpdir("env");
    let store = DraftStore::open(&dir, sb.clock()).unwrap();
    let current = || async {
        serde_json::to_value(
            bounded(10, c.get_environment(&id, true))
                .await
                .unwrap()
                .data,
        )
        .unwrap()
    };
    let (_, mut cb) = recorder();
    // A value edit: one PATCH (which returns the new updatedAt).
    let server = current().await;
    let mut d = Draft::from_server(DraftKind::Environment, &id, &server);
    d.doc["values"][0]["value"] = json!("b.test");
    let from = c.activity().len();
    let out = bounded(
        20,
        save_draft(&c, &store, &d, &SaveOptions::default(), &mut cb),
    )
    .await
    .unwrap();
    assert!(
        matches!(
            out,
            SaveOutcome::Saved {
                method: SaveMethod::Patch,
                updated_at: Some(_)
            }
        ),
        "{out:?}"
    );
    assert_eq!(methods(&c, from), ["GET", "PATCH"]);
    // A variable added: PUT.
    let server = current().await;
    assert_eq!(server["values"][0]["value"], "b.test");
    let mut d = Draft::from_server(DraftKind::Environment, &id, &server);
    if let Some(v) = d.doc["values"].as_array_mut() {
        v.push(json!({"key": "new", "value": "1", "enabled": true}));
    }
    let out = bounded(
        20,
        save_draft(&c, &store, &d, &SaveOptions::default(), &mut cb),
    )
    .await
    .unwrap();
    assert!(
        matches!(
            out,
            SaveOutcome::Saved {
                method: SaveMethod::Put,
                ..
            }
        ),
        "{out:?}"
    );
    let server = current().await;
    assert_eq!(server["values"].as_array().map(Vec::len), Some(3));
    // A concurrent change: conflict, nothing written.
    let mut d = Draft::from_server(DraftKind::Environment, &id, &server);
    d.doc["name"] = json!("Mine");
    advance(&sb, 5_000).await;
    raw(
        &sb,
        "PATCH",
        &format!("/environments/{id}"),
        json!([{"op": "replace", "path": "/name", "value": "Theirs"}]),
    )
    .await;
    let before = current().await;
    let out = bounded(
        20,
        save_draft(&c, &store, &d, &SaveOptions::default(), &mut cb),
    )
    .await
    .unwrap();
    let SaveOutcome::Conflict { mine, theirs } = out else {
        panic!("{out:?}")
    };
    assert_eq!(
        (mine["name"].as_str(), theirs["name"].as_str()),
        (Some("Mine"), Some("Theirs"))
    );
    assert_eq!(current().await, before);
    assert!(store.get(DraftKind::Environment, &id).unwrap().is_some());
    let _ = std::fs::remove_dir_all(&dir);
    sb.shutdown().await;
}
