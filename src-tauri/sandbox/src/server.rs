//! HTTP plumbing: the accept loop (our own, so a fault can reset a connection with a real RST),
//! request parsing, auth, limits, faults and response building. Routes live in `api` and
//! `admin`.

use crate::error::ApiError;
use crate::faults::take_fault;
use crate::limits::{Limiter, Limits, Refusal, Verdict, WindowView};
use crate::policy;
use crate::shared::{lock, read, Shared};
use crate::state::usage_key;
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::Value;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};

/// A parsed request.
pub struct Req {
    pub method: Method,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Req {
    pub fn q(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    /// The body as JSON; malformed → the classic malformedRequestError.
    pub fn json(&self) -> Result<Value, ApiError> {
        if self.body.is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&self.body).map_err(|_| policy::malformed_json())
    }
}

/// A response before headers common to all are added.
pub struct Out {
    pub status: u16,
    pub content_type: Option<&'static str>,
    pub body: Bytes,
    pub headers: Vec<(HeaderName, String)>,
}

impl Out {
    pub fn json(status: u16, v: &Value) -> Out {
        Out {
            status,
            content_type: Some("application/json; charset=utf-8"),
            body: Bytes::from(serde_json::to_vec(v).unwrap_or_default()),
            headers: Vec::new(),
        }
    }
    pub fn ok(v: Value) -> Out {
        Out::json(200, &v)
    }
    pub fn bytes(status: u16, body: Bytes) -> Out {
        Out {
            status,
            content_type: Some("application/json; charset=utf-8"),
            body,
            headers: Vec::new(),
        }
    }
    pub fn empty(status: u16) -> Out {
        Out {
            status,
            content_type: None,
            body: Bytes::new(),
            headers: Vec::new(),
        }
    }
}

impl From<ApiError> for Out {
    fn from(e: ApiError) -> Out {
        let ct = policy::error_content_type(&e.body);
        Out {
            status: e.status,
            content_type: Some(if ct == policy::CT_PROBLEM {
                "application/problem+json; charset=utf-8"
            } else {
                "application/json; charset=utf-8"
            }),
            body: Bytes::from(serde_json::to_vec(&e.body).unwrap_or_default()),
            headers: Vec::new(),
        }
    }
}

/// The response body: whole, or (fault) cut short with an error so the connection aborts.
pub struct SBody {
    data: Option<Bytes>,
    fail: bool,
    len: u64,
    /// Before failing, wait a moment so the headers and the first half are really sent.
    pause: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl SBody {
    fn full(b: Bytes) -> Self {
        SBody {
            len: b.len() as u64,
            data: if b.is_empty() { None } else { Some(b) },
            fail: false,
            pause: None,
        }
    }
    fn truncated(b: Bytes) -> Self {
        let len = b.len() as u64;
        let half = b.slice(..b.len() / 2);
        SBody {
            len,
            data: if half.is_empty() { None } else { Some(half) },
            fail: true,
            pause: Some(Box::pin(tokio::time::sleep(Duration::from_millis(50)))),
        }
    }
}

impl Body for SBody {
    type Data = Bytes;
    type Error = std::io::Error;
    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        if let Some(d) = self.data.take() {
            return Poll::Ready(Some(Ok(Frame::data(d))));
        }
        if self.fail {
            if let Some(p) = self.pause.as_mut() {
                if p.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
            }
            self.fail = false;
            return Poll::Ready(Some(Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionAborted,
                "injected truncation",
            ))));
        }
        Poll::Ready(None)
    }
    fn is_end_stream(&self) -> bool {
        self.data.is_none() && !self.fail
    }
    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.len)
    }
}

