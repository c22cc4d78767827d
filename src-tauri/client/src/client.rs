//! The transport: [`Client`] (one per API key) and its request loop — governor permit,
//! attempt, meters, activity, retry policy. The cached reads over it are in `cached.rs`, the
//! typed calls in `endpoints/`, one module per resource.

use crate::activity::{redact_path, ActivityEntry, ActivityLog};
use crate::cache::Cache;
use crate::error::{from_status, Error};
use crate::governor::{heavy_class, Governor, MeterSnapshot, Outcome, Pacing, RateHeaders};
use crate::region::Region;
use crate::secret::{redact, ApiKey};
use postdesk_base::SharedClock;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;
use url::Url;

/// Retry policy for reads (writes are never retried blindly).
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Total attempts of a read on 5xx / timeout / connection errors (≥ 1).
    pub max_attempts: u32,
    /// First backoff; doubles each retry, plus up to 50 % jitter.
    pub base_backoff: Duration,
    pub max_backoff: Duration,
    /// How many `rateLimited` 429s a read waits out (Retry-After) before giving up.
    pub max_rate_limit_waits: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(5),
            max_rate_limit_waits: 3,
        }
    }
}

/// [`ClientConfig::max_answer_bytes`] unless set: 64 MiB.
pub const DEFAULT_MAX_ANSWER_BYTES: usize = 64 * 1024 * 1024;

/// How to build a [`Client`].
#[derive(Debug)]
pub struct ClientConfig {
    pub region: Region,
    /// The key's display name (logged instead of the key).
    pub key_name: String,
    /// Whose calls these are (`Account::slug`): every activity entry carries it.
    pub account: String,
    /// `None`: only access-key reads ([`Client::get_shared_collection`]) work.
    pub api_key: Option<ApiKey>,
    pub pacing: Pacing,
    pub retry: RetryPolicy,
    /// Cached reads younger than this are served without a call.
    pub cache_ttl: Duration,
    /// Per-attempt timeout.
    pub timeout: Duration,
    /// The largest answer read (checked on `Content-Length` and while it streams in): well
    /// above the 30 MB the API accepts for a collection, and a bound on what a hostile or
    /// broken server can make Postdesk hold in memory.
    pub max_answer_bytes: usize,
    pub connect_timeout: Duration,
    /// Shared activity log (several clients may share one); a fresh 5,000-entry one otherwise.
    pub activity: Option<Arc<ActivityLog>>,
    /// Share pacing with another client (Postman applies limits per user, so two keys of one
    /// user should share a governor); a fresh one from `pacing` otherwise.
    pub governor: Option<Arc<Governor>>,
    /// The wall clock that dates calls, cache entries and meters (the system's by default).
    /// A shared governor keeps the clock it was made with.
    pub clock: SharedClock,
    /// The sandbox's admin token (`X-Sandbox-Token`), for the `/_sandbox/` calls of a client
    /// of the built-in sandbox; `None` elsewhere.
    pub sandbox_admin_token: Option<Arc<postdesk_base::Secret>>,
}

impl ClientConfig {
    pub fn new(region: Region, key_name: impl Into<String>, api_key: Option<ApiKey>) -> Self {
        ClientConfig {
            region,
            key_name: key_name.into(),
            account: String::new(),
            api_key,
            pacing: Pacing::default(),
            retry: RetryPolicy::default(),
            cache_ttl: Duration::from_secs(300),
            timeout: Duration::from_secs(30),
            max_answer_bytes: DEFAULT_MAX_ANSWER_BYTES,
            connect_timeout: Duration::from_secs(10),
            activity: None,
            governor: None,
            clock: SharedClock::system(),
            sandbox_admin_token: None,
        }
    }
}

/// Query for `GET /workspaces`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkspaceQuery {
    /// `personal`, `team`, `private`, `public`, `partner`.
    pub kind: Option<String>,
    pub cursor: Option<String>,
    /// 1..=100 (larger values are clamped to 100).
    pub limit: Option<u32>,
}

/// Query for `GET /collections`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CollectionQuery {
    pub workspace: Option<String>,
    /// Exact name match.
    pub name: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Auth {
    Key,
    /// The sandbox's admin token (`/_sandbox/` calls), no API key.
    SandboxAdmin,
    None,
}

