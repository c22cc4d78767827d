//! The scripts of a monitor run: Postman's `pm` API (pre-request and test scripts) in an
//! embedded JavaScript engine (QuickJS, through `rquickjs`), bounded in time, memory and stack.
//!
//! An [`Engine`] is one QuickJS runtime and context with Chai 4 (the official UMD bundle,
//! vendored in `js/chai.js`, see `js/README.md`) and the `pm` prelude (`js/pm.js`) evaluated
//! once; [`Engine::run`] runs one script. Data crosses between Rust and JavaScript as JSON text
//! only (one text in, one text out per script): no Rust function is callable from a script.
//! The module is pure: no HTTP, no clock but the monotonic [`Instant`] of the time bound.
//!
//! What a script sees:
//! - `pm.test(name, fn)` records `{name, passed, error}`; `error` is `"<ErrorName>: <message>"`
//!   of what `fn` threw (`"AssertionError: expected 500 to equal 200"`). A `fn` returning a
//!   promise is settled with the promise (the engine runs promise jobs until the time bound);
//!   one still pending when the script ends fails. `pm.test.skip(name, fn)`, and `pm.test(name)`
//!   without a function, record nothing in [`Outcome::tests`] and the name in
//!   [`Outcome::skipped`]. An out-of-memory error is not a failed test: it ends the script.
//! - `pm.expect` is `chai.expect`; `pm.response.to` / `pm.request.to` are
//!   `chai.expect(pm.response).to`, with Postman's assertions as a Chai plugin (chai-postman's
//!   names and messages): `status(code | reason)`, `statusCode`, `statusReason`,
//!   `statusCodeClass`, `header(name[, value])`, `ok` (200 OK, as in Postman; `ok` on anything
//!   else stays Chai's truthiness), `success`/`info`/`redirection`/`clientError`/`serverError`
//!   (the status class), `error` (4xx or 5xx), `accepted`, `withoutContent`, `badRequest`,
//!   `unauthorized`/`unauthorised`, `forbidden`, `notFound`, `notAcceptable`, `rateLimited`,
//!   `json`, `withBody`, `body([text | RegExp | object])`, `jsonBody([path[, value]])`; all
//!   with `.not`. Not there: `jsonSchema` (no Ajv), `responseTime`/`responseSize` chains.
//! - `pm.response` (test scripts; `undefined` in pre-request scripts): `code`, `status`,
//!   `headers`, `responseTime`, `responseSize`, `text()`, `json()` (a `JSONError` whose first
//!   line says what and where, then the body's first 40 characters), `reason()`, `details()`,
//!   `size()`. Headers: `get(name)` (case-insensitive; of several, the last), `one`, `has(name[,
//!   value])`, `all()` (`[{key, value}]`), `toObject()`, `count`, `each`, `map`, `filter`,
//!   `find`, `idx`, iteration, `toString()`.
//! - `pm.request`: `method`, `url` (a string), `headers` (as above, plus `add`/`append`,
//!   `upsert`, `remove(name | predicate)`, `clear`), `body` (raw text or `undefined`). In a
//!   pre-request script, `method`, `url` and `headers` as the script leaves them are the request
//!   sent ([`Engine::run`] writes them into its `request`); `body` is read-only. In a test
//!   script, changes are not written back (the request was sent).
//! - `pm.environment`, `pm.collectionVariables`: `get`, `set`, `unset`, `has`, `clear`,
//!   `toObject`, `replaceIn`; `pm.variables`: the local scope, `get`/`has`/`replaceIn`/
//!   `toObject` over local, environment, collection. See [`Vars`] for how values are kept.
//!   `pm.globals` is a scope of the script alone (monitors keep no globals): it starts empty and
//!   what is set in it is dropped when the script ends; `pm.iterationData` is empty.
//! - `pm.info`: `eventName`, `requestName`, `requestId`, `iteration` (0), `iterationCount` (1).
//! - `pm.execution.setNextRequest(name)`, `postman.setNextRequest(name)`: see
//!   [`Outcome::next_request`]. `pm.sendRequest` throws (no HTTP here); `pm.visualizer` does
//!   nothing.
//! - `console.log/info/warn/error/debug`: see [`Outcome::console`].
//! - Legacy: `tests["name"] = bool` records a test (after the `pm.test` ones); `responseBody`,
//!   `responseCode` (`{code, name, detail}`) and `responseTime` in test scripts.
//! - Not there: `setTimeout`, `require`, lodash (`_`), `CryptoJS`, `atob`/`btoa`, `xml2Json`,
//!   `pm.cookies`, Postman's dynamic variables.
//!
//! A script is the body of a function (`new Function(source)`, as Postman wraps it): its `var`s
//! and functions are its own. Globals it adds are removed when it ends; changes to built-in
//! prototypes last for the engine's life (as they do in Postman's sandbox).
//!
//! Bounds ([`Limits`]): a script that runs past [`Limits::time`] (its promise jobs included) is
//! interrupted and reported as `Error: Script timed out after N ms`; one that allocates past
//! [`Limits::memory_bytes`] (the whole runtime: Chai and the prelude take about 1 MiB of it)
//! ends with `Error: Script ran out of memory (limit N MiB)`; unbounded recursion ends with
//! QuickJS's `RangeError: Maximum call stack size exceeded` at [`Limits::stack_bytes`]. A
//! source longer than [`MAX_SOURCE_BYTES`] is refused unrun. In every case the tests recorded
//! before stay in the outcome, and the engine stays usable: when a script leaves it in doubt
//! (promise jobs left after a timeout, memory still taken after running out of it, the prelude
//! itself broken by a hostile script), the next [`Engine::run`] starts on a fresh runtime.
//!
//! A script can reach the prelude's hooks (`__postdesk`); calling them costs only its own
//! outcome (the result is parsed strictly, and a broken prelude means a fresh runtime).
//!
//! Threads: an [`Engine`] is not `Send` (rquickjs' runtime is `Send` only with its `parallel`
//! feature, which also makes rquickjs-core depend on tokio: a change to `Cargo.lock`, so not
//! cheap here); create and use it on one thread (e.g. inside `spawn_blocking`). QuickJS
//! measures its stack bound from the stack pointer where the engine (or a fresh runtime) was
//! created, so [`Engine::run`] must not be called much deeper in the stack than that: the
//! thread needs [`Limits::stack_bytes`] plus its own frames (the 2 MiB of a spawned thread are
//! plenty for the default 1 MiB).
//!
//! Figures (2-core machine; `timings` in the tests, `--ignored --nocapture`; release: the same
//! code at `opt-level = "s"`): `Engine::new` (runtime, context, Chai, prelude) about 50–70 ms
//! debug, 20–30 ms release; an empty script about 0.4–0.5 ms debug, 0.11 ms release; a script
//! of two `pm.test`s (status, `json()`) about 1 ms debug, 0.3–0.4 ms release; about 1 MiB of
//! runtime memory after loading.