fn pct_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let h = std::str::from_utf8(&b[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match h {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn parse_query(q: Option<&str>) -> Vec<(String, String)> {
    q.unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (pct_decode(k), pct_decode(v))
        })
        .collect()
}

/// Which API route a request is, as a pattern (used for faults and limit classes).
pub fn route_pattern(method: &Method, path: &str) -> Option<String> {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let pat = match segs.as_slice() {
        ["me"] => "/me",
        ["workspaces"] => "/workspaces",
        ["workspaces", _] => "/workspaces/{id}",
        ["collections"] => "/collections",
        ["collections", _] => "/collections/{id}",
        ["collection-updates-tasks", _] => "/collection-updates-tasks/{id}",
        ["environments"] => "/environments",
        ["environments", _] => "/environments/{id}",
        ["collection-access-keys"] => "/collection-access-keys",
        ["collection-access-keys", _] => "/collection-access-keys/{id}",
        _ => return None,
    };
    Some(format!("{method} {pat}"))
}

/// The 10-per-10-seconds class.
pub fn heavy_class(route: &str) -> Option<&'static str> {
    match route {
        "GET /collections" => Some("GET /collections"),
        "GET /workspaces" => Some("GET /workspaces"),
        "GET /workspaces/{id}" => Some("GET /workspaces/{id}"),
        _ => None,
    }
}

fn ceil_secs(ms: i64) -> i64 {
    (ms.max(0) + 999) / 1000
}

fn limit_headers(
    v: &WindowView,
    month_limit: u64,
    month_remaining: u64,
    now: i64,
) -> Vec<(HeaderName, String)> {
    let reset_in = ceil_secs(v.reset_at - now);
    let x_reset = if policy::X_RESET_IS_EPOCH {
        ceil_secs(v.reset_at)
    } else {
        reset_in
    };
    let w = ceil_secs(v.window_ms);
    let h = |n: &'static str| HeaderName::from_static(n);
    vec![
        (h("x-ratelimit-limit"), v.limit.to_string()),
        (h("x-ratelimit-remaining"), v.remaining.to_string()),
        (h("x-ratelimit-reset"), x_reset.to_string()),
        (h("ratelimit-limit"), v.limit.to_string()),
        (h("ratelimit-remaining"), v.remaining.to_string()),
        (h("ratelimit-reset"), reset_in.to_string()),
        (
            h("ratelimit"),
            format!(
                "limit={}, remaining={}, reset={}",
                v.limit, v.remaining, reset_in
            ),
        ),
        (h("ratelimit-policy"), format!("{};w={}", v.limit, w)),
        (h("ratelimit-limit-month"), month_limit.to_string()),
        (h("ratelimit-remaining-month"), month_remaining.to_string()),
        (h("x-ratelimit-limit-month"), month_limit.to_string()),
        (
            h("x-ratelimit-remaining-month"),
            month_remaining.to_string(),
        ),
    ]
}

fn retry_headers(retry_at: i64, now: i64) -> Vec<(HeaderName, String)> {
    let s = ceil_secs(retry_at - now).max(1).to_string();
    vec![
        (HeaderName::from_static("retry-after"), s.clone()),
        (HeaderName::from_static("x-ratelimit-retryafter"), s),
    ]
}

/// Who is calling: resolves the API key (header wins over `apikey` query).
pub fn api_key_user(sh: &Shared, req: &Req) -> Option<u64> {
    let key = req.header("x-api-key").or_else(|| req.q("apikey"))?;
    read(&sh.state)
        .api_keys
        .get(&crate::state::digest(key))
        .copied()
}

fn body_cap(limits: &Limits, route: &str) -> usize {
    if route.contains(" /collections") {
        limits.collection_body_max
    } else if route.contains(" /environments") {
        limits.environment_body_max
    } else {
        limits.other_body_max
    }
}

async fn read_body(body: Incoming, headers: &HeaderMap, cap: usize) -> Result<Bytes, ApiError> {
    if let Some(len) = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
    {
        if len > cap as u64 {
            return Err(policy::payload_too_large());
        }
    }
    let mut body = body;
    let mut buf = bytes::BytesMut::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| policy::malformed_json())?;
        if let Ok(data) = frame.into_data() {
            if buf.len() + data.len() > cap {
                return Err(policy::payload_too_large());
            }
            buf.extend_from_slice(&data);
        }
    }
    Ok(buf.freeze())
}

