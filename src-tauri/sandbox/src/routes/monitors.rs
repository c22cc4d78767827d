//! `/monitors`, `/monitors/{id}` and `/monitors/{id}/run` (REFERENCE-monitors-mocks.md §1),
//! the provisional execution endpoints the official MCP server uses (§1.7, §6 #2), and the
//! scheduler: runs happen when the sandbox clock passes `schedule.nextRun` ([`run_due`]).
//! Every route is in the monitors' own 10-per-10-seconds bucket ([`crate::gate`]).

use super::{post_target_workspace, seg, Id, Sh, User};
use crate::clock::iso;
use crate::error::ApiError;
use crate::http::{Out, Req};
use crate::monitors::model::{self, StoredMonitor, StoredRun};
use crate::monitors::run::{self, Plan};
use crate::policy;
use crate::rng::{b64_decode, b64_encode};
use crate::shared::{read, write, Shared};
use crate::state::{split_id, usage_key};
use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

pub fn routes() -> Router<Arc<Shared>> {
    let one = get(get_one).put(put).delete(delete);
    super::resource("monitors", get(list).post(create), one)
        .route("/monitors/{id}/run", post(run_now))
        .route("/monitors/{id}/executions", get(executions))
        .route(
            "/monitors/{id}/executions/{execution}/runs",
            get(execution_runs),
        )
        .route("/monitors/{id}/runs/{run}/results", get(run_results))
}

/// Page size of `GET /monitors` (and its maximum).
const PAGE_MAX: usize = 25;
/// Scheduled runs one clock move may owe a monitor (the newest are run).
const DUE_MAX: usize = 10;
/// How long `?async=true` waits for a run before it answers `running` (a run that is done by
/// then reports its outcome, as the spec's example does). UNCONFIRMED (§6 #5).
const ASYNC_GRACE: Duration = Duration::from_millis(1500);

fn bad_request(message: &str) -> ApiError {
    ApiError::classic(400, "badRequest", message)
}

fn sees(st: &crate::state::State, u: u64, m: &StoredMonitor) -> bool {
    st.can_see_id(u, &m.workspace)
}

/// The monitor `raw` names if `u` sees it (ID or UID).
fn find<'a>(st: &'a crate::state::State, u: u64, raw: &str) -> Result<&'a StoredMonitor, ApiError> {
    st.monitor_at(raw)
        .filter(|m| sees(st, u, m))
        .ok_or_else(model::not_found)
}

fn cursor_of(offset: usize) -> String {
    b64_encode(format!("monitors:{offset}").as_bytes())
}

fn offset_of(cursor: &str) -> Option<usize> {
    let raw = String::from_utf8(b64_decode(cursor)?).ok()?;
    raw.strip_prefix("monitors:")?.parse().ok()
}

/// Where the page `?cursor=` asks for starts (0 without one; 400 for a cursor we did not make).
fn cursor_offset(req: &Req) -> Result<usize, ApiError> {
    match req.q("cursor").filter(|c| !c.is_empty()) {
        None => Ok(0),
        Some(c) => {
            offset_of(c).ok_or_else(|| bad_request("Invalid cursor query parameter passed."))
        }
    }
}

