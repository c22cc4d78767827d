//! Postman saying no, in a core of its own (nothing cached yet, no key added): every call
//! answered 503, a month near its allowance, the active key refused, and a key of the real API
//! that could not be checked because Postman could not be reached.

use std::path::Path;

use postdesk_core::Core;
use serde_json::json;

use super::keys::{add, add_in};
use super::{side, Sandbox};
use crate::record::Recorder;

pub async fn run(rec: &Recorder, root: &Path) {
    let (_host, core) = side::usual(root, "refusals").await;
    let sb = Sandbox::of(&core, rec).await;
    postman_down(&core, rec, &sb).await;
    failed_refresh(&core, rec, &sb).await;
    busy_month(&core, rec, &sb).await;
    refused_key(&core, rec, &sb).await;
    unchecked_key(&core, rec).await;
    core.shutdown().await;
}

/// Nothing is cached yet, so there is nothing to show instead: each view says why.
async fn postman_down(core: &Core, rec: &Recorder, sb: &Sandbox) {
    rec.scenario("errors: Postman answers every call with 503");
    sb.fail(json!({"route": "*", "status": 503})).await;
    for (command, args) in [
        (
            "library_collections",
            json!({"workspace": null, "force": false}),
        ),
        (
            "library_environments",
            json!({"workspace": null, "force": false}),
        ),
        (
            "sharing_page",
            json!({"collection": null, "cursor": null, "force": false}),
        ),
        ("engine_usage", json!({"force": false})),
    ] {
        let msg = rec.err(core, command, args, "api.server").await;
        assert!(!msg.is_empty());
    }
    sb.heal().await;
}

/// Read once, then refreshed while Postman answers 503: each list and the open collection stay,
/// saying the refresh failed, why, and from when the copy is.
async fn failed_refresh(core: &Core, rec: &Recorder, sb: &Sandbox) {
    rec.scenario("errors: a refresh fails and the copy shown says how old it is");
    let lists = [
        (
            "library_collections",
            json!({"workspace": null, "force": true}),
        ),
        (
            "library_environments",
            json!({"workspace": null, "force": true}),
        ),
        ("library_workspaces", json!({"force": true})),
        (
            "sharing_page",
            json!({"collection": null, "cursor": null, "force": true}),
        ),
    ];
    let mut fetched = Vec::new();
    for (command, args) in &lists {
        let listed = rec.ok(core, command, args.clone()).await;
        assert_eq!(
            listed["source"]["failure"],
            json!(null),
            "{command}: {listed}"
        );
        fetched.push(listed);
    }
    let uid = fetched[0]["uid"][0]
        .as_str()
        .expect("a collection")
        .to_owned();
    let open = json!({"uid": uid, "force": true});
    rec.ok(core, "library_open_collection", open.clone()).await;

    sb.fail(json!({"route": "*", "status": 503})).await;
    for ((command, args), at) in lists.iter().zip(&fetched) {
        let listed = rec.ok(core, command, args.clone()).await;
        assert!(
            listed["source"]["failure"].is_string(),
            "{command}: {listed}"
        );
        assert_eq!(
            listed["source"]["fetchedAt"], at["source"]["fetchedAt"],
            "{command}: the copy's own time"
        );
    }
    let view = rec.ok(core, "library_open_collection", open).await;
    assert!(view["source"]["failure"].is_string(), "{view}");
    sb.heal().await;
}

async fn busy_month(core: &Core, rec: &Recorder, sb: &Sandbox) {
    rec.scenario("engine: a month near its allowance");
    let limits = sb.admin("GET", "/_sandbox/limits", json!(null)).await;
    let monthly = limits["monthly"].as_u64().expect("a monthly allowance");
    sb.admin(
        "POST",
        "/_sandbox/usage",
        json!({"user": "taylor-lee", "usage": monthly * 85 / 100}),
    )
    .await;
    let usage = rec.ok(core, "engine_usage", json!({"force": true})).await;
    assert_eq!(usage["level"], "warning", "{usage}");
}

async fn refused_key(core: &Core, rec: &Recorder, sb: &Sandbox) {
    rec.scenario("keys: Postman refuses the active key");
    let key = sb.mint_key(rec, "taylor-lee").await;
    let view = rec.ok(core, "keys_add", add("Work", &key)).await;
    assert_eq!(
        (view["status"].as_str(), view["active"].as_bool()),
        (Some("valid"), Some(true))
    );
    // Back to the seed: the key is no longer known, as after it was deleted in Postman.
    sb.admin("POST", "/_sandbox/reset", json!(null)).await;
    let msg = rec
        .err(
            core,
            "engine_usage",
            json!({"force": true}),
            "api.invalidKey",
        )
        .await;
    assert!(!msg.is_empty());
    let list = rec.ok(core, "keys_list", json!({})).await;
    assert_eq!(list[0]["status"], "invalid", "marked by the 401: {list}");
    let active = rec.ok(core, "engine_active_key", json!({})).await;
    assert_eq!(active["name"], "Work");
}

/// Runs `f` while https calls go through a proxy that refuses every connection: the real
/// Postman API is out of reach whatever this machine's network (the built-in sandbox is on
/// loopback, which never goes through a proxy).
async fn without_postman<T>(f: impl std::future::Future<Output = T>) -> T {
    const VAR: &str = "HTTPS_PROXY";
    let refusing = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = format!("http://{}", refusing.local_addr().unwrap());
    drop(refusing);
    let before = std::env::var_os(VAR);
    std::env::set_var(VAR, proxy);
    let out = f.await;
    match before {
        Some(v) => std::env::set_var(VAR, v),
        None => std::env::remove_var(VAR),
    }
    out
}

/// A key of the US region added while Postman cannot be reached: kept unverified, and once
/// active it is what the engine and the Postman steps of the Share panel go by.
async fn unchecked_key(core: &Core, rec: &Recorder) {
    rec.scenario("keys: a US key that could not be checked");
    let key = "PMAK-5f0c3a9e1b2d4c6a8e0f1a2b-3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a";
    rec.secret(key);
    let view = without_postman(rec.ok(core, "keys_add", add_in("us", "US work", key))).await;
    assert_eq!(
        (view["status"].as_str(), view["region"].as_str()),
        (Some("unverified"), Some("us")),
        "{view}"
    );
    let id = view["id"].as_str().unwrap().to_owned();
    let active = rec.ok(core, "keys_set_active", json!({"id": id})).await;
    assert_eq!(active["region"], "us");
    let active = rec.ok(core, "engine_active_key", json!({})).await;
    assert_eq!(
        (active["name"].as_str(), active["region"].as_str()),
        (Some("US work"), Some("us"))
    );
}
