//! postman-sandbox: a faithful local Postman API.
//!
//! CONTRACT (used by the app and by tests; keep these names stable):
//! - `Config` (seed, limits, optional state file, port) with `Default`.
//! - `Limits` with `Default` (the real API's numbers) and `Limits::lifted()`.
//! - `start(Config) -> io::Result<Sandbox>`: serves on 127.0.0.1 (port 0 = any free port)
//!   on the current tokio runtime.
//! - `Sandbox::url()`, `Sandbox::keys()` (username -> PMAK key), `Sandbox::admin_token()`
//!   (what `/_sandbox/*` needs as `X-Sandbox-Token`), `Sandbox::shutdown()`.
//! - `Config::secrets`: the seed's secrets from the seed (default) or an install's own key.
//! - `Config::clock` (a `postdesk_base::SharedClock`, the system's by default) is what the
//!   sandbox clock runs on; `Sandbox::clock()` is the sandbox clock itself (that clock plus what
//!   `/_sandbox/clock` set), for a client in the same process that must agree with it.
//!
//! Embedding (e.g. in Tauri): call `start` from inside the tokio runtime
//! (`tauri::async_runtime::spawn(async move { start(cfg).await })`); there is no global state,
//! so any number of sandboxes can run in one process. With `state_file`, the state is loaded on
//! start (a file that does not parse makes `start` fail with `InvalidData` rather than
//! overwrite it), and rewritten atomically shortly after every change.
//!
//! The API routes answer exactly as the real Postman API (shared/postman-api/REFERENCE.md);
//! every UNCONFIRMED choice is in [`policy`] (those of one resource's body, in that resource's
//! domain module: [`collections`], [`environments`]).
//!
//! # Module map
//!
//! A request goes transport → [`routes::app`] ([`guard`]) → (API) gate → route handler →
//! domain.
//! - [`guard`]: who may call: the sandbox's own `Host` only, no browser (`Origin`,
//!   `Sec-Fetch-Site`), the admin token on `/_sandbox/*`, JSON bodies only.
//! - [`transport`]: the accept loop and per-connection hyper serving (our own, so faults act on
//!   the TCP connection: RST on reset, abort after half a body on truncate); serves any tower
//!   service through hyper-util's `TowerToHyperService`.
//! - [`routes`]: the axum routers, one module per resource ([`routes::me`],
//!   [`routes::workspaces`], [`routes::collections`], [`routes::tasks`] (async update tasks),
//!   [`routes::environments`], [`routes::access_keys`], [`routes::monitors`] (with the
//!   scheduler of their runs), [`routes::mocks`], [`routes::admin`] (`/_sandbox/*`)); `routes/mod.rs` builds them, answers unknown paths and methods, and keeps what axum adds
//!   off the wire.
//! - [`gate`]: the middleware in front of every API route: faults, credentials, rate limits and
//!   monthly quota with their headers, body caps.
//! - [`http`]: request/response plumbing (the `Req` extractor, `Out`, capped body reading,
//!   query parsing).
//! - [`faults`]: the injected faults and which request one hits.
//! - [`limits`]: the limits and the per-user windows behind the headers.
//! - [`monitors`]: the stored monitor and its checks, a run of its collection (requests sent
//!   for real to loopback hosts only; other hosts fail as unreachable) and the `pm` scripts it
//!   runs in QuickJS, bounded in time and memory; schedules are `postman_schemas::schedule`'s.
//! - [`mocks`]: the stored mock server, its server responses and call log, and the mock URL
//!   (`http://127.0.0.1:PORT/_mock/{mockId}/…`, outside the gate and the guard's browser
//!   checks: mocks answer CORS and any body) matched by the `postman-matching` crate.
//! - [`collections`], [`environments`]: the pure domain logic of those bodies (validation,
//!   storage form, rendering, the documented errors), testable without a server; [`model`] is
//!   what they get from the HTTP layer ([`model::Ctx`]).
//! - [`state`] (the persisted data), [`shared`] (what handlers reach, lock helpers),
//!   [`persist`] (the state file), [`seed`] (the seeded data), [`clock`] (the sandbox clock),
//!   [`rng`] (seeded ids and secrets), [`error`] (`ApiError`), [`policy`].
//!
//! # Who may call
//!
//! Every request must name the sandbox's own address in `Host` (`127.0.0.1:PORT` or
//! `localhost:PORT`) and carry neither `Origin` nor a `Sec-Fetch-Site` other than `none`
//! (else 403); a write's body must be `application/json` (else 415). See [`guard`]. Mock URLs
//! (`/_mock/…`) keep only the `Host` check: a mock answers browsers and any body, as Postman's
//! do.
//!
//! # Sandbox-only endpoints (`/_sandbox/…`: the admin token; never counted, limited or faulted)
//!
//! Each needs the header `X-Sandbox-Token: <admin token>` (else 401): a random token made
//! at every start, from the OS random source ([`Sandbox::admin_token`]; the standalone binary
//! prints it as `"adminToken"`, the app writes it to `sandbox.json` in its data folder).
//! All take and return JSON objects. Errors: 400/404 `{"error":{"name":"sandboxError","message"}}`.
//!
//! Secrets: the seed's come from the seed, or from the install's key ([`rng::SeedSecrets`]);
//! minted API keys and access tokens come from the OS random source, so neither the state
//! file's id generator nor anything else in it can re-derive them.
//! - `GET  /_sandbox/keys` → `{"keys":{"<username>":"PMAK-…"}}` (each user's first API key).
//! - `POST /_sandbox/api-keys` `{"user":"<username>|<userId>"}` → `{"user","userId","key":"PMAK-…"}`
//!   (a further valid key for that user).
//! - `GET  /_sandbox/access-keys` → `{"data":[<key as in GET /collection-access-keys>]}`: every
//!   access key of every user in every state; seeded keys show their full token (it derives from
//!   the seed), minted keys stay masked (their token is shown once, when minted).
//! - `POST /_sandbox/access-keys` `{"collection":"<uid or id>","user"?:"<username>|<id>"}` →
//!   the new key as listed by `GET /collection-access-keys` but with the full
//!   `"token":"PMAT-…"` (shown only here) and its `"id"`. `user` defaults to the collection owner.
//! - `GET  /_sandbox/clock` → `{"now":"<ISO>","epochMs":N}`;
//!   `POST /_sandbox/clock` `{"now":"<ISO>"|epochMs}` and/or `{"advanceMs":N}` /
//!   `{"advanceSeconds":N}` → the new clock. The clock drives timestamps, key expiry,
//!   rate-limit windows, the monthly usage month (UTC), when async update tasks finish and
//!   when monitors run on their schedule: a `POST` that moves the clock past scheduled runs
//!   answers after those runs are done (at most 10 per monitor: the newest). It runs on
//!   `Config::clock` (the system clock unless the embedder gives another), and the scheduled
//!   runs also happen as that clock passes them (checked every second).
//! - `POST /_sandbox/usage` `{"user":"<username>|<id>","usage":N}` → `{"userId","month","usage"}`
//!   (this month's `api_usage`).
//! - `GET  /_sandbox/limits` → `{"perMinute","windowMs","heavyLimit","heavyWindowMs","monthly",
//!   "monitorRunsMonthly","monitorRunWaitMs","mockPerMinute","mockMonthly","collectionBodyMax","environmentBodyMax",
//!   "otherBodyMax","taskDurationMs"}`;
//!   `POST /_sandbox/limits` with any subset of those (and `"lifted":true` / `"default":true`
//!   to start from `Limits::lifted()` / `Limits::default()`) → the new values; windows restart.
//! - `POST /_sandbox/mocks/{id}` `{"delay"?:null|{"type":"fixed","preset"?,"duration":ms},
//!   "matchBody"?, "matchHeader"?, "headers"?:[names], "matchQueryParams"?, "matchWildcards"?}`
//!   → `{"config":{…}}`: the mock settings the API cannot set.
//! - `POST /_sandbox/reset` → `{"keys":{…}}`: state back to the seed (usage, windows, tasks and
//!   faults cleared; the clock is kept).
//! - `GET  /_sandbox/faults` → `{"faults":[…]}`; `DELETE /_sandbox/faults` clears them;
//!   `POST /_sandbox/faults` `{"route":"*"|"GET /collections"|"GET /collections/{id}"|…,
//!   "status"?:500|503, "delayMs"?:N, "reset"?:bool, "truncate"?:bool, "storm429"?:bool,
//!   "times"?:N}` → `{"faults":[…]}`. Route patterns are `METHOD /path` with `{id}` for the
//!   path parameter; a route's fault replaces an earlier one for the same route; a route fault
//!   wins over `"*"`. `delayMs` sleeps first; `reset` closes the connection with a TCP RST;
//!   `status` answers the documented 500 (`serverError`) or a 503; `storm429` answers
//!   `rateLimited` 429s with retry headers; `truncate` cuts the body in half and aborts the
//!   connection. `times` limits how many requests it hits (default: until cleared).