mod types;
mod vars;

#[cfg(test)]
mod tests;

pub use types::*;
pub use vars::{Vars, REPLACE_DEPTH, REPLACE_MAX};

use rquickjs::context::EvalOptions;
use rquickjs::{Context, Ctx, Function, Object, Runtime, Value as JsValue};
use serde::Deserialize;
use serde_json::{json, Value};
use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// Chai 4.5.0's UMD bundle, unchanged (`js/README.md`).
const CHAI_JS: &str = include_str!("../../../js/chai.js");
/// The `pm` prelude, evaluated after Chai.
const PM_JS: &str = include_str!("../../../js/pm.js");

/// The longest script source run, in bytes (UTF-8); a longer one is refused.
pub const MAX_SOURCE_BYTES: usize = 1024 * 1024;
/// Console lines kept per script; more are counted in [`Outcome::console_dropped`].
pub const CONSOLE_LINES: usize = 100;
/// The longest console line kept, in characters (a longer one is cut).
pub const CONSOLE_LINE_CHARS: usize = 1000;

/// One JavaScript runtime and context with Chai and the `pm` prelude loaded, for the scripts
/// of one monitor run. Not `Send` (see the module's notes).
pub struct Engine {
    limits: Limits,
    /// `None` after a script left the runtime in doubt: the next run starts a fresh one.
    inner: Option<Inner>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("limits", &self.limits)
            .field("fresh_runtime_next", &self.inner.is_none())
            .finish()
    }
}

impl Engine {
    /// A runtime with `limits`, Chai and the prelude evaluated. Fails (with the reason) only
    /// when QuickJS cannot start or the limits are too small for Chai to load.
    pub fn new(limits: Limits) -> Result<Engine, ScriptError> {
        let inner = Inner::new(&limits)?;
        Ok(Engine {
            limits,
            inner: Some(inner),
        })
    }