enum Outcome {
    Respond(Out, bool),
    Reset,
}

async fn handle(sh: Arc<Shared>, req: Request<Incoming>) -> Outcome {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    let query = parse_query(parts.uri.query());
    if path == "/_sandbox" || path.starts_with("/_sandbox/") {
        let cap = read(&sh.limits).collection_body_max;
        let body = match read_body(body, &parts.headers, cap).await {
            Ok(b) => b,
            Err(e) => return Outcome::Respond(e.into(), false),
        };
        let req = Req {
            method: parts.method,
            path,
            query,
            headers: parts.headers,
            body,
        };
        return Outcome::Respond(crate::admin::handle(&sh, &req), false);
    }
    let route = route_pattern(&parts.method, &path);
    let route_key = route
        .clone()
        .unwrap_or_else(|| format!("{} {}", parts.method, path));
    let fault = take_fault(&sh, &route_key);
    if let Some(f) = &fault {
        if let Some(ms) = f.delay_ms {
            tokio::time::sleep(Duration::from_millis(ms.min(600_000))).await;
        }
        if f.reset {
            return Outcome::Reset;
        }
    }
    let truncate = fault.as_ref().is_some_and(|f| f.truncate);
    let mut req = Req {
        method: parts.method,
        path,
        query,
        headers: parts.headers,
        body: Bytes::new(),
    };
    let now = sh.now();
    let heavy = route.as_deref().and_then(heavy_class);

    // Credentials: a collection access key on GET /collections/{id}, else the API key.
    let mut user = None;
    let mut via_access_key = None;
    if route.as_deref() == Some("GET /collections/{id}") && policy::ACCESS_KEY_BEFORE_API_KEY {
        if let Some(token) = req.q("access_key") {
            via_access_key = crate::api::access_key_opens(&sh, token, &req.path, now);
        }
    }
    if via_access_key.is_none() {
        user = api_key_user(&sh, &req);
    }
    let limits = read(&sh.limits).clone();
    let month_used_of =
        |lim: &Limiter, u: u64| lim.usage.get(&usage_key(u, now)).copied().unwrap_or(0);

    let (view, month_limit, month_remaining) = {
        let lim = lock(&sh.limiter);
        let v = lim.peek(&limits, user, heavy, now);
        let rem = user.map_or(limits.monthly, |u| {
            limits.monthly.saturating_sub(month_used_of(&lim, u))
        });
        (v, limits.monthly, rem)
    };
    let finish = |mut out: Out, view: &WindowView, mrem: u64| {
        out.headers
            .extend(limit_headers(view, month_limit, mrem, now));
        Outcome::Respond(out, truncate)
    };

    if user.is_none() && via_access_key.is_none() {
        let e = if req.q("access_key").is_some() {
            policy::access_key_rejected()
        } else {
            policy::unauthorized()
        };
        return finish(e.into(), &view, month_remaining);
    }
    if let Some(f) = &fault {
        if let Some(status) = f.status {
            let e = if status == 503 {
                policy::service_unavailable()
            } else {
                policy::server_error()
            };
            let mut out: Out = e.into();
            out.status = status;
            return finish(out, &view, month_remaining);
        }
        if f.storm429 {
            let retry_at = view.reset_at;
            let mut out: Out = policy::rate_limited(retry_at).into();
            out.headers.extend(retry_headers(retry_at, now));
            return finish(out, &view, month_remaining);
        }
    }

    // Limits (only for requests attributed to a user).
    let verdict: Option<Verdict> = match user {
        Some(u) if via_access_key.is_none() || policy::ACCESS_KEY_READS_ARE_METERED => {
            let mut lim = lock(&sh.limiter);
            let used = month_used_of(&lim, u);
            let v = lim.check(&limits, u, heavy, used, now);
            if v.refused.is_none() {
                *lim.usage.entry(usage_key(u, now)).or_insert(0) += 1;
            }
            Some(v)
        }
        _ => None,
    };
    if let Some(v) = &verdict {
        if v.refused.is_none() {
            sh.usage_dirty();
        }
        match v.refused {
            Some(Refusal::MonthlyExhausted) => {
                return finish(policy::service_limit_exhausted().into(), &v.shown, 0);
            }
            Some(Refusal::RateLimited { retry_at }) => {
                let mut out: Out = policy::rate_limited(retry_at).into();
                out.headers.extend(retry_headers(retry_at, now));
                return finish(out, &v.shown, v.month_remaining);
            }
            None => {}
        }
    }
    let (view, month_remaining) =
        verdict.map_or((view, month_remaining), |v| (v.shown, v.month_remaining));

    let Some(route) = route else {
        return finish(policy::route_not_found().into(), &view, month_remaining);
    };
    if matches!(req.method, Method::POST | Method::PUT | Method::PATCH) {
        match read_body(body, &req.headers, body_cap(&limits, &route)).await {
            Ok(b) => req.body = b,
            Err(e) => return finish(e.into(), &view, month_remaining),
        }
    }
    let out = crate::api::dispatch(&sh, &route, &req, user, via_access_key, now);
    finish(out, &view, month_remaining)
}

