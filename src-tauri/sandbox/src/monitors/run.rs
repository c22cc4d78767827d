//! A monitor run: the monitor's collection executed once per region, like the Collection
//! Runner does it (REFERENCE-monitors-mocks.md §2). Requests are sent for real when they
//! target a loopback address (so a test can point a monitor at a local API); any other host
//! fails as an unreachable host fails in a cloud run. Pre-request and test scripts run in
//! [`script`](super::script), bounded in time and memory. The result has the documented
//! `run` shape (§2.2): `info`, `stats`, `executions` (each with its assertions, an addition
//! the v1 API had), `failures` (`{executionId, name, message}`, §6 #5).
//!
//! [`Plan::of`] takes what a run needs out of the state (under its lock); [`execute`] runs it
//! with no lock held, on a thread of its own (the script engine is not `Send`).

use super::script::{self, Engine, Event, Info, Outcome, Vars};
use super::steps::{build, refused_host, resolve, steps_of, vars_of, Step};
use crate::clock::iso;
use serde_json::{json, Map, Value};
use std::time::{Duration, Instant};

/// Everything a run needs, taken out of the state.
#[derive(Debug, Clone)]
pub struct Plan {
    pub monitor_id: String,
    pub name: String,
    pub collection_uid: String,
    pub environment_uid: Option<String>,
    pub steps: Vec<Step>,
    pub vars: Vars,
    pub regions: usize,
    /// Extra whole runs after a failed one (`retry.attempts`).
    pub retries: u32,
    pub follow_redirects: bool,
    pub strict_ssl: bool,
    /// Per request; 0: the run's own bound.
    pub request_timeout: Duration,
    pub request_delay: Duration,
    pub limits: script::Limits,
}

/// The longest a run may take (the real limit: 10 min Free, 15 min paid).
pub const RUN_MAX: Duration = Duration::from_secs(600);
/// The longest one request may take when the monitor sets no timeout.
pub const REQUEST_MAX: Duration = Duration::from_secs(60);
/// Response bytes read per request (more is counted, not kept).
const BODY_MAX: usize = 10 * 1024 * 1024;

impl Plan {
    /// The plan for `monitor` over a collection document and an environment's values.
    pub fn of(
        monitor: &super::model::StoredMonitor,
        doc: &Value,
        environment: Option<&[Value]>,
    ) -> Plan {
        let o = monitor.full_options();
        let ms = |k: &str| Duration::from_millis(o.get(k).and_then(Value::as_u64).unwrap_or(0));
        let env_list = environment.map(|v| Value::Array(v.to_vec()));
        Plan {
            monitor_id: monitor.id.clone(),
            name: monitor.name.clone(),
            collection_uid: monitor.collection_uid.clone(),
            environment_uid: monitor.environment_uid.clone(),
            steps: steps_of(doc),
            vars: Vars {
                environment: vars_of(env_list.as_ref(), "enabled"),
                collection: vars_of(doc.get("variable"), "disabled"),
                local: Vec::new(),
            },
            regions: monitor.regions(),
            retries: monitor
                .retry
                .as_ref()
                .and_then(|r| r["attempts"].as_u64())
                .unwrap_or(0) as u32,
            follow_redirects: o["followRedirects"].as_bool().unwrap_or(true),
            strict_ssl: o["strictSSL"].as_bool().unwrap_or(true),
            request_timeout: ms("requestTimeout"),
            request_delay: ms("requestDelay"),
            limits: script::Limits::default(),
        }
    }
}

/// What a run produced.
#[derive(Debug, Clone)]
pub struct Done {
    /// `{"run": {info, stats, executions, failures}}`.
    pub run: Value,
    pub started_at: i64,
    pub finished_at: i64,
    /// Requests sent over every region and attempt: what `monitor_request_runs` counts.
    pub requests: u64,
}

/// Counts of one pass over the collection.
#[derive(Default)]
struct Tally {
    requests: u64,
    requests_failed: u64,
    assertions: u64,
    assertions_failed: u64,
    errors: u64,
    latency: u64,
    size: u64,
}