    /// The bounds scripts run under.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Runs one script. In a pre-request script `request` may be changed (method, URL,
    /// headers); `vars` is read and written (`pm.environment.set` etc. take effect in `vars`
    /// when the call returns; a scope the script did not change is left as it was).
    /// `response` is `pm.response` (pass `None` for a pre-request script). Never panics; any
    /// failure is in [`Outcome::error`].
    pub fn run(
        &mut self,
        source: &str,
        info: &Info,
        vars: &mut Vars,
        request: &mut Request,
        response: Option<&Response>,
    ) -> Outcome {
        if source.len() > MAX_SOURCE_BYTES {
            return Outcome::failed(ScriptError::new(
                "Error",
                format!(
                    "Script is too long ({} bytes; the limit is {MAX_SOURCE_BYTES} bytes): it was not run",
                    source.len()
                ),
            ));
        }
        if self.inner.is_none() {
            match Inner::new(&self.limits) {
                Ok(inner) => self.inner = Some(inner),
                Err(e) => return Outcome::failed(e),
            }
        }
        let Some(inner) = self.inner.as_mut() else {
            return Outcome::failed(ScriptError::new(
                "Error",
                "the script engine is not available",
            ));
        };
        let (outcome, healthy) = inner.run(&self.limits, source, info, vars, request, response);
        if !healthy {
            self.inner = None;
        }
        outcome
    }
}

/// The interrupt handler's view of the time bound.
#[derive(Clone, Default)]
struct Timer {
    deadline: Rc<Cell<Option<Instant>>>,
    fired: Rc<Cell<bool>>,
}

impl Timer {
    fn arm(&self, bound: Duration) {
        self.fired.set(false);
        self.deadline.set(Instant::now().checked_add(bound));
    }

    fn disarm(&self) {
        self.deadline.set(None);
    }

    fn expired(&self) -> bool {
        match self.deadline.get() {
            Some(d) => Instant::now() >= d,
            None => false,
        }
    }
}

struct Inner {
    // Field order is drop order: the context goes before its runtime.
    ctx: Context,
    rt: Runtime,
    timer: Timer,
}

/// `64 MiB`, `1.5 MiB`, `1000 bytes`.
fn bytes_text(n: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if n >= MIB && n.is_multiple_of(MIB / 2) {
        let half = n / (MIB / 2);
        if half.is_multiple_of(2) {
            format!("{} MiB", half / 2)
        } else {
            format!("{}.5 MiB", half / 2)
        }
    } else {
        format!("{n} bytes")
    }
}

fn out_of_memory(limits: &Limits) -> ScriptError {
    ScriptError::new(
        "Error",
        format!(
            "Script ran out of memory (limit {})",
            bytes_text(limits.memory_bytes)
        ),
    )
}

fn timed_out(limits: &Limits) -> ScriptError {
    ScriptError::new(
        "Error",
        format!("Script timed out after {} ms", limits.time.as_millis()),
    )
}

fn is_oom(e: &ScriptError) -> bool {
    e.name == "InternalError" && e.message == "out of memory"
}

/// Name and message of a thrown value.
fn thrown(value: JsValue<'_>) -> ScriptError {
    let text = |v: Option<JsValue<'_>>| -> Option<String> { v?.as_string()?.to_string().ok() };
    if let Some(obj) = value.as_object() {
        let name = text(obj.get::<_, JsValue>("name").ok()).unwrap_or_else(|| "Error".to_owned());
        let message = text(obj.get::<_, JsValue>("message").ok()).unwrap_or_default();
        return ScriptError { name, message };
    }
    if value.is_null() || value.is_undefined() {
        // What QuickJS throws when it cannot even allocate the error: only the prelude's own
        // calls reach Rust (the prelude catches what a script throws), so this is memory.
        return ScriptError::new("InternalError", "out of memory");
    }
    let message = text(Some(value.clone())).unwrap_or_else(|| format!("{:?}", value.type_of()));
    ScriptError::new("Error", message)
}

/// The error of a failed call into JavaScript.
fn caught(ctx: &Ctx<'_>, e: rquickjs::Error) -> ScriptError {
    match e {
        rquickjs::Error::Exception => thrown(ctx.catch()),
        other => ScriptError::new("Error", other.to_string()),
    }
}

