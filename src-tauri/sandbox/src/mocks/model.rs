//! The stored mock server, its server responses and its call log, and the bodies the API
//! answers with (REFERENCE-monitors-mocks.md §3).

use crate::clock::{iso, DAY_MS};
use crate::error::ApiError;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::VecDeque;

/// Calls kept per mock (the oldest go first); the API keeps them for the plan's retention. The
/// state file holds them, so the bound keeps it (and each rewrite of it) reasonable.
pub const CALLS_KEPT: usize = 1_000;
/// The plan's call-log retention (the spec's example: 30 days).
pub const RETENTION_MS: i64 = 30 * DAY_MS;

/// The matching settings and the active server response (`config`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MockConfig {
    pub headers: Vec<String>,
    pub match_body: bool,
    pub match_header: bool,
    pub match_query_params: bool,
    pub match_wildcards: bool,
    /// `null` or `{type:"fixed", preset?, duration}` (set through `/_sandbox/mocks/{id}`).
    pub delay: Value,
    /// The active server response (None: none).
    pub server_response_id: Option<String>,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            headers: Vec::new(),
            match_body: false,
            match_header: false,
            match_query_params: true,
            match_wildcards: true,
            delay: Value::Null,
            server_response_id: None,
        }
    }
}

impl MockConfig {
    /// The configured delay in ms (0 when none).
    pub fn delay_ms(&self) -> u64 {
        self.delay
            .get("duration")
            .and_then(Value::as_u64)
            .unwrap_or(0)
    }

    /// The options the matching engine takes.
    pub fn options(&self) -> postman_matching::Options {
        postman_matching::Options {
            match_body: self.match_body,
            match_query_params: self.match_query_params,
            match_wildcards: self.match_wildcards,
            match_headers: if self.match_header {
                self.headers.clone()
            } else {
                Vec::new()
            },
        }
    }

    fn body(&self) -> Value {
        json!({
            "headers": self.headers,
            "matchBody": self.match_body,
            "matchHeader": self.match_header,
            "matchQueryParams": self.match_query_params,
            "matchWildcards": self.match_wildcards,
            "delay": self.delay,
            // §6 #7: "" when none.
            "serverResponseId": self.server_response_id.clone().unwrap_or_default(),
        })
    }
}

/// A 5xx answer the mock gives to every call while it is active (§3.8, §4.9).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ServerResponse {
    pub id: String,
    pub name: String,
    pub status_code: u16,
    /// `[{key, value}]` as sent.
    pub headers: Vec<Value>,
    pub language: Option<String>,
    pub body: String,
    pub created_by: u64,
    pub updated_by: u64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl ServerResponse {
    /// `GET …/server-responses`: the summary.
    pub fn summary(&self) -> Value {
        json!({"id": self.id, "name": self.name, "statusCode": self.status_code,
            "createdAt": secs(self.created_at), "updatedAt": secs(self.updated_at),
            "createdBy": self.created_by.to_string(), "updatedBy": self.updated_by.to_string()})
    }
    /// Create, read and update: the whole object with its mock's ID.
    pub fn full(&self, mock: &str) -> Value {
        json!({"createdAt": secs(self.created_at), "updatedAt": secs(self.updated_at),
            "id": self.id, "name": self.name, "statusCode": self.status_code,
            "headers": self.headers, "language": self.language, "body": self.body,
            "createdBy": self.created_by.to_string(), "updatedBy": self.updated_by.to_string(),
            "mock": mock})
    }
    /// Delete: no `updatedAt`, no `mock` (the spec's example).
    pub fn deleted(&self) -> Value {
        json!({"id": self.id, "name": self.name, "statusCode": self.status_code,
            "headers": self.headers, "language": self.language, "body": self.body,
            "createdBy": self.created_by.to_string(), "updatedBy": self.updated_by.to_string(),
            "createdAt": secs(self.created_at)})
    }
}

