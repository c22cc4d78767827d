//! The gate: what every API request passes before its route handler, as an axum middleware on
//! the API router (so it also wraps the unknown-route and unsupported-method answers). In this
//! order: injected faults (delay, reset), credentials (collection access key, API key), the 401,
//! injected 500/503/429s, rate limits and the monthly quota (counting the request), the unknown
//! route 404, the route's body cap (413). Every answer gets the rate-limit headers of both
//! families; a `truncate` fault then cuts its body.
//!
//! A route is known by its pattern, `METHOD /path/{id}`: the path axum matched (its syntax is
//! the one `/_sandbox/faults` takes), or the raw path for an unknown route.

use crate::faults::take_fault;
use crate::http::{parse_query, query_value as q, read_body, with_body, Out, Query};
use crate::limits::{Limiter, Limits, Refusal, Verdict, WindowView};
use crate::policy;
use crate::shared::{lock, read, Shared};
use crate::state::usage_key;
use crate::transport::{truncated, Conn};
use axum::extract::{FromRequestParts, MatchedPath, OriginalUri, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use hyper::header::{HeaderMap, HeaderName, HeaderValue};
use hyper::http::request::Parts;
use hyper::Method;
use std::sync::Arc;
use std::time::Duration;

/// Who is calling an API route, as the gate established it (a request extension).
#[derive(Debug, Clone, Copy)]
pub struct Caller {
    /// The API key's user (None when a collection access key opened the request).
    pub user: Option<u64>,
    /// The creator of the collection access key that opened `GET /collections/{id}`.
    pub via_access_key: Option<u64>,
    /// The sandbox clock when the request arrived (limits and the handler agree on it).
    pub now: i64,
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = crate::error::ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Caller>()
            .copied()
            .ok_or_else(policy::unauthorized)
    }
}

/// The 10-per-10-seconds class: three read endpoints, each its own bucket, and every
/// `/monitors*` endpoint in one shared bucket (REFERENCE-monitors-mocks.md §6 #12).
pub fn heavy_class(route: &str) -> Option<&'static str> {
    match route {
        "GET /collections" => Some("GET /collections"),
        "GET /workspaces" => Some("GET /workspaces"),
        "GET /workspaces/{id}" => Some("GET /workspaces/{id}"),
        r if r
            .split_once(' ')
            .is_some_and(|(_, p)| p == "/monitors" || p.starts_with("/monitors/")) =>
        {
            Some("/monitors")
        }
        _ => None,
    }
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

/// A 429 with its retry headers.
fn rate_limited(retry_at: i64, now: i64) -> Out {
    let mut out: Out = policy::rate_limited(retry_at).into();
    let s = ceil_secs(retry_at - now).max(1).to_string();
    out.headers
        .push((HeaderName::from_static("retry-after"), s.clone()));
    out.headers
        .push((HeaderName::from_static("x-ratelimit-retryafter"), s));
    out
}

/// Who is calling: resolves the API key (header wins over `apikey` query).
fn api_key_user(sh: &Shared, headers: &HeaderMap, query: &[(String, String)]) -> Option<u64> {
    let key = headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .or_else(|| q(query, "apikey"))?;
    read(&sh.state)
        .api_keys
        .get(&crate::state::digest(key))
        .copied()
}

/// The rate-limit headers of an answer, and whether a fault truncates it.
struct Finish {
    view: WindowView,
    month_limit: u64,
    month_remaining: u64,
    now: i64,
    truncate: bool,
}

impl Finish {
    async fn answer(&self, resp: impl IntoResponse) -> Response {
        let mut resp = resp.into_response();
        let h = resp.headers_mut();
        for (k, v) in limit_headers(&self.view, self.month_limit, self.month_remaining, self.now) {
            if let Ok(v) = HeaderValue::from_str(&v) {
                h.insert(k, v);
            }
        }
        if !self.truncate {
            return resp;
        }
        let (parts, body) = resp.into_parts();
        let body = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        let body = if body.is_empty() {
            axum::body::Body::from(body)
        } else {
            truncated(body)
        };
        Response::from_parts(parts, body)
    }
}

