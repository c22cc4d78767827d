//! Cache (0 calls between loaded views, TTL, precise invalidation, offline fallback) and the
//! activity log (ring, JSON-lines file, JSON/CSV export, redaction).

#[path = "support.rs"]
mod support;

use postman_client::*;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use support::*;

/// `n` identical reads of the collection list (fresh when `force`) at once, each of which must
/// succeed.
async fn read_collections_at_once(c: &Client, n: usize, force: bool) {
    all_at_once(n, 10, |_| {
        let c = c.clone();
        async move { c.get_collections(&CollectionQuery::default(), force).await }
    })
    .await;
}

#[tokio::test]
async fn moving_between_loaded_views_costs_zero_calls() {
    let (sb, c) = sandbox_and_taylor().await;
    let ws = bounded(10, c.get_workspaces(&WorkspaceQuery::default(), false))
        .await
        .unwrap();
    assert!(!ws.from_cache);
    let wid = ws.data.workspaces[0].id.0.clone();
    let q = CollectionQuery {
        workspace: Some(wid.clone()),
        ..Default::default()
    };
    let all = CollectionQuery::default();
    bounded(10, c.get_workspace(&wid, false)).await.unwrap();
    let list = bounded(10, c.get_collections(&all, false)).await.unwrap();
    bounded(10, c.get_collections(&q, false)).await.unwrap();
    let uid = list.data.collections[0].uid.clone().unwrap();
    bounded(10, c.get_collection(&uid, false, false))
        .await
        .unwrap();
    bounded(10, c.get_environments(None, false)).await.unwrap();
    bounded(10, c.get_me(false)).await.unwrap();
    let calls = c.activity().len();
    assert_eq!(calls, 7);

    // Second round: everything from the cache.
    let again = bounded(10, c.get_collections(&all, false)).await.unwrap();
    assert!(again.from_cache && !again.offline());
    assert_eq!(again.data, list.data);
    assert_eq!(again.fetched_at, list.fetched_at);
    assert!(from_cache(c.get_workspaces(&WorkspaceQuery::default(), false)).await);
    assert!(from_cache(c.get_workspace(&wid, false)).await);
    assert!(from_cache(c.get_collections(&q, false)).await);
    assert!(from_cache(c.get_collection(&uid, false, false)).await);
    assert!(from_cache(c.get_environments(None, false)).await);
    assert!(from_cache(c.get_me(false)).await);
    assert_eq!(c.activity().len(), calls, "0 calls");

    // Force refresh: exactly one call.
    let forced = bounded(10, c.get_collections(&all, true)).await.unwrap();
    assert!(!forced.from_cache);
    assert_eq!(c.activity().len(), calls + 1);

    // A write invalidates what it touches and nothing else.
    bounded(10, c.create_environment(None, "New", &[]))
        .await
        .unwrap();
    let calls = c.activity().len();
    assert!(!from_cache(c.get_environments(None, false)).await);
    assert!(from_cache(c.get_collections(&all, false)).await);
    assert!(from_cache(c.get_collection(&uid, false, false)).await);
    assert_eq!(c.activity().len(), calls + 1);
    bounded(
        10,
        c.patch_collection(&uid, json!({"info": {"name": "Renamed"}})),
    )
    .await
    .unwrap();
    let fresh = bounded(10, c.get_collection(&uid, false, false))
        .await
        .unwrap();
    assert!(!fresh.from_cache);
    assert_eq!(fresh.data.info.name, "Renamed");
    assert!(
        !from_cache(c.get_collections(&all, false)).await,
        "names changed"
    );
    assert!(from_cache(c.get_environments(None, false)).await);
    sb.shutdown().await;
}

/// A write that failed may still have been made: what it touches is read again after it.
#[tokio::test]
async fn a_refused_write_still_forgets_what_it_may_have_changed() {
    const UNKNOWN: &str = "00000000-0000-4000-8000-000000000000";
    let (sb, c) = sandbox_and_taylor().await;
    bounded(10, c.get_mocks(None, false)).await.unwrap();
    bounded(10, c.get_environments(None, false)).await.unwrap();
    assert!(from_cache(c.get_mocks(None, false)).await);
    error_of(c.delete_mock(UNKNOWN)).await;
    assert!(!from_cache(c.get_mocks(None, false)).await);
    assert!(from_cache(c.get_environments(None, false)).await);
    error_of(c.delete_environment(UNKNOWN)).await;
    assert!(!from_cache(c.get_environments(None, false)).await);
    sb.shutdown().await;
}

