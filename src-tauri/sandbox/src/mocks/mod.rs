//! Mock servers: the stored mock, its server responses and call log ([`model`]), and the mock
//! URL that serves it ([`serve`]) with Postman's matching algorithm (the `postman-matching`
//! crate, which the app uses too). The API routes are [`crate::routes::mocks`].
//!
//! **Where a mock serves** (REFERENCE-monitors-mocks.md §4.1): a real mock answers at
//! `https://{mockId}.mock.pstmn.io`. A sandbox mock answers on the sandbox's own listener at
//! the path prefix `http://127.0.0.1:{port}/_mock/{mockId}`, which any client reaches with no
//! DNS set-up; that is the `mockUrl` the API gives, and the path after it is the path the
//! examples are matched against (`…/_mock/{id}/users/1` is `/users/1`).

pub mod model;
pub mod serve;

pub use model::{CallLog, MockConfig, ServerResponse, StoredMock};

/// The path prefix mock URLs live under.
pub const PREFIX: &str = "/_mock/";

/// The URL of the mock `id` on a sandbox listening on `port`.
pub fn mock_url(port: u16, id: &str) -> String {
    format!("http://127.0.0.1:{port}{PREFIX}{id}")
}

/// Is this a request for a mock URL?
pub fn is_mock_path(path: &str) -> bool {
    path.starts_with(PREFIX)
}