/// One call the mock URL received (§3.6, §4.10). Header values of credentials are masked.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CallLog {
    pub id: String,
    pub response_name: String,
    pub served_at: i64,
    pub method: String,
    /// The path as the caller sent it, with its query string.
    pub path: String,
    pub request_headers: Vec<(String, String)>,
    pub request_body: String,
    /// `success` (an example or a server response answered) or `error`.
    pub response_type: String,
    pub status_code: u16,
    pub response_headers: Vec<(String, String)>,
    pub response_body: String,
}

/// Which parts of a call `?include=` asks for.
#[derive(Debug, Clone, Copy, Default)]
pub struct Include {
    pub request_headers: bool,
    pub request_body: bool,
    pub response_headers: bool,
    pub response_body: bool,
}

fn header_list(h: &[(String, String)]) -> Value {
    Value::Array(
        h.iter()
            .map(|(k, v)| json!({"key": k, "value": v}))
            .collect(),
    )
}

impl CallLog {
    pub fn body(&self, inc: Include) -> Value {
        let mut request = Map::new();
        request.insert("method".into(), json!(self.method));
        request.insert("path".into(), json!(self.path));
        if inc.request_headers {
            request.insert("headers".into(), header_list(&self.request_headers));
        }
        if inc.request_body {
            request.insert(
                "body".into(),
                json!({"mode": "raw", "data": self.request_body}),
            );
        }
        let mut response = Map::new();
        response.insert("type".into(), json!(self.response_type));
        response.insert("statusCode".into(), json!(self.status_code));
        if inc.response_headers {
            response.insert("headers".into(), header_list(&self.response_headers));
        }
        if inc.response_body {
            response.insert("body".into(), json!({"data": self.response_body}));
        }
        json!({"id": self.id, "responseName": self.response_name,
            "servedAt": secs(self.served_at), "request": request, "response": response})
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredMock {
    pub id: String,
    pub owner: u64,
    pub workspace: String,
    pub name: String,
    pub collection_uid: String,
    pub environment_uid: Option<String>,
    /// Access control: a private mock needs `x-api-key` (§4.2).
    pub private: bool,
    pub config: MockConfig,
    pub description: Option<String>,
    pub version_tag: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub seq: u64,
    pub server_responses: Vec<ServerResponse>,
    /// Newest last, at most [`CALLS_KEPT`].
    pub calls: VecDeque<CallLog>,
    /// Calls ever received (the `-<n>` of call-log ids).
    pub call_seq: u64,
}

/// An instant as the mocks' API writes it: whole seconds, `.000Z`.
pub fn secs(ms: i64) -> String {
    iso(ms - ms.rem_euclid(1000))
}

impl StoredMock {
    pub fn uid(&self) -> String {
        format!("{}-{}", self.owner, self.id)
    }

    /// The URL that serves this mock, on the sandbox's own listener (see [`crate::mocks`]).
    pub fn url(&self, port: u16) -> String {
        super::mock_url(port, &self.id)
    }

    /// The fields every answer has, in the spec's order, up to `updatedAt`.
    fn head(&self, port: u16) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("id".into(), json!(self.id));
        m.insert("owner".into(), json!(self.owner.to_string()));
        m.insert("uid".into(), json!(self.uid()));
        m.insert("collection".into(), json!(self.collection_uid));
        m.insert("mockUrl".into(), json!(self.url(port)));
        m.insert("name".into(), json!(self.name));
        m.insert("config".into(), self.config.body());
        m.insert("createdAt".into(), json!(secs(self.created_at)));
        m.insert("updatedAt".into(), json!(secs(self.updated_at)));
        m
    }

    fn with_environment(&self, mut m: Map<String, Value>) -> Value {
        // §6 #6: omitted when none.
        if let Some(e) = &self.environment_uid {
            m.insert("environment".into(), json!(e));
        }
        Value::Object(m)
    }

    /// Create and update answers (`mockCreateUpdate`): no `isPublic`, no `deactivated`.
    pub fn short_body(&self, port: u16) -> Value {
        json!({"mock": self.with_environment(self.head(port))})
    }

    /// A list item: with `isPublic`.
    pub fn list_item(&self, port: u16, is_public: bool) -> Value {
        let mut m = self.head(port);
        m.insert("isPublic".into(), json!(is_public));
        self.with_environment(m)
    }

    /// `GET /mocks/{id}`: with `isPublic` and `deactivated`.
    pub fn full_body(&self, port: u16, is_public: bool, deactivated: bool) -> Value {
        let mut m = self.head(port);
        m.insert("isPublic".into(), json!(is_public));
        m.insert("deactivated".into(), json!(deactivated));
        json!({"mock": self.with_environment(m)})
    }

    /// The active server response, if the one `config` names still exists (§4.9: a deleted
    /// one leaves its stale ID in `config` and answers nothing).
    pub fn active_server_response(&self) -> Option<&ServerResponse> {
        let id = self.config.server_response_id.as_deref()?;
        self.server_responses.iter().find(|r| r.id == id)
    }

    /// Keeps a call, dropping the oldest past [`CALLS_KEPT`].
    pub fn record(&mut self, call: CallLog) {
        if self.calls.len() >= CALLS_KEPT {
            self.calls.pop_front();
        }
        self.calls.push_back(call);
    }
}

/// `mock404Error`.
pub fn not_found() -> ApiError {
    ApiError::new(
        404,
        json!({"error": {"name": "instanceNotFoundError",
            "message": "The specified mock does not exist.", "details": {}}}),
    )
}

/// `paramMissingError` with `details.param` as a list (POST bodies, server responses).
pub fn param_missing(param: &str) -> ApiError {
    ApiError::new(
        400,
        json!({"error": {"name": "paramMissingError",
            "message": "Parameter is missing in the request.", "details": {"param": [param]}}}),
    )
}

/// `invalidParamsError` naming one parameter (§6 #19, #20).
pub fn invalid_param(param: &str) -> ApiError {
    ApiError::new(
        400,
        json!({"error": {"name": "invalidParamsError",
            "message": "The request had invalid parameters", "details": {"param": param}}}),
    )
}

/// `mockServerResponse404Error`: the mock is unknown.
pub fn sr_mock_not_found() -> ApiError {
    ApiError::new(
        404,
        json!({"error": {"name": "mockNotFoundError", "header": "Unable to find mock",
            "message": "Please refresh and try again."}}),
    )
}

/// `mockServerResponse404Error`: the server response is unknown.
pub fn sr_not_found() -> ApiError {
    ApiError::new(
        404,
        json!({"error": {"name": "serverResponseNotFoundError",
            "header": "Unable to find mock server response",
            "message": "We could not find the mock server response you are looking for."}}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(n: u64) -> CallLog {
        CallLog {
            id: format!("m-{n}"),
            response_name: "Ok".into(),
            served_at: n as i64,
            method: "GET".into(),
            path: "/".into(),
            request_headers: Vec::new(),
            request_body: String::new(),
            response_type: "success".into(),
            status_code: 200,
            response_headers: Vec::new(),
            response_body: String::new(),
        }
    }

    #[test]
    fn a_mock_keeps_its_newest_calls_only() {
        let mut m = StoredMock {
            id: "m".into(),
            owner: 1,
            workspace: "w".into(),
            name: "M".into(),
            collection_uid: "1-c".into(),
            environment_uid: None,
            private: false,
            config: MockConfig::default(),
            description: None,
            version_tag: None,
            created_at: 0,
            updated_at: 0,
            seq: 1,
            server_responses: Vec::new(),
            calls: VecDeque::new(),
            call_seq: 0,
        };
        for n in 0..=CALLS_KEPT as u64 {
            m.record(call(n));
        }
        assert_eq!(m.calls.len(), CALLS_KEPT);
        assert_eq!(
            m.calls.front().map(|c| c.id.as_str()),
            Some("m-1"),
            "the oldest went"
        );
        assert_eq!(m.calls.back().map(|c| c.served_at), Some(CALLS_KEPT as i64));
    }

    #[test]
    fn instants_are_whole_seconds_and_none_is_an_empty_server_response() {
        assert_eq!(secs(1_795_000_000_999), "2026-11-18T11:06:40.000Z");
        assert_eq!(MockConfig::default().body()["serverResponseId"], "");
    }
}
