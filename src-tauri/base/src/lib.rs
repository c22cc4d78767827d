//! `postdesk-base`: the small things every Postdesk crate shares (no Tauri, no I/O of its own).
//!
//! - [`clock`]: the one clock. Every domain that needs the date or the time takes a
//!   [`SharedClock`]; only [`SystemClock`] reads the system's wall clock.

pub mod clock;

pub use clock::{Clock, PinnedClock, SharedClock, SystemClock};
