//! Routing on axum: one module per resource, each giving its `Router`; this module puts them
//! together.
//!
//! - The API router: every resource's routes, one answer ([`policy::route_not_found`]) for an
//!   unknown path and for an unsupported method on a known one, all behind the
//!   [`gate`](crate::gate) (faults, credentials, limits, body caps, headers).
//! - The admin router (`/_sandbox/*`, [`admin`]): its own fallback, no gate.
//! - [`app`]: the one service the transport serves. It refuses what the
//!   [`guard`](crate::guard) refuses (foreign `Host`, browser requests, admin calls without the
//!   token, non-JSON bodies), then sends `/_sandbox` and `/_sandbox/…` to
//!   the admin router and the rest to the API router, after putting the path in the form the
//!   routes are written in (API: no leading or trailing `/` runs, as `/collections/` and
//!   `//me` were always the same routes; admin: no trailing `/`). Handlers see that form;
//!   the raw path stays in [`OriginalUri`] (an unknown route's fault pattern uses it).

pub mod access_keys;
pub mod admin;
pub mod collections;
pub mod environments;
pub mod me;
pub mod mock_responses;
pub mod mocks;
pub mod monitors;
pub mod tasks;
pub mod workspaces;

use crate::error::ApiError;
use crate::gate::{gate, Caller};
use crate::http::Req;
use crate::policy;
use crate::shared::Shared;
use crate::state::{State as Data, User as Person};
use crate::transport::{head_body, App};
use axum::extract::{FromRequestParts, OriginalUri, State};
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use axum::Router;
use hyper::body::Incoming;
use hyper::header::{ALLOW, CONTENT_LENGTH};
use hyper::http::request::Parts;
use hyper::{Method, Request, Uri};
use std::sync::Arc;
use tower::ServiceExt;

/// A resource's two routes: `/{name}` (`list`: the collection of them) and `/{name}/{id}`
/// (`one`: one of them).
pub fn resource(
    name: &str,
    list: MethodRouter<Arc<Shared>>,
    one: MethodRouter<Arc<Shared>>,
) -> Router<Arc<Shared>> {
    Router::new()
        .route(&format!("/{name}"), list)
        .route(&format!("/{name}/{{id}}"), one)
}

/// The state every handler extracts.
pub type Sh = State<Arc<Shared>>;

/// The user an API key authenticated (every API route but an access-key read needs one).
#[derive(Debug, Clone, Copy)]
pub struct User {
    pub id: u64,
    /// The sandbox clock when the request arrived.
    pub now: i64,
}

impl<S: Send + Sync> FromRequestParts<S> for User {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, ApiError> {
        let c = Caller::from_request_parts(parts, s).await?;
        let id = c.user.ok_or_else(policy::unauthorized)?;
        Ok(User { id, now: c.now })
    }
}

/// The `{id}` of a route path, as sent (not percent-decoded: ids and error bodies echo it).
pub struct Id(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        Ok(Id(seg(parts.uri.path(), 1).to_owned()))
    }
}

/// Segment `i` of a path.
pub fn seg(path: &str, i: usize) -> &str {
    path.trim_matches('/').split('/').nth(i).unwrap_or("")
}

/// The caller's user record (401 if it is gone).
pub fn me_user(st: &Data, u: u64) -> Result<&Person, ApiError> {
    st.user(u).ok_or_else(policy::unauthorized)
}

/// Where `POST /collections` and `POST /environments` put the new object: `?workspace=` (if
/// the caller sees it), else the caller's personal workspace.
pub fn post_target_workspace(st: &Data, req: &Req, u: u64) -> Result<String, ApiError> {
    match req.q("workspace").filter(|w| !w.is_empty()) {
        Some(w) if st.can_see_id(u, w) => Ok(w.to_string()),
        Some(_) => Err(policy::post_unknown_workspace()),
        None => st
            .personal_workspace(u)
            .map(|w| w.id.clone())
            .ok_or_else(policy::post_unknown_workspace),
    }
}

