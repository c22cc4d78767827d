//! `postdesk-mocks`: Postman's mock servers as Postdesk shows them. [`service`] is what the
//! core calls (the list with names, access and active errors; create, edit, delete,
//! public/private; try it; switch to errors; the call log's refresh; calls per task in its
//! docs). [`store`] keeps every call Postdesk reads or serves in the history database, past
//! Postman's retention; [`export`] writes it as CSV or JSON; [`local`] serves any collection
//! on a local port with the same matching engine as the sandbox (`postman-matching`), offline
//! and without spending `mock_usage`. A plain library (no Tauri).

pub mod error;
pub mod export;
pub mod local;
pub mod service;
pub mod store;
pub mod views;

pub use error::MocksError;
pub use service::Mocks;
pub use views::{
    Access, ActiveError, CallDetails, CallFilter, CallRow, LocalMock, LocalStart, MockInput,
    MockList, MockOptions, MockRow, TryRequest, TryResult,
};
