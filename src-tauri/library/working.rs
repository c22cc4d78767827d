//! The working set: the open documents (kept in Rust, one per collection or environment), and
//! how an edit reaches the disk — applied in place, then stored as the draft before the call
//! returns. A document is loaded from its kept working copy, else its draft, else the server.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex};

use postdesk_drafts::{Draft, DraftKind};
use postman_client::{Client, Freshness, Taken};
use serde_json::Value;

use crate::outline::outline;
use crate::{Library, LibraryError};

pub(crate) struct Working {
    pub(crate) draft: Draft,
    /// Whose it is (the account that opened it).
    pub(crate) account: postdesk_base::Account,
    /// A draft file exists (the working copy differs from the server).
    pub(crate) dirty: bool,
    /// Size of the document as JSON (as received, or measured when loaded or stored).
    pub(crate) bytes: usize,
    /// Where the server's version came from (fetched, saved, or a refresh that failed);
    /// `None` when it was read from a draft kept on disk.
    pub(crate) source: Option<Freshness>,
    /// The document is the server's answer as read, never changed since: a large collection's
    /// only copy, handed back to the client's cache when it is closed.
    pub(crate) pristine: bool,
}

impl Working {
    pub(crate) fn new(
        draft: Draft,
        dirty: bool,
        account: postdesk_base::Account,
        source: Option<Freshness>,
    ) -> Self {
        let bytes = json_len(&draft.doc);
        Working {
            draft,
            account,
            dirty,
            bytes,
            source,
            pristine: false,
        }
    }

    /// The server's document as read (`bytes`: the answer's size): nothing walks it here. Its
    /// tree's digest, which a save needs, is taken before its first change ([`Library::change`]).
    pub(crate) fn received(
        kind: DraftKind,
        id: &str,
        doc: Value,
        bytes: Option<usize>,
        account: postdesk_base::Account,
        source: Option<Freshness>,
    ) -> Self {
        let bytes = bytes.unwrap_or_else(|| json_len(&doc));
        Working {
            draft: Draft::from_server_undigested(kind, id, doc),
            account,
            dirty: false,
            bytes,
            source,
            pristine: true,
        }
    }

    /// A large collection: held once, by this working copy, not also by the client's cache.
    fn held_once(&self) -> bool {
        self.draft.kind == DraftKind::Collection && self.bytes >= HELD_ONCE_FROM_BYTES
    }
}

/// From this size (compact JSON) on, an open collection read from the server is held once: by its
/// working copy, not also by the client's cache, which gets it back when it is closed unchanged.
pub(crate) const HELD_ONCE_FROM_BYTES: usize = 1024 * 1024;

/// (account slug, kind, id): a document open under one account is another's to no one.
pub(crate) type WorkKey = (String, DraftKind, String);

/// The open documents.
pub(crate) type OpenSet = Mutex<HashMap<WorkKey, Working>>;

fn lock_set(open: &OpenSet) -> std::sync::MutexGuard<'_, HashMap<WorkKey, Working>> {
    open.lock().unwrap_or_else(|e| e.into_inner())
}

/// How many opened documents are still being parsed behind their outline ([`Library::load`]):
/// the working set is read only once there are none, so every operation sees whole documents.
#[derive(Default)]
pub(crate) struct Parsing {
    count: Mutex<usize>,
    done: Condvar,
}

impl Parsing {
    fn begin(&self) {
        *self.count.lock().unwrap_or_else(|e| e.into_inner()) += 1;
    }
    fn end(&self) {
        let mut n = self.count.lock().unwrap_or_else(|e| e.into_inner());
        *n = n.saturating_sub(1);
        if *n == 0 {
            self.done.notify_all();
        }
    }
    /// Returns once no document is being parsed (a few hundred milliseconds at most: one parse).
    fn wait(&self) {
        let n = self.count.lock().unwrap_or_else(|e| e.into_inner());
        drop(
            self.done
                .wait_while(n, |n| *n > 0)
                .unwrap_or_else(|e| e.into_inner()),
        );
    }
}

/// Ends a parse when dropped, however the parse ended.
struct Parsed(std::sync::Arc<Parsing>);

impl Drop for Parsed {
    fn drop(&mut self) {
        self.0.end();
    }
}

impl Library {
    /// The working set, once every document opened is parsed whole.
    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<WorkKey, Working>> {
        self.parsing.wait();
        lock_set(&self.open)
    }