struct Runner<'a> {
    plan: &'a Plan,
    /// The run's start on the sandbox clock, and on the monotonic one: the run's "now".
    started: (i64, Instant),
    http: reqwest::Client,
    engine: Option<Engine>,
    executions: Vec<Value>,
    failures: Vec<Value>,
    tally: Tally,
    deadline: Instant,
}

impl Runner<'_> {
    /// The sandbox clock as the run sees it: its start plus the time it has taken (a scheduled
    /// run happens at its scheduled time, whatever the clock says when it is carried out).
    fn now_ms(&self) -> i64 {
        self.started.0 + self.started.1.elapsed().as_millis() as i64
    }

    fn script(
        &mut self,
        sources: &[String],
        info: &Info,
        vars: &mut Vars,
        req: &mut script::Request,
        resp: Option<&script::Response>,
        out: &mut Vec<Outcome>,
    ) {
        if sources.is_empty() {
            return;
        }
        if self.engine.is_none() {
            match Engine::new(self.plan.limits.clone()) {
                Ok(e) => self.engine = Some(e),
                Err(e) => {
                    out.push(Outcome {
                        error: Some(e),
                        ..Outcome::default()
                    });
                    return;
                }
            }
        }
        let Some(engine) = self.engine.as_mut() else {
            return;
        };
        for s in sources {
            let o = engine.run(s, info, vars, req, resp);
            let stop = o.error.is_some();
            out.push(o);
            if stop {
                // Postman stops the rest of that event's scripts at an error.
                break;
            }
        }
    }

    async fn send(&self, req: &script::Request) -> Result<script::Response, (String, String)> {
        if let Some(refused) = refused_host(&req.url) {
            return Err(refused);
        }
        let method = reqwest::Method::from_bytes(req.method.as_bytes()).map_err(|_| {
            (
                "Error".to_owned(),
                format!("Invalid method \"{}\"", req.method),
            )
        })?;
        let mut b = self.http.request(method, &req.url);
        for (k, v) in &req.headers {
            b = b.header(k.as_str(), v.as_str());
        }
        if let Some(body) = &req.body {
            b = b.body(body.clone());
        }
        let left = self.deadline.saturating_duration_since(Instant::now());
        let bound = match self.plan.request_timeout {
            d if d.is_zero() => REQUEST_MAX,
            d => d,
        };
        let bound = bound.min(left);
        let started = Instant::now();
        let fail = |e: reqwest::Error| {
            if e.is_timeout() {
                (
                    "Error".to_owned(),
                    format!("ESOCKETTIMEDOUT: no answer within {} ms", bound.as_millis()),
                )
            } else if e.is_connect() {
                ("Error".to_owned(), "connect ECONNREFUSED".to_owned())
            } else {
                ("Error".to_owned(), format!("socket hang up ({e})"))
            }
        };
        let mut resp = tokio::time::timeout(bound, b.send())
            .await
            .map_err(|_| {
                (
                    "Error".to_owned(),
                    format!("ESOCKETTIMEDOUT: no answer within {} ms", bound.as_millis()),
                )
            })?
            .map_err(fail)?;
        let code = resp.status().as_u16();
        let status = resp.status().canonical_reason().unwrap_or("").to_owned();
        let headers: Vec<(String, String)> = postdesk_base::headers::pairs(resp.headers());
        let mut body = Vec::new();
        let mut size = 0u64;
        loop {
            let left = bound.saturating_sub(started.elapsed());
            match tokio::time::timeout(left, resp.chunk()).await {
                Ok(Ok(Some(chunk))) => {
                    size += chunk.len() as u64;
                    let room = BODY_MAX.saturating_sub(body.len());
                    body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                }
                Ok(Ok(None)) => break,
                Ok(Err(e)) => return Err(fail(e)),
                Err(_) => {
                    return Err((
                        "Error".to_owned(),
                        format!("ESOCKETTIMEDOUT: no answer within {} ms", bound.as_millis()),
                    ))
                }
            }
        }
        Ok(script::Response {
            code,
            status,
            headers,
            body,
            response_time_ms: started.elapsed().as_millis() as u64,
            size,
        })
    }

    /// One pass over the collection (one region).
    async fn pass(&mut self, vars: &mut Vars) {
        let plan = self.plan;
        let mut index = 0;
        while index < plan.steps.len() {
            let step = &plan.steps[index];
            index += 1;
            if Instant::now() >= self.deadline {
                self.tally.errors += 1;
                break;
            }
            if self.tally.requests > 0 && !plan.request_delay.is_zero() {
                tokio::time::sleep(
                    plan.request_delay
                        .min(self.deadline.saturating_duration_since(Instant::now())),
                )
                .await;
            }
            let id = self.executions.len() + 1;
            let mut out = Vec::new();
            let mut info = Info {
                event: Event::Prerequest,
                request_name: step.name.clone(),
                request_id: step.id.clone(),
                now_ms: self.now_ms(),
            };
            let mut req = build(step, vars);
            self.script(&step.prerequest, &info, vars, &mut req, None, &mut out);
            resolve(&mut req, vars, step.auth.as_ref());
            let timestamp = iso(self.now_ms());
            self.tally.requests += 1;
            let answer = self.send(&req).await;
            let mut errors: Vec<Value> = Vec::new();
            let response = match answer {
                Ok(r) => Some(r),
                Err((name, message)) => {
                    errors.push(json!({"name": name, "message": message}));
                    None
                }
            };
            if let Some(r) = &response {
                info.event = Event::Test;
                self.tally.latency += r.response_time_ms;
                self.tally.size += r.size;
                self.script(&step.tests, &info, vars, &mut req, Some(r), &mut out);
            }
            let mut assertions = Map::new();
            let mut next = None;
            for o in &out {
                for t in &o.tests {
                    self.tally.assertions += 1;
                    assertions.insert(t.name.clone(), json!(t.passed));
                    if !t.passed {
                        self.tally.assertions_failed += 1;
                        self.failures.push(json!({"executionId": id, "name": t.name,
                            "message": t.error.clone().unwrap_or_default()}));
                    }
                }
                if let Some(e) = &o.error {
                    errors.push(json!({"name": e.name, "message": e.message}));
                }
                if o.next_request.is_some() {
                    next = o.next_request.clone();
                }
            }
            if !errors.is_empty() {
                self.tally.requests_failed += 1;
                self.tally.errors += errors.len() as u64;
                for e in &errors {
                    self.failures.push(
                        json!({"executionId": id, "name": e["name"], "message": e["message"]}),
                    );
                }
            }
            let headers_map = |h: &[(String, String)]| -> Map<String, Value> {
                h.iter().map(|(k, v)| (k.clone(), json!(v))).collect()
            };
            let mut exec = json!({
                "id": id,
                "item": {"name": step.name},
                "request": {"method": req.method, "url": req.url,
                    "headers": headers_map(&req.headers),
                    "body": {"contentLength": req.body.as_ref().map_or(0, String::len)},
                    "timestamp": timestamp},
            });
            if let Some(r) = &response {
                exec["response"] = json!({"code": r.code, "body": {"contentLength": r.size},
                    "responseTime": r.response_time_ms, "responseSize": r.size,
                    "headers": headers_map(&r.headers)});
            }
            exec["assertions"] = Value::Object(assertions);
            if !errors.is_empty() {
                exec["errors"] = json!(errors);
            }
            self.executions.push(exec);
            match next {
                Some(None) => break,
                Some(Some(name)) => match plan.steps.iter().position(|s| s.name == name) {
                    Some(i) => index = i,
                    None => break,
                },
                None => {}
            }
            // A collection that loops through setNextRequest is bounded by the run's time
            // and by this many executions.
            if self.executions.len() >= 10_000 {
                break;
            }
        }
    }
}