#[tokio::test]
async fn a_shared_read_is_read_into_types_once_per_answer() {
    let (sb, c) = sandbox_and_taylor().await;
    let all = CollectionQuery::default();
    let first = bounded(10, c.get_collections_shared(&all, false))
        .await
        .unwrap();
    assert!(!first.from_cache);
    // From the cache: the very list the fetch made, not a copy or a re-read.
    let again = bounded(10, c.get_collections_shared(&all, false))
        .await
        .unwrap();
    assert!(again.from_cache);
    assert!(Arc::ptr_eq(&first.data, &again.data));
    // The owned read of the same entry agrees with it.
    let owned = bounded(10, c.get_collections(&all, false)).await.unwrap();
    assert!(owned.from_cache);
    assert_eq!(owned.data, *again.data);
    // A new answer is a new list; a write that changes the names drops the old one.
    let forced = bounded(10, c.get_collections_shared(&all, true))
        .await
        .unwrap();
    assert!(!forced.from_cache && !Arc::ptr_eq(&forced.data, &again.data));
    let uid = forced.data.collections[0].uid.clone().unwrap();
    bounded(
        10,
        c.patch_collection(&uid, json!({"info": {"name": "Renamed"}})),
    )
    .await
    .unwrap();
    let renamed = bounded(10, c.get_collections_shared(&all, false))
        .await
        .unwrap();
    assert!(!renamed.from_cache && !Arc::ptr_eq(&renamed.data, &forced.data));
    assert!(renamed.data.collections.iter().any(|x| x.name == "Renamed"));
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identical_concurrent_reads_share_one_call() {
    let (sb, c) = sandbox_and_taylor().await;
    read_collections_at_once(&c, 8, false).await;
    assert_eq!(c.activity().len(), 1);
    // Concurrent forced refreshes also collapse into one fresh call. The first one's answer is
    // held back 500 ms so all four are surely asked while it is in flight (on a loaded machine
    // a task spawned after the answer came would rightly make its own call).
    add_fault_for(&sb, "GET /collections", 1, json!({"delayMs": 500})).await;
    read_collections_at_once(&c, 4, true).await;
    assert!(c.activity().len() <= 3, "{}", c.activity().len());
    sb.shutdown().await;
}

#[tokio::test]
async fn stale_entries_refresh_and_offline_fallback() {
    let sb = sandbox().await;
    let c = client_with(&sb, TAYLOR, |cfg| {
        cfg.cache_ttl = Duration::from_millis(100);
        cfg.retry.base_backoff = Duration::from_millis(5);
    });
    let first = bounded(10, c.get_environments(None, false)).await.unwrap();
    let fresh = bounded(10, c.get_environments(None, false)).await.unwrap();
    assert!(fresh.from_cache, "younger than the TTL");
    advance_clock(&sb, 100).await;
    let second = bounded(10, c.get_environments(None, false)).await.unwrap();
    assert!(!second.from_cache, "stale → refetched");
    assert_eq!(c.activity().len(), 2);

    sb.shutdown().await;
    // Offline: the last list stays readable, flagged.
    let off = bounded(10, c.get_environments(None, true)).await.unwrap();
    assert!(off.from_cache && off.offline());
    assert_eq!(off.data, first.data);
    // Never loaded: the error comes through.
    let e = error_of(c.get_me(false)).await;
    assert_eq!(e.code(), "net.unreachable");
}

#[tokio::test]
async fn activity_log_ring_exports_and_redaction() {
    let sb = sandbox().await;
    // Kept in memory here; the app's store (the history database) is tested with the engine.
    let log = Arc::new(ActivityLog::new(5));
    let c = client_with(&sb, TAYLOR, |cfg| {
        cfg.key_name = "=HYPERLINK(\"x\"), work".into();
        cfg.activity = Some(log.clone());
    });
    let uid = first_collection_uid(&c, false).await;
    let (raw_token, token) = mint_access_token(&sb, &uid).await;
    bounded(10, c.get_shared_collection(&uid, &token))
        .await
        .unwrap();
    for _ in 0..8 {
        bounded(10, c.get_me(true)).await.unwrap();
    }
    let _ = bounded(10, c.get_collection("missing", false, true)).await;
    assert_eq!(log.len(), 5, "bounded ring");
    let entries = log.entries();
    let last = entries.last().unwrap();
    assert_eq!(last.status, Some(404));
    assert_eq!(last.method, "GET");
    assert_eq!(last.error.as_deref(), Some("api.notFound"));
    assert!(last.rate_remaining.is_some());
    assert!(entries.iter().all(|e| e.key_name.starts_with("=HYPERLINK")));
    assert!(entries.iter().any(|e| e.bytes > 100));

    let text = serde_json::to_string(&entries).unwrap();
    assert!(
        text.contains("access_key=REDACTED") || !text.contains("access_key"),
        "{text}"
    );

    let csv = postman_client::ActivityLog::csv(&log.entries());
    let mut rows = csv.lines();
    assert_eq!(
        rows.next(),
        Some("time,keyName,method,path,status,durationMs,bytes,rateRemaining,error,attempt")
    );
    assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\"), work\""), "{csv}");
    assert_eq!(csv.lines().count(), 6);
    let json: serde_json::Value =
        serde_json::from_str(&postman_client::ActivityLog::json(&log.entries())).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 5);
    assert!(json[0].get("keyName").is_some() && json[0].get("durationMs").is_some());

    let raw_key = raw_key(&sb, TAYLOR);
    for s in [
        &text,
        &csv,
        &postman_client::ActivityLog::json(&log.entries()),
    ] {
        assert!(!s.contains(&raw_key[5..]) && !s.contains(&raw_token[5..]));
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn meters_follow_every_response_and_serialise_camel_case() {
    let (sb, c) = sandbox_and_taylor().await;
    let mut rx = c.meters();
    bounded(10, c.get_environments(None, true)).await.unwrap();
    assert!(rx.has_changed().unwrap());
    let m = rx.borrow_and_update().clone();
    assert!(m.month_limit.is_some() && m.month_remaining.is_some());
    assert!(m.rate_reset_at.is_some());
    let before = m.month_remaining.unwrap();
    bounded(10, c.get_environments(None, true)).await.unwrap();
    assert_eq!(c.meters().borrow().month_remaining, Some(before - 1));
    let v = serde_json::to_value(&*c.meters().borrow()).unwrap();
    for k in [
        "rateLimit",
        "rateRemaining",
        "rateResetAt",
        "waitingUntil",
        "monthLimit",
        "monthRemaining",
    ] {
        assert!(v.get(k).is_some(), "{k} in {v}");
    }
    sb.shutdown().await;
}
