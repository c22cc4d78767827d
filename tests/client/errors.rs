//! Every error class, produced by the sandbox (faults, limits, bad input), plus the secret scan.

#[path = "support.rs"]
mod support;

use postman_client::*;
use postman_sandbox::Limits;
use serde_json::json;
use std::time::Duration;
use support::*;

fn calls(c: &Client, method: &str, path_prefix: &str) -> usize {
    c.activity()
        .entries()
        .iter()
        .filter(|e| e.method == method && e.path.starts_with(path_prefix))
        .count()
}

#[tokio::test]
async fn invalid_key_forbidden_not_found_validation_conflict() {
    let sb = sandbox().await;
    // 401: a well-formed key the server does not know.
    let unknown = "PMAK-000000000000000000000000-0000000000000000000000000000000000";
    let bad = client_with(&sb, TAYLOR, |cfg| {
        cfg.api_key = Some(ApiKey::new(unknown).unwrap())
    });
    let e = error_of(bad.get_me(true)).await;
    assert_eq!(e.code(), "api.invalidKey", "{e}");
    assert_eq!(calls(&bad, "GET", "/me"), 1, "401 is not retried");

    let c = client(&sb, TAYLOR);
    // 404 (collection, family A) and workspace (family C).
    let e = bounded(
        10,
        c.get_collection("12345678-00000000-0000-0000-0000-000000000000", false, true),
    )
    .await
    .unwrap_err();
    assert_eq!(e.code(), "api.notFound", "{e}");
    let e = bounded(
        10,
        c.get_workspace("00000000-0000-0000-0000-000000000000", true),
    )
    .await
    .unwrap_err();
    assert_eq!(e.code(), "api.notFound", "{e}");
    assert!(e.to_string().contains("Workspace not found"), "{e}");
    // 404 problem+json (access key DELETE).
    let e = error_of(c.delete_access_key("nope")).await;
    assert_eq!(e.code(), "api.notFound", "{e}");

    // 400 validation with details.
    let e = error_of(c.create_collection(None, json!({"item": []}))).await;
    assert_eq!(e.code(), "api.validation", "{e}");
    assert!(matches!(&e, Error::Validation { .. }));

    // 403: a user without a team may not create team workspaces.
    let solo = client(&sb, JORDAN);
    let e = error_of(solo.create_workspace("T", "team", None)).await;
    assert_eq!(e.code(), "api.forbidden", "{e}");

    // 409: a second deep update while the first is in progress.
    let list = collections(&c, true).await;
    let uid = list.collections[0].uid.clone().unwrap();
    let doc = data(c.get_collection(&uid, false, true)).await.raw;
    bounded(10, c.put_collection_async(&uid, doc.clone()))
        .await
        .unwrap();
    let e = error_of(c.put_collection_async(&uid, doc)).await;
    assert_eq!(e.code(), "api.conflict", "{e}");
    assert_eq!(e.payload().code, "api.conflict");
    sb.shutdown().await;
}

#[tokio::test]
async fn payload_too_large() {
    let (sb, c) = limited_sandbox_and_taylor(json!({"environmentBodyMax": 2000})).await;
    let vars = vec![EnvVar {
        key: "big".into(),
        value: Some("x".repeat(5000)),
        ..Default::default()
    }];
    let e = error_of(c.create_environment(None, "Big", &vars)).await;
    assert_eq!(e.code(), "api.payloadTooLarge", "{e}");
    assert_eq!(calls(&c, "POST", "/environments"), 1);
    sb.shutdown().await;
}

