//! Checks on the outcome of a save, shared by the drafts and library tests (both depend on
//! postdesk-drafts, which the other targets that include `common` do not).
#![allow(dead_code)] // each test file uses its own subset

use postdesk_drafts::{SaveMethod, SaveOutcome};
use serde_json::Value;

/// The new `updatedAt` of a save that went through by `method`; fails the test on any other
/// outcome.
pub fn assert_saved(out: &SaveOutcome, method: SaveMethod) -> Option<String> {
    match out {
        SaveOutcome::Saved {
            method: m,
            updated_at,
        } if *m == method => updated_at.clone(),
        _ => panic!("expected a save by {method:?}: {out:?}"),
    }
}

/// Mine and theirs of a save refused for a conflict; fails the test on any other outcome.
pub fn expect_conflict(out: SaveOutcome) -> (Value, Value) {
    let SaveOutcome::Conflict { mine, theirs } = out else {
        panic!("expected a conflict: {out:?}")
    };
    (mine, theirs)
}
