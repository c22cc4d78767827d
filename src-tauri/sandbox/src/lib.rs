//! postman-sandbox: a faithful local Postman API.
//!
//! CONTRACT (used by the app and by tests; keep these names stable):
//! - `Config` (seed, limits, optional state file, port) with `Default`.
//! - `Limits` with `Default` (the real API's numbers) and `Limits::lifted()`.
//! - `start(Config) -> io::Result<Sandbox>`: serves on 127.0.0.1 (port 0 = any free port)
//!   on the current tokio runtime.
//! - `Sandbox::url()`, `Sandbox::keys()` (username -> PMAK key), `Sandbox::shutdown()`.

pub mod collections;
pub mod environments;
pub mod error;
pub mod model;