    /// The key of an element's working copy under the current account.
    pub(crate) fn key(&self, kind: DraftKind, id: &str) -> WorkKey {
        (self.account().slug(), kind, id.to_owned())
    }

    /// Why an element is not open under the current account: it is open (with unsaved edits)
    /// under another one, or not at all.
    pub(crate) fn not_open(
        open: &HashMap<WorkKey, Working>,
        kind: DraftKind,
        id: &str,
    ) -> LibraryError {
        match open
            .iter()
            .find(|((_, k, i), w)| *k == kind && i == id && w.dirty)
        {
            Some((_, w)) => LibraryError::OtherAccount {
                kind: kind.noun(),
                account: w.account.label.clone(),
            },
            None => LibraryError::NotOpen { kind: kind.noun() },
        }
    }

    /// Loads the working copy of an element: kept one, else its draft, else the server's.
    /// `force` re-reads the server when there is no unsaved change; when that fails (but for a
    /// document gone from the server), the copy shown stays, marked with why
    /// ([`Freshness::failure`]), so the view says it could not be refreshed and how old it is.
    ///
    /// A large collection fresh from the server is parsed twice at once: its outline here
    /// (what the view reads, [`outline`]), returned as a working copy to draw the view from,
    /// and the whole document behind it, on a blocking thread, into the working set, which
    /// every other operation waits for ([`Library::lock`]).
    pub(crate) async fn load(
        &self,
        client: &Client,
        kind: DraftKind,
        id: &str,
        force: bool,
    ) -> Result<Option<Working>, LibraryError> {
        let key = self.key(kind, id);
        {
            let open = self.lock();
            if let Some(w) = open.get(&key) {
                if w.dirty || !force {
                    return Ok(None);
                }
            }
        }
        let account = self.account();
        if let Some(draft) = self.store()?.get(kind, id)? {
            let working = Working::new(draft, true, account, None);
            self.lock().insert(key, working);
            return Ok(None);
        }
        // A large collection is held once: the client's cache lets go of it while it is open.
        let fetched = match kind {
            DraftKind::Collection => client
                .take_collection(id, force, HELD_ONCE_FROM_BYTES)
                .await
                .map(|f| f.map(|(doc, bytes)| (doc, Some(bytes)))),
            DraftKind::Environment => client
                .get_environment_json(id, force)
                .await
                .map(|f| f.map(|doc| (Taken::Parsed(doc), None))),
        };
        let fetched = match fetched {
            Ok(f) => f,
            Err(e) if !matches!(e, postman_client::Error::NotFound { .. }) => {
                let mut open = self.lock();
                return match open.get_mut(&key) {
                    Some(w) => {
                        let shown = w.source.clone().map(|s| s.fetched_at);
                        w.source = Some(Freshness {
                            fetched_at: shown.unwrap_or(0.0),
                            from_cache: true,
                            failure: Some(e.to_string()),
                        });
                        Ok(None)
                    }
                    None => Err(e.into()),
                };
            }
            Err(e) => return Err(e.into()),
        };
        let source = Some(fetched.freshness());
        let (server, bytes) = match fetched.data {
            (Taken::Parsed(doc), bytes) => (doc, bytes),
            (Taken::Body(body), bytes) => match outline(&body) {
                Some(outline) => {
                    let shown = Working::received(
                        kind,
                        id,
                        outline,
                        bytes,
                        account.clone(),
                        source.clone(),
                    );
                    self.parse_behind(key, id, body, bytes, account, source);
                    return Ok(Some(shown));
                }
                // It does not parse (or holds no collection): the whole parse says why.
                None => (postman_client::collection_of_body(&body)?, bytes),
            },
        };
        let working = Working::received(kind, id, server, bytes, account, source);
        insert_unless_edited(&self.open, key, working);
        Ok(None)
    }

