//! The engine host against the in-process sandbox over loopback: the built-in sandbox as the
//! active backend, the meters fed from real headers, Usage from `/me`, the activity log.

use postdesk_base::Account;
use postdesk_engine::{sandbox_user, Engine, ExportFormat};
use postman_sandbox::{start, Config, Sandbox};

#[path = "common/scratch.rs"]
mod scratch;
use scratch::tmpdir;

/// An engine whose activity log is kept where the app keeps it: the history database in `dir`.
fn engine_in(dir: &std::path::Path, clock: postdesk_base::SharedClock) -> (Engine, Option<String>) {
    let history =
        postdesk_monitors::History::open(&dir.join(postdesk_monitors::service::HISTORY_FILE))
            .expect("the history database");
    let table = postdesk_monitors::ActivityTable::new(std::sync::Arc::new(history), 5_000);
    Engine::new(Some(std::sync::Arc::new(table)), clock)
}

/// A sandbox pinned on a mid-month morning; the engine runs on its clock.
async fn sandbox() -> Sandbox {
    start(Config {
        clock: postdesk_base::SharedClock::pinned("2026-11-23T10:00:00Z").0,
        ..Config::default()
    })
    .await
    .unwrap()
}

/// Makes the sandbox's primary user the engine's active key, on `account`'s behalf.
fn act_as(engine: &Engine, sandbox: &Sandbox, account: Account) {
    let user = sandbox_user(sandbox.keys()).expect("a seeded user");
    engine
        .activate_sandbox(sandbox.url(), user, account)
        .unwrap();
}

#[tokio::test]
async fn usage_meters_and_activity_from_the_sandbox() {
    let sandbox = sandbox().await;
    let dir = tmpdir("usage");
    let (engine, warning) = engine_in(&dir, sandbox.clock());
    assert_eq!(warning, None);
    act_as(&engine, &sandbox, Account::local());
    let key = engine.active_key().unwrap();
    assert_eq!(key.region, "sandbox");
    assert!(key.masked.starts_with("PMAK-…"), "{}", key.masked);
    assert_eq!(key.name, "Sandbox (taylor-lee)");

    let first = engine.usage(false).await.expect("usage");
    assert!(!first.source.from_cache);
    assert_eq!(first.limit, Some(1_000_000.0));
    assert!(first.username.is_some());
    assert_eq!(first.session_by_endpoint[0].endpoint, "GET /me");

    // The meters now carry the real headers of that answer (relayed asynchronously).
    let mut live = engine.meters();
    let meters = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        live.wait_for(|m| m.month_limit.is_some()),
    )
    .await
    .expect("the meters never showed the monthly allowance")
    .unwrap()
    .clone();
    assert_eq!(meters.rate_limit, 300);
    assert_eq!(meters.month_limit, Some(1_000_000.0));

    // A second read is served from the cache: no call.
    let again = engine.usage(false).await.unwrap();
    assert!(again.source.from_cache);
    assert_eq!(engine.activity().len(), 1);

    // The activity log is persisted (a second engine on the same folder reads it back) and
    // exportable, without the key in either.
    let exported =
        String::from_utf8(postdesk_engine::export_file(&engine, ExportFormat::Json).bytes).unwrap();
    assert!(exported.contains("/me"));
    let (again, warning) = engine_in(&dir, sandbox.clock());
    assert_eq!(warning, None);
    act_as(&again, &sandbox, Account::local());
    assert_eq!(
        again.activity(),
        engine.activity(),
        "read back from the database"
    );
    let mut stored = Vec::new();
    for f in ["history.db", "history.db-wal"] {
        stored.extend(std::fs::read(dir.join(f)).unwrap_or_default());
    }
    assert!(String::from_utf8_lossy(&stored).contains("/me"));
    for key in sandbox.keys().values() {
        assert!(!exported.contains(key.as_str()));
        assert!(!String::from_utf8_lossy(&stored).contains(key.as_str()));
    }
    sandbox.shutdown().await;
    std::fs::remove_dir_all(dir).unwrap();
}