fn hook<'js>(ctx: &Ctx<'js>, name: &str) -> Result<Function<'js>, ScriptError> {
    let hooks: Object = ctx
        .globals()
        .get("__postdesk")
        .map_err(|e| caught(ctx, e))?;
    hooks.get(name).map_err(|e| caught(ctx, e))
}

/// What `finish()` returns.
#[derive(Deserialize)]
struct Out {
    tests: Vec<(String, bool, Option<String>)>,
    skipped: Vec<String>,
    error: Option<(String, String)>,
    console: Vec<(String, String)>,
    dropped: u64,
    next: Option<Next>,
    environment: Option<Vec<(String, String)>>,
    collection: Option<Vec<(String, String)>>,
    local: Option<Vec<(String, String)>>,
    request: Option<OutRequest>,
}

#[derive(Deserialize)]
struct Next {
    value: Option<String>,
}

#[derive(Deserialize)]
struct OutRequest {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
}

fn pairs(scope: &[(String, Value)]) -> Value {
    Value::Array(
        scope
            .iter()
            .map(|(k, v)| json!([k, v.to_string()]))
            .collect(),
    )
}

/// A scope back from JavaScript: each value's JSON text read, or kept as a string when
/// `serde_json` cannot read it (nested too deep).
fn scope_of(list: Vec<(String, String)>) -> Vec<(String, Value)> {
    list.into_iter()
        .map(|(k, text)| {
            let v = serde_json::from_str(&text).unwrap_or(Value::String(text));
            (k, v)
        })
        .collect()
}

fn cut(s: String, chars: usize) -> String {
    match s.char_indices().nth(chars) {
        Some((at, _)) => s[..at].to_owned(),
        None => s,
    }
}

impl Inner {
    fn new(limits: &Limits) -> Result<Inner, ScriptError> {
        let start = |e: rquickjs::Error| {
            ScriptError::new("Error", format!("the script engine did not start: {e}"))
        };
        let rt = Runtime::new().map_err(start)?;
        rt.set_memory_limit(limits.memory_bytes);
        rt.set_max_stack_size(limits.stack_bytes.clamp(64 * 1024, 16 * 1024 * 1024));
        let timer = Timer::default();
        let t = timer.clone();
        rt.set_interrupt_handler(Some(Box::new(move || {
            let stop = t.expired();
            if stop {
                t.fired.set(true);
            }
            stop
        })));
        let ctx = Context::full(&rt).map_err(start)?;
        ctx.with(|ctx| -> Result<(), ScriptError> {
            let load = |what: &str, e: rquickjs::Error| {
                let e = caught(&ctx, e);
                ScriptError::new(
                    "Error",
                    format!("the script engine did not start: {what}: {e}"),
                )
            };
            // Sloppy global code, as a browser runs a <script>: the UMD bundle puts `chai` on
            // `this`.
            let script = || {
                let mut options = EvalOptions::default();
                options.global = true;
                options.strict = false;
                options
            };
            ctx.eval_with_options::<(), _>(CHAI_JS, script())
                .map_err(|e| load("chai.js", e))?;
            ctx.eval_with_options::<(), _>(PM_JS, script())
                .map_err(|e| load("pm.js", e))?;
            let config = Object::new(ctx.clone()).map_err(|e| load("configure", e))?;
            let set = |k: &str, v: usize| config.set(k, v as f64).map_err(|e| load("configure", e));
            set("consoleLines", CONSOLE_LINES)?;
            set("lineChars", CONSOLE_LINE_CHARS)?;
            set("replaceDepth", REPLACE_DEPTH)?;
            set("replaceMax", REPLACE_MAX)?;
            hook(&ctx, "configure")?
                .call::<_, ()>((config.clone(),))
                .map_err(|e| load("configure", e))
        })?;
        Ok(Inner { ctx, rt, timer })
    }

