//! A local mock: a collection served by Postdesk itself on `127.0.0.1:<port>`, with the same
//! matching engine as the sandbox ([`postman_matching`]). It needs no API once started (the
//! collection is read once), spends no `mock_usage`, and logs every call it answers in the
//! history database (account [`LOCAL_ACCOUNT`](crate::store::LOCAL_ACCOUNT)).
//!
//! It answers only requests addressed to a loopback name (`Host`: `127.0.0.1`, `localhost` or
//! `[::1]`), so a web page cannot reach it through DNS rebinding, and allows cross-origin
//! calls (CORS) from loopback pages only: a front end in development can call it, a web site
//! cannot read the collection's examples.

use crate::store::{CallStore, StoredCall, LOCAL_ACCOUNT};
use crate::views::{CallDetails, CallRow, MockOptions};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderName, HeaderValue};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use postdesk_base::SharedClock;
use postman_matching::log::{logged_body, logged_value, preflight_headers, with_content_type};
use postman_matching::{Mock, Outcome, RenderCtx};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// The largest request body a local mock reads.
const BODY_MAX: usize = 10 * 1024 * 1024;

struct Served {
    engine: Arc<Mock>,
    options: MockOptions,
    store: Option<CallStore>,
    log_id: String,
    clock: SharedClock,
    port: u16,
    calls: Arc<AtomicU32>,
    seq: AtomicU64,
}

/// A running local mock; dropping it does not stop it: call [`LocalServer::stop`].
pub struct LocalServer {
    pub port: u16,
    pub calls: Arc<AtomicU32>,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl LocalServer {
    /// Binds `127.0.0.1:port` (0: any free port) and serves `engine` there. The port is taken
    /// before this returns, so a busy one is an error here, not later.
    pub async fn start(
        engine: Arc<Mock>,
        options: MockOptions,
        port: u16,
        store: Option<CallStore>,
        clock: SharedClock,
    ) -> std::io::Result<LocalServer> {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let port = listener.local_addr()?.port();
        let calls = Arc::new(AtomicU32::new(0));
        let served = Arc::new(Served {
            engine,
            options,
            store,
            log_id: log_id(port),
            clock,
            port,
            calls: calls.clone(),
            seq: AtomicU64::new(0),
        });
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(accept(listener, served, stopped));
        Ok(LocalServer {
            port,
            calls,
            stop,
            task,
        })
    }

    /// Stops serving (open connections end) and waits until the port is free.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let task = self.task;
        if tokio::time::timeout(Duration::from_secs(5), task)
            .await
            .is_err()
        {
            // A connection that does not end: the task is dropped with the runtime.
        }
    }
}

type Response = hyper::Response<Full<Bytes>>;

/// Resolves once the stop flag is set (or its sender is gone).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// The accept loop (hyper's HTTP/1, as the sandbox's): until `stop` flips, then open
/// connections get a graceful shutdown, bounded.
async fn accept(listener: TcpListener, served: Arc<Served>, mut stop: watch::Receiver<bool>) {
    let mut conns = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            acc = listener.accept() => {
                if let Ok((stream, _)) = acc {
                    let (s, mut stop) = (served.clone(), stop.clone());
                    conns.spawn(async move {
                        let svc = hyper::service::service_fn(move |req| {
                            let s = s.clone();
                            async move { Ok::<_, std::convert::Infallible>(handle(s, req).await) }
                        });
                        let conn = hyper::server::conn::http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), svc);
                        tokio::pin!(conn);
                        tokio::select! {
                            _ = conn.as_mut() => {}
                            _ = stopped(&mut stop) => {
                                conn.as_mut().graceful_shutdown();
                                let _ = tokio::time::timeout(Duration::from_secs(2), conn).await;
                            }
                        }
                    });
                }
                while conns.try_join_next().is_some() {}
            }
            _ = stopped(&mut stop) => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(3), async {
        while conns.join_next().await.is_some() {}
    })
    .await;
    conns.abort_all();
}

/// The call-log id of the local mock on `port`.
pub fn log_id(port: u16) -> String {
    format!("local-{port}")
}

fn loopback_name(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((n, p)) if p.chars().all(|c| c.is_ascii_digit()) => n,
        _ => host,
    };
    name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost") || name == "[::1]"
}

/// The `Origin` of a loopback page, to be allowed.
fn loopback_origin(h: &HeaderMap) -> Option<HeaderValue> {
    let o = h.get("origin")?;
    let s = o.to_str().ok()?;
    let rest = s
        .strip_prefix("http://")
        .or_else(|| s.strip_prefix("https://"))?;
    loopback_name(rest).then(|| o.clone())
}