pub mod clock;
pub mod collections;
pub mod environments;
pub mod error;
pub mod faults;
pub mod gate;
pub mod guard;
pub mod http;
pub mod limits;
pub mod mocks;
pub mod model;
pub mod monitors;
pub mod persist;
pub mod policy;
pub mod rng;
pub mod routes;
pub mod seed;
pub mod shared;
pub mod state;
#[cfg(test)]
mod test_fuzz;
pub mod transport;

pub use limits::Limits;

use shared::Shared;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::watch;

/// How to run a sandbox.
#[derive(Debug, Clone)]
pub struct Config {
    /// Same seed → same ids, API keys, tokens.
    pub seed: u64,
    pub limits: Limits,
    /// Persist state here (loaded on start when it exists).
    pub state_file: Option<PathBuf>,
    /// 0 = any free port.
    pub port: u16,
    /// How long an async collection update (`Prefer: respond-async`) stays `in-progress`.
    pub task_duration: Duration,
    /// The clock the sandbox clock runs on (the system's by default; the app passes its own,
    /// tests a pinned one).
    pub clock: postdesk_base::SharedClock,
    /// Start the sandbox clock at this epoch ms (default: whatever `clock` says).
    pub start_time_ms: Option<i64>,
    /// Where the seed's secrets come from: the seed (default: the same keys everywhere, for
    /// tests and the standalone binary) or an install's own key (the app's built-in sandbox).
    pub secrets: rng::SeedSecrets,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            seed: 42,
            limits: Limits::default(),
            state_file: None,
            port: 0,
            task_duration: Duration::from_millis(500),
            clock: postdesk_base::SharedClock::system(),
            start_time_ms: None,
            secrets: rng::SeedSecrets::FromSeed,
        }
    }
}