    /// Runs one script; `false` when the runtime should not be used again.
    fn run(
        &mut self,
        limits: &Limits,
        source: &str,
        info: &Info,
        vars: &mut Vars,
        request: &mut Request,
        response: Option<&Response>,
    ) -> (Outcome, bool) {
        let input = json!({
            "event": info.event.name(),
            "requestName": info.request_name,
            "requestId": info.request_id,
            "nowMs": info.now_ms,
            "vars": {
                "environment": pairs(&vars.environment),
                "collection": pairs(&vars.collection),
                "local": pairs(&vars.local),
            },
            "request": {
                "method": request.method,
                "url": request.url,
                "headers": request.headers,
                "body": request.body,
            },
            "response": response.map(|r| json!({
                "code": r.code,
                "status": r.status,
                "headers": r.headers,
                "responseTime": r.response_time_ms,
                "responseSize": r.size,
                "headerSize": r.headers.iter().map(|(k, v)| k.len() + v.len() + 4).sum::<usize>(),
            })),
        })
        .to_string();
        let body = response
            .map(|r| String::from_utf8_lossy(&r.body))
            .unwrap_or_default();

        // The script, then its promise jobs, within the time bound.
        self.timer.arm(limits.time);
        let mut failure: Option<ScriptError> = self
            .ctx
            .with(|ctx| {
                let begun = hook(&ctx, "begin")?
                    .call::<_, ()>((input.as_str(), body.as_ref()))
                    .map_err(|e| caught(&ctx, e));
                begun?;
                hook(&ctx, "run")?
                    .call::<_, ()>((source,))
                    .map_err(|e| caught(&ctx, e))
            })
            .err();
        drop(input);
        drop(body);
        while failure.is_none() && self.rt.is_job_pending() && !self.timer.expired() {
            match self.rt.execute_pending_job() {
                Ok(true) => {}
                Ok(false) => break,
                Err(job) => failure = Some(job.0.with(|ctx| thrown(ctx.catch()))),
            }
        }
        let late = self.timer.fired.get() || (self.rt.is_job_pending() && self.timer.expired());
        let jobs_left = self.rt.is_job_pending();

        // What it did, within a bound of its own (reading `tests[...]` may run a getter).
        self.timer.arm(limits.time);
        let out = self.ctx.with(|ctx| -> Result<String, ScriptError> {
            let text: JsValue = hook(&ctx, "finish")?
                .call(())
                .map_err(|e| caught(&ctx, e))?;
            text.as_string()
                .and_then(|s| s.to_string().ok())
                .ok_or_else(|| ScriptError::new("Error", "the script engine returned no result"))
        });
        let finish_late = self.timer.fired.get();
        self.timer.disarm();

        let mut healthy = !jobs_left;
        let out: Option<Out> = match out {
            Ok(text) => match serde_json::from_str(&text) {
                Ok(out) => Some(out),
                Err(e) => {
                    healthy = false;
                    failure.get_or_insert_with(|| {
                        ScriptError::new(
                            "Error",
                            format!("the script engine returned an unreadable result: {e}"),
                        )
                    });
                    None
                }
            },
            Err(e) => {
                healthy = false;
                if finish_late {
                    failure = Some(timed_out(limits));
                } else {
                    failure.get_or_insert(e);
                }
                None
            }
        };

        let mut outcome = Outcome::default();
        if let Some(out) = out {
            outcome.tests = out
                .tests
                .into_iter()
                .map(|(name, passed, error)| TestResult {
                    name,
                    passed,
                    error,
                })
                .collect();
            outcome.skipped = out.skipped;
            outcome.console = out
                .console
                .into_iter()
                .take(CONSOLE_LINES)
                .map(|(level, text)| (level, cut(text, CONSOLE_LINE_CHARS)))
                .collect();
            outcome.console_dropped = out.dropped;
            outcome.next_request = out.next.map(|n| n.value);
            if let Some((name, message)) = out.error {
                failure.get_or_insert(ScriptError { name, message });
            }
            if let Some(env) = out.environment {
                vars.environment = scope_of(env);
            }
            if let Some(coll) = out.collection {
                vars.collection = scope_of(coll);
            }
            if let Some(local) = out.local {
                vars.local = scope_of(local);
            }
            if let (Event::Prerequest, Some(r)) = (info.event, out.request) {
                request.method = r.method;
                request.url = r.url;
                request.headers = r.headers;
            }
        }
        if failure.is_some() {
            // After a failure, memory the script still holds (through a prototype, say) would
            // starve the next script: then a fresh runtime.
            self.rt.run_gc();
            let used = usize::try_from(self.rt.memory_usage().malloc_size).unwrap_or(usize::MAX);
            if used > limits.memory_bytes / 4 * 3 {
                healthy = false;
            }
        }
        outcome.error = match failure {
            _ if late => Some(timed_out(limits)),
            Some(e) if is_oom(&e) => Some(out_of_memory(limits)),
            other => other,
        };
        (outcome, healthy)
    }
}
