//! No panic on any answer: a scripted fake server sends malformed, unexpected and hostile
//! responses; every call ends in a typed result or a typed error.

#[path = "support.rs"]
mod support;

use postman_client::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use support::{bounded, collections, data, error_of, T0};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Canned answer (status line, extra headers, body) for a request line.
fn answer(request_line: &str) -> (String, String, String) {
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split('?').next().unwrap_or(target);
    let ok = "200 OK".to_string();
    // The collection list, which is read straight into its type: not JSON, or another shape.
    if target.contains("workspace=torn") {
        return (
            ok,
            String::new(),
            r#"{"collections":[{"id":"a","name":"x"},"#.into(),
        );
    }
    if target.contains("workspace=odd") {
        return (ok, String::new(), r#"{"collections":{"id":"a"}}"#.into());
    }
    match path {
        "/me" => (ok, String::new(), "not json {".into()),
        "/workspaces" => (ok, String::new(), r#"{"workspaces":"oops"}"#.into()),
        "/environments" => ("502 Bad Gateway".into(), String::new(), "<html>Bad gateway</html>".into()),
        "/collections" => (
            ok,
            "X-RateLimit-Remaining: -5\r\nRateLimit-Reset: abc\r\nRateLimit: garbage\r\nRateLimit-Policy: ;w=\r\n".into(),
            r#"{"collections":[{"id":5,"name":null,"owner":12,"fork":"weird","isPublic":"yes"}],"meta":{"total":"x"}}"#.into(),
        ),
        "/collections/abc" => (ok, String::new(), r#"{"collection":[]}"#.into()),
        "/environments/x" => ("401 Unauthorized".into(), String::new(), r#"{"type":"https://api.postman.com/problems/unauthorized","title":"Unauthorized","status":401,"detail":"Unauthorized"}"#.into()),
        "/environments/y" => ("400 Bad Request".into(), String::new(), r#"{"name":"badRequest","message":"elementId is required"}"#.into()),
        "/environments/z" => ("404 Not Found".into(), String::new(), String::new()),
        "/collection-access-keys" => (ok, String::new(), r#"{"data":[{"id":1,"lastUsedAt":"","teamId":"7"}],"meta":{"nextCursor":null}}"#.into()),
        "/collection-updates-tasks/t" => (ok, String::new(), r#"{"id":"t"}"#.into()),
        _ => ("429 Too Many Requests".into(), "Retry-After: 99999999999999\r\n".into(), String::new()),
    }
}

async fn fake_server(hits: Arc<AtomicUsize>) -> String {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            let hits = hits.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let Ok(n) = s.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf).to_string();
                    let Some(end) = text.find("\r\n\r\n") else {
                        continue;
                    };
                    let len = text[..end]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if buf.len() < end + 4 + len {
                        continue;
                    }
                    hits.fetch_add(1, Ordering::SeqCst);
                    let (status, extra, body) = answer(text.lines().next().unwrap_or(""));
                    let resp = format!("HTTP/1.1 {status}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
                    let _ = s.write_all(resp.as_bytes()).await;
                    let _ = s.shutdown().await;
                    return;
                }
            });
        }
    });
    url
}

#[tokio::test]
async fn hostile_answers_become_typed_errors() {
    let hits = Arc::new(AtomicUsize::new(0));
    let url = fake_server(hits.clone()).await;
    let key =
        ApiKey::new("PMAK-0123456789abcdef01234567-0123456789abcdef0123456789abcdefab").unwrap();
    let mut cfg = ClientConfig::new(Region::Sandbox(url), "fake", Some(key));
    cfg.retry.base_backoff = Duration::from_millis(5);
    let (clock, _) = postdesk_base::SharedClock::pinned(T0);
    cfg.clock = clock.clone();
    let c = Client::new(cfg).unwrap();

    assert_eq!(error_of(c.get_me(true)).await.code(), "api.badResponse");
    assert_eq!(
        error_of(c.get_workspaces(&WorkspaceQuery::default(), true))
            .await
            .code(),
        "api.badResponse"
    );
    let e = error_of(c.get_environments(None, true)).await;
    assert!(matches!(e, Error::Server { status: 502, .. }), "{e}");
    let list = collections(&c, true).await;
    assert_eq!(list.collections[0].id.0, "5");
    assert_eq!(list.collections[0].name, "");
    assert_eq!(list.collections[0].fork, None);
    for (workspace, says) in [
        ("torn", "invalid JSON"),
        ("odd", "collections: invalid type"),
    ] {
        let q = CollectionQuery {
            workspace: Some(workspace.into()),
            ..Default::default()
        };
        let e = error_of(c.get_collections(&q, true)).await;
        assert_eq!(e.code(), "api.badResponse", "{workspace}: {e}");
        assert!(e.to_string().contains(says), "{workspace}: {e}");
    }
    assert_eq!(
        error_of(c.get_collection("abc", false, true)).await.code(),
        "api.badResponse"
    );
    assert_eq!(
        error_of(c.get_environment("x", true)).await.code(),
        "api.invalidKey"
    );
    let e = error_of(c.get_environment("y", true)).await;
    assert!(e.to_string().contains("elementId is required"), "{e}");
    assert_eq!(
        error_of(c.get_environment("z", true)).await.code(),
        "api.notFound"
    );
    let keys = data(c.get_access_keys(None, None, true)).await;
    assert_eq!(
        (
            keys.keys[0].id.as_str(),
            keys.keys[0].last_used_at.as_ref(),
            keys.next_cursor.as_ref()
        ),
        ("1", None, None)
    );
    let t = bounded(10, c.get_update_task("t")).await.unwrap();
    assert_eq!(t.status, TaskStatus::Other(String::new()));
    // A write answered 429 with an absurd Retry-After: a typed error, no retry, no panic, and
    // the wait it imposes on the key is capped.
    let before = hits.load(Ordering::SeqCst);
    let e = error_of(c.delete_access_key("k")).await;
    assert_eq!(e.code(), "api.rateLimited");
    assert_eq!(hits.load(Ordering::SeqCst), before + 1);
    let m = c.meters().borrow().clone();
    let now = clock.now_ms_u64();
    assert!(m.rate_reset_at.unwrap() <= now + 6 * 3600 * 1000);
    // The error crosses IPC as {code, message}.
    let v = serde_json::to_value(&e).unwrap();
    assert_eq!(v["code"], "api.rateLimited");
    assert!(v["message"].as_str().unwrap().contains("wait"));
}

#[tokio::test]
async fn waiting_text_for_the_ui() {
    let m = MeterSnapshot {
        waiting_until: Some(10_500),
        ..Default::default()
    };
    assert_eq!(
        m.waiting_text(8_000).as_deref(),
        Some("Waiting 3 s for the rate limit")
    );
    assert_eq!(m.waiting_text(11_000), None);
}

/// A server that answers every request with `head` and then up to `body_bytes` of body, as fast
/// as the client reads; returns its URL and how many body bytes it managed to send.
async fn big_answer(head: &'static str, body_bytes: usize) -> (String, Arc<AtomicUsize>) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = sent.clone();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut req = [0u8; 4096];
                let _ = s.read(&mut req).await;
                if s.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let block = vec![b'x'; 64 * 1024];
                let mut left = body_bytes;
                while left > 0 {
                    let n = left.min(block.len());
                    if s.write_all(&block[..n]).await.is_err() {
                        return;
                    }
                    counter.fetch_add(n, Ordering::SeqCst);
                    left -= n;
                }
            });
        }
    });
    (url, sent)
}

