//! Saving the working copy through the drafts' save protocol, and what the working copy becomes
//! afterwards (dropped after a PUT, so the next open reads the server's ids; kept, re-based,
//! when edits were made while the save ran).

use postdesk_drafts::{save_draft, tree_digest, DraftKind, SaveMethod, SaveOutcome, SaveProgress};
use postman_client::Client;
use serde::Serialize;
use ts_rs::TS;

use crate::working::Working;
use crate::{Library, LibraryError};

/// Where a save is, for the UI's progress bar (sent as an event).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveProgressEvent {
    pub kind: DraftKind,
    pub id: String,
    pub progress: SaveProgress,
}

impl Library {
    /// Saves the working copy (see [`save_draft`]). `overwrite`: the user chose "keep mine"
    /// in the conflict view, so the server's current version becomes the base first.
    /// On success the draft is gone; after a PUT the working copy is dropped, so the next
    /// open reads the server's version (with the ids it gave new items).
    pub async fn save(
        &self,
        client: &Client,
        kind: DraftKind,
        id: &str,
        overwrite: bool,
        progress: &mut (dyn FnMut(SaveProgress) + Send),
    ) -> Result<SaveOutcome, LibraryError> {
        let store = self.store()?;
        let account = self.account();
        let mut draft = match self.with_working(kind, id, |w| (w.draft.clone(), w.pristine)) {
            Ok((mut d, pristine)) => {
                if pristine {
                    d.digest_base();
                }
                d
            }
            Err(other @ LibraryError::OtherAccount { .. }) => return Err(other),
            Err(_) => store
                .get(kind, id)?
                .ok_or(postdesk_drafts::DraftsError::NotFound { kind: kind.noun() })?,
        };
        if overwrite {
            draft.base_updated_at = match kind {
                DraftKind::Collection => {
                    client
                        .get_collection(id, true, true)
                        .await?
                        .data
                        .info
                        .updated_at
                }
                DraftKind::Environment => client.get_environment(id, true).await?.data.updated_at,
            };
        }
        let outcome = save_draft(client, &store, &draft, &self.save_opts, progress).await?;
        if let SaveOutcome::Saved { method, updated_at } = &outcome {
            let key = (account.slug(), kind, id.to_owned());
            let mut open = self.lock();
            // Edits made while the save ran are newer than what was sent: keep them.
            let newer = open
                .get(&key)
                .is_some_and(|w| w.dirty && w.draft.doc != draft.doc);
            if newer {
                if let Some(w) = open.get_mut(&key) {
                    w.draft.base_updated_at = updated_at.clone();
                    let _ = store.put(&w.draft);
                }
            } else if matches!(method, SaveMethod::Put | SaveMethod::PutAsync) {
                open.remove(&key);
            } else {
                let mut d = draft;
                d.base_updated_at = updated_at.clone();
                if kind == DraftKind::Collection {
                    d.base_digest = Some(tree_digest(&d.doc));
                }
                // What was saved is the server's version as of now.
                let saved = postman_client::Freshness {
                    fetched_at: self.clock.now_ms() as f64,
                    from_cache: false,
                    failure: None,
                };
                open.insert(key, Working::new(d, false, account, Some(saved)));
            }
        }
        Ok(outcome)
    }
}