async fn unknown_route() -> ApiError {
    policy::route_not_found()
}

/// The API router (see the module docs).
fn api(sh: Arc<Shared>) -> Router {
    Router::new()
        .merge(me::routes())
        .merge(workspaces::routes())
        .merge(collections::routes())
        .merge(tasks::routes())
        .merge(environments::routes())
        .merge(access_keys::routes())
        .merge(monitors::routes())
        .merge(mocks::routes())
        .method_not_allowed_fallback(unknown_route)
        .fallback(unknown_route)
        .layer(axum::middleware::from_fn_with_state(sh.clone(), gate))
        .with_state(sh)
}

fn is_admin(path: &str) -> bool {
    path == "/_sandbox" || path.starts_with("/_sandbox/")
}

/// The request with its path in routing form (see the module docs).
fn normalized(mut req: Request<Incoming>, admin: bool) -> Request<Incoming> {
    let path = req.uri().path();
    let in_form = if admin {
        !path.ends_with('/')
    } else {
        path == "/" || path.starts_with('/') && !path[1..].starts_with('/') && !path.ends_with('/')
    };
    if in_form {
        return req;
    }
    let form = if admin {
        path.trim_end_matches('/').to_owned()
    } else {
        format!("/{}", path.trim_matches('/'))
    };
    if form == path {
        return req;
    }
    let pq = match req.uri().query() {
        Some(q) => format!("{form}?{q}"),
        None => form,
    };
    if let Ok(uri) = Uri::builder().path_and_query(pq).build() {
        let raw = std::mem::replace(req.uri_mut(), uri);
        req.extensions_mut().insert(OriginalUri(raw));
    }
    req
}

type BoxFuture = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<Response, std::convert::Infallible>> + Send>,
>;

/// The whole sandbox as one service (see the module docs).
pub fn app(sh: Arc<Shared>) -> impl App {
    let api = api(sh.clone());
    let admin = admin::router(sh.clone());
    tower::service_fn(move |req: Request<Incoming>| {
        if crate::mocks::is_mock_path(req.uri().path()) {
            // A mock URL: not the API (no gate); only the Host check of the guard holds, as
            // browsers may call mocks (CORS) and any body type is a mock's to match.
            let sh = sh.clone();
            return Box::pin(async move {
                if !crate::guard::own_host(&req, sh.port) {
                    let refused = crate::guard::foreign_host(sh.port).into_response();
                    return Ok(refused);
                }
                Ok(crate::mocks::serve::serve(sh, req).await)
            }) as BoxFuture;
        }
        let admin_path = is_admin(req.uri().path());
        let refused = crate::guard::check(&req, &sh, admin_path).err();
        let router = if admin_path { &admin } else { &api }.clone();
        let req = normalized(req, admin_path);
        let head = req.method() == Method::HEAD;
        Box::pin(async move {
            let mut resp = match refused {
                Some(e) => e.into_response(),
                None => router.oneshot(req).await?,
            };
            as_hyper_writes_it(&mut resp, head);
            Ok(resp)
        })
    })
}

/// Undoes what axum adds to an answer, so that the bytes on the wire stay hyper's alone:
/// axum names the routed methods (`Allow`) on an unsupported method's answer (the API's 404
/// has no such header), and copies the body's length into `content-length` (hyper writes it
/// itself, after the `connection` header it adds; for HEAD, axum has emptied the body, so its
/// length is declared again).
fn as_hyper_writes_it(resp: &mut Response, head: bool) {
    let h = resp.headers_mut();
    h.remove(ALLOW);
    let Some(len) = h.remove(CONTENT_LENGTH) else {
        return;
    };
    if head {
        let len = len.to_str().ok().and_then(|l| l.parse().ok()).unwrap_or(0);
        *resp.body_mut() = head_body(len);
    }
}
