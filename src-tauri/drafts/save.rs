//! [`save_draft`]: sends a draft to the server without ever losing it.
//!
//! 1. The draft is stored first (so it survives whatever happens next) and checked locally
//!    (a collection against the v2.1 schema): an invalid draft sends nothing.
//! 2. Conflict check with the cheapest call (`GET /collections/{uid}?model=minimal`, or
//!    `GET /environments/{id}`): when the server's `updatedAt` is no longer the draft's
//!    `base_updated_at`, the full server version is fetched and [`SaveOutcome::Conflict`] is
//!    returned; nothing is written.
//! 3. Collections: when only `info.name`/`info.description`, `variable`, `auth` or `event`
//!    changed (the tree still has the draft's `base_digest`) → `PATCH` with just those parts
//!    (`event` is sent as `events`); otherwise `PUT` of the whole document, which keeps every
//!    item that carries its `id`; a document larger than [`SaveOptions::async_threshold_bytes`]
//!    goes with `Prefer: respond-async` and the task is polled with bounded backoff.
//!    Environments: JSON-patch `replace` operations when only names/fields of existing
//!    variables changed, `PUT` otherwise.
//! 4. The new `updatedAt` is read back (`model=minimal`; a PATCH of an environment returns it)
//!    and the draft is discarded. Any failure keeps the draft and says why.
//!
//! Calls per save of a collection: 3 (check, write, read-back) plus the task polls; plus one
//! full GET only on a conflict. Environments: 2 with PATCH, 3 with PUT.

use std::time::Duration;
use tokio::time::Instant;

use postman_client::{Client, EnvVar, PatchOp, TaskStatus};
use serde::Serialize;
use serde_json::{json, Map, Value};
use ts_rs::TS;

use super::store::{tree_digest, Draft, DraftKind, DraftStore};
use super::validate::{validate_collection, DraftError};
use super::DraftsError;

/// How a save is performed.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveOptions {
    /// Serialised collections larger than this are sent with `Prefer: respond-async`.
    pub async_threshold_bytes: usize,
    /// First wait before polling the update task; doubles up to `max_poll`.
    pub first_poll: Duration,
    pub max_poll: Duration,
    /// Give up waiting for the task after this long (the draft is kept).
    pub max_wait: Duration,
}

impl Default for SaveOptions {
    fn default() -> Self {
        SaveOptions {
            async_threshold_bytes: 5 * 1024 * 1024,
            first_poll: Duration::from_millis(250),
            max_poll: Duration::from_secs(3),
            max_wait: Duration::from_secs(600),
        }
    }
}

/// How the draft was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SaveMethod {
    /// Nothing differed from the server: no write.
    Unchanged,
    /// The server already had this very version (an earlier save went through, its answer was
    /// lost): nothing was sent again.
    AlreadyThere,
    Patch,
    Put,
    PutAsync,
}

/// Where a save is (for a progress bar).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "stage")]
pub enum SaveProgress {
    Checking,
    #[serde(rename_all = "camelCase")]
    Sending {
        method: SaveMethod,
        bytes: f64,
    },
    /// The async update task is still running.
    #[serde(rename_all = "camelCase")]
    Waiting {
        polls: u32,
        elapsed_ms: f64,
    },
    Confirming,
}

/// The result of a save that did not fail.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "outcome")]
pub enum SaveOutcome {
    /// The server has the draft; the draft was discarded.
    #[serde(rename_all = "camelCase")]
    Saved {
        method: SaveMethod,
        updated_at: Option<String>,
    },
    /// The server changed since editing started: nothing was written, the draft is kept.
    Conflict {
        #[ts(type = "unknown")]
        mine: Value,
        #[ts(type = "unknown")]
        theirs: Value,
    },
}