async fn list(State(sh): Sh, User { id: u, .. }: User, req: Req) -> Result<Out, ApiError> {
    let st = read(&sh.state);
    let ws = req.q("workspace").filter(|w| !w.is_empty());
    if let Some(w) = ws {
        if w.chars().count() != 36 {
            return Err(bad_request(&format!(
                "Workspace ID must be 36 characters ({}).",
                w.chars().count()
            )));
        }
        if !st.can_see_id(u, w) {
            return Err(ApiError::classic(
                404,
                "instanceNotFoundError",
                "Workspace not found",
            ));
        }
    }
    let active = match req.q("active") {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => return Err(bad_request("Active must be a boolean.")),
    };
    let owner = match req.q("owner") {
        None => None,
        Some(o) => Some(
            o.parse::<u64>()
                .map_err(|_| bad_request("Owner user ID must be an integer."))?,
        ),
    };
    let limit = match req.q("limit") {
        None => PAGE_MAX,
        Some(l) => match l.parse::<usize>() {
            Ok(n) if (1..=PAGE_MAX).contains(&n) => n,
            _ => return Err(bad_request("Query param limit cannot exceed 25.")),
        },
    };
    let offset = cursor_offset(&req)?;
    let collection = req.q("collectionUid");
    let environment = req.q("environmentUid");
    let mut all: Vec<&StoredMonitor> = st
        .monitors
        .values()
        .filter(|m| sees(&st, u, m))
        .filter(|m| ws.is_none_or(|w| m.workspace == w))
        .filter(|m| active.is_none_or(|a| m.active == a))
        .filter(|m| owner.is_none_or(|o| m.owner == o))
        .filter(|m| collection.is_none_or(|c| m.collection_uid == c))
        .filter(|m| environment.is_none_or(|e| m.environment_uid.as_deref() == Some(e)))
        .collect();
    all.sort_by_key(|m| m.seq);
    let page: Vec<Value> = all
        .iter()
        .skip(offset)
        .take(limit)
        .map(|m| m.summary())
        .collect();
    let next = if offset + limit < all.len() {
        cursor_of(offset + limit)
    } else {
        String::new()
    };
    Ok(Out::ok(
        json!({"monitors": page, "meta": {"nextCursor": next, "limit": limit}}),
    ))
}

/// The visible collection and environment a create body names, as UIDs.
fn targets(
    st: &crate::state::State,
    u: u64,
    new: &model::NewMonitor,
) -> Result<(String, Option<String>), ApiError> {
    let c = st
        .collection_at(&new.collection)
        .filter(|c| st.can_see_id(u, &c.c.workspace))
        .ok_or_else(policy::monitor_collection_not_found)?;
    let e = match &new.environment {
        None => None,
        Some(raw) => Some(
            st.environment_at(raw)
                .filter(|e| st.can_see_id(u, &e.e.workspace))
                .ok_or_else(policy::monitor_environment_not_found)?
                .e
                .uid(),
        ),
    };
    Ok((c.c.uid(), e))
}

async fn create(State(sh): Sh, User { id: u, now }: User, req: Req) -> Result<Out, ApiError> {
    let body = req.json()?;
    let new = model::new_monitor(model::monitor_of(&body)?, now)?;
    let mut st = write(&sh.state);
    let ws = post_target_workspace(&st, &req, u)?;
    let (collection_uid, environment_uid) = targets(&st, u, &new)?;
    st.seq += 1;
    let seq = st.seq;
    let id = st.rng.uuid();
    let mut m = StoredMonitor {
        id: id.clone(),
        owner: u,
        workspace: ws,
        name: new.name.clone(),
        collection_uid,
        environment_uid,
        active: true,
        notification_limit: None,
        retry: None,
        options: Default::default(),
        notifications: Default::default(),
        distribution: Vec::new(),
        cron: String::new(),
        timezone: model::DEFAULT_TIMEZONE.into(),
        next_run: None,
        scheduled_through: now,
        job_id: None,
        last_run: None,
        runs: Vec::new(),
        created_at: now,
        seq,
    };
    m.apply(new.settings, now);
    let out = m.short_body();
    st.monitors.insert(id, m);
    drop(st);
    sh.dirty();
    Ok(Out::ok(out))
}

async fn get_one(State(sh): Sh, User { id: u, .. }: User, Id(raw): Id) -> Result<Out, ApiError> {
    let st = read(&sh.state);
    Ok(Out::ok(find(&st, u, &raw)?.full_body()))
}

async fn put(
    State(sh): Sh,
    User { id: u, now }: User,
    Id(raw): Id,
    req: Req,
) -> Result<Out, ApiError> {
    let body = req.json()?;
    let mut st = write(&sh.state);
    let id = find(&st, u, &raw)?.id.clone();
    let m = model::monitor_of(&body)?;
    if m.is_empty() {
        return Err(policy::monitor_update_empty());
    }
    let settings = model::update(m, now)?;
    let Some(m) = st.monitors.get_mut(&id) else {
        return Err(model::not_found());
    };
    m.apply(settings, now);
    let out = m.short_body();
    drop(st);
    sh.dirty();
    Ok(Out::ok(out))
}

