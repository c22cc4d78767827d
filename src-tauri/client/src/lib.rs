//! `postman-client`: the engine through which every Postman API call of Postdesk goes —
//! typed, paced so it never provokes a 429, cached, logged. A plain library (no Tauri).
//!
//! # Module map
//! - [`client`]: [`Client`] (one per API key) and its typed calls (`/me`, workspaces,
//!   collections incl. async PUT + task polling, environments incl. JSON-patch, collection
//!   access keys); the request loop (pacing → attempt → meters → activity → retry policy).
//! - [`governor`]: per-key pacing (fixed windows: 300/60 s and the 10-per-10-s class),
//!   header learning (both header families), FIFO waiting, monthly-quota block, and the
//!   [`MeterSnapshot`] watch stream.
//! - [`cache`]: per-key response cache with TTL, precise invalidation on writes, offline
//!   fallback ([`Fetched`]).
//! - [`activity`]: bounded ring of [`ActivityEntry`] (JSON-lines file optional), JSON/CSV export.
//! - [`error`]: the single [`Error`] enum, parsed from the three error body families, with
//!   stable `code()`s and an IPC [`ErrorPayload`].
//! - [`model`]: tolerant typed responses (`event`/`events`, `lastUsedAt: ""`, numeric ids…).
//! - [`region`]: [`Region`] (US, EU, sandbox) and the https-or-loopback rule.
//! - [`secret`]: [`ApiKey`] / [`AccessToken`]: never serialisable, printed as `PMAK-…abcd`.
//!
//! Retries: reads are retried on 5xx, timeouts and connection errors (bounded exponential
//! backoff with jitter) and wait out `rateLimited` 429s; writes are never retried.
//! `serviceLimitExhausted` stops everything for the key (see [`governor`]).

pub mod activity;
pub mod cache;
pub mod client;
pub mod error;
pub mod governor;
pub mod model;
pub mod region;
pub mod secret;

pub use activity::{ActivityEntry, ActivityLog};
pub use cache::Fetched;
pub use client::{Client, ClientConfig, CollectionQuery, RetryPolicy, WorkspaceQuery};
pub use error::{Error, ErrorPayload};
pub use governor::{ClassMeter, Governor, MeterSnapshot, Pacing};
pub use model::*;
pub use region::Region;
pub use secret::{AccessToken, ApiKey};
