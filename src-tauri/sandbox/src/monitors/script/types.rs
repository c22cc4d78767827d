//! What goes into a script and what comes out of it: the bounds, the request and response
//! it sees, and its outcome.

use super::*;

/// The bounds of one script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Wall time of one script (its promise jobs included). Default 1 s. (One too long for
    /// [`Instant`] to hold is no bound.)
    pub time: Duration,
    /// Memory of the whole runtime (QuickJS' own accounting, Chai and the prelude included;
    /// 0: no bound). Default 64 MiB. A response body is in it (once as text, and again for
    /// each `json()`).
    pub memory_bytes: usize,
    /// The JavaScript stack: QuickJS' bound on the native stack it uses, measured from where
    /// the engine was created. Default 1 MiB (QuickJS' own default): about 320 nested
    /// JavaScript calls in a debug build (QuickJS unoptimised), about 1,600 in a release build.
    /// Taken within 64 KiB..=16 MiB (QuickJS has no bound at 0, and rquickjs none above 16 MiB).
    pub stack_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            time: Duration::from_secs(1),
            memory_bytes: 64 * 1024 * 1024,
            stack_bytes: 1024 * 1024,
        }
    }
}

/// Which script runs: `pm.info.eventName`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Before the request is sent (`"prerequest"`): no `pm.response`; `pm.request` may change.
    Prerequest,
    /// After the response came (`"test"`).
    Test,
}

impl Event {
    /// The name Postman gives it: `"prerequest"` or `"test"`.
    pub fn name(self) -> &'static str {
        match self {
            Event::Prerequest => "prerequest",
            Event::Test => "test",
        }
    }
}

/// The request a script sees as `pm.request` (and a pre-request script may change).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `POST`, …
    pub method: String,
    /// The URL as it stands (templates may still be unresolved before the request is sent).
    pub url: String,
    /// In order; a name may occur more than once.
    pub headers: Vec<(String, String)>,
    /// The raw body text, if any.
    pub body: Option<String>,
}

/// The response a test script sees as `pm.response`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub code: u16,
    /// The reason text (`"OK"`).
    pub status: String,
    /// In order; a name may occur more than once.
    pub headers: Vec<(String, String)>,
    /// The body bytes (what was kept of them); `text()` decodes them as lossy UTF-8.
    pub body: Vec<u8>,
    /// `pm.response.responseTime`, in ms.
    pub response_time_ms: u64,
    /// `pm.response.responseSize`: the body's size in bytes (all of it, kept or not).
    pub size: u64,
}

/// What `pm.info` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Info {
    /// `eventName`.
    pub event: Event,
    /// `requestName`: the item's name.
    pub request_name: String,
    /// `requestId`: the item's id (may be empty).
    pub request_id: String,
    /// Epoch ms on the sandbox clock when the script starts: what `Date.now()` and `new Date()`
    /// say during it (scripts do not read the system clock).
    pub now_ms: i64,
}

/// One `pm.test` (or legacy `tests[name]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestResult {
    /// Its name.
    pub name: String,
    /// Whether its function returned without throwing.
    pub passed: bool,
    /// `"<ErrorName>: <message>"` of what it threw, when it failed.
    pub error: Option<String>,
}

/// Why a script did not finish (or an engine could not start).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptError {
    /// The error's name: `ReferenceError`, `SyntaxError`, `Error`, …
    pub name: String,
    /// Its message: `x is not defined`, `Script timed out after 1000 ms`, …
    pub message: String,
}

impl ScriptError {
    pub(super) fn new(name: &str, message: impl Into<String>) -> Self {
        ScriptError {
            name: name.to_owned(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ScriptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.name, self.message)
    }
}

impl std::error::Error for ScriptError {}

/// What one script did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Its tests, in the order they finished (legacy `tests[name]` last).
    pub tests: Vec<TestResult>,
    /// Why it stopped early, if it did (the tests before stay).
    pub error: Option<ScriptError>,
    /// `(level, text)`: `log`, `info`, `warn`, `error` or `debug`; the arguments formatted
    /// (strings as they are, errors as `Name: message`, objects as JSON with `[Circular]`) and
    /// joined by spaces; at most [`CONSOLE_LINE_CHARS`] characters, at most [`CONSOLE_LINES`]
    /// lines.
    pub console: Vec<(String, String)>,
    /// Console lines past [`CONSOLE_LINES`], dropped.
    pub console_dropped: u64,
    /// `None`: `setNextRequest` was not called; `Some(None)`: it was called with `null` (or
    /// `undefined`): stop the run; `Some(Some(name))`: go on with that request (the last call
    /// wins).
    pub next_request: Option<Option<String>>,
    /// The names of `pm.test.skip` (and of `pm.test` without a function).
    pub skipped: Vec<String>,
}

impl Outcome {
    pub(super) fn failed(error: ScriptError) -> Self {
        Outcome {
            error: Some(error),
            ..Outcome::default()
        }
    }
}
