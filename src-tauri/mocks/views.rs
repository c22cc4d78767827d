//! What crosses IPC for mock servers: the list's rows, the create/edit form, a try-it request
//! and its answer, the call log's rows and details, and the local mocks.

use postman_client::Freshness;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Who may call a mock. The API never says (its `isPublic` is about the workspace): Postdesk
/// knows what it set itself, and says `unknown` for a mock made or changed elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Access {
    Public,
    Private,
    Unknown,
}

/// The active server response of a mock (every call answers it).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActiveError {
    pub id: String,
    /// Its name and status, when the mock's server responses could be read.
    pub name: Option<String>,
    pub status: Option<u16>,
}

/// One row of the Mocks view.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MockRow {
    pub id: String,
    pub uid: Option<String>,
    pub name: String,
    pub collection_uid: Option<String>,
    /// From the workspace's collection list (`None`: not in it, e.g. another workspace's).
    pub collection_name: Option<String>,
    pub environment_uid: Option<String>,
    pub environment_name: Option<String>,
    pub url: Option<String>,
    pub access: Access,
    pub active_error: Option<ActiveError>,
    /// Calls of this UTC month in the call log Postdesk keeps (as far as it has read them).
    pub calls_this_month: u32,
    /// Its collection or environment is gone: the mock answers nothing.
    pub deactivated: bool,
    /// The configured delay (ms; 0: none) and matching options, as the API reports them.
    #[ts(type = "number")]
    pub delay_ms: u64,
    pub match_body: bool,
    pub match_query_params: bool,
    pub match_wildcards: bool,
}

/// A workspace's mocks and where the list comes from.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MockList {
    pub rows: Vec<MockRow>,
    pub source: Freshness,
    /// Whether delay and matching options can be set here: only on the built-in sandbox
    /// (Postman's API does not take them; they apply to local mocks everywhere).
    pub options_settable: bool,
}

/// The matching options and delay of a mock (the API's `config`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MockOptions {
    /// ms, 0–180000.
    #[ts(type = "number")]
    pub delay_ms: u64,
    pub match_body: bool,
    /// Default on.
    pub match_query_params: bool,
    /// Default on.
    pub match_wildcards: bool,
    /// Header names to match (empty: none).
    pub match_headers: Vec<String>,
}

impl MockOptions {
    pub fn standard() -> MockOptions {
        MockOptions {
            match_query_params: true,
            match_wildcards: true,
            ..MockOptions::default()
        }
    }
}

/// What the create and edit forms send.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MockInput {
    pub name: String,
    /// The collection's UID.
    pub collection: String,
    pub environment: Option<String>,
    pub private: bool,
    /// Applied only where they can be (see [`MockList::options_settable`]); `None`: unchanged.
    pub options: Option<MockOptions>,
}

/// A request to send to a mock ("Try it").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TryRequest {
    pub method: String,
    /// The path after the mock's URL, with its query: `/pets?type=dog`.
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

/// What a mock answered.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TryResult {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// As text (lossy UTF-8), at most 5 MB.
    pub body: String,
    pub truncated: bool,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
    /// The example (or server response) that answered, or the mock's error; `None` when the
    /// call log could not be read.
    pub answered_by: Option<String>,
}

/// One call in the log Postdesk keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CallRow {
    pub id: String,
    /// Epoch ms.
    #[ts(type = "number")]
    pub served_at: i64,
    pub method: String,
    /// With its query string.
    pub path: String,
    pub status: Option<u16>,
    /// `success` (an example or a server response answered) or `error`.
    pub response_type: Option<String>,
    /// The example that answered, or the mock's error message.
    pub response_name: Option<String>,
    pub has_details: bool,
}

/// The call log's filters (all optional; `limit` at most 5,000, default 1,000).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CallFilter {
    pub method: Option<String>,
    /// A part of the path (case-insensitive).
    pub path: Option<String>,
    pub status: Option<u16>,
    /// Epoch ms, inclusive.
    #[ts(type = "number | null")]
    pub since: Option<i64>,
    #[ts(type = "number | null")]
    pub until: Option<i64>,
    pub limit: Option<u32>,
}

/// A call's headers and bodies.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CallDetails {
    pub request_headers: Vec<(String, String)>,
    pub request_body: Option<String>,
    pub response_headers: Vec<(String, String)>,
    pub response_body: Option<String>,
}

/// A collection served by Postdesk itself on a local port.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LocalMock {
    /// `local-<port>`: its call log's id.
    pub id: String,
    pub collection_uid: String,
    pub collection_name: String,
    pub environment_uid: Option<String>,
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    pub port: u16,
    pub examples: u32,
    pub options: MockOptions,
    /// Calls it answered since it started.
    pub calls: u32,
}

/// What "Run locally" sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LocalStart {
    pub collection: String,
    pub environment: Option<String>,
    /// `None` or 0: any free port.
    pub port: Option<u16>,
    pub options: Option<MockOptions>,
}