#[tokio::test]
async fn server_errors_retry_reads_never_writes() {
    let (sb, c) = sandbox_and_taylor().await;
    // A read fails twice with 500/503, then succeeds: 3 attempts, one result.
    add_fault_for(&sb, "GET /me", 1, json!({"status": 500})).await;
    bounded(10, c.get_me(true)).await.unwrap();
    assert_eq!(calls(&c, "GET", "/me"), 2);
    add_fault_for(&sb, "GET /environments", 5, json!({"status": 503})).await;
    let e = error_of(c.get_environments(None, true)).await;
    assert!(matches!(e, Error::Server { status: 503, .. }), "{e}");
    assert_eq!(calls(&c, "GET", "/environments"), 3, "bounded: 3 attempts");
    assert_eq!(
        faults_left(&sb).await[0]["times"],
        2,
        "the sandbox saw exactly 3"
    );
    clear_faults(&sb).await;

    // A write that fails with 500 is not repeated.
    add_fault_for(&sb, "POST /environments", 5, json!({"status": 500})).await;
    let e = error_of(c.create_environment(None, "Once", &[])).await;
    assert_eq!(e.code(), "api.server");
    assert_eq!(calls(&c, "POST", "/environments"), 1);
    assert_eq!(
        faults_left(&sb).await[0]["times"],
        4,
        "the sandbox saw exactly 1"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn timeouts_and_connection_errors() {
    let sb = sandbox().await;
    let c = client_with(&sb, TAYLOR, |cfg| cfg.timeout = Duration::from_millis(300));
    // Timeout on a read: retried, then succeeds once the fault is used up.
    add_fault_for(&sb, "GET /me", 2, json!({"delayMs": 1500})).await;
    let me = bounded(15, c.get_me(true)).await.unwrap();
    assert!(!me.from_cache);
    let entries: Vec<_> = c
        .activity()
        .entries()
        .into_iter()
        .filter(|e| e.path == "/me")
        .collect();
    assert_eq!(entries.len(), 3, "{entries:?}");
    assert_eq!(entries[0].error.as_deref(), Some("net.timeout"));
    assert_eq!(entries[2].status, Some(200));
    // Timeout on a write: reported, not repeated.
    add_fault_for(&sb, "POST /environments", 3, json!({"delayMs": 1500})).await;
    let e = bounded(15, c.create_environment(None, "Slow", &[]))
        .await
        .unwrap_err();
    assert_eq!(e, Error::Timeout);
    assert_eq!(calls(&c, "POST", "/environments"), 1);
    // Connection reset on a read: retried.
    add_fault_for(&sb, "GET /environments", 1, json!({"reset": true})).await;
    assert!(bounded(15, c.get_environments(None, true)).await.is_ok());
    assert_eq!(calls(&c, "GET", "/environments"), 2);
    // Truncated body: retried.
    add_fault_for(&sb, "GET /collections/{id}", 1, json!({"truncate": true})).await;
    let list = bounded(15, c.get_collections(&CollectionQuery::default(), true))
        .await
        .unwrap()
        .data;
    let uid = list.collections[0].uid.clone().unwrap();
    assert!(bounded(15, c.get_collection(&uid, false, true))
        .await
        .is_ok());
    let url = sb.url().to_string();
    sb.shutdown().await;

    // Nothing listening: Network, with no URL and no key in the message.
    let mut cfg = ClientConfig::new(
        Region::Sandbox(url),
        "gone",
        Some(
            ApiKey::new("PMAK-aaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
                .unwrap(),
        ),
    );
    cfg.retry.base_backoff = Duration::from_millis(5);
    let c = Client::new(cfg).unwrap();
    let e = bounded(15, c.get_me(true)).await.unwrap_err();
    assert_eq!(e.code(), "net.unreachable", "{e}");
    assert!(
        !e.to_string().contains("aaaaaaaa") && !e.to_string().contains("127.0.0.1"),
        "{e}"
    );
    assert_eq!(calls(&c, "GET", "/me"), 3);
}

#[tokio::test]
async fn rate_limited_writes_are_not_retried_reads_are() {
    // Storm 429s ask to wait until the per-minute window resets: make it 1 s.
    let (sb, c) = limited_sandbox_and_taylor(json!({"windowMs": 1000})).await;
    add_fault_for(&sb, "POST /environments", 1, json!({"storm429": true})).await;
    let e = error_of(c.create_environment(None, "Storm", &[])).await;
    assert!(matches!(e, Error::RateLimited { .. }), "{e}");
    assert_eq!(e.code(), "api.rateLimited");
    assert!(e.payload().retry_after_ms.is_some());
    assert_eq!(calls(&c, "POST", "/environments"), 1);
    // A read waits out Retry-After and succeeds.
    add_fault_for(&sb, "GET /environments", 1, json!({"storm429": true})).await;
    let t = std::time::Instant::now();
    assert!(bounded(10, c.get_environments(None, true)).await.is_ok());
    assert_eq!(calls(&c, "GET", "/environments"), 2);
    assert!(
        t.elapsed() >= Duration::from_millis(500),
        "waited for Retry-After"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn quota_exhaustion_stops_without_retry() {
    let sb = sandbox_with(Limits {
        monthly: 50,
        ..Limits::lifted()
    })
    .await;
    let c = client(&sb, TAYLOR);
    bounded(10, c.get_me(true)).await.unwrap();
    assert_eq!(c.meters().borrow().month_limit, Some(50));
    set_usage(&sb, TAYLOR, 50).await;
    let e = error_of(c.get_environments(None, true)).await;
    assert!(matches!(e, Error::QuotaExhausted { .. }), "{e}");
    assert_eq!(calls(&c, "GET", "/environments"), 1, "no retry");
    assert!(c.meters().borrow().quota_blocked);
    // Further calls are refused locally, with a clear message, without a request.
    let e = error_of(c.get_workspaces(&WorkspaceQuery::default(), true)).await;
    assert_eq!(e.code(), "api.quotaExhausted");
    assert!(e.to_string().contains("month"), "{e}");
    assert_eq!(calls(&c, "GET", "/workspaces"), 0);
    // After the usage changes, the block can be lifted.
    set_usage(&sb, TAYLOR, 0).await;
    c.clear_quota_block();
    assert!(bounded(10, c.get_environments(None, true)).await.is_ok());
    sb.shutdown().await;
}

#[tokio::test]
async fn secret_never_in_debug_display_errors_or_activity() {
    let (sb, c) = limited_sandbox_and_taylor(json!({"windowMs": 1000})).await;
    let raw = raw_key(&sb, TAYLOR);
    let secret_part = &raw[5..];
    let key = ApiKey::new(&raw).unwrap();
    let mut seen = vec![format!("{key}"), format!("{key:?}"), key.mask()];
    assert!(seen[0].ends_with(key.last4()));
    seen.push(format!("{c:?}"));
    let _ = bounded(10, c.get_me(true)).await;
    add_fault_for(&sb, "GET /environments", 3, json!({"status": 500})).await;
    add_fault_for(&sb, "POST /environments", 1, json!({"storm429": true})).await;
    let mut errs = vec![
        error_of(c.get_environments(None, true)).await,
        error_of(c.create_environment(None, "x", &[])).await,
        error_of(c.get_collection("nope", false, true)).await,
        ApiKey::new(&raw.replace("PMAK-", "PMAX-")).unwrap_err(),
    ];
    let url = sb.url().to_string();
    sb.shutdown().await;
    c.clear_cache();
    errs.push(error_of(c.get_me(true)).await);
    let _ = url;
    for e in &errs {
        seen.push(format!(
            "{e} {e:?} {}",
            serde_json::to_string(&e.payload()).unwrap()
        ));
    }
    seen.push(postman_client::ActivityLog::json(&c.activity().entries()));
    seen.push(postman_client::ActivityLog::csv(&c.activity().entries()));
    seen.push(serde_json::to_string(&*c.meters().borrow()).unwrap());
    for s in &seen {
        assert!(!s.contains(secret_part), "secret leaked in: {s}");
    }
    // The invalid-prefix error is clear.
    assert!(errs[3].to_string().contains("PMAK-"), "{}", errs[3]);
}
