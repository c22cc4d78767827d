//! Mock servers: list, one, create, update (incl. the active server response), delete,
//! publish/unpublish, call logs (paged, filtered), server responses; and a call to a mock URL
//! itself ([`Client::send_to_mock`]: not an API call, so not paced or counted as one; the key
//! is attached for private mocks and never leaves Rust).

use reqwest::Method;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

use crate::cache::Fetched;
use crate::client::{segment, typed, Client, Req};
use crate::error::Error;
use crate::mock::*;

/// How long a call to a mock URL may take: a mock's delay goes up to 180 s.
pub const MOCK_CALL_TIMEOUT: Duration = Duration::from_secs(190);
/// The most of a mock's answer [`Client::send_to_mock`] keeps.
pub const MOCK_ANSWER_MAX: usize = 5 * 1024 * 1024;

/// What a mock URL answered.
#[derive(Debug, Clone, PartialEq)]
pub struct MockAnswer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub elapsed_ms: u64,
    /// The body was longer than [`MOCK_ANSWER_MAX`] and was cut there.
    pub truncated: bool,
}

/// A request to a mock URL.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MockCall {
    pub method: String,
    /// The path after the mock URL, with its query (`/pets?type=dog`).
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    /// Attach the API key (a private mock).
    pub with_key: bool,
}

impl Client {
    fn invalidate_mocks(&self) {
        self.inner.cache.invalidate("/mocks", None);
    }

    /// `GET /mocks?workspace=` (no pages; without a workspace: the caller's own mocks).
    pub async fn get_mocks(
        &self,
        workspace: Option<&str>,
        force: bool,
    ) -> Result<Fetched<Vec<Mock>>, Error> {
        let req = Req::new(Method::GET, "/mocks").q("workspace", workspace);
        self.cached(req, force, |v| typed(v, "mocks")).await
    }

    /// `GET /mocks/{id}` (ID or UID).
    pub async fn get_mock(&self, id: &str, force: bool) -> Result<Fetched<Mock>, Error> {
        let req = Req::new(Method::GET, format!("/mocks/{}", segment(id)));
        self.cached(req, force, |v| typed(v, "mock")).await
    }

    /// `POST /mocks?workspace=` with `{"mock": fields}`.
    pub async fn create_mock(
        &self,
        workspace: Option<&str>,
        fields: &MockFields,
    ) -> Result<Mock, Error> {
        let req = Req::new(Method::POST, "/mocks")
            .q("workspace", workspace)
            .body(json!({"mock": fields}));
        self.write(req, Self::invalidate_mocks, |v| typed(v, "mock"))
            .await
    }

    /// `PUT /mocks/{id}` with `{"mock": fields}` (`collection` is always sent, §3.4).
    pub async fn update_mock(&self, id: &str, fields: &MockFields) -> Result<Mock, Error> {
        let req =
            Req::new(Method::PUT, format!("/mocks/{}", segment(id))).body(json!({"mock": fields}));
        self.write(req, Self::invalidate_mocks, |v| typed(v, "mock"))
            .await
    }

    /// `DELETE /mocks/{id}` (its server responses and call logs go with it).
    pub async fn delete_mock(&self, id: &str) -> Result<MockRef, Error> {
        let req = Req::new(Method::DELETE, format!("/mocks/{}", segment(id)));
        self.write(req, Self::invalidate_mocks, |v| typed(v, "mock"))
            .await
    }

    /// `POST /mocks/{id}/publish` (public) or `DELETE /mocks/{id}/unpublish` (private).
    pub async fn set_mock_public(&self, id: &str, public: bool) -> Result<MockRef, Error> {
        let req = if public {
            Req::new(Method::POST, format!("/mocks/{}/publish", segment(id)))
        } else {
            Req::new(Method::DELETE, format!("/mocks/{}/unpublish", segment(id)))
        };
        self.write(req, Self::invalidate_mocks, |v| typed(v, "mock"))
            .await
    }

    /// Sandbox only: the settings Postman's API cannot set (delay, matching) through
    /// `POST /_sandbox/mocks/{id}`.
    pub async fn sandbox_set_mock_config(&self, id: &str, config: Value) -> Result<(), Error> {
        if !self.is_sandbox() {
            return Err(Error::BadResponse(
                "only the sandbox takes a mock's delay and matching options".into(),
            ));
        }
        let mut req =
            Req::new(Method::POST, format!("/_sandbox/mocks/{}", segment(id))).body(config);
        req.paced = false;
        req.auth = crate::client::Auth::SandboxAdmin;
        self.call_json(req).await?;
        self.invalidate_mocks();
        Ok(())
    }

    /// `GET /mocks/{id}/call-logs` with the query's filters: one page (never cached: call
    /// logs are read to see what is new).
    pub async fn get_call_logs(&self, id: &str, q: &CallLogQuery) -> Result<CallLogPage, Error> {
        let mut req = Req::new(Method::GET, format!("/mocks/{}/call-logs", segment(id)))
            .q("limit", q.limit)
            .q("cursor", q.cursor.as_deref())
            .q("since", q.since.as_deref())
            .q("until", q.until.as_deref())
            .q("responseStatusCode", q.status)
            .q("requestMethod", q.method.as_deref())
            .q("requestPath", q.path.as_deref());
        if q.ascending {
            req = req.q("sort", Some("servedAt")).q("direction", Some("asc"));
        }
        if q.details {
            req = req.q(
                "include",
                Some("request.headers,request.body,response.headers,response.body"),
            );
        }
        let v = self.call_json(req).await?;
        Ok(CallLogPage {
            calls: typed(&v, "call-logs")?,
            next_cursor: crate::model::cursor(&v, "nextCursor"),
        })
    }