/// Saves `draft` (see the module docs). `progress` is called at each stage.
pub async fn save_draft(
    client: &Client,
    store: &DraftStore,
    draft: &Draft,
    opts: &SaveOptions,
    progress: &mut (dyn FnMut(SaveProgress) + Send),
) -> Result<SaveOutcome, DraftsError> {
    let draft = store.put(draft)?;
    let outcome = match draft.kind {
        DraftKind::Collection => save_collection(client, &draft, opts, progress).await?,
        DraftKind::Environment => save_environment(client, &draft, progress).await?,
    };
    if matches!(outcome, SaveOutcome::Saved { .. }) {
        store.discard(draft.kind, &draft.id)?;
    }
    Ok(outcome)
}

fn invalid(path: &str, message: &str) -> DraftsError {
    DraftsError::Invalid(vec![DraftError {
        path: path.to_owned(),
        line: 1,
        column: 1,
        message: message.to_owned(),
    }])
}

/// Whether two versions of a collection say the same (what a person edits: the name, the
/// description, the items, variables, auth and scripts), whatever the server stamped on them
/// (`createdAt`, `updatedAt`, `lastUpdatedBy`, at any depth).
fn same_collection(a: &Value, b: &Value) -> bool {
    fn unstamped(v: &Value) -> Value {
        match v {
            Value::Object(o) => Value::Object(
                o.iter()
                    .filter(|(k, _)| {
                        !matches!(k.as_str(), "createdAt" | "updatedAt" | "lastUpdatedBy")
                    })
                    .map(|(k, x)| (k.clone(), unstamped(x)))
                    .collect(),
            ),
            Value::Array(xs) => Value::Array(xs.iter().map(unstamped).collect()),
            other => other.clone(),
        }
    }
    let part = |v: &Value, k: &str| match v.get(k) {
        None | Some(Value::Null) => Value::Null,
        Some(Value::Array(x)) if x.is_empty() => Value::Null,
        Some(x) => unstamped(x),
    };
    let info = |v: &Value, k: &str| v.get("info").map(|i| part(i, k)).unwrap_or(Value::Null);
    ["item", "variable", "auth", "event"]
        .iter()
        .all(|k| part(a, k) == part(b, k))
        && ["name", "description"]
            .iter()
            .all(|k| info(a, k) == info(b, k))
}

