//! `postdesk-base`: the small things every Postdesk crate shares (no Tauri).
//!
//! - [`account`]: whose data something is ([`Account`]: a user on a backend).
//! - [`clock`]: the one clock. Every domain that needs the date or the time takes a
//!   [`SharedClock`]; only [`SystemClock`] reads the system's wall clock.
//! - [`secret`]: the one secret type ([`Secret`]: not `Clone`, not serialisable, wiped on
//!   drop), the one [`secret::mask`], and the formats of Postman's API keys and access tokens.
//! - [`files`]: the one atomic, owner-only file write, and owner-only folders.
//! - [`headers`]: HTTP headers as plain name/value pairs.
//! - [`memory`]: giving freed memory back to the operating system after a large document.
//! - [`random`]: unguessable bytes and secrets from the operating system's generator.
//! - [`tasks`]: blocking work run on tokio's blocking pool.
//! - [`error`]: the closed error [`Code`]s of every domain, [`DomainError`], and [`IpcError`],
//!   the only error shape the UI sees.

pub mod account;
pub mod clock;
pub mod error;
pub mod files;
pub mod headers;
pub mod memory;
pub mod random;
pub mod secret;
pub mod tasks;

pub use account::Account;
pub use clock::{Clock, PinnedClock, SharedClock, SystemClock};
pub use error::{Code, DomainError, IpcError};
pub use secret::Secret;