/// Runs the plan (every region, then the retries a failed run has), starting on the sandbox
/// clock at `started_at` (a scheduled run is dated at its scheduled time).
pub async fn execute(plan: Plan, started_at: i64, job_id: String) -> Done {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("monitor-run".into())
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            let done = match rt {
                Ok(rt) => rt.block_on(execute_here(&plan, started_at, job_id)),
                Err(e) => failed_to_start(&plan, started_at, job_id, &e.to_string()),
            };
            let _ = tx.send(done);
        })
        .ok();
    match rx.await {
        Ok(done) => done,
        Err(_) => Done {
            run: json!({"run": {"info": {"status": "failed"}}}),
            started_at,
            finished_at: started_at,
            requests: 0,
        },
    }
}

fn failed_to_start(plan: &Plan, started_at: i64, job_id: String, why: &str) -> Done {
    let mut info = info(plan, &job_id, "failed", started_at, started_at);
    info["message"] = json!(why);
    Done {
        run: json!({"run": {"info": info, "stats": {}, "executions": [], "failures": []}}),
        started_at,
        finished_at: started_at,
        requests: 0,
    }
}

fn info(plan: &Plan, job_id: &str, status: &str, started: i64, finished: i64) -> Value {
    let mut info = json!({"jobId": job_id, "monitorId": plan.monitor_id, "name": plan.name,
        "collectionUid": plan.collection_uid});
    if let Some(e) = &plan.environment_uid {
        info["environmentUid"] = json!(e);
    }
    info["status"] = json!(status);
    info["startedAt"] = json!(iso(started));
    info["finishedAt"] = json!(iso(finished));
    info
}