pub(crate) struct Req {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) body: Option<Value>,
    pub(crate) headers: Vec<(&'static str, &'static str)>,
    pub(crate) auth: Auth,
    /// Counted against the key's limits (false for access-key reads).
    pub(crate) paced: bool,
    /// This request's timeout instead of [`ClientConfig::timeout`] (a synchronous monitor
    /// run may take 300 s before the API answers 202).
    pub(crate) timeout: Option<std::time::Duration>,
}

impl Req {
    pub(crate) fn new(method: Method, path: impl Into<String>) -> Self {
        Req {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            headers: Vec::new(),
            auth: Auth::Key,
            paced: true,
            timeout: None,
        }
    }
    pub(crate) fn q(mut self, k: &'static str, v: Option<impl ToString>) -> Self {
        if let Some(v) = v {
            self.query.push((k, v.to_string()));
        }
        self
    }
    pub(crate) fn body(mut self, v: Value) -> Self {
        self.body = Some(v);
        self
    }
    fn is_read(&self) -> bool {
        self.method == Method::GET
    }
    /// Cache key (never contains a secret: access keys are not part of it).
    pub(crate) fn cache_key(&self, prefix: &str) -> String {
        let q: Vec<String> = self
            .query
            .iter()
            .filter(|(k, _)| *k != "access_key")
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        format!("{prefix}{}?{}", self.path, q.join("&"))
    }
}

pub(crate) struct Resp {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) base: Url,
    pub(crate) cfg: ClientConfig,
    pub(crate) gov: Arc<Governor>,
    pub(crate) cache: Cache,
    pub(crate) activity: Arc<ActivityLog>,
}

/// The engine for one API key: typed, paced, cached, logged. Cheap to clone; clones share
/// everything. Create one per key (the pacing is per key).
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.inner.base.as_str())
            .field("key_name", &self.inner.cfg.key_name)
            .field("api_key", &self.inner.cfg.api_key)
            .finish()
    }
}

pub(crate) fn segment(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

pub(crate) fn parse_json(body: &[u8]) -> Result<Value, Error> {
    if body.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_slice(body).map_err(|e| Error::BadResponse(format!("invalid JSON ({e})")))
}

/// An answer read straight into its type, with no `Value` in between: a body that is not JSON
/// is "invalid JSON" (as [`parse_json`] says), one of another shape says so under `what`. An
/// empty body reads as `null`, as it does there.
pub(crate) fn parse_typed<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<T, Error> {
    let read = if body.is_empty() {
        T::deserialize(Value::Null)
    } else {
        serde_json::from_slice(body)
    };
    read.map_err(|e| {
        Error::BadResponse(if e.is_data() {
            format!("{what}: {e}")
        } else {
            format!("invalid JSON ({e})")
        })
    })
}

pub(crate) fn typed<T: DeserializeOwned>(v: &Value, field: &str) -> Result<T, Error> {
    let inner = v
        .get(field)
        .ok_or_else(|| Error::BadResponse(format!("the answer has no \"{field}\"")))?;
    T::deserialize(inner).map_err(|e| Error::BadResponse(format!("unexpected \"{field}\": {e}")))
}

pub(crate) fn net_error(e: &reqwest::Error) -> Error {
    if e.is_timeout() {
        return Error::Timeout;
    }
    let kind = if e.is_connect() {
        "the connection could not be opened"
    } else if e.is_body() || e.is_decode() {
        "the connection broke while the answer was arriving"
    } else if e.is_request() {
        "the request could not be sent"
    } else {
        "the connection failed"
    };
    // The URL is never part of the message (it may carry an access key).
    let mut detail = String::new();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        detail = s.to_string();
        src = s.source();
    }
    if detail.is_empty() {
        Error::Network(kind.into())
    } else {
        Error::Network(redact(&format!("{kind} ({detail})")))
    }
}

