//! Request and response plumbing shared by every route: the parsed request ([`Req`], an axum
//! extractor), the response before the common headers ([`Out`]), capped body reading and query
//! parsing.

use crate::error::ApiError;
use crate::policy;
use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::{Method, StatusCode};
use serde_json::Value;

/// A parsed request. As an extractor it takes the body that the gate (API routes) or the
/// admin layer already read under its cap, so it never waits on the network.
pub struct Req {
    pub method: Method,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// A query already parsed (by the gate), handed to [`Req`] as a request extension.
#[derive(Clone)]
pub struct Query(pub Vec<(String, String)>);

/// The value of the first `name` parameter of a parsed query.
pub fn query_value<'q>(query: &'q [(String, String)], name: &str) -> Option<&'q str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

impl Req {
    pub fn q(&self, name: &str) -> Option<&str> {
        query_value(&self.query, name)
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

impl<S: Send + Sync> FromRequest<S> for Req {
    type Rejection = ApiError;

    async fn from_request(req: Request, _: &S) -> Result<Self, ApiError> {
        let (mut parts, body) = req.into_parts();
        let query = match parts.extensions.remove::<Query>() {
            Some(Query(q)) => q,
            None => parse_query(parts.uri.query()),
        };
        let body = body
            .collect()
            .await
            .map_err(|_| policy::malformed_json())?
            .to_bytes();
        Ok(Req {
            query,
            path: parts.uri.path().to_string(),
            method: parts.method,
            headers: parts.headers,
            body,
        })
    }
}

/// Puts a body that was read (capped) back into the request, for [`Req`] to take.
pub fn with_body(parts: hyper::http::request::Parts, body: Bytes) -> Request {
    Request::from_parts(parts, Body::from(body))
}

/// Reads a request body, refusing (413) past `cap` bytes, declared or streamed.
pub async fn read_body(body: Body, headers: &HeaderMap, cap: usize) -> Result<Bytes, ApiError> {
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

/// A response before the headers common to all are added.
pub struct Out {
    pub status: u16,
    pub content_type: Option<&'static str>,
    pub body: Bytes,
    pub headers: Vec<(HeaderName, String)>,
}

impl Out {
    pub fn json(status: u16, v: &Value) -> Out {
        Out::serialized(status, v)
    }
    /// Any serialisable answer, written straight to its bytes (no `Value` made first).
    pub fn serialized(status: u16, v: &impl serde::Serialize) -> Out {
        Out::bytes(
            status,
            Bytes::from(serde_json::to_vec(v).unwrap_or_default()),
        )
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
        let mut out = Out::json(e.status, &e.body);
        if ct == policy::CT_PROBLEM {
            out.content_type = Some("application/problem+json; charset=utf-8");
        }
        out
    }
}

impl IntoResponse for Out {
    fn into_response(self) -> Response {
        let mut resp = Response::new(Body::from(self.body));
        *resp.status_mut() =
            StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let h = resp.headers_mut();
        if let Some(ct) = self.content_type {
            h.insert(CONTENT_TYPE, HeaderValue::from_static(ct));
        }
        for (k, v) in self.headers {
            if let Ok(v) = HeaderValue::from_str(&v) {
                h.insert(k, v);
            }
        }
        resp
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        Out::from(self).into_response()
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
