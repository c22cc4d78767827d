//! The sandbox is the user's own: the admin token on `/_sandbox/*` (401 without it), its own
//! loopback `Host` only and no browser requests (403), JSON bodies only (415); a refused
//! request changes nothing. Secrets: minted ones come from the OS random source (two sandboxes
//! started from the same state file mint different ones), the seed's from an install's key
//! when it has one.

#[path = "util/mod.rs"]
mod util;

use postdesk_base::Secret;
use postman_sandbox::rng::SeedSecrets;
use postman_sandbox::Config;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use util::*;

/// Sends `head` (request line and headers, without the blank line) and `body` on a fresh
/// connection, exactly as written; returns the status and the JSON body.
async fn raw(sb: &postman_sandbox::Sandbox, head: &str, body: &str) -> (u16, Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = sb.url().trim_start_matches("http://").to_string();
    let req = format!(
        "{head}\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    let io = async {
        let mut s = tokio::net::TcpStream::connect(&addr).await?;
        s.write_all(req.as_bytes()).await?;
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).await?;
        Ok::<_, std::io::Error>(buf)
    };
    let buf = tokio::time::timeout(Duration::from_secs(10), io)
        .await
        .expect("bounded")
        .expect("answered");
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a status line in {text:?}"));
    let json = text
        .split_once("\r\n\r\n")
        .and_then(|(_, b)| serde_json::from_str(b).ok())
        .unwrap_or(Value::Null);
    (status, json)
}

fn refused(body: &Value) -> &str {
    assert_eq!(body["error"]["name"], "sandboxError", "{body}");
    body["error"]["message"].as_str().unwrap_or_default()
}

async fn count(sb: &postman_sandbox::Sandbox, k: String) -> usize {
    get(sb, "/collections", &k).await.json["collections"]
        .as_array()
        .map_or(0, Vec::len)
}

