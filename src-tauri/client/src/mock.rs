//! The mock servers' typed answers and requests (REFERENCE-monitors-mocks.md §3, §7 "For the
//! Rust client"): every response field optional, `owner` a string, `""` read as no server
//! response, call-log headers as an object or a list, server responses unwrapped.

use crate::model::{lenient_opt, lenient_string, lenient_text};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// `config` of a mock.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MockConfig {
    #[serde(deserialize_with = "lenient_opt")]
    pub headers: Option<Vec<String>>,
    #[serde(deserialize_with = "lenient_opt")]
    pub match_body: Option<bool>,
    #[serde(deserialize_with = "lenient_opt")]
    pub match_header: Option<bool>,
    #[serde(deserialize_with = "lenient_opt")]
    pub match_query_params: Option<bool>,
    #[serde(deserialize_with = "lenient_opt")]
    pub match_wildcards: Option<bool>,
    /// `{type, preset?, duration}` or none.
    #[serde(deserialize_with = "lenient_opt")]
    pub delay: Option<Value>,
    /// The active server response (`""` and `null` read as none).
    #[serde(deserialize_with = "lenient_string")]
    pub server_response_id: Option<String>,
}

impl MockConfig {
    /// The configured delay in ms (0 when none).
    pub fn delay_ms(&self) -> u64 {
        self.delay
            .as_ref()
            .and_then(|d| d.get("duration"))
            .and_then(Value::as_u64)
            .unwrap_or(0)
    }
}

/// A mock as `GET /mocks`, `GET /mocks/{id}`, create and update answer it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Mock {
    #[serde(deserialize_with = "lenient_text")]
    pub id: String,
    #[serde(deserialize_with = "lenient_string")]
    pub owner: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub uid: Option<String>,
    /// The collection's UID.
    #[serde(deserialize_with = "lenient_string")]
    pub collection: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub environment: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub mock_url: Option<String>,
    #[serde(deserialize_with = "lenient_text")]
    pub name: String,
    #[serde(deserialize_with = "lenient_opt")]
    pub config: Option<MockConfig>,
    #[serde(deserialize_with = "lenient_string")]
    pub created_at: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub updated_at: Option<String>,
    #[serde(deserialize_with = "lenient_opt")]
    pub is_public: Option<bool>,
    #[serde(deserialize_with = "lenient_opt")]
    pub deactivated: Option<bool>,
}

impl Mock {
    /// The active server response's ID, if any.
    pub fn server_response_id(&self) -> Option<&str> {
        self.config.as_ref()?.server_response_id.as_deref()
    }
}

/// `{"mock": {"id", "uid"?}}`: what delete, publish and unpublish answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MockRef {
    #[serde(deserialize_with = "lenient_text")]
    pub id: String,
    #[serde(deserialize_with = "lenient_string")]
    pub uid: Option<String>,
}

/// The body of `POST /mocks` (`collection` required) and `PUT /mocks/{id}` (`collection`
/// required in practice, §3.4). Only what is set is sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MockFields {
    pub collection: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `Some(None)` sends `null`: no active server response.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<MockConfigChange>,
}

/// The one settable part of `config`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MockConfigChange {
    pub server_response_id: Option<String>,
}

/// A server response: the summary of the list, or the whole object.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServerResponse {
    #[serde(deserialize_with = "lenient_text")]
    pub id: String,
    #[serde(deserialize_with = "lenient_text")]
    pub name: String,
    #[serde(deserialize_with = "lenient_opt")]
    pub status_code: Option<u16>,
    #[serde(deserialize_with = "lenient_opt")]
    pub headers: Option<Vec<HeaderPair>>,
    #[serde(deserialize_with = "lenient_string")]
    pub language: Option<String>,
    #[serde(deserialize_with = "lenient_opt")]
    pub body: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub created_at: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub updated_at: Option<String>,
}

/// `{key, value}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HeaderPair {
    #[serde(deserialize_with = "lenient_text")]
    pub key: String,
    #[serde(deserialize_with = "lenient_text")]
    pub value: String,
}