/// A limit lowered on the server while the app runs: the engine learns it from the headers and
/// waits for the window instead of provoking a 429.
#[tokio::test]
async fn a_lowered_limit_is_learnt_and_waited_for() {
    let sandbox = sandbox().await;
    let dir = tmpdir("lowered");
    let (engine, _) = engine_in(&dir, sandbox.clock());
    act_as(&engine, &sandbox, Account::local());
    engine.usage(true).await.unwrap();
    let http = reqwest::Client::new();
    let res = http
        .post(format!("{}/_sandbox/limits", sandbox.url()))
        .header("x-sandbox-token", sandbox.admin_token().expose())
        .header("content-type", "application/json")
        .body(r#"{"perMinute":2,"windowMs":2000}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let started = std::time::Instant::now();
    for _ in 0..3 {
        tokio::time::timeout(std::time::Duration::from_secs(10), engine.usage(true))
            .await
            .expect("a call waited more than 10 s")
            .expect("a call failed");
    }
    let waited = started.elapsed();
    assert!(
        waited >= std::time::Duration::from_millis(1500),
        "no wait: {waited:?}"
    );
    let statuses: Vec<_> = engine.activity().iter().map(|r| r.status).collect();
    assert!(statuses.iter().all(|s| *s == Some(200)), "{statuses:?}");
    sandbox.shutdown().await;
    std::fs::remove_dir_all(dir).unwrap();
}

/// Switching keys from sync code (Tauri runs sync commands off the runtime) must not panic.
#[test]
fn switching_keys_from_sync_code_works() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (sandbox, engine) = rt.block_on(async {
        let sandbox = sandbox().await;
        let (engine, _) = engine_in(&tmpdir("sync"), sandbox.clock());
        (sandbox, engine)
    });
    // Outside the runtime, as a sync Tauri command is.
    act_as(&engine, &sandbox, Account::local());
    assert_eq!(engine.active_key().unwrap().name, "Sandbox (taylor-lee)");
    rt.block_on(async {
        engine.usage(true).await.unwrap();
        let mut live = engine.meters();
        tokio::time::timeout(
            std::time::Duration::from_secs(5),
            live.wait_for(|m| m.rate_limit > 0),
        )
        .await
        .expect("the relay did not run")
        .unwrap();
        sandbox.shutdown().await;
    });
}

/// Each account sees its own calls: the Activity view, its export and the Usage figures show
/// the active account's calls only, and another account's come back with its key.
#[tokio::test]
async fn each_account_sees_its_own_calls() {
    let sandbox = sandbox().await;
    let dir = tmpdir("accounts");
    let (engine, _) = engine_in(&dir, sandbox.clock());
    let (one, two) = (
        Account::new("sandbox", "1", "one"),
        Account::new("sandbox", "2", "two"),
    );
    act_as(&engine, &sandbox, one.clone());
    engine.usage(true).await.unwrap();
    engine.usage(true).await.unwrap();
    assert_eq!(engine.activity().len(), 2);
    act_as(&engine, &sandbox, two.clone());
    assert_eq!(engine.activity().len(), 0, "one's calls are not two's");
    let usage = engine.usage(true).await.unwrap();
    assert_eq!(engine.activity().len(), 1);
    assert_eq!(
        usage.session_by_endpoint[0].calls, 1,
        "Usage counts two's calls only"
    );
    let exported = engine.export(ExportFormat::Json);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&exported).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["account"], two.slug());
    act_as(&engine, &sandbox, one.clone());
    assert_eq!(
        engine.activity().len(),
        2,
        "one's calls come back with one's key"
    );
    assert!(engine.activity().iter().all(|e| e.account == one.slug()));
    sandbox.shutdown().await;
    std::fs::remove_dir_all(dir).unwrap();
}