#[tokio::test]
async fn admin_routes_need_the_token() {
    let sb = sandbox().await;
    let url = sb.url().to_owned();
    let token = sb.admin_token().expose().to_owned();
    // The token with its last digit changed (to another digit, whatever it was).
    let last = if token.ends_with('0') { '1' } else { '0' };
    let wrong = format!("{}{last}", &token[..token.len() - 1]);
    let endpoints = [
        ("GET", "/_sandbox/keys", None),
        ("GET", "/_sandbox/clock", None),
        // A day: far more than the real time these calls take, however slow the machine.
        (
            "POST",
            "/_sandbox/clock",
            Some(json!({"advanceMs": 86_400_000})),
        ),
        ("POST", "/_sandbox/api-keys", Some(json!({"user": SAM}))),
        ("GET", "/_sandbox/access-keys", None),
        ("GET", "/_sandbox/limits", None),
        ("POST", "/_sandbox/faults", Some(json!({"status": 500}))),
        ("DELETE", "/_sandbox/faults", None),
        ("POST", "/_sandbox/reset", None),
        ("GET", "/_sandbox/unknown", None),
    ];
    let before = sandbox_clock(&sb).await;
    for (method, path, body) in &endpoints {
        for t in [None, Some(wrong.as_str()), Some("")] {
            let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            let mut rb = client().request(m, format!("{url}{path}"));
            if let Some(t) = t {
                rb = rb.header("x-sandbox-token", t);
            }
            if let Some(b) = body {
                rb = rb.json(b);
            }
            let r = send(rb).await;
            assert_eq!(r.status, 401, "{method} {path} with {t:?}: {}", r.text);
            assert!(refused(&r.json).contains("X-Sandbox-Token"), "{}", r.text);
            assert!(!r.text.contains(&token), "the token is never echoed");
        }
    }
    // Nothing the refused calls asked for happened.
    let after = sandbox_clock(&sb).await;
    let moved = after["epochMs"].as_i64().unwrap() - before["epochMs"].as_i64().unwrap();
    assert!(
        moved < 3_600_000,
        "the refused advances of a day did not happen: {moved} ms"
    );
    assert_eq!(faults(&sb).await, json!([]));
    // The API itself does not take the admin token as a credential.
    let r = send(
        client()
            .get(format!("{url}/me"))
            .header("x-sandbox-token", &token),
    )
    .await;
    assert_error(&r, 401, "AuthenticationError");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_foreign_host_or_a_browser_is_refused() {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let t = sb.admin_token().expose().to_owned();
    let port = sb.port();
    let me = |host: &str, extra: &str| {
        format!("GET /me HTTP/1.1\r\nhost: {host}\r\nx-api-key: {k}{extra}")
    };
    // The sandbox's own address: served.
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}")] {
        assert_eq!(raw(&sb, &me(&host, ""), "").await.0, 200, "{host}");
    }
    // A DNS-rebound page names its own host; another port is another server.
    for host in [
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        "evil.example".to_owned(),
    ] {
        let (status, body) = raw(&sb, &me(&host, ""), "").await;
        assert_eq!(status, 403, "{host}");
        assert!(refused(&body).contains("another host"), "{body}");
    }
    let admin_clock = format!(
        "GET /_sandbox/clock HTTP/1.1\r\nhost: evil.example:{port}\r\nx-sandbox-token: {t}"
    );
    assert_eq!(
        raw(&sb, &admin_clock, "").await.0,
        403,
        "the token does not lift it"
    );
    // What a browser adds to a page's requests.
    let own = format!("127.0.0.1:{port}");
    for extra in [
        "\r\norigin: https://evil.example",
        "\r\norigin: null",
        &format!("\r\norigin: http://{own}"),
        "\r\nsec-fetch-site: cross-site",
        "\r\nsec-fetch-site: same-site",
        "\r\nsec-fetch-site: same-origin",
    ] {
        let (status, body) = raw(&sb, &me(&own, extra), "").await;
        assert_eq!(status, 403, "{extra:?}");
        assert!(refused(&body).contains("web pages"), "{body}");
    }
    // A navigation typed by the user (`none`) is not a page's request.
    assert_eq!(
        raw(&sb, &me(&own, "\r\nsec-fetch-site: none"), "").await.0,
        200
    );
    // A page's POST that needs no preflight changes nothing.
    let fault = format!(
        "POST /_sandbox/faults HTTP/1.1\r\nhost: {own}\r\nx-sandbox-token: {t}\r\n\
         origin: https://evil.example\r\ncontent-type: application/json"
    );
    assert_eq!(raw(&sb, &fault, r#"{"delayMs":600000}"#).await.0, 403);
    assert_eq!(faults(&sb).await, json!([]));
    sb.shutdown().await;
}

#[tokio::test]
async fn a_write_whose_body_is_not_json_is_refused_and_changes_nothing() {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let own = format!("127.0.0.1:{}", sb.port());
    let t = sb.admin_token().expose().to_owned();
    let before = count(&sb, k.clone()).await;
    let coll = r#"{"collection":{"info":{"name":"Sneaky","schema":"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},"item":[]}}"#;
    for ct in [
        Some("text/plain"),
        Some("text/plain;charset=UTF-8"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        None,
    ] {
        let ct = ct
            .map(|c| format!("\r\ncontent-type: {c}"))
            .unwrap_or_default();
        let api = format!("POST /collections HTTP/1.1\r\nhost: {own}\r\nx-api-key: {k}{ct}");
        let (status, body) = raw(&sb, &api, coll).await;
        assert_eq!(status, 415, "{ct:?}");
        assert!(refused(&body).contains("application/json"), "{body}");
        let fault =
            format!("POST /_sandbox/faults HTTP/1.1\r\nhost: {own}\r\nx-sandbox-token: {t}{ct}");
        assert_eq!(raw(&sb, &fault, r#"{"status":500}"#).await.0, 415, "{ct:?}");
    }
    assert_eq!(count(&sb, k.clone()).await, before, "nothing was created");
    assert_eq!(faults(&sb).await, json!([]), "no fault was set");
    // JSON (with parameters) is taken; a write without a body needs no type.
    let api = format!(
        "POST /collections HTTP/1.1\r\nhost: {own}\r\nx-api-key: {k}\r\n\
         content-type: Application/JSON; charset=utf-8"
    );
    assert_eq!(raw(&sb, &api, coll).await.0, 200);
    assert_eq!(count(&sb, k.clone()).await, before + 1);
    let reset = format!("POST /_sandbox/reset HTTP/1.1\r\nhost: {own}\r\nx-sandbox-token: {t}");
    assert_eq!(raw(&sb, &reset, "").await.0, 200);
    assert_eq!(count(&sb, k).await, before);
    sb.shutdown().await;
}

async fn mint(sb: &postman_sandbox::Sandbox, uid: &str) -> (String, String) {
    let key = mint_api_key(sb, SAM).await;
    let (_, token) = mint_access_key(sb, uid).await;
    (key, token)
}

#[tokio::test]
async fn minted_secrets_cannot_be_derived_from_the_state_file() {
    let dir = fresh_dir("guard-minted");
    let first = dir.join("first.json");
    let sb = sandbox_with(with_state_file(&first)).await;
    let uid = first_collection_uid(&sb, &key(&sb, TAYLOR)).await;
    let (key1, token1) = mint(&sb, &uid).await;
    sb.shutdown().await;
    let saved = std::fs::read_to_string(&first).unwrap();
    assert!(!saved.contains(&key1) && !saved.contains(&token1));
    // Two sandboxes from copies of the same file, and so the same id generator, mint
    // different secrets: nothing in the file decides them.
    let second = dir.join("second.json");
    std::fs::copy(&first, &second).unwrap();
    let a = sandbox_with(with_state_file(&first)).await;
    let b = sandbox_with(with_state_file(&second)).await;
    let (ka, ta) = mint(&a, &uid).await;
    let (kb, tb) = mint(&b, &uid).await;
    assert_ne!(ka, kb);
    assert_ne!(ta, tb);
    for k in [&key1, &ka] {
        assert_eq!(get(&a, "/me", k).await.json["user"]["username"], SAM);
    }
    a.shutdown().await;
    b.shutdown().await;
    let _ = std::fs::remove_dir_all(dir);
}

fn install(key: &str) -> SeedSecrets {
    SeedSecrets::FromKey(Arc::new(Secret::from(key)))
}

#[tokio::test]
async fn an_install_key_gives_the_seed_its_own_secrets() {
    let dir = fresh_dir("guard-install");
    let file = dir.join("state.json");
    // A state saved when the seed's secrets were the well-known ones.
    let old = sandbox_with(with_state_file(&file)).await;
    let old_key = key(&old, TAYLOR);
    let old_tokens = sandbox_access_keys(&old).await.json;
    let ws = create_workspace(&old, &old_key, "Kept", "personal").await;
    old.shutdown().await;

    let mine = Config {
        secrets: install("this install's key"),
        ..with_state_file(&file)
    };
    let sb = sandbox_with(mine.clone()).await;
    let new_key = key(&sb, TAYLOR);
    assert_ne!(new_key, old_key);
    assert_eq!(get(&sb, "/me", &old_key).await.status, 401, "old keys stop");
    assert_eq!(get(&sb, "/me", &new_key).await.status, 200);
    assert_eq!(
        get(&sb, &format!("/workspaces/{ws}"), &new_key)
            .await
            .status,
        200,
        "the data is kept"
    );
    // The seeded access keys have new tokens too; the old ones open nothing.
    let tokens = sandbox_access_keys(&sb).await.json;
    let active = tokens["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["status"] == "ACTIVE")
        .expect("an active seeded key")
        .clone();
    let fresh = (
        active["collectionId"].as_str().unwrap().to_owned(),
        active["token"].as_str().unwrap().to_owned(),
    );
    let old_token = old_tokens["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == active["id"])
        .and_then(|k| k["token"].as_str())
        .unwrap()
        .to_owned();
    assert_ne!(old_token, fresh.1);
    assert_eq!(get_shared(&sb, &fresh.0, &fresh.1).await.status, 200);
    assert_eq!(get_shared(&sb, &fresh.0, &old_token).await.status, 401);
    sb.shutdown().await;

    // The same key after a restart: the same secrets; another install's key: others.
    let again = sandbox_with(mine).await;
    assert_eq!(key(&again, TAYLOR), new_key);
    assert_eq!(get(&again, "/me", &new_key).await.status, 200);
    again.shutdown().await;
    // The same state under another key (a keychain that lost the entry): that key's secrets
    // replace the previous ones.
    let other = sandbox_with(Config {
        secrets: install("another install"),
        ..with_state_file(&file)
    })
    .await;
    let other_key = key(&other, TAYLOR);
    assert_ne!(other_key, new_key);
    assert_eq!(get(&other, "/me", &other_key).await.status, 200);
    assert_eq!(get(&other, "/me", &new_key).await.status, 401);
    assert_eq!(
        get(&other, &format!("/workspaces/{ws}"), &other_key)
            .await
            .status,
        200
    );
    other.shutdown().await;
    let _ = std::fs::remove_dir_all(dir);
}
