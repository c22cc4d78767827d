//! Injected faults (`/_sandbox/faults`): what they are and which request one hits. The gate
//! applies them to API requests; the transport carries out the TCP-level ones (reset,
//! truncate-and-abort).

use crate::shared::{lock, Shared};
use std::sync::atomic::Ordering;

/// An injected fault (see `/_sandbox/faults`).
#[derive(Debug, Clone, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    /// `"*"` (every API route) or a route pattern such as `"GET /collections/{id}"`.
    pub route: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    pub reset: bool,
    pub truncate: bool,
    pub storm429: bool,
    /// How many more requests it applies to (None = until cleared).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub times: Option<u64>,
}

/// Takes the first matching fault (consuming one of its `times`).
pub fn take_fault(sh: &Shared, route: &str) -> Option<Fault> {
    if !sh.faults_on.load(Ordering::Relaxed) {
        return None;
    }
    let mut faults = lock(&sh.faults);
    let idx = faults
        .iter()
        .position(|f| f.route == route)
        .or_else(|| faults.iter().position(|f| f.route == "*"))?;
    let f = faults[idx].clone();
    if let Some(t) = faults[idx].times.as_mut() {
        *t = t.saturating_sub(1);
        if *t == 0 {
            faults.remove(idx);
            if faults.is_empty() {
                sh.faults_on.store(false, Ordering::Relaxed);
            }
        }
    }
    Some(f)
}

/// Adds a fault (replacing an earlier one for the same route); returns them all.
pub fn add(sh: &Shared, f: Fault) -> Vec<Fault> {
    let mut faults = lock(&sh.faults);
    faults.retain(|x| x.route != f.route);
    faults.push(f);
    sh.faults_on.store(true, Ordering::Relaxed);
    faults.clone()
}

/// Clears every fault.
pub fn clear(sh: &Shared) {
    lock(&sh.faults).clear();
    sh.faults_on.store(false, Ordering::Relaxed);
}