/// The body of `POST`/`PUT …/server-responses` (`name` and a 5xx `statusCode` to create).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerResponseFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_code: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<Vec<HeaderPair>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// Header lists of call logs: the spec shows one `{key, value}` object, the sandbox (and
/// probably the API) a list of them; both read.
fn header_list<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<HeaderPair>>, D::Error> {
    let one = |v: &Value| {
        Some(HeaderPair {
            key: v.get("key")?.as_str()?.to_string(),
            value: match v.get("value") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            },
        })
    };
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Array(a)) => Some(a.iter().filter_map(one).collect()),
        Some(v @ Value::Object(_)) => Some(one(&v).into_iter().collect()),
        _ => None,
    })
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CallRequest {
    #[serde(deserialize_with = "lenient_text")]
    pub method: String,
    /// With its query string.
    #[serde(deserialize_with = "lenient_text")]
    pub path: String,
    #[serde(deserialize_with = "header_list")]
    pub headers: Option<Vec<HeaderPair>>,
    #[serde(deserialize_with = "lenient_opt")]
    pub body: Option<CallBody>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CallResponse {
    /// `success` or `error` (others kept as sent).
    #[serde(rename = "type", deserialize_with = "lenient_string")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "lenient_opt")]
    pub status_code: Option<u16>,
    #[serde(deserialize_with = "header_list")]
    pub headers: Option<Vec<HeaderPair>>,
    #[serde(deserialize_with = "lenient_opt")]
    pub body: Option<CallBody>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CallBody {
    #[serde(deserialize_with = "lenient_string")]
    pub mode: Option<String>,
    #[serde(deserialize_with = "lenient_opt")]
    pub data: Option<String>,
}

/// One entry of `GET /mocks/{id}/call-logs`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CallLog {
    #[serde(deserialize_with = "lenient_text")]
    pub id: String,
    /// The example that answered, or the mock's error message.
    #[serde(deserialize_with = "lenient_text")]
    pub response_name: String,
    #[serde(deserialize_with = "lenient_string")]
    pub served_at: Option<String>,
    #[serde(deserialize_with = "lenient_opt")]
    pub request: Option<CallRequest>,
    #[serde(deserialize_with = "lenient_opt")]
    pub response: Option<CallResponse>,
}

/// One page of call logs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallLogPage {
    pub calls: Vec<CallLog>,
    /// `None` on the last page (the API sends `null`).
    pub next_cursor: Option<String>,
}

/// The call-log query (§3.6). Empty: the newest 100, without headers or bodies.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallLogQuery {
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    /// RFC 3339.
    pub since: Option<String>,
    pub until: Option<String>,
    pub status: Option<u16>,
    pub method: Option<String>,
    pub path: Option<String>,
    /// Oldest first (`sort=servedAt&direction=asc`).
    pub ascending: bool,
    /// `include=request.headers,request.body,response.headers,response.body`.
    pub details: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_spec_examples_read() {
        let m: Mock = serde_json::from_value(json!({"id": "e3", "owner": "12345678",
            "uid": "12345678-e3", "collection": "1-c", "mockUrl": "https://e3.mock.pstmn.io",
            "name": "Test Mock A", "config": {"headers": [], "matchBody": false,
            "matchQueryParams": true, "matchWildcards": true,
            "delay": {"type": "fixed", "duration": 140000}, "serverResponseId": ""},
            "isPublic": false}))
        .unwrap();
        assert_eq!(m.owner.as_deref(), Some("12345678"));
        assert_eq!(m.server_response_id(), None, "\"\" is none");
        assert_eq!(m.config.unwrap().delay_ms(), 140_000);
        assert_eq!(m.environment, None);
    }

    #[test]
    fn call_log_headers_read_as_an_object_or_a_list() {
        let one: CallLog = serde_json::from_value(json!({"id": "a-1", "responseName": "Ok",
            "request": {"method": "GET", "path": "/x", "headers": {"key": "A", "value": "b"}},
            "response": {"type": "success", "statusCode": 200,
                "headers": [{"key": "C", "value": "d", "description": {"content": "", "type": "text/plain"}}]}}))
        .unwrap();
        let req = one.request.unwrap();
        assert_eq!(req.headers.unwrap()[0].key, "A");
        let resp = one.response.unwrap();
        assert_eq!(resp.headers.unwrap()[0].value, "d");
        assert_eq!(resp.kind.as_deref(), Some("success"));
    }

    #[test]
    fn an_update_sends_null_to_switch_the_server_response_off() {
        let f = MockFields {
            collection: "1-c".into(),
            config: Some(MockConfigChange {
                server_response_id: None,
            }),
            ..MockFields::default()
        };
        assert_eq!(
            serde_json::to_value(&f).unwrap(),
            json!({"collection": "1-c", "config": {"serverResponseId": null}})
        );
    }
}