/// A running sandbox.
pub struct Sandbox {
    url: String,
    clock: postdesk_base::SharedClock,
    port: u16,
    keys: BTreeMap<String, String>,
    users: BTreeMap<String, u64>,
    admin_token: postdesk_base::Secret,
    stop: watch::Sender<bool>,
    server: tokio::task::JoinHandle<()>,
    writer: Option<tokio::task::JoinHandle<()>>,
}

impl Sandbox {
    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> &str {
        &self.url
    }
    pub fn port(&self) -> u16 {
        self.port
    }
    /// The sandbox clock (`Config::clock` plus what `/_sandbox/clock` set): a client in the same
    /// process that runs on it agrees with the sandbox about "now".
    pub fn clock(&self) -> postdesk_base::SharedClock {
        self.clock.clone()
    }
    /// username → that user's (first) API key.
    pub fn keys(&self) -> &BTreeMap<String, String> {
        &self.keys
    }
    /// username → that user's id (what `/me` answers as `user.id`).
    pub fn users(&self) -> &BTreeMap<String, u64> {
        &self.users
    }
    /// This process's admin token: `/_sandbox/*` answers only requests that send it as
    /// `X-Sandbox-Token` (see [`guard`]).
    pub fn admin_token(&self) -> &postdesk_base::Secret {
        &self.admin_token
    }
    /// Stops accepting, lets open requests finish (bounded), writes the state file.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.server.await;
        if let Some(w) = self.writer {
            // The last write of the state file, bounded like the open requests: a process that
            // is asked to end ends (the file is replaced atomically, so a cut write leaves the
            // previous one).
            if tokio::time::timeout(Duration::from_secs(8), w)
                .await
                .is_err()
            {
                eprintln!(
                    "postman-sandbox: the state file's last write took over 8 s; not waited for"
                );
            }
        }
    }
}