fn to_response(out: Out, truncate: bool) -> Response<SBody> {
    let mut resp = Response::new(if truncate && !out.body.is_empty() {
        SBody::truncated(out.body)
    } else {
        SBody::full(out.body)
    });
    *resp.status_mut() =
        StatusCode::from_u16(out.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = resp.headers_mut();
    if let Some(ct) = out.content_type {
        h.insert(CONTENT_TYPE, HeaderValue::from_static(ct));
    }
    for (k, v) in out.headers {
        if let Ok(v) = HeaderValue::from_str(&v) {
            h.insert(k, v);
        }
    }
    resp
}

/// Serves one connection; a reset fault closes the socket with SO_LINGER 0 (a real RST).
async fn serve_conn(sh: Arc<Shared>, stream: TcpStream, mut stop: watch::Receiver<bool>) {
    let _ = stream.set_nodelay(true);
    let dup = match stream.into_std().and_then(|s| Ok((s.try_clone()?, s))) {
        Ok((dup, s)) => match TcpStream::from_std(s) {
            Ok(s) => (dup, s),
            Err(_) => return,
        },
        Err(_) => return,
    };
    let (dup, stream) = dup;
    let reset = Arc::new(Notify::new());
    let reset2 = reset.clone();
    let svc = hyper::service::service_fn(move |req| {
        let sh = sh.clone();
        let reset = reset2.clone();
        async move {
            match handle(sh, req).await {
                Outcome::Respond(out, truncate) => Ok::<_, Infallible>(to_response(out, truncate)),
                Outcome::Reset => {
                    reset.notify_one();
                    std::future::pending().await
                }
            }
        }
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(hyper_util::rt::TokioIo::new(stream), svc);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = reset.notified() => {
            let _ = socket2::SockRef::from(&dup).set_linger(Some(Duration::ZERO));
            // Closing the last descriptor of a socket with SO_LINGER 0 sends a RST.
            drop(dup);
        }
        _ = crate::shared::stopped(&mut stop) => {
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(Duration::from_secs(5), conn.as_mut()).await;
        }
    }
}

/// The accept loop; returns when `stop` flips, after open connections wind down.
pub async fn serve(sh: Arc<Shared>, listener: TcpListener, mut stop: watch::Receiver<bool>) {
    let mut conns = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            acc = listener.accept() => {
                if let Ok((stream, _)) = acc {
                    conns.spawn(serve_conn(sh.clone(), stream, stop.clone()));
                }
                while conns.try_join_next().is_some() {}
            }
            _ = crate::shared::stopped(&mut stop) => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(6), async {
        while conns.join_next().await.is_some() {}
    })
    .await;
    conns.abort_all();
}
