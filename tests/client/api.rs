//! Every endpoint's typed call against the in-process sandbox.

#[path = "support.rs"]
mod support;

use postman_client::*;
use serde_json::json;
use std::time::Duration;
use support::*;

#[tokio::test]
async fn me_and_workspaces() {
    let (sb, c) = sandbox_and_taylor().await;
    let me = data(c.get_me(false)).await;
    assert_eq!(me.user.username.as_deref(), Some(TAYLOR));
    assert!(!me.user.id.0.is_empty());
    assert!(me.api_usage().is_some());

    let all = bounded(10, c.get_all_workspaces(None, false))
        .await
        .unwrap();
    assert!(all.len() >= 2, "{all:?}");
    // Cursor pages of one.
    let mut q = WorkspaceQuery {
        limit: Some(1),
        ..Default::default()
    };
    let mut paged = Vec::new();
    for _ in 0..50 {
        let p = data(c.get_workspaces(&q, false)).await;
        assert!(p.workspaces.len() <= 1);
        paged.extend(p.workspaces);
        match p.next_cursor {
            Some(cur) => q.cursor = Some(cur),
            None => break,
        }
    }
    assert_eq!(paged.len(), all.len());
    // Limit > 100 is clamped, not refused.
    let big = WorkspaceQuery {
        limit: Some(500),
        ..Default::default()
    };
    assert!(bounded(10, c.get_workspaces(&big, false)).await.is_ok());
    let personal = WorkspaceQuery {
        kind: Some("personal".into()),
        ..Default::default()
    };
    let p = data(c.get_workspaces(&personal, false)).await;
    assert!(p
        .workspaces
        .iter()
        .all(|w| w.kind.as_deref() == Some("personal")));

    let w = data(c.get_workspace(&all[0].id.0, false)).await;
    assert_eq!(w.id, all[0].id);
    assert_eq!(w.name, all[0].name);
    sb.shutdown().await;
}

#[tokio::test]
async fn collections_read() {
    let (sb, c) = sandbox_and_taylor().await;
    let list = collections(&c, false).await;
    assert!(!list.collections.is_empty());
    let first = list.collections[0].clone();
    let uid = first.uid.clone().expect("uid");

    // Exact name filter.
    let q = CollectionQuery {
        name: Some(first.name.clone()),
        ..Default::default()
    };
    let named = data(c.get_collections(&q, false)).await;
    assert!(named.collections.iter().all(|x| x.name == first.name));
    // limit/offset with meta.
    let q = CollectionQuery {
        limit: Some(1),
        offset: Some(0),
        ..Default::default()
    };
    let page = data(c.get_collections(&q, false)).await;
    assert_eq!(page.collections.len(), 1);
    assert_eq!(page.meta.as_ref().and_then(|m| m.limit), Some(1));
    assert_eq!(
        page.meta.and_then(|m| m.total),
        Some(list.collections.len() as u64)
    );

    let full = data(c.get_collection(&uid, false, false)).await;
    assert_eq!(full.info.name, first.name);
    assert!(full.raw.get("item").is_some());
    let minimal = data(c.get_collection(&uid, true, false)).await;
    assert_eq!(minimal.info.name, first.name);
    assert!(minimal.raw.get("item").is_none());
    assert_eq!(
        minimal.root_level_requests.len() + minimal.root_level_folders.len(),
        full.raw["item"].as_array().map_or(0, |a| a.len())
    );
    assert_eq!(minimal.events.len(), full.events.len());
    sb.shutdown().await;
}

#[tokio::test]
async fn shared_collection_with_access_key_and_no_api_key() {
    let (sb, c) = sandbox_and_taylor().await;
    let list = collections(&c, false).await;
    let uid = list.collections[0].uid.clone().unwrap();
    let (raw, token) = mint_access_token(&sb, &uid).await;

    let anon = Client::new(ClientConfig::new(
        Region::Sandbox(sb.url().into()),
        "shared link",
        None,
    ))
    .unwrap();
    let col = bounded(10, anon.get_shared_collection(&uid, &token))
        .await
        .unwrap();
    assert_eq!(col.info.name, list.collections[0].name);
    // Without a key every other call refuses locally.
    assert_eq!(error_of(anon.get_me(false)).await, Error::MissingKey);
    // The token never reaches the activity log.
    let log = postman_client::ActivityLog::json(&anon.activity().entries());
    assert!(log.contains("access_key=REDACTED"), "{log}");
    assert!(!log.contains(&raw[5..]), "{log}");
    assert!(!format!("{token:?} {token}").contains(&raw[5..]));
    sb.shutdown().await;
}