    /// `GET /mocks/{id}/server-responses` (a bare list).
    pub async fn get_server_responses(
        &self,
        id: &str,
        force: bool,
    ) -> Result<Fetched<Vec<ServerResponse>>, Error> {
        let req = Req::new(
            Method::GET,
            format!("/mocks/{}/server-responses", segment(id)),
        );
        self.cached(req, force, Vec::<ServerResponse>::deserialize_from)
            .await
    }

    /// `POST /mocks/{id}/server-responses` (a bare object answers).
    pub async fn create_server_response(
        &self,
        id: &str,
        fields: &ServerResponseFields,
    ) -> Result<ServerResponse, Error> {
        let req = Req::new(
            Method::POST,
            format!("/mocks/{}/server-responses", segment(id)),
        )
        .body(json!({"serverResponse": fields}));
        self.write(
            req,
            Self::invalidate_mocks,
            ServerResponse::deserialize_from,
        )
        .await
    }

    fn server_response_path(id: &str, server_response: &str) -> String {
        format!(
            "/mocks/{}/server-responses/{}",
            segment(id),
            segment(server_response)
        )
    }

    /// `GET /mocks/{id}/server-responses/{sr}` (the whole object: headers and body).
    pub async fn get_server_response(
        &self,
        id: &str,
        server_response: &str,
        force: bool,
    ) -> Result<Fetched<ServerResponse>, Error> {
        let req = Req::new(Method::GET, Self::server_response_path(id, server_response));
        self.cached(req, force, ServerResponse::deserialize_from)
            .await
    }

    /// `PUT /mocks/{id}/server-responses/{sr}` (`body` replaces the whole body).
    pub async fn update_server_response(
        &self,
        id: &str,
        server_response: &str,
        fields: &ServerResponseFields,
    ) -> Result<ServerResponse, Error> {
        let req = Req::new(Method::PUT, Self::server_response_path(id, server_response))
            .body(json!({"serverResponse": fields}));
        self.write(
            req,
            Self::invalidate_mocks,
            ServerResponse::deserialize_from,
        )
        .await
    }

    /// `DELETE /mocks/{id}/server-responses/{sr}`.
    pub async fn delete_server_response(
        &self,
        id: &str,
        server_response: &str,
    ) -> Result<ServerResponse, Error> {
        let req = Req::new(
            Method::DELETE,
            Self::server_response_path(id, server_response),
        );
        self.write(
            req,
            Self::invalidate_mocks,
            ServerResponse::deserialize_from,
        )
        .await
    }

    /// Sends `call` to the mock at `mock_url` (https, or http on loopback) and reads the
    /// answer (at most [`MOCK_ANSWER_MAX`] bytes). Not an API call: no pacing, no API meter;
    /// the mock's own meter (`mock_usage`) counts it.
    pub async fn send_to_mock(&self, mock_url: &str, call: &MockCall) -> Result<MockAnswer, Error> {
        let base = crate::region::check_url(mock_url)?;
        let path = if call.path.starts_with('/') {
            call.path.clone()
        } else {
            format!("/{}", call.path)
        };
        let url = format!("{}{path}", base.as_str().trim_end_matches('/'));
        let url = crate::region::check_url(&url)?;
        let method = Method::from_bytes(call.method.trim().to_ascii_uppercase().as_bytes())
            .map_err(|_| Error::Validation {
                message: "That is not an HTTP method.".into(),
                details: Vec::new(),
            })?;
        let mut rb = self
            .inner
            .http
            .request(method, url)
            .timeout(MOCK_CALL_TIMEOUT);
        for (k, v) in &call.headers {
            if k.eq_ignore_ascii_case("x-api-key") {
                continue;
            }
            rb = rb.header(k.as_str(), v.as_str());
        }
        if call.with_key {
            rb = rb.header("x-api-key", self.key_header()?);
        }
        if let Some(b) = &call.body {
            rb = rb.body(b.clone());
        }
        let started = Instant::now();
        let mut resp = rb.send().await.map_err(|e| crate::client::net_error(&e))?;
        let status = resp.status().as_u16();
        let headers = postdesk_base::headers::pairs(resp.headers());
        let mut body = Vec::new();
        let mut truncated = false;
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| crate::client::net_error(&e))?
        {
            let room = MOCK_ANSWER_MAX - body.len();
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                truncated = true;
                break;
            }
            body.extend_from_slice(&chunk);
        }
        Ok(MockAnswer {
            status,
            headers,
            body,
            elapsed_ms: started.elapsed().as_millis() as u64,
            truncated,
        })
    }
}

/// Reads a bare (unwrapped) answer.
trait FromBare: Sized {
    fn deserialize_from(v: &Value) -> Result<Self, Error>;
}

impl<T: serde::de::DeserializeOwned> FromBare for T {
    fn deserialize_from(v: &Value) -> Result<Self, Error> {
        T::deserialize(v).map_err(|e| Error::BadResponse(format!("an unexpected answer: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_responses_are_not_wrapped() {
        let v = json!([{"id": "965c", "name": "Internal Server Error", "statusCode": 500,
            "createdAt": "2022-08-02T14:57:44.000Z", "createdBy": "1", "updatedBy": "1"}]);
        let list = Vec::<ServerResponse>::deserialize_from(&v).unwrap();
        assert_eq!(list[0].status_code, Some(500));
    }
}
