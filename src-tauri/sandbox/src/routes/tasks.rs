//! Async collection updates (`PUT /collections/{id}` with `Prefer: respond-async`): the task
//! lifecycle (queued in-progress, applied when the sandbox clock reaches its due time) and
//! `GET /collection-updates-tasks/{id}`.

use super::{Id, Sh, User};
use crate::collections::StoredCollection;
use crate::error::ApiError;
use crate::http::Out;
use crate::policy;
use crate::shared::{lock, read, write, Shared, Task};
use axum::extract::State;
use axum::routing::get;
use axum::Router;
use serde_json::json;
use std::sync::Arc;

pub fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/collection-updates-tasks/{id}", get(get_one))
}

/// How many async update tasks are remembered before finished ones are forgotten.
const MAX_TASKS: usize = 10_000;

/// Applies due async updates (called before every collection read or write).
pub fn settle(sh: &Shared) {
    let now = sh.now();
    if !lock(&sh.tasks)
        .values()
        .any(|t| t.pending.is_some() && t.due_ms <= now)
    {
        return;
    }
    // Lock order everywhere: state, then tasks.
    let mut st = write(&sh.state);
    let mut tasks = lock(&sh.tasks);
    for t in tasks.values_mut() {
        if t.due_ms > now {
            continue;
        }
        if let Some(c) = t.pending.take() {
            match st.collections.get_mut(&t.collection_id) {
                Some(e) => {
                    e.c = c;
                    e.version += 1;
                    t.status = "successful";
                }
                None => t.status = "failed",
            }
        }
    }
    drop(tasks);
    drop(st);
    sh.dirty();
}

/// Is an update of this collection still in progress?
pub fn running(sh: &Shared, collection_id: &str) -> bool {
    lock(&sh.tasks)
        .values()
        .any(|t| t.pending.is_some() && t.collection_id == collection_id)
}

/// Queues `c` (validated) to replace its collection once the task duration has passed.
pub fn enqueue(sh: &Shared, task_id: String, c: StoredCollection, now: i64) {
    let took = read(&sh.task_duration).as_millis();
    let due_ms = now.saturating_add(i64::try_from(took).unwrap_or(i64::MAX));
    let mut tasks = lock(&sh.tasks);
    if tasks.len() >= MAX_TASKS {
        // Forget finished tasks (their ids then answer like unknown ones).
        tasks.retain(|_, t| t.pending.is_some());
    }
    tasks.insert(
        task_id,
        Task {
            collection_id: c.id.clone(),
            due_ms,
            pending: Some(c),
            status: "in-progress",
        },
    );
}

async fn get_one(State(sh): Sh, _: User, Id(id): Id) -> Result<Out, ApiError> {
    settle(&sh);
    let tasks = lock(&sh.tasks);
    let t = tasks.get(&id).ok_or_else(policy::task_not_found)?;
    Ok(Out::ok(json!({"id": id, "status": t.status})))
}