async fn delete(State(sh): Sh, User { id: u, .. }: User, Id(raw): Id) -> Result<Out, ApiError> {
    let mut st = write(&sh.state);
    let id = find(&st, u, &raw)?.id.clone();
    // Its run history goes with it (a paused monitor keeps it).
    let removed = st.monitors.remove(&id).ok_or_else(model::not_found)?;
    drop(st);
    sh.dirty();
    Ok(Out::ok(
        json!({"monitor": {"id": removed.id, "uid": removed.uid()}}),
    ))
}

/// The plan of a run of the monitor `id`, or why it cannot run.
fn plan_for(st: &crate::state::State, m: &StoredMonitor) -> Option<Plan> {
    let c = st.collection_at(&m.collection_uid)?;
    let env = match &m.environment_uid {
        None => None,
        Some(e) => Some(st.environment_at(e)?.e.values.as_slice()),
    };
    Some(Plan::of(m, &c.c.doc, env))
}

fn quota_left(sh: &Shared, st: &crate::state::State, owner: u64, now: i64) -> bool {
    let used = st
        .monitor_usage
        .get(&usage_key(owner, now))
        .copied()
        .unwrap_or(0);
    used < read(&sh.limits).monitor_runs_monthly
}

/// Stores a finished run on its monitor (if it still exists) and counts its requests.
fn record(
    sh: &Shared,
    monitor_id: &str,
    owner: u64,
    trigger: &str,
    job_id: String,
    done: &run::Done,
) {
    let mut st = write(&sh.state);
    let key = usage_key(owner, done.started_at);
    *st.monitor_usage.entry(key).or_insert(0) += done.requests;
    if let Some(m) = st.monitors.get_mut(monitor_id) {
        m.record(StoredRun {
            job_id,
            trigger: trigger.into(),
            started_at: done.started_at,
            finished_at: done.finished_at,
            run: done.run.clone(),
        });
    }
    drop(st);
    sh.dirty();
}

/// Starts a run in a task of its own (it outlives a 202 or an async answer) and gives the
/// handle that yields its result once recorded.
fn start_run(
    sh: &Arc<Shared>,
    m: &StoredMonitor,
    plan: Plan,
    trigger: &'static str,
    at: i64,
    job_id: String,
) -> tokio::task::JoinHandle<run::Done> {
    let sh = sh.clone();
    let (id, owner) = (m.id.clone(), m.owner);
    tokio::spawn(async move {
        let done = run::execute(plan, at, job_id.clone()).await;
        record(&sh, &id, owner, trigger, job_id, &done);
        done
    })
}

async fn run_now(
    State(sh): Sh,
    User { id: u, now }: User,
    Id(raw): Id,
    req: Req,
) -> Result<Out, ApiError> {
    let want_async = req.q("async") == Some("true");
    let (m, plan, job_id) = {
        let mut st = write(&sh.state);
        let m = find(&st, u, &raw)?.clone();
        if !quota_left(&sh, &st, m.owner, now) {
            return Err(policy::service_limit_exhausted());
        }
        // A run of a monitor whose collection is gone fails at once, as the real one does
        // when it is deactivated.
        let plan = plan_for(&st, &m).ok_or_else(policy::monitor_collection_not_found)?;
        (m, plan, st.rng.uuid())
    };
    let info_running = json!({"run": {"info": {"jobId": job_id, "monitorId": m.id, "name": m.name,
        "collectionUid": m.collection_uid, "status": "running", "startedAt": iso(now)}}});
    let handle = start_run(&sh, &m, plan, "manual", now, job_id);
    if want_async {
        return Ok(match tokio::time::timeout(ASYNC_GRACE, handle).await {
            Ok(Ok(done)) => Out::ok(json!({"run": {"info": done.run["run"]["info"]}})),
            _ => Out::ok(info_running),
        });
    }
    let wait = read(&sh.limits).monitor_run_wait;
    // No wait at all is "every run outlasts it": a run that finished before the answer is
    // written still answers 202 (the run goes on, as it does past the real wait).
    let answer = if wait.is_zero() {
        None
    } else {
        tokio::time::timeout(wait, handle).await.ok()
    };
    match answer {
        Some(Ok(done)) => Ok(Out::ok(done.run)),
        Some(Err(_)) => Err(policy::server_error()),
        None => Ok(Out::json(
            202,
            &json!({"run": {"info": {"monitorId": m.id, "status": "running",
                "message": "The request is taking longer than expected, but is processing. To avoid this in future requests, pass the 'async=true' query parameter to use the  async option."}}}),
        )),
    }
}