impl Client {
    /// Validates the region (https, or http on loopback) and builds the engine. No request is
    /// made.
    pub fn new(cfg: ClientConfig) -> Result<Self, Error> {
        let base = cfg.region.base_url()?;
        // One TLS provider for the process (ring; the updater installs the same one). An error
        // only says one is installed already.
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
        let mut http = reqwest::Client::builder();
        if crate::region::is_loopback_url(&base) {
            // A proxy from the environment (HTTP_PROXY, ALL_PROXY…) must never see the sandbox's
            // traffic: it would carry keys and tokens off this computer in clear text.
            http = http.no_proxy();
        }
        let http = http
            .timeout(cfg.timeout)
            .connect_timeout(cfg.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!(
                "postdesk-postman-client/",
                env!("CARGO_PKG_VERSION")
            ))
            .build()
            .map_err(|e| net_error(&e))?;
        let activity = cfg
            .activity
            .clone()
            .unwrap_or_else(|| Arc::new(ActivityLog::new(5_000)));
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                gov: cfg
                    .governor
                    .clone()
                    .unwrap_or_else(|| Governor::new(cfg.pacing.clone(), cfg.clock.clone())),
                cache: Cache::new(cfg.cache_ttl),
                activity,
                cfg,
            }),
        })
    }

    /// Wall-clock now (epoch ms) on the client's clock.
    pub(crate) fn now_ms(&self) -> u64 {
        self.inner.cfg.clock.now_ms_u64()
    }

    /// The wall clock this client dates things with.
    pub fn clock(&self) -> &SharedClock {
        &self.inner.cfg.clock
    }

    pub fn key_name(&self) -> &str {
        &self.inner.cfg.key_name
    }

    /// Whose calls these are (see [`ClientConfig::account`]).
    pub fn account(&self) -> &str {
        &self.inner.cfg.account
    }
    pub fn activity(&self) -> &Arc<ActivityLog> {
        &self.inner.activity
    }
    pub fn governor(&self) -> &Arc<Governor> {
        &self.inner.gov
    }
    /// Live meters of this key (updated from every response's headers).
    pub fn meters(&self) -> watch::Receiver<MeterSnapshot> {
        self.inner.gov.meters()
    }
    /// The current meters.
    pub fn snapshot(&self) -> MeterSnapshot {
        self.inner.gov.snapshot()
    }
    /// Drops every cached response.
    pub fn clear_cache(&self) {
        self.inner.cache.clear();
    }
    /// Lifts the local monthly-quota block (after the usage or the plan changed).
    pub fn clear_quota_block(&self) {
        self.inner.gov.clear_quota_block();
    }

    /// The API key as a header value, marked sensitive (kept out of debug output).
    pub(crate) fn key_header(&self) -> Result<reqwest::header::HeaderValue, Error> {
        let key = self.inner.cfg.api_key.as_ref().ok_or(Error::MissingKey)?;
        let mut v = reqwest::header::HeaderValue::from_str(key.expose())
            .map_err(|_| Error::InvalidSecret("The API key contains invalid characters.".into()))?;
        v.set_sensitive(true);
        Ok(v)
    }

    fn url(&self, req: &Req) -> Url {
        let mut u = self.inner.base.clone();
        let base_path = u.path().trim_end_matches('/').to_string();
        u.set_path(&format!("{base_path}{}", req.path));
        if !req.query.is_empty() {
            let mut qp = u.query_pairs_mut();
            for (k, v) in &req.query {
                qp.append_pair(k, v);
            }
        }
        u
    }

    async fn once(
        &self,
        req: &Req,
        url: &Url,
    ) -> Result<(u16, reqwest::header::HeaderMap, Vec<u8>), Error> {
        let mut rb = self.inner.http.request(req.method.clone(), url.clone());
        if req.auth == Auth::Key {
            rb = rb.header("x-api-key", self.key_header()?);
        }
        if req.auth == Auth::SandboxAdmin {
            let token = self.inner.cfg.sandbox_admin_token.as_ref().ok_or_else(|| {
                Error::BadResponse("this client does not hold the sandbox's admin token".into())
            })?;
            let mut v = reqwest::header::HeaderValue::from_str(token.expose()).map_err(|_| {
                Error::InvalidSecret("The sandbox's admin token has invalid characters.".into())
            })?;
            v.set_sensitive(true);
            rb = rb.header("x-sandbox-token", v);
        }
        for (k, v) in &req.headers {
            rb = rb.header(*k, *v);
        }
        if let Some(t) = req.timeout {
            rb = rb.timeout(t);
        }
        rb = rb.header("accept", "application/json");
        if let Some(b) = &req.body {
            rb = rb.json(b);
        }
        let mut resp = rb.send().await.map_err(|e| net_error(&e))?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let limit = self.inner.cfg.max_answer_bytes;
        let too_large = || Error::AnswerTooLarge { limit };
        if resp.content_length().is_some_and(|n| n > limit as u64) {
            return Err(too_large());
        }
        // Read as it arrives, into one buffer, stopping at the limit.
        let mut body = Vec::with_capacity(resp.content_length().unwrap_or(0) as usize);
        while let Some(chunk) = resp.chunk().await.map_err(|e| net_error(&e))? {
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok((status, headers, body))
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let r = &self.inner.cfg.retry;
        let exp = r
            .base_backoff
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
            .min(r.max_backoff);
        exp + exp.mul_f64(fastrand::f64() * 0.5)
    }

    /// One logical call: pacing, attempts, retries, meters, activity.
    pub(crate) async fn call(&self, req: Req) -> Result<Resp, Error> {
        if req.auth == Auth::Key && self.inner.cfg.api_key.is_none() {
            return Err(Error::MissingKey);
        }
        let url = self.url(&req);
        let logged_path = redact_path(&match url.query() {
            Some(q) => format!("{}?{q}", req.path),
            None => req.path.clone(),
        });
        let class = heavy_class(req.method.as_str(), &req.path);
        let retry = self.inner.cfg.retry.clone();
        let mut attempt = 0u32;
        let mut rl_waits = 0u32;
        loop {
            attempt += 1;
            let permit = if req.paced {
                Some(self.inner.gov.acquire(class).await?)
            } else {
                None
            };
            let sent_ms = self.now_ms();
            let t0 = Instant::now();
            let res = self.once(&req, &url).await;
            let dur = t0.elapsed();
            // This attempt as the activity log records it, before its outcome.
            let sent = || ActivityEntry {
                duration_ms: dur.as_millis() as u64,
                account: self.inner.cfg.account.clone(),
                ..ActivityEntry::attempt(
                    sent_ms,
                    &self.inner.cfg.key_name,
                    req.method.as_str(),
                    &logged_path,
                    attempt,
                )
            };
            let (outcome, result) = match res {
                Ok((status, headers, body)) => {
                    let rh = RateHeaders::parse(&headers, self.now_ms());
                    let result = if (200..300).contains(&status) {
                        Ok(Resp { status, body })
                    } else {
                        Err((from_status(status, &body, rh.retry_after), body.len()))
                    };
                    let (rate_limited, quota) = match &result {
                        Err((Error::RateLimited { .. }, _)) => (true, false),
                        Err((Error::QuotaExhausted { .. }, _)) => (false, true),
                        _ => (false, false),
                    };
                    let bytes = match &result {
                        Ok(r) => r.body.len(),
                        Err((_, n)) => *n,
                    };
                    self.inner.activity.record(ActivityEntry {
                        status: Some(status),
                        bytes: bytes as u64,
                        rate_remaining: rh.remaining,
                        error: result.as_ref().err().map(|(e, _)| e.code().to_string()),
                        ..sent()
                    });
                    (
                        Outcome::Answered {
                            headers: rh,
                            rate_limited,
                            quota_exhausted: quota,
                        },
                        result.map_err(|(e, _)| e),
                    )
                }
                Err(e) => {
                    self.inner.activity.record(ActivityEntry {
                        error: Some(e.code().to_string()),
                        ..sent()
                    });
                    (Outcome::Failed, Err(e))
                }
            };
            if let Some(p) = permit {
                self.inner.gov.finish(p, outcome);
            }
            match result {
                Ok(r) => return Ok(r),
                Err(Error::RateLimited { retry_after })
                    if req.is_read() && req.paced && rl_waits < retry.max_rate_limit_waits =>
                {
                    // The governor now holds the key until Retry-After has passed.
                    rl_waits += 1;
                    attempt -= 1;
                    let _ = retry_after;
                }
                Err(Error::RateLimited { retry_after })
                    if req.is_read() && rl_waits < retry.max_rate_limit_waits =>
                {
                    rl_waits += 1;
                    attempt -= 1;
                    tokio::time::sleep(retry_after).await;
                }
                Err(e)
                    if e.is_transient() && req.is_read() && attempt < retry.max_attempts.max(1) =>
                {
                    tokio::time::sleep(self.backoff(attempt)).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    pub(crate) async fn call_json(&self, req: Req) -> Result<Value, Error> {
        let r = self.call(req).await?;
        let _ = r.status;
        parse_json(&r.body)
    }
}

pub(crate) fn wrap(field: &str, v: Value) -> Value {
    match &v {
        Value::Object(o) if o.len() == 1 && o.contains_key(field) => v,
        _ => json!({ field: v }),
    }
}