/// Starts a sandbox on 127.0.0.1:`config.port` on the current tokio runtime.
pub async fn start(config: Config) -> std::io::Result<Sandbox> {
    let clock = Arc::new(clock::Clock::new(config.clock.clone()));
    if let Some(ms) = config.start_time_ms {
        clock.set_ms(ms);
    }
    // `unwritten`: the state file does not hold the state yet (none was loaded, or loading
    // it changed it).
    let (state, secrets, usage, unwritten) = match config
        .state_file
        .as_deref()
        .map(persist::load)
        .transpose()?
    {
        // A saved state holds digests only: the seed's secrets are derived again.
        Some(Some((mut st, usage))) => {
            let (secrets, changed) = seed::secrets_for(&mut st, &config.secrets);
            (st, secrets, usage, changed)
        }
        _ => {
            let (st, secrets) = seed::build(config.seed, clock.now_ms(), &config.secrets);
            (st, secrets, BTreeMap::new(), true)
        }
    };
    let persister = config
        .state_file
        .clone()
        .map(|path| Arc::new(persist::Persister::new(path)));
    let mut limiter = limits::Limiter::default();
    limiter.usage = usage;
    let keys = secrets.users.clone();
    let users = state
        .users
        .iter()
        .map(|u| (u.username.clone(), u.id))
        .collect();
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port)).await?;
    let port = listener.local_addr()?.port();
    let admin_token = postdesk_base::random::hex_secret::<32>()?;
    let sh = Arc::new(Shared {
        seed: config.seed,
        seed_secrets: config.secrets.clone(),
        secrets,
        port,
        admin_token: admin_token.duplicate(),
        state: RwLock::new(state),
        tasks: Mutex::new(Default::default()),
        cache: Mutex::new(Default::default()),
        rendered_ahead: AtomicBool::new(false),
        limiter: Mutex::new(limiter),
        limits: RwLock::new(config.limits.clone()),
        clock: clock.clone(),
        faults: Mutex::new(Vec::new()),
        faults_on: AtomicBool::new(false),
        task_duration: RwLock::new(config.task_duration),
        persist: persister.clone(),
        scheduler: tokio::sync::Mutex::new(()),
        mock_windows: Default::default(),
        mock_cache: Default::default(),
    });
    let (stop, stop_rx) = watch::channel(false);
    let writer = persister.map(|p| {
        // Make sure the state file holds the state right away; one loaded unchanged is not
        // written again (it can be tens of MB: the write would hold up the start).
        if unwritten {
            if let Err(e) = persist::flush(&sh, &p) {
                eprintln!("postman-sandbox: cannot write {}: {e}", p.path.display());
            }
        }
        tokio::spawn(persist::run(sh.clone(), p, stop_rx.clone()))
    });
    tokio::spawn(routes::monitors::scheduler(sh.clone(), stop_rx.clone()));
    let server = tokio::spawn(transport::serve(routes::app(sh), listener, stop_rx));
    Ok(Sandbox {
        url: format!("http://127.0.0.1:{port}"),
        clock: postdesk_base::SharedClock::from(clock),
        port,
        keys,
        users,
        admin_token,
        stop,
        server,
        writer,
    })
}