fn answer(status: u16, headers: &[(String, String)], body: String) -> Response {
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (k, v) in headers {
        if matches!(
            k.to_ascii_lowercase().as_str(),
            "content-length" | "transfer-encoding" | "connection"
        ) {
            continue;
        }
        if let (Ok(k), Ok(v)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(v),
        ) {
            resp.headers_mut().append(k, v);
        }
    }
    resp
}

fn json_error(status: u16, name: &str, message: &str) -> Response {
    let body = serde_json::json!({"error": {"name": name, "message": message}}).to_string();
    answer(
        status,
        &[("Content-Type".into(), "application/json".into())],
        body,
    )
}

async fn handle(s: Arc<Served>, req: Request<Incoming>) -> Response {
    let host = req
        .headers()
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !loopback_name(host) {
        return json_error(
            403,
            "localMockError",
            "This local mock answers only requests addressed to 127.0.0.1 or localhost.",
        );
    }
    let origin = loopback_origin(req.headers());
    if req.headers().contains_key("origin") && origin.is_none() {
        return json_error(
            403,
            "localMockError",
            "This local mock answers web pages served from this computer only.",
        );
    }
    let with_cors = |mut r: Response| {
        if let Some(o) = &origin {
            r.headers_mut()
                .insert("access-control-allow-origin", o.clone());
            r.headers_mut()
                .insert("vary", HeaderValue::from_static("Origin"));
        }
        r
    };
    if req.method() == Method::OPTIONS {
        let asked = req.headers().get("access-control-request-headers");
        let headers = preflight_headers(asked.and_then(|v| v.to_str().ok()));
        return with_cors(answer(200, &headers, String::new()));
    }
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(str::to_string);
    let headers: Vec<(String, String)> = postdesk_base::headers::pairs(req.headers());
    let body = match Limited::new(req.into_body(), BODY_MAX).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            return with_cors(json_error(
                413,
                "localMockError",
                "The request body is larger than the 10 MB a local mock reads.",
            ))
        }
    };
    let now = s.clock.now_ms();
    let n = s.seq.fetch_add(1, Ordering::Relaxed) + 1;
    let matching = postman_matching::Request {
        method: &method,
        path: &path,
        query: query.as_deref(),
        headers: &headers,
        body: &body,
    };
    let mut ctx = RenderCtx::new(now, (u64::from(s.port) << 32) ^ n);
    let opts = postman_matching::Options {
        match_body: s.options.match_body,
        match_query_params: s.options.match_query_params,
        match_wildcards: s.options.match_wildcards,
        match_headers: s.options.match_headers.clone(),
    };
    let (status, out_headers, out_body, name, kind, delay) =
        match s.engine.serve(&matching, &opts, &mut ctx) {
            Outcome::Served(x) => {
                let h = with_content_type(x.headers, &x.body);
                (x.status, h, x.body, x.name, "success", x.delay_ms)
            }
            Outcome::Error(e) => (
                e.status,
                vec![("Content-Type".to_string(), "application/json".to_string())],
                e.body().to_string(),
                e.message.clone(),
                "error",
                e.delay_ms,
            ),
        };
    let delay = delay
        .unwrap_or(s.options.delay_ms)
        .min(postman_matching::MAX_DELAY_MS);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    s.calls.fetch_add(1, Ordering::Relaxed);
    if let Some(store) = s.store.clone() {
        let path_and_query = match &query {
            Some(q) => format!("{path}?{q}"),
            None => path.clone(),
        };
        let call = StoredCall {
            row: CallRow {
                id: format!("{now:013}-{n:06}"),
                served_at: now,
                method: method.clone(),
                path: path_and_query,
                status: Some(status),
                response_type: Some(kind.into()),
                response_name: Some(name),
                has_details: true,
            },
            details: Some(CallDetails {
                request_headers: headers
                    .iter()
                    .map(|(k, v)| (k.clone(), logged_value(k, v)))
                    .collect(),
                request_body: (!body.is_empty())
                    .then(|| logged_body(&String::from_utf8_lossy(&body))),
                response_headers: out_headers.clone(),
                response_body: Some(logged_body(&out_body)),
            }),
        };
        let log_id = s.log_id.clone();
        // The log is written before the answer goes, so a client that reads it next sees the
        // call; a failure to write it does not fail the answer.
        let _ = tokio::task::spawn_blocking(move || store.record(LOCAL_ACCOUNT, &log_id, &[call]))
            .await;
    }
    with_cors(answer(status, &out_headers, out_body))
}