fn updated_at(v: &Value) -> Option<String> {
    v.get("info")
        .and_then(|i| i.get("updatedAt"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

async fn save_collection(
    client: &Client,
    draft: &Draft,
    opts: &SaveOptions,
    progress: &mut (dyn FnMut(SaveProgress) + Send),
) -> Result<SaveOutcome, DraftsError> {
    let doc = &draft.doc;
    if !doc.is_object() {
        return Err(invalid("", "a collection must be a JSON object"));
    }
    validate_collection(doc).map_err(DraftsError::Invalid)?;
    progress(SaveProgress::Checking);
    let current = client.get_collection(&draft.id, true, true).await?.data.raw;
    if let Some(base) = &draft.base_updated_at {
        if updated_at(&current).as_deref() != Some(base.as_str()) {
            let theirs = client
                .get_collection(&draft.id, false, true)
                .await?
                .data
                .raw;
            // The server already holds this very draft (an earlier save went through but its
            // answer was lost): saved, and nothing is sent again.
            if same_collection(doc, &theirs) {
                return Ok(SaveOutcome::Saved {
                    method: SaveMethod::AlreadyThere,
                    updated_at: updated_at(&theirs),
                });
            }
            return Ok(SaveOutcome::Conflict {
                mine: doc.clone(),
                theirs,
            });
        }
    }
    let tree_unchanged = draft
        .base_digest
        .as_deref()
        .is_some_and(|d| d == tree_digest(doc));
    let method = match tree_unchanged
        .then(|| collection_patch(doc, &current))
        .flatten()
    {
        Some(patch) if patch.is_empty() => SaveMethod::Unchanged,
        Some(patch) => {
            let body = Value::Object(patch);
            progress(SaveProgress::Sending {
                method: SaveMethod::Patch,
                bytes: body.to_string().len() as f64,
            });
            client.patch_collection(&draft.id, body).await?;
            SaveMethod::Patch
        }
        None => put_collection(client, &draft.id, doc, opts, progress).await?,
    };
    progress(SaveProgress::Confirming);
    let now = client.get_collection(&draft.id, true, true).await?.data.raw;
    Ok(SaveOutcome::Saved {
        method,
        updated_at: updated_at(&now),
    })
}

/// The PATCH body (collection-level parts that differ from the server's minimal model), or
/// `None` when PATCH cannot express the change (then PUT).
fn collection_patch(doc: &Value, current: &Value) -> Option<Map<String, Value>> {
    let mut patch = Map::new();
    let get = |v: &Value, k: &str| v.get(k).cloned().unwrap_or(Value::Null);
    let info = get(doc, "info");
    let cur_info = get(current, "info");
    let mut info_patch = Map::new();
    for k in ["name", "description"] {
        let mine = get(&info, k);
        if mine != get(&cur_info, k) {
            if mine.is_null() {
                return None;
            }
            info_patch.insert(k.to_owned(), mine);
        }
    }
    if !info_patch.is_empty() {
        patch.insert("info".into(), Value::Object(info_patch));
    }
    let variable = get(doc, "variable");
    if variable != get(current, "variable") {
        // PATCH takes only `key`, `value`, `disabled` per variable.
        let ok = variable.as_array().is_some_and(|a| {
            a.iter().all(|v| {
                v.as_object().is_some_and(|o| {
                    o.contains_key("value")
                        && o.keys()
                            .all(|k| matches!(k.as_str(), "key" | "value" | "disabled"))
                })
            })
        });
        if !ok {
            return None;
        }
        patch.insert("variable".into(), variable);
    }
    let auth = get(doc, "auth");
    if auth != get(current, "auth") {
        if auth.is_null() {
            return None;
        }
        patch.insert("auth".into(), auth);
    }
    let event = get(doc, "event");
    let cur_event = match current.get("events").or_else(|| current.get("event")) {
        Some(v) => v.clone(),
        None => Value::Null,
    };
    let empty = |v: &Value| v.is_null() || v.as_array().is_some_and(Vec::is_empty);
    if event != cur_event && !(empty(&event) && empty(&cur_event)) {
        // Each event needs a client-supplied `script.id`.
        let ok = event.as_array().is_some_and(|a| {
            a.iter().all(|e| {
                e.get("script")
                    .and_then(|s| s.get("id"))
                    .is_some_and(Value::is_string)
            })
        });
        if !ok {
            return None;
        }
        patch.insert("events".into(), event);
    }
    Some(patch)
}

async fn put_collection(
    client: &Client,
    uid: &str,
    doc: &Value,
    opts: &SaveOptions,
    progress: &mut (dyn FnMut(SaveProgress) + Send),
) -> Result<SaveMethod, DraftsError> {
    let bytes = serde_json::to_vec(doc).map(|b| b.len()).unwrap_or(0);
    if bytes <= opts.async_threshold_bytes {
        progress(SaveProgress::Sending {
            method: SaveMethod::Put,
            bytes: bytes as f64,
        });
        client.put_collection(uid, doc.clone()).await?;
        return Ok(SaveMethod::Put);
    }
    progress(SaveProgress::Sending {
        method: SaveMethod::PutAsync,
        bytes: bytes as f64,
    });
    let task = client.put_collection_async(uid, doc.clone()).await?;
    let started = Instant::now();
    let mut status = task.status;
    let mut wait = opts.first_poll;
    let mut polls = 0u32;
    while status == TaskStatus::InProgress {
        if started.elapsed() >= opts.max_wait {
            return Err(DraftsError::TaskFailed(format!(
                "was still running after {} s (it may still finish; reload before saving again)",
                opts.max_wait.as_secs()
            )));
        }
        progress(SaveProgress::Waiting {
            polls,
            elapsed_ms: started.elapsed().as_millis() as f64,
        });
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(opts.max_poll);
        polls += 1;
        status = client.get_update_task(&task.id).await?.status;
    }
    match status {
        TaskStatus::Successful => Ok(SaveMethod::PutAsync),
        TaskStatus::Failed => Err(DraftsError::TaskFailed(
            "reported that the update failed".into(),
        )),
        other => Err(DraftsError::TaskFailed(format!(
            "answered with an unknown status ({other:?})"
        ))),
    }
}

async fn save_environment(
    client: &Client,
    draft: &Draft,
    progress: &mut (dyn FnMut(SaveProgress) + Send),
) -> Result<SaveOutcome, DraftsError> {
    let doc = &draft.doc;
    let name = doc
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| invalid("name", "an environment needs a name"))?;
    let values: Vec<EnvVar> = match doc.get("values") {
        None | Some(Value::Null) => Vec::new(),
        Some(v @ Value::Array(_)) => serde_json::from_value(v.clone())
            .map_err(|e| invalid("values", &format!("the variables could not be read ({e})")))?,
        Some(_) => return Err(invalid("values", "the variables must be a list")),
    };
    if let Some(i) = values.iter().position(|v| v.key.is_empty()) {
        return Err(invalid(
            &format!("values[{i}].key"),
            "a variable needs a name",
        ));
    }
    progress(SaveProgress::Checking);
    let current = client.get_environment(&draft.id, true).await?.data;
    if let Some(base) = &draft.base_updated_at {
        let already = current.name == name
            && serde_json::to_value(&current.values).ok() == serde_json::to_value(&values).ok();
        if current.updated_at.as_deref() != Some(base.as_str()) && already {
            // An earlier save went through but its answer was lost: nothing is sent again.
            return Ok(SaveOutcome::Saved {
                method: SaveMethod::AlreadyThere,
                updated_at: current.updated_at,
            });
        }
        if current.updated_at.as_deref() != Some(base.as_str()) {
            return Ok(SaveOutcome::Conflict {
                mine: doc.clone(),
                theirs: serde_json::to_value(&current).unwrap_or(Value::Null),
            });
        }
    }
    let ops = env_ops(name, &values, &current.name, &current.values);
    match ops {
        Some(ops) if ops.is_empty() => Ok(SaveOutcome::Saved {
            method: SaveMethod::Unchanged,
            updated_at: current.updated_at,
        }),
        Some(ops) => {
            progress(SaveProgress::Sending {
                method: SaveMethod::Patch,
                bytes: json!(ops).to_string().len() as f64,
            });
            let env = client.patch_environment(&draft.id, &ops).await?;
            Ok(SaveOutcome::Saved {
                method: SaveMethod::Patch,
                updated_at: env.updated_at,
            })
        }
        None => {
            // The variables go as the draft has them: fields Postdesk does not model (a vault
            // secret's `source`, …) are kept.
            let raw_values = doc.get("values").cloned().unwrap_or_else(|| json!([]));
            progress(SaveProgress::Sending {
                method: SaveMethod::Put,
                bytes: raw_values.to_string().len() as f64,
            });
            client.put_environment(&draft.id, name, &raw_values).await?;
            progress(SaveProgress::Confirming);
            let env = client.get_environment(&draft.id, true).await?.data;
            Ok(SaveOutcome::Saved {
                method: SaveMethod::Put,
                updated_at: env.updated_at,
            })
        }
    }
}

/// `replace` operations turning the server's environment into the draft, or `None` when the
/// change needs more than field replacements (variables added, removed, fields appearing).
fn env_ops(name: &str, values: &[EnvVar], cur_name: &str, cur: &[EnvVar]) -> Option<Vec<PatchOp>> {
    if values.len() != cur.len() {
        return None;
    }
    let mut ops = Vec::new();
    if name != cur_name {
        ops.push(PatchOp::replace("/name", json!(name)));
    }
    for (i, (mine, theirs)) in values.iter().zip(cur).enumerate() {
        if mine.secret != theirs.secret {
            return None;
        }
        if mine.key != theirs.key {
            ops.push(PatchOp::replace(
                &format!("/values/{i}/key"),
                json!(mine.key),
            ));
        }
        let fields: [(&str, Option<Value>, Option<Value>); 4] = [
            (
                "value",
                mine.value.clone().map(Value::from),
                theirs.value.clone().map(Value::from),
            ),
            (
                "enabled",
                mine.enabled.map(Value::from),
                theirs.enabled.map(Value::from),
            ),
            (
                "type",
                mine.kind.clone().map(Value::from),
                theirs.kind.clone().map(Value::from),
            ),
            (
                "description",
                mine.description.clone().map(Value::from),
                theirs.description.clone().map(Value::from),
            ),
        ];
        for (field, m, t) in fields {
            match (m, t) {
                (Some(m), Some(t)) if m != t => {
                    ops.push(PatchOp::replace(&format!("/values/{i}/{field}"), m))
                }
                (Some(_), None) | (None, Some(_)) => return None,
                _ => {}
            }
        }
    }
    Some(ops)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_that_differs_only_in_server_stamps_is_the_same() {
        let mine = json!({"info": {"name": "A", "updatedAt": "1"}, "item": [{"name": "r", "updatedAt": "1"}]});
        let theirs = json!({"info": {"name": "A", "updatedAt": "2", "lastUpdatedBy": "9"}, "item": [{"name": "r", "updatedAt": "2", "createdAt": "0"}], "variable": []});
        assert!(same_collection(&mine, &theirs));
        let renamed = json!({"info": {"name": "A"}, "item": [{"name": "s"}]});
        assert!(!same_collection(&mine, &renamed));
    }

    fn var(key: &str, value: &str) -> EnvVar {
        EnvVar {
            key: key.into(),
            value: Some(value.into()),
            enabled: Some(true),
            ..Default::default()
        }
    }

    #[test]
    fn environment_edits_become_replace_ops_or_put() {
        let cur = vec![var("a", "1"), var("b", "2")];
        let ops = env_ops("E2", &[var("a", "1"), var("b", "3")], "E", &cur).unwrap();
        assert_eq!(
            ops,
            vec![
                PatchOp::replace("/name", json!("E2")),
                PatchOp::replace("/values/1/value", json!("3"))
            ]
        );
        assert_eq!(env_ops("E", &cur, "E", &cur), Some(vec![]));
        assert_eq!(env_ops("E", &[var("a", "1")], "E", &cur), None);
        let mut no_value = var("b", "2");
        no_value.value = None;
        assert_eq!(env_ops("E", &[var("a", "1"), no_value], "E", &cur), None);
    }

    #[test]
    fn collection_level_changes_become_a_patch() {
        let cur = json!({"info": {"name": "A", "updatedAt": "t"}, "events": [], "variable": [{"key": "k", "value": "v"}]});
        let doc = json!({"info": {"name": "B"}, "item": [], "variable": [{"key": "k", "value": "w"}],
            "event": [{"listen": "test", "script": {"id": "s1", "exec": ["1"]}}]});
        let p = collection_patch(&doc, &cur).unwrap();
        assert_eq!(p.get("info"), Some(&json!({"name": "B"})));
        assert_eq!(
            p.get("variable"),
            Some(&json!([{"key": "k", "value": "w"}]))
        );
        assert!(p.get("events").is_some() && p.get("event").is_none());
        // A secret-looking variable or an event without script id: PATCH cannot say it.
        let doc2 = json!({"info": {"name": "A"}, "variable": [{"key": "k", "value": "v", "type": "secret"}]});
        assert_eq!(collection_patch(&doc2, &cur), None);
        let same = json!({"info": {"name": "A"}, "variable": [{"key": "k", "value": "v"}]});
        assert_eq!(collection_patch(&same, &cur), Some(Map::new()));
    }
}