async fn execute_here(plan: &Plan, started_at: i64, job_id: String) -> Done {
    let wall = Instant::now();
    // The process's TLS provider (the app's client installs the same; the sandbox alone needs
    // it here). An error only says one is installed already.
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
    let http = reqwest::Client::builder()
        .redirect(if plan.follow_redirects {
            reqwest::redirect::Policy::limited(10)
        } else {
            reqwest::redirect::Policy::none()
        })
        .danger_accept_invalid_certs(!plan.strict_ssl)
        .no_proxy()
        .user_agent("PostmanRuntime/7.39.1")
        .build();
    let http = match http {
        Ok(h) => h,
        Err(e) => return failed_to_start(plan, started_at, job_id, &e.to_string()),
    };
    let mut total_requests = 0;
    let mut attempt = 0;
    let mut runner = loop {
        let mut runner = Runner {
            plan,
            started: (started_at, wall),
            http: http.clone(),
            engine: None,
            executions: Vec::new(),
            failures: Vec::new(),
            tally: Tally::default(),
            deadline: wall + RUN_MAX,
        };
        for _ in 0..plan.regions {
            // Each region starts from the monitor's variables.
            let mut vars = plan.vars.clone();
            runner.pass(&mut vars).await;
        }
        total_requests += runner.tally.requests;
        let failed = runner.tally.assertions_failed > 0 || runner.tally.errors > 0;
        if !failed || attempt >= plan.retries {
            break runner;
        }
        attempt += 1;
    };
    let t = &runner.tally;
    let status = if t.assertions_failed > 0 || t.errors > 0 {
        "failed"
    } else {
        "success"
    };
    let finished_at = started_at + wall.elapsed().as_millis() as i64;
    let run = json!({"run": {
        "info": info(plan, &job_id, status, started_at, finished_at),
        "stats": {
            "assertions": {"total": t.assertions, "failed": t.assertions_failed},
            "requests": {"total": t.requests, "failed": t.requests_failed},
            "runCount": plan.regions,
            "errorCount": t.errors,
            "abortedCount": 0,
            "responseLatency": t.latency,
            "responseSize": t.size,
        },
        "executions": std::mem::take(&mut runner.executions),
        "failures": std::mem::take(&mut runner.failures),
    }});
    Done {
        run,
        started_at,
        finished_at,
        requests: total_requests,
    }
}