#[tokio::test]
async fn collection_writes_sync_async_patch_delete() {
    let (sb, c) = sandbox_and_taylor().await;
    let ws = personal_workspace(&c).await;
    let created = bounded(
        10,
        c.create_collection(Some(&ws), collection_doc("Client test")),
    )
    .await
    .unwrap();
    let uid = created.uid.clone().expect("uid");
    assert_eq!(created.name.as_deref(), Some("Client test"));

    let mut doc = data(c.get_collection(&uid, false, false)).await.raw;
    doc["info"]["name"] = json!("Client test v2");
    let put = bounded(10, c.put_collection(&uid, doc.clone()))
        .await
        .unwrap();
    assert_eq!(put.name.as_deref(), Some("Client test v2"));
    // The cache was invalidated precisely: the next read sees the change.
    let again = bounded(10, c.get_collection(&uid, false, false))
        .await
        .unwrap();
    assert!(!again.from_cache);
    assert_eq!(again.data.info.name, "Client test v2");

    doc["info"]["name"] = json!("Client test v3");
    let task = bounded(10, c.put_collection_async(&uid, doc.clone()))
        .await
        .unwrap();
    assert_eq!(task.status, TaskStatus::InProgress);
    let polled = bounded(10, c.get_update_task(&task.id)).await.unwrap();
    assert_eq!(polled.id, task.id);
    doc["info"]["name"] = json!("Client test v4");
    // Let the first task finish (sandbox time), then a full async round trip.
    advance_clock(&sb, 150).await;
    let done = bounded(
        10,
        c.put_collection_and_wait(&uid, doc, Duration::from_millis(50), Duration::from_secs(5)),
    )
    .await
    .unwrap();
    assert_eq!(done.status, TaskStatus::Successful);
    assert_eq!(
        data(c.get_collection(&uid, true, false)).await.info.name,
        "Client test v4"
    );

    let patched = bounded(
        10,
        c.patch_collection(&uid, json!({"info": {"name": "Patched"}})),
    )
    .await
    .unwrap();
    assert_eq!(patched.name.as_deref(), Some("Patched"));
    let deleted = bounded(10, c.delete_collection(&uid)).await.unwrap();
    assert!(uid.ends_with(&deleted.id.0));
    let gone = error_of(c.get_collection(&uid, false, false)).await;
    assert_eq!(gone.code(), "api.notFound", "{gone}");
    sb.shutdown().await;
}

#[tokio::test]
async fn environments_crud_and_json_patch() {
    let (sb, c) = sandbox_and_taylor().await;
    let ws = personal_workspace(&c).await;
    let before = data(c.get_environments(Some(&ws), false)).await.len();
    let vars = vec![EnvVar {
        key: "host".into(),
        value: Some("a".into()),
        enabled: Some(true),
        ..Default::default()
    }];
    let env = bounded(10, c.create_environment(Some(&ws), "Client env", &vars))
        .await
        .unwrap();
    let id = env.id.0.clone();
    let list = bounded(10, c.get_environments(Some(&ws), false))
        .await
        .unwrap();
    assert!(!list.from_cache, "create invalidated the list");
    assert_eq!(list.data.len(), before + 1);

    let got = data(c.get_environment(&id, false)).await;
    assert_eq!(got.values[0].key, "host");
    let patched = bounded(
        10,
        c.patch_environment(
            &id,
            &[
                PatchOp::replace("/name", json!("Renamed")),
                PatchOp::replace("/values/0/value", json!("b")),
            ],
        ),
    )
    .await
    .unwrap();
    assert_eq!(patched.name, "Renamed");
    assert_eq!(patched.values[0].value.as_deref(), Some("b"));
    let fresh = bounded(10, c.get_environment(&id, false)).await.unwrap();
    assert!(!fresh.from_cache);
    assert_eq!(fresh.data.name, "Renamed");

    let put = bounded(
        10,
        c.put_environment(&id, "Replaced", &[] as &[postman_client::EnvVar]),
    )
    .await
    .unwrap();
    assert_eq!(put.name.as_deref(), Some("Replaced"));
    assert!(data(c.get_environment(&id, false)).await.values.is_empty());
    bounded(10, c.delete_environment(&id)).await.unwrap();
    let e = error_of(c.get_environment(&id, false)).await;
    assert_eq!(e.code(), "api.notFound");
    sb.shutdown().await;
}

#[tokio::test]
async fn access_keys_list_pages_and_revoke() {
    let (sb, c) = sandbox_and_taylor().await;
    let uid = first_collection_uid(&c, false).await;
    for _ in 0..15 {
        mint_access_key(&sb, &uid).await;
    }
    let mine = bounded(20, c.get_all_access_keys(Some(&uid), true))
        .await
        .unwrap();
    assert!(mine.len() >= 15, "{}", mine.len());
    let first = data(c.get_access_keys(Some(&uid), None, true)).await;
    assert!(!first.keys.is_empty());
    let k = &mine[0];
    assert!(k.token.as_deref().unwrap_or("").contains('*'), "masked");
    assert_eq!(k.last_used_at, None, "\"\" means never used");
    assert_eq!(k.collection_id.as_deref(), Some(uid.as_str()));

    bounded(10, c.delete_access_key(&k.id)).await.unwrap();
    let after = bounded(20, c.get_all_access_keys(Some(&uid), false))
        .await
        .unwrap();
    let still = after.iter().find(|x| x.id == k.id);
    assert!(
        still.is_none_or(|x| x.status.as_deref() != Some("ACTIVE")),
        "{still:?}"
    );
    let again = error_of(c.delete_access_key(&k.id)).await;
    assert_eq!(again.code(), "api.notFound");
    sb.shutdown().await;
}

#[tokio::test]
async fn insecure_regions_are_refused_before_any_request() {
    for url in [
        "http://example.com",
        "http://192.168.1.1:8080",
        "file:///etc/passwd",
    ] {
        let e = Client::new(ClientConfig::new(Region::Sandbox(url.into()), "k", None)).unwrap_err();
        assert_eq!(e.code(), "client.insecureUrl", "{url}");
        assert!(e.to_string().len() > 10);
    }
    assert!(Client::new(ClientConfig::new(Region::Us, "k", None)).is_ok());
    assert!(Client::new(ClientConfig::new(Region::Eu, "k", None)).is_ok());
    assert!(Client::new(ClientConfig::new(
        Region::Sandbox("http://localhost:9".into()),
        "k",
        None
    ))
    .is_ok());
}