/// The middleware (see the module docs).
pub async fn gate(State(sh): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let route = parts
        .extensions
        .get::<MatchedPath>()
        .map(|p| format!("{} {}", parts.method, p.as_str()));
    let route_key = route.clone().unwrap_or_else(|| {
        let raw = parts.extensions.get::<OriginalUri>();
        format!(
            "{} {}",
            parts.method,
            raw.map_or(parts.uri.path(), |u| u.path())
        )
    });
    let fault = take_fault(&sh, &route_key);
    if let Some(f) = &fault {
        if let Some(ms) = f.delay_ms {
            tokio::time::sleep(Duration::from_millis(ms.min(600_000))).await;
        }
        if f.reset {
            match parts.extensions.get::<Conn>() {
                Some(conn) => match conn.reset().await {},
                None => std::future::pending::<()>().await,
            }
        }
    }
    let query = parse_query(parts.uri.query());
    let now = sh.now();
    let heavy = route.as_deref().and_then(heavy_class);

    // Credentials: a collection access key on GET /collections/{id}, else the API key.
    let mut user = None;
    let mut via_access_key = None;
    if route.as_deref() == Some("GET /collections/{id}") && policy::ACCESS_KEY_BEFORE_API_KEY {
        if let Some(token) = q(&query, "access_key") {
            via_access_key =
                crate::routes::access_keys::access_key_opens(&sh, token, parts.uri.path(), now);
        }
    }
    if via_access_key.is_none() {
        user = api_key_user(&sh, &parts.headers, &query);
    }
    let limits = read(&sh.limits).clone();
    let month_used_of =
        |lim: &Limiter, u: u64| lim.usage.get(&usage_key(u, now)).copied().unwrap_or(0);

    let (view, month_remaining) = {
        let lim = lock(&sh.limiter);
        let v = lim.peek(&limits, user, heavy, now);
        let rem = user.map_or(limits.monthly, |u| {
            limits.monthly.saturating_sub(month_used_of(&lim, u))
        });
        (v, rem)
    };
    let mut finish = Finish {
        view,
        month_limit: limits.monthly,
        month_remaining,
        now,
        truncate: fault.as_ref().is_some_and(|f| f.truncate),
    };

    if user.is_none() && via_access_key.is_none() {
        let e = if q(&query, "access_key").is_some() {
            policy::access_key_rejected()
        } else {
            policy::unauthorized()
        };
        return finish.answer(e).await;
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
            return finish.answer(out).await;
        }
        if f.storm429 {
            return finish.answer(rate_limited(view.reset_at, now)).await;
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
        finish.view = v.shown;
        match v.refused {
            Some(Refusal::MonthlyExhausted) => {
                finish.month_remaining = 0;
                return finish.answer(policy::service_limit_exhausted()).await;
            }
            Some(Refusal::RateLimited { retry_at }) => {
                finish.month_remaining = v.month_remaining;
                return finish.answer(rate_limited(retry_at, now)).await;
            }
            None => finish.month_remaining = v.month_remaining,
        }
    }

    let Some(route) = route else {
        return finish.answer(policy::route_not_found()).await;
    };
    let body = if matches!(parts.method, Method::POST | Method::PUT | Method::PATCH) {
        match read_body(body, &parts.headers, body_cap(&limits, &route)).await {
            Ok(b) => b,
            Err(e) => return finish.answer(e).await,
        }
    } else {
        Bytes::new()
    };
    // axum answers HEAD with the GET handler; the API has no HEAD route.
    if parts.method == Method::HEAD {
        return finish.answer(policy::route_not_found()).await;
    }
    parts.extensions.insert(Caller {
        user,
        via_access_key,
        now,
    });
    parts.extensions.insert(Query(query));
    let resp = next.run(with_body(parts, body)).await;
    finish.answer(resp).await
}
