//! `postman-client`: the engine through which every Postman API call of Postdesk goes —
//! typed, paced so it never provokes a 429, cached, logged. A plain library (no Tauri).
//!
//! # Module map
//! The transport:
//! - [`client`]: [`Client`] (one per API key; cheap to clone), its configuration and the
//!   request loop (governor permit → attempt → meters → activity → retry policy), the cached
//!   read;
//! - [`governor`]: per-key pacing (fixed windows: 300/60 s and, per endpoint, the 10-per-10-s
//!   class), FIFO waiting, the monthly-quota block, and the [`MeterSnapshot`] `watch` stream.
//!   Shareable between the keys of one user;
//! - [`headers`]: both rate-limit header families and the `*-Month` headers, read;
//! - [`cache`]: per-client response cache with TTL, single-flight reads, precise invalidation
//!   on writes, offline fallback ([`Fetched`]).
//! - [`activity`]: bounded ring of [`ActivityEntry`] (optional JSON-lines file), JSON/CSV export.
//! - [`error`]: the single [`Error`] enum, parsed from the three error body families, with
//!   stable `code()`s; serialises as the IPC [`ErrorPayload`] `{code, message}`.
//! - [`model`]: tolerant typed responses (`event`/`events`, `lastUsedAt: ""`, numeric ids…);
//!   [`monitor`]: the monitors' (owner a number, header values that may be `null`, `""` as
//!   the last page's cursor, a run answered 200 or 202); [`mock`]: the mock servers' (owner a
//!   string, `""` as no server response, call-log headers as an object or a list).
//! - [`region`]: [`Region`] (US, EU, sandbox) and the https-or-loopback rule.
//! - [`secret`]: [`ApiKey`] / [`AccessToken`]: never serialisable, printed as `PMAK-…abcd`.
//!
//! The typed calls, one module per resource (`endpoints/`: me, workspaces, collections incl.
//! async PUT + task polling and access-key reads without an API key, environments incl.
//! JSON-patch, collection access keys, monitors incl. run now and the run history, mock servers
//! incl. call logs, server responses and a call to a mock URL itself).
//!
//! Retries: reads are retried on 5xx, timeouts and connection errors (bounded exponential
//! backoff with jitter) and wait out `rateLimited` 429s; writes are never retried.
//! `serviceLimitExhausted` stops everything for the key (see [`governor`]).
//!
//! ```no_run
//! # async fn demo() -> Result<(), postman_client::Error> {
//! use postman_client::{ApiKey, Client, ClientConfig, CollectionQuery, Region};
//! # let pasted = format!("PMAK-{}-{}", "0".repeat(24), "0".repeat(34));
//! let key = ApiKey::new(&pasted)?; // a key the user pasted
//! let client = Client::new(ClientConfig::new(Region::Us, "Work key", Some(key)))?;
//! let list = client.get_collections(&CollectionQuery::default(), false).await?;
//! println!("{} collections (cached: {})", list.data.collections.len(), list.from_cache);
//! let meters = client.meters(); // watch::Receiver<MeterSnapshot>
//! println!("{:?}", *meters.borrow());
//! # Ok(()) }
//! ```

pub mod activity;
pub mod cache;
mod cached;
pub mod client;
mod endpoints;
pub mod error;
pub mod governor;
pub mod headers;
pub mod mock;
pub mod model;
pub mod monitor;
pub mod region;
pub mod secret;

pub use activity::{ActivityEntry, ActivityLog, ActivityStore};
pub use cache::{Fetched, Freshness};
pub use cached::Taken;
pub use client::{
    Client, ClientConfig, CollectionQuery, RetryPolicy, WorkspaceQuery, DEFAULT_MAX_ANSWER_BYTES,
};
pub use endpoints::{collection_of_body, MockAnswer, MockCall, MOCK_ANSWER_MAX, MOCK_CALL_TIMEOUT};
pub use error::{Error, ErrorPayload};
pub use governor::{ClassMeter, Governor, MeterSnapshot, Meters, Pacing};
pub use mock::*;
pub use model::*;
pub use monitor::*;
pub use region::Region;
pub use secret::{AccessToken, ApiKey};