fn small_client(url: String, max_answer_bytes: usize) -> Client {
    let key =
        ApiKey::new("PMAK-0123456789abcdef01234567-0123456789abcdef0123456789abcdefab").unwrap();
    let mut cfg = ClientConfig::new(Region::Sandbox(url), "fake", Some(key));
    cfg.retry.max_attempts = 1;
    cfg.max_answer_bytes = max_answer_bytes;
    cfg.timeout = Duration::from_secs(20);
    Client::new(cfg).unwrap()
}

#[tokio::test]
async fn a_200_mb_answer_is_refused_without_being_read() {
    // Announced: refused on its Content-Length, before any of the body is read.
    let (url, sent) = big_answer(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 209715200\r\n\r\n",
        200 * 1024 * 1024,
    )
    .await;
    let c = small_client(url, DEFAULT_MAX_ANSWER_BYTES);
    let e = error_of(c.get_me(true)).await;
    assert_eq!(e.code(), "net.answerTooLarge");
    assert!(e.to_string().contains("64 MB"), "{e}");
    // The server may have pushed what the socket buffers take, not the 200 MB.
    assert!(
        sent.load(Ordering::SeqCst) < 32 * 1024 * 1024,
        "{}",
        sent.load(Ordering::SeqCst)
    );

    // Not announced (chunked): read until the limit, then dropped.
    let (url, sent) = big_answer(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n",
        200 * 1024 * 1024,
    )
    .await;
    let c = small_client(url, 4 * 1024 * 1024);
    let e = bounded(20, c.get_me(true)).await.unwrap_err();
    assert_eq!(e.code(), "net.answerTooLarge");
    let pushed = sent.load(Ordering::SeqCst);
    assert!(
        pushed < 64 * 1024 * 1024,
        "the client read on to {pushed} bytes"
    );
}
