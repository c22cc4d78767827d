//! Monitors: the stored monitor and its checks ([`model`]), a run of its collection ([`run`]:
//! requests sent for real to loopback hosts; [`steps`]: the requests as the collection has them), and the scripts a run executes ([`script`]:
//! Postman's `pm` API in an embedded JavaScript engine, bounded in time and memory). Schedules
//! are `postman_schemas::schedule`'s. The routes are [`crate::routes::monitors`].

pub mod model;
pub mod run;
pub mod script;
pub mod steps;

pub use model::{StoredMonitor, StoredRun};