/// A monitor's scheduled runs that are due: the monitor as it was, its plan, and each run's
/// (scheduled time, job id).
type Owed = (StoredMonitor, Plan, Vec<(i64, String)>);

/// Runs every scheduled run the sandbox clock has passed, and waits for them (at most
/// [`DUE_MAX`] per monitor: the newest; the older ones are skipped, as runs are while a
/// monitor's quota is used up). Paused monitors and monitors without their collection do not
/// run, and their missed runs are not owed later.
pub async fn run_due(sh: &Arc<Shared>) {
    let _one_at_a_time = sh.scheduler.lock().await;
    let now = sh.now();
    let any_due = read(&sh.state)
        .monitors
        .values()
        .any(|m| m.next_run.is_some_and(|n| n <= now));
    if !any_due {
        return;
    }
    let mut owed: Vec<Owed> = Vec::new();
    {
        let mut st = write(&sh.state);
        let ids: Vec<String> = st.monitors.keys().cloned().collect();
        let mut changed = false;
        for id in ids {
            let Some(m) = st.monitors.get(&id) else {
                continue;
            };
            // Nothing is due before `nextRun` (a monitor that never fires again has none).
            if m.next_run.is_none_or(|n| n > now) {
                continue;
            }
            let due = match m.schedule() {
                Some(s) if m.active => s.due(m.scheduled_through, now, DUE_MAX),
                _ => Vec::new(),
            };
            let plan = plan_for(&st, m);
            let quota = quota_left(sh, &st, m.owner, now);
            let snapshot = m.clone();
            let mut jobs = Vec::new();
            if let (Some(plan), true, false) = (plan, quota, due.is_empty()) {
                for at in due {
                    jobs.push((at, st.rng.uuid()));
                }
                owed.push((snapshot, plan, jobs));
            }
            changed = true;
            if let Some(m) = st.monitors.get_mut(&id) {
                m.scheduled_through = now;
                m.next_run = m.schedule().and_then(|s| s.next_after(now));
            }
        }
        if changed {
            drop(st);
            sh.dirty();
        }
    }
    for (m, plan, jobs) in owed {
        for (at, job_id) in jobs {
            let _ = start_run(sh, &m, plan.clone(), "scheduled", at, job_id).await;
        }
    }
}

/// Checks the schedules every second of real time until `stop` (the clock may also be moved
/// through `/_sandbox/clock`, which runs what it passed at once).
pub async fn scheduler(sh: Arc<Shared>, mut stop: tokio::sync::watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => run_due(&sh).await,
            _ = crate::shared::stopped(&mut stop) => return,
        }
    }
}

/// The §1.7 endpoints take the bare monitor ID only.
fn find_bare<'a>(
    st: &'a crate::state::State,
    u: u64,
    raw: &str,
) -> Result<&'a StoredMonitor, ApiError> {
    if split_id(raw).0.is_some() {
        return Err(model::not_found());
    }
    find(st, u, raw)
}

fn results_of(r: &StoredRun) -> Value {
    let s = &r.run["run"]["stats"];
    json!({"status": r.run["run"]["info"]["status"], "assertions": s["assertions"],
        "requests": s["requests"], "errorCount": s["errorCount"],
        "responseLatency": s["responseLatency"]})
}