    /// Parses a collection's `body` whole on a blocking thread (inline without a runtime) into
    /// the working set; every operation on the working set waits for it ([`Parsing`]).
    fn parse_behind(
        &self,
        key: WorkKey,
        id: &str,
        body: Vec<u8>,
        bytes: Option<usize>,
        account: postdesk_base::Account,
        source: Option<Freshness>,
    ) {
        self.parsing.begin();
        let parsed = Parsed(self.parsing.clone());
        let open = self.open.clone();
        let id = id.to_owned();
        let job = move || {
            let _parsed = parsed;
            // The outline parsed, so the document does: same bytes, same parser.
            if let Ok(doc) = postman_client::collection_of_body(&body) {
                drop(body);
                let w = Working::received(DraftKind::Collection, &id, doc, bytes, account, source);
                insert_unless_edited(&open, key, w);
            }
            // The body is dropped (and the outline, once the view was drawn from it; a forced
            // re-open also drops the copy it replaced): their pages go back to the system.
            postdesk_base::memory::give_back_freed_memory();
        };
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => drop(rt.spawn_blocking(job)),
            Err(_) => job(),
        }
    }

    pub(crate) fn with_working<T>(
        &self,
        kind: DraftKind,
        id: &str,
        f: impl FnOnce(&Working) -> T,
    ) -> Result<T, LibraryError> {
        let key = self.key(kind, id);
        let open = self.lock();
        match open.get(&key) {
            Some(w) => Ok(f(w)),
            None => Err(Self::not_open(&open, kind, id)),
        }
    }

    /// Applies `change` to the working document (edits check their input before changing
    /// anything, so a refused edit leaves it as it was), then stores it as the draft before
    /// returning. No copy of the document is made: a 20 MB collection stays one value.
    pub(crate) fn change(
        &self,
        kind: DraftKind,
        id: &str,
        change: impl FnOnce(&mut Draft) -> Result<(), LibraryError>,
    ) -> Result<(), LibraryError> {
        let key = self.key(kind, id);
        let store = self.store()?;
        let mut open = self.lock();
        if !open.contains_key(&key) {
            return Err(Self::not_open(&open, kind, id));
        }
        let Some(w) = open.get_mut(&key) else {
            return Err(LibraryError::NotOpen { kind: kind.noun() });
        };
        if w.pristine {
            w.draft.digest_base();
        }
        change(&mut w.draft)?;
        w.pristine = false;
        if kind == DraftKind::Collection {
            if let Some(n) = w
                .draft
                .doc
                .get("info")
                .and_then(|i| i.get("name"))
                .and_then(Value::as_str)
            {
                w.draft.name = n.to_owned();
            }
        }
        // From here on the working copy differs from the server even if the disk refuses it:
        // the edit stays in memory and the error says why it is not on disk.
        w.dirty = true;
        let written = store.write(&mut w.draft)?;
        w.bytes = written;
        Ok(())
    }

    /// Throws the unsaved edit away ("discard", or "take theirs" after a conflict).
    pub fn discard(&self, kind: DraftKind, id: &str) -> Result<(), LibraryError> {
        self.forget(kind, id)
    }

    pub(crate) fn forget(&self, kind: DraftKind, id: &str) -> Result<(), LibraryError> {
        let store = self.store()?;
        self.lock().remove(&self.key(kind, id));
        Ok(store.discard(kind, id)?)
    }

    /// Closes the working copy of an element without unsaved changes (frees its memory). A
    /// large collection unchanged since it was read goes back to `client`'s cache as that read's
    /// answer (moved, not copied): reopened within the cache's time it costs no call, and with
    /// Postman unreachable it is the dated copy, as before it was opened.
    pub fn close(&self, client: Option<&Client>, kind: DraftKind, id: &str) {
        let key = self.key(kind, id);
        let mut open = self.lock();
        if open.get(&key).is_none_or(|w| w.dirty) {
            return;
        }
        let Some(w) = open.remove(&key) else { return };
        drop(open);
        // When it was read (a refresh that failed since keeps that time: the copy is as read).
        let fetched_at = w
            .source
            .as_ref()
            .map(|s| s.fetched_at)
            .filter(|at| *at > 0.0);
        if let (Some(client), Some(at), true) = (client, fetched_at, w.pristine && w.held_once()) {
            client.restore_collection(id, w.draft.doc, w.bytes, at as u64);
        }
    }
}

/// Puts a working copy read from the server into the working set, unless an edit raced the
/// read (the edited copy wins).
fn insert_unless_edited(open: &OpenSet, key: WorkKey, working: Working) {
    let mut open = lock_set(open);
    if !open.get(&key).is_some_and(|w| w.dirty) {
        open.insert(key, working);
    }
}

/// Length of `v` as compact JSON, counted without building the text.
fn json_len(v: &Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut c = Count(0);
    let _ = serde_json::to_writer(&mut c, v);
    c.0
}