/// `GET /monitors/{id}/executions?cursor=`: the runs, newest first, 25 a page. PROVISIONAL
/// shape (§6 #2): `{"executions":[{id, state, trigger, results, createdAt, finishedAt}],
/// "meta":{"nextCursor": "" on the last page}}`.
async fn executions(
    State(sh): Sh,
    User { id: u, .. }: User,
    Id(raw): Id,
    req: Req,
) -> Result<Out, ApiError> {
    let st = read(&sh.state);
    let m = find_bare(&st, u, &raw)?;
    let offset = cursor_offset(&req)?;
    let page: Vec<Value> = m
        .runs
        .iter()
        .rev()
        .skip(offset)
        .take(PAGE_MAX)
        .map(|r| {
            json!({"id": r.job_id, "state": "finished", "trigger": r.trigger,
                "results": results_of(r), "createdAt": iso(r.started_at),
                "finishedAt": iso(r.finished_at)})
        })
        .collect();
    let next = if offset + PAGE_MAX < m.runs.len() {
        cursor_of(offset + PAGE_MAX)
    } else {
        String::new()
    };
    Ok(Out::ok(
        json!({"executions": page, "meta": {"nextCursor": next}}),
    ))
}

fn run_id(job: &str) -> String {
    format!("{job}-1")
}

/// The stored run that segment 3 of the path names (`is`: how an id names a run), of the
/// monitor the bare id `raw` names.
fn stored_run<'a>(
    st: &'a crate::state::State,
    u: u64,
    raw: &str,
    req: &Req,
    is: impl Fn(&StoredRun, &str) -> bool,
) -> Result<(&'a StoredMonitor, &'a StoredRun), ApiError> {
    let m = find_bare(st, u, raw)?;
    let wanted = seg(&req.path, 3);
    let r = m.runs.iter().find(|r| is(r, wanted));
    Ok((m, r.ok_or_else(model::not_found)?))
}

/// `GET /monitors/{id}/executions/{executionId}/runs`. PROVISIONAL: one run per execution
/// (the regions' results are summed in it), id `<executionId>-1`.
async fn execution_runs(
    State(sh): Sh,
    User { id: u, .. }: User,
    Id(raw): Id,
    req: Req,
) -> Result<Out, ApiError> {
    let st = read(&sh.state);
    let (m, r) = stored_run(&st, u, &raw, &req, |r, id| r.job_id == id)?;
    let region = m
        .distribution
        .first()
        .and_then(|d| d["region"].as_str())
        .unwrap_or("us-east");
    Ok(Out::ok(
        json!({"runs": [{"id": run_id(&r.job_id), "region": region, "state": "finished",
        "results": results_of(r), "startedAt": iso(r.started_at), "finishedAt": iso(r.finished_at)}]}),
    ))
}

/// `GET /monitors/{id}/runs/{runId}/results`. PROVISIONAL: the counts, and the run's events:
/// `beforeItem` (with the request and its response: code, time, size) and `assertion` (name,
/// passed, error), plus `error` events. An execution id here is a 404, as [MCP] says.
async fn run_results(
    State(sh): Sh,
    User { id: u, .. }: User,
    Id(raw): Id,
    req: Req,
) -> Result<Out, ApiError> {
    let st = read(&sh.state);
    let (_, r) = stored_run(&st, u, &raw, &req, |r, id| run_id(&r.job_id) == id)?;
    let mut logs = Vec::new();
    let failures = r.run["run"]["failures"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for e in r.run["run"]["executions"].as_array().into_iter().flatten() {
        let mut item = json!({"type": "beforeItem", "item": e["item"],
            "request": {"method": e["request"]["method"], "url": e["request"]["url"]},
            "timestamp": e["request"]["timestamp"]});
        if let Some(resp) = e.get("response") {
            item["response"] = json!({"code": resp["code"], "responseTime": resp["responseTime"],
                "responseSize": resp["responseSize"]});
        }
        logs.push(item);
        for (name, passed) in e["assertions"].as_object().into_iter().flatten() {
            let mut a = json!({"type": "assertion", "item": e["item"], "assertion": name,
                "passed": passed});
            if passed == &json!(false) {
                if let Some(f) = failures
                    .iter()
                    .find(|f| f["executionId"] == e["id"] && f["name"] == json!(name))
                {
                    a["error"] = f["message"].clone();
                }
            }
            logs.push(a);
        }
        for err in e["errors"].as_array().into_iter().flatten() {
            logs.push(json!({"type": "error", "item": e["item"], "error": err}));
        }
    }
    Ok(Out::ok(json!({"results": results_of(r), "logs": logs})))
}
