//! Collections and environments per workspace (issue 6): the lists, the open document being
//! edited, and the operations of the Collections and Environments views. Plain Rust over
//! `postman-client` and [`postdesk_drafts`]; `commands/library.rs` exposes it to the UI.
//!
//! # The working copy
//! Opening a collection or an environment keeps its document here, in Rust (a 20 MB collection
//! never crosses IPC whole: the UI gets the tree outline and asks for one request at a time).
//! Every edit is applied to the working copy and immediately stored as a draft
//! ([`DraftStore`], atomic file write) before the call returns, so a crash or a kill right
//! after an edit loses nothing. A save goes through [`save_draft`] (conflict check, PATCH or
//! PUT, async for big documents); the draft is dropped only once the server has it.
//!
//! # Calls per task
//! - list collections / environments of a workspace: 1 (cached 60 s; `force` refreshes);
//! - open a collection or environment: 1 (none when a draft or the working copy is there);
//! - edit: 0; save: see [`postdesk_drafts::save`] (3 for a collection, 2–3 for an environment);
//! - create / import: 1; duplicate: 1–2; delete: 1–2 (the name check reads the cached copy).

pub mod edit;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use postdesk_base::SharedClock;
use postman_client::{Client, EnvVar};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ts_rs::TS;

pub use edit::{CollectionEdit, CollectionVariable, RequestHeader};
use postdesk_drafts::{
    save_draft, tree_digest, tree_summary, validate_collection, validate_collection_text, Draft,
    DraftError, DraftKind, DraftStore, DraftsError, SaveMethod, SaveOptions, SaveOutcome,
    SaveProgress, TreeNode,
};

/// The v2.1 schema URL new collections carry.
pub const SCHEMA_V21: &str = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";
/// Largest document Postman accepts in a POST/PUT body (REFERENCE: 30 MB → 413).
pub const MAX_BODY_BYTES: usize = 30 * 1024 * 1024;
/// Largest file offered for import (what Postman would accept, with room for the wrapper).
pub const MAX_IMPORT_BYTES: usize = MAX_BODY_BYTES;

/// A workspace in the switcher.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceRow {
    pub id: String,
    pub name: String,
    /// `personal`, `team`, `private`, `public`, `partner`.
    pub kind: Option<String>,
}

/// A row of the collection list.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CollectionRow {
    pub uid: String,
    pub id: String,
    pub name: String,
    pub owner: Option<String>,
    pub updated_at: Option<String>,
    pub is_fork: bool,
    /// An unsaved draft of it is kept locally.
    pub has_draft: bool,
}

/// A row of the environment list.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentRow {
    pub id: String,
    pub uid: Option<String>,
    pub name: String,
    pub owner: Option<String>,
    pub updated_at: Option<String>,
    pub has_draft: bool,
}

/// An unsaved draft, without its contents.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DraftInfo {
    pub kind: DraftKind,
    pub id: String,
    pub name: String,
    pub saved_at_ms: f64,
    pub base_updated_at: Option<String>,
}

/// The drafts kept locally (what comes back after a restart).
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DraftsOverview {
    pub drafts: Vec<DraftInfo>,
    /// One sentence per damaged draft file moved aside.
    pub set_aside: Vec<String>,
}

/// An open collection as the detail view shows it (the tree outline, not the document).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CollectionView {
    pub uid: String,
    pub name: String,
    pub description: Option<String>,
    /// The server's `updatedAt` the working copy is based on.
    pub base_updated_at: Option<String>,
    pub tree: Vec<TreeNode>,
    pub request_count: u32,
    pub folder_count: u32,
    /// Size of the document as JSON.
    pub bytes: f64,
    pub variables: Vec<CollectionVariable>,
    /// `Bearer token`, `API key`, … or `None` (no auth at the collection level).
    pub auth: Option<String>,
    /// Collection-level scripts present: `prerequest`, `test`.
    pub scripts: Vec<String>,
    /// Folders and requests that carry scripts of their own.
    pub items_with_scripts: u32,
    /// When the unsaved draft was last stored; `None`: no unsaved change.
    pub draft_saved_at_ms: Option<f64>,
}

/// One request, for the request editor.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RequestDetail {
    pub path: String,
    pub name: String,
    pub method: String,
    pub url: String,
    pub headers: Vec<RequestHeader>,
    /// `raw`, `urlencoded`, `formdata`, `file`, `graphql` or `None`.
    pub body_mode: Option<String>,
    pub raw_body: Option<String>,
    pub description: Option<String>,
}

/// The result of replacing a collection with edited raw JSON: problems (nothing applied) or
/// the new view.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TextOutcome {
    pub errors: Vec<DraftError>,
    pub view: Option<CollectionView>,
}

/// `default` or `secret` (masked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum EnvVarType {
    Default,
    Secret,
}

/// An environment variable as the editor table shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EnvVariable {
    pub key: String,
    pub value: String,
    #[serde(rename = "type")]
    pub kind: EnvVarType,
    pub enabled: bool,
    pub description: String,
}

/// An open environment.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentView {
    pub id: String,
    pub name: String,
    pub base_updated_at: Option<String>,
    pub values: Vec<EnvVariable>,
    pub draft_saved_at_ms: Option<f64>,
}

/// What a create, import or duplicate made.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Created {
    pub id: String,
    pub uid: Option<String>,
    pub name: String,
}

/// Where a save is, for the UI's progress bar (sent as an event).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveProgressEvent {
    pub kind: DraftKind,
    pub id: String,
    pub progress: SaveProgress,
}

struct Working {
    draft: Draft,
    /// A draft file exists (the working copy differs from the server).
    dirty: bool,
    /// Size of the document as JSON (measured when loaded or stored).
    bytes: usize,
}

impl Working {
    fn new(draft: Draft, dirty: bool) -> Self {
        let bytes = json_len(&draft.doc);
        Working {
            draft,
            dirty,
            bytes,
        }
    }
}

type WorkKey = (DraftKind, String);

/// Collections and environments: lists, working copies and their drafts.
pub struct Library {
    store: DraftStore,
    /// Dates drafts and exports.
    clock: SharedClock,
    open: Mutex<HashMap<WorkKey, Working>>,
    save_opts: SaveOptions,
}

fn invalid(path: &str, message: impl Into<String>) -> DraftsError {
    DraftsError::Invalid(vec![DraftError {
        path: path.to_owned(),
        line: 1,
        column: 1,
        message: message.into(),
    }])
}

fn edit_error(e: edit::EditError) -> DraftsError {
    invalid("", e.0)
}

fn s(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_owned)
}

impl Library {
    /// The library whose drafts live in `<data_dir>/drafts`, dated by `clock`.
    pub fn new(data_dir: &Path, clock: SharedClock) -> Result<Self, DraftsError> {
        Ok(Library {
            store: DraftStore::open(data_dir.join(postdesk_drafts::DRAFTS_DIR), clock.clone())?,
            clock,
            open: Mutex::new(HashMap::new()),
            save_opts: SaveOptions::default(),
        })
    }

    /// Changes how saves are made (tests use a small async threshold).
    pub fn with_save_options(mut self, opts: SaveOptions) -> Self {
        self.save_opts = opts;
        self
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<WorkKey, Working>> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Ids of the elements of `kind` with unsaved changes (stored drafts and dirty working
    /// copies), read once per list.
    fn drafted(&self, kind: DraftKind) -> Result<std::collections::HashSet<String>, DraftsError> {
        let mut ids: std::collections::HashSet<String> = self
            .drafts()?
            .drafts
            .into_iter()
            .filter(|d| d.kind == kind)
            .map(|d| d.id)
            .collect();
        ids.extend(
            self.lock()
                .iter()
                .filter(|((k, _), w)| *k == kind && w.dirty)
                .map(|((_, id), _)| id.clone()),
        );
        Ok(ids)
    }

    /// The drafts kept locally, without their contents (documents are skipped while read).
    pub fn drafts(&self) -> Result<DraftsOverview, DraftsError> {
        let (metas, set_aside) = self.store.list_meta()?;
        Ok(DraftsOverview {
            drafts: metas
                .into_iter()
                .map(|d| DraftInfo {
                    kind: d.kind,
                    id: d.id,
                    name: d.name,
                    saved_at_ms: d.saved_at_ms,
                    base_updated_at: d.base_updated_at,
                })
                .collect(),
            set_aside,
        })
    }

    /// Every workspace the key can see (1 call per 100, cached).
    pub async fn workspaces(
        &self,
        client: &Client,
        force: bool,
    ) -> Result<Vec<WorkspaceRow>, DraftsError> {
        let list = client.get_all_workspaces(None, force).await?;
        Ok(list
            .into_iter()
            .map(|w| WorkspaceRow {
                id: w.id.0,
                name: w.name,
                kind: w.kind,
            })
            .collect())
    }

    /// The collections of `workspace` (all the key can see when `None`).
    pub async fn collections(
        &self,
        client: &Client,
        workspace: Option<&str>,
        force: bool,
    ) -> Result<Vec<CollectionRow>, DraftsError> {
        let q = postman_client::CollectionQuery {
            workspace: workspace.map(str::to_owned),
            ..Default::default()
        };
        let list = client.get_collections(&q, force).await?.data;
        let drafted = self.drafted(DraftKind::Collection)?;
        Ok(list
            .collections
            .into_iter()
            .map(|c| {
                let uid = c.uid.clone().unwrap_or_else(|| c.id.0.clone());
                CollectionRow {
                    has_draft: drafted.contains(&uid),
                    uid,
                    id: c.id.0,
                    name: c.name,
                    owner: c.owner.map(|o| o.0),
                    updated_at: c.updated_at,
                    is_fork: c.fork.is_some(),
                }
            })
            .collect())
    }

    /// The environments of `workspace` (all when `None`).
    pub async fn environments(
        &self,
        client: &Client,
        workspace: Option<&str>,
        force: bool,
    ) -> Result<Vec<EnvironmentRow>, DraftsError> {
        let list = client.get_environments(workspace, force).await?.data;
        let drafted = self.drafted(DraftKind::Environment)?;
        Ok(list
            .into_iter()
            .map(|e| EnvironmentRow {
                has_draft: drafted.contains(&e.id.0),
                id: e.id.0,
                uid: e.uid,
                name: e.name,
                owner: e.owner.map(|o| o.0),
                updated_at: e.updated_at,
            })
            .collect())
    }

    /// Loads the working copy of an element: kept one, else its draft, else the server's.
    /// `force` re-reads the server when there is no unsaved change.
    async fn load(
        &self,
        client: &Client,
        kind: DraftKind,
        id: &str,
        force: bool,
    ) -> Result<(), DraftsError> {
        let key = (kind, id.to_owned());
        {
            let open = self.lock();
            if let Some(w) = open.get(&key) {
                if w.dirty || !force {
                    return Ok(());
                }
            }
        }
        if let Some(draft) = self.store.get(kind, id)? {
            let working = Working::new(draft, true);
            self.lock().insert(key, working);
            return Ok(());
        }
        let server = match kind {
            DraftKind::Collection => client.get_collection(id, false, force).await?.data.raw,
            DraftKind::Environment => client.get_environment_json(id, force).await?.data,
        };
        let working = Working::new(Draft::from_server_owned(kind, id, server), false);
        let mut open = self.lock();
        // An edit that raced the fetch wins.
        if !open.get(&key).is_some_and(|w| w.dirty) {
            open.insert(key, working);
        }
        Ok(())
    }

    fn with_working<T>(
        &self,
        kind: DraftKind,
        id: &str,
        f: impl FnOnce(&Working) -> T,
    ) -> Result<T, DraftsError> {
        let open = self.lock();
        let w = open
            .get(&(kind, id.to_owned()))
            .ok_or(DraftsError::NotFound { kind: kind.noun() })?;
        Ok(f(w))
    }

    /// Applies `change` to the working document (edits check their input before changing
    /// anything, so a refused edit leaves it as it was), then stores it as the draft before
    /// returning. No copy of the document is made: a 20 MB collection stays one value.
    fn change(
        &self,
        kind: DraftKind,
        id: &str,
        change: impl FnOnce(&mut Draft) -> Result<(), DraftsError>,
    ) -> Result<(), DraftsError> {
        let mut open = self.lock();
        let w = open
            .get_mut(&(kind, id.to_owned()))
            .ok_or(DraftsError::NotFound { kind: kind.noun() })?;
        change(&mut w.draft)?;
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
        let written = self.store.write(&mut w.draft)?;
        w.bytes = written;
        Ok(())
    }

    // ---------- collections ----------

    /// Opens a collection (1 call, none when it is already open or has a draft).
    pub async fn open_collection(
        &self,
        client: &Client,
        uid: &str,
        force: bool,
    ) -> Result<CollectionView, DraftsError> {
        self.load(client, DraftKind::Collection, uid, force).await?;
        self.collection_view(uid)
    }

    /// The view of the open collection.
    pub fn collection_view(&self, uid: &str) -> Result<CollectionView, DraftsError> {
        self.with_working(DraftKind::Collection, uid, |w| collection_view(uid, w))
    }

    /// One edit of the open collection, stored as the draft before this returns.
    pub fn edit_collection(
        &self,
        uid: &str,
        edit: &CollectionEdit,
    ) -> Result<CollectionView, DraftsError> {
        self.change(DraftKind::Collection, uid, |d| {
            edit::apply(&mut d.doc, edit).map_err(edit_error)
        })?;
        self.collection_view(uid)
    }

    /// One request of the open collection.
    pub fn collection_item(&self, uid: &str, path: &str) -> Result<RequestDetail, DraftsError> {
        self.with_working(DraftKind::Collection, uid, |w| {
            let item = edit::item_at(&w.draft.doc, path).map_err(edit_error)?;
            Ok(request_detail(path, item))
        })?
    }

    /// The open collection as pretty JSON (for the raw mode).
    pub fn collection_text(&self, uid: &str) -> Result<String, DraftsError> {
        self.with_working(DraftKind::Collection, uid, |w| {
            serde_json::to_string_pretty(&w.draft.doc).unwrap_or_default()
        })
    }

    /// Replaces the open collection with edited raw JSON, when it parses and fits the v2.1
    /// schema; otherwise returns the problems (with line, column and path) and changes nothing.
    pub fn set_collection_text(&self, uid: &str, text: &str) -> Result<TextOutcome, DraftsError> {
        if text.len() > MAX_BODY_BYTES {
            return Ok(TextOutcome {
                errors: vec![DraftError {
                    path: String::new(),
                    line: 1,
                    column: 1,
                    message: format!(
                        "The document is {} MB; Postman accepts at most 30 MB.",
                        text.len() / (1024 * 1024)
                    ),
                }],
                view: None,
            });
        }
        let doc = match validate_collection_text(text) {
            Ok(doc) => doc,
            Err(errors) => return Ok(TextOutcome { errors, view: None }),
        };
        self.change(DraftKind::Collection, uid, |d| {
            d.doc = doc;
            Ok(())
        })?;
        Ok(TextOutcome {
            errors: Vec::new(),
            view: Some(self.collection_view(uid)?),
        })
    }

    /// Creates a collection in `workspace`: empty with `name`, or from an imported v2.1 file
    /// (`import`, its own name unless `name` is given). 1 call.
    pub async fn create_collection(
        &self,
        client: &Client,
        workspace: Option<&str>,
        name: Option<&str>,
        import: Option<&str>,
    ) -> Result<Created, DraftsError> {
        let mut doc = match import {
            Some(text) => parse_collection_import(text)?,
            None => json!({"info": {"name": "", "schema": SCHEMA_V21}, "item": []}),
        };
        if let Some(n) = name.filter(|n| !n.trim().is_empty()) {
            edit::apply(&mut doc, &CollectionEdit::Rename { name: n.to_owned() })
                .map_err(edit_error)?;
        }
        let final_name = doc["info"]["name"].as_str().unwrap_or("").trim().to_owned();
        if final_name.is_empty() {
            return Err(invalid("info.name", "A collection needs a name."));
        }
        let made = client.create_collection(workspace, doc).await?;
        Ok(Created {
            uid: made.uid.clone(),
            id: made.uid.unwrap_or(made.id.0),
            name: made.name.unwrap_or(final_name),
        })
    }

    /// Copies a collection (its current server version, or the open working copy) into
    /// `workspace` as "<name> (copy)", with fresh ids. 1–2 calls.
    pub async fn duplicate_collection(
        &self,
        client: &Client,
        uid: &str,
        workspace: Option<&str>,
    ) -> Result<Created, DraftsError> {
        let doc = match self.with_working(DraftKind::Collection, uid, |w| w.draft.doc.clone()) {
            Ok(d) => d,
            Err(_) => client.get_collection(uid, false, false).await?.data.raw,
        };
        let mut copy = portable_collection(&doc, true);
        let name = copy["info"]["name"]
            .as_str()
            .unwrap_or("Collection")
            .to_owned();
        let new_name: String = format!("{name} (copy)");
        copy["info"]["name"] = json!(new_name);
        let made = client.create_collection(workspace, copy).await?;
        Ok(Created {
            uid: made.uid.clone(),
            id: made.uid.unwrap_or(made.id.0),
            name: made.name.unwrap_or(new_name),
        })
    }

    /// Writes the collection (with unsaved edits, when there are any) as a v2.1 file
    /// `<name>.postman_collection.json` into `dir`; returns the path. 0–1 call.
    pub async fn export_collection(
        &self,
        client: &Client,
        uid: &str,
        dir: &Path,
    ) -> Result<String, DraftsError> {
        let doc = match self.with_working(DraftKind::Collection, uid, |w| w.draft.doc.clone()) {
            Ok(d) => d,
            Err(_) => client.get_collection(uid, false, false).await?.data.raw,
        };
        let out = portable_collection(&doc, false);
        let name = out["info"]["name"]
            .as_str()
            .unwrap_or("collection")
            .to_owned();
        write_export(dir, &name, "postman_collection.json", &out)
    }

    /// Deletes a collection once `confirm_name` matches its name on the server; its draft goes
    /// too. 1–2 calls.
    pub async fn delete_collection(
        &self,
        client: &Client,
        uid: &str,
        confirm_name: &str,
    ) -> Result<(), DraftsError> {
        let server = client.get_collection(uid, true, false).await?.data;
        if server.info.name != confirm_name {
            return Err(invalid(
                "name",
                "The name typed does not match the collection's name; nothing was deleted.",
            ));
        }
        client.delete_collection(uid).await?;
        self.forget(DraftKind::Collection, uid)
    }

    // ---------- environments ----------

    /// Opens an environment (1 call, none when open or drafted).
    pub async fn open_environment(
        &self,
        client: &Client,
        id: &str,
        force: bool,
    ) -> Result<EnvironmentView, DraftsError> {
        self.load(client, DraftKind::Environment, id, force).await?;
        self.environment_view(id)
    }

    pub fn environment_view(&self, id: &str) -> Result<EnvironmentView, DraftsError> {
        self.with_working(DraftKind::Environment, id, |w| environment_view(id, w))
    }

    /// Replaces the open environment's name and variables (the editor sends the whole table);
    /// fields the table does not show (a vault secret's `source`, …) are kept for variables
    /// whose name is unchanged. Stored as the draft before this returns.
    pub fn edit_environment(
        &self,
        id: &str,
        name: &str,
        values: &[EnvVariable],
    ) -> Result<EnvironmentView, DraftsError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(invalid("name", "An environment needs a name."));
        }
        if name.chars().count() > edit::NAME_MAX || name.chars().any(char::is_control) {
            return Err(invalid(
                "name",
                format!(
                    "An environment name has at most {} characters and no line breaks.",
                    edit::NAME_MAX
                ),
            ));
        }
        if let Some(i) = values
            .iter()
            .position(|v| v.description.chars().count() > 512)
        {
            return Err(invalid(
                &format!("values[{i}].description"),
                "A variable's description can be at most 512 characters.",
            ));
        }
        self.change(DraftKind::Environment, id, |d| {
            let old: Vec<Value> = d
                .doc
                .get("values")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let mut out = Vec::with_capacity(values.len());
            for (i, v) in values.iter().enumerate() {
                let mut o = old
                    .get(i)
                    .filter(|o| o.get("key").and_then(Value::as_str) == Some(v.key.as_str()))
                    .or_else(|| {
                        old.iter()
                            .find(|o| o.get("key").and_then(Value::as_str) == Some(v.key.as_str()))
                    })
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                o.insert("key".into(), json!(v.key));
                o.insert("value".into(), json!(v.value));
                o.insert(
                    "type".into(),
                    json!(match v.kind {
                        EnvVarType::Default => "default",
                        EnvVarType::Secret => "secret",
                    }),
                );
                o.insert("enabled".into(), json!(v.enabled));
                if v.description.is_empty() {
                    o.remove("description");
                } else {
                    o.insert("description".into(), json!(v.description));
                }
                out.push(Value::Object(o));
            }
            d.doc["name"] = json!(name);
            d.doc["values"] = Value::Array(out);
            d.name = name.to_owned();
            Ok(())
        })?;
        self.environment_view(id)
    }

    /// Creates an environment in `workspace`: empty with `name`, or from an imported Postman
    /// environment file. 1 call.
    pub async fn create_environment(
        &self,
        client: &Client,
        workspace: Option<&str>,
        name: Option<&str>,
        import: Option<&str>,
    ) -> Result<Created, DraftsError> {
        let (imported_name, values) = match import {
            Some(text) => parse_environment_import(text)?,
            None => (String::new(), Vec::new()),
        };
        let name = name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
            .unwrap_or(imported_name);
        if name.trim().is_empty() {
            return Err(invalid("name", "An environment needs a name."));
        }
        let made = client.create_environment(workspace, &name, &values).await?;
        Ok(Created {
            id: made.id.0,
            uid: made.uid,
            name: made.name.unwrap_or(name),
        })
    }

    /// Writes the environment (with unsaved edits) as a Postman environment file; returns the
    /// path. 0–1 call.
    pub async fn export_environment(
        &self,
        client: &Client,
        id: &str,
        dir: &Path,
    ) -> Result<String, DraftsError> {
        let doc = match self.with_working(DraftKind::Environment, id, |w| w.draft.doc.clone()) {
            Ok(d) => d,
            Err(_) => client.get_environment_json(id, false).await?.data,
        };
        let name = doc
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("environment")
            .to_owned();
        let out = json!({
            "id": doc.get("id").cloned().unwrap_or(json!(id)),
            "name": name,
            "values": doc.get("values").cloned().unwrap_or(json!([])),
            "_postman_variable_scope": "environment",
            "_postman_exported_at": self.clock.now_rfc3339(),
            "_postman_exported_using": format!("Postdesk/{}", env!("CARGO_PKG_VERSION")),
        });
        write_export(dir, &name, "postman_environment.json", &out)
    }

    /// Deletes an environment once `confirm_name` matches its name; its draft goes too.
    pub async fn delete_environment(
        &self,
        client: &Client,
        id: &str,
        confirm_name: &str,
    ) -> Result<(), DraftsError> {
        let server = client.get_environment(id, false).await?.data;
        if server.name != confirm_name {
            return Err(invalid(
                "name",
                "The name typed does not match the environment's name; nothing was deleted.",
            ));
        }
        client.delete_environment(id).await?;
        self.forget(DraftKind::Environment, id)
    }

    // ---------- both ----------

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
    ) -> Result<SaveOutcome, DraftsError> {
        let mut draft = match self.with_working(kind, id, |w| w.draft.clone()) {
            Ok(d) => d,
            Err(_) => self
                .store
                .get(kind, id)?
                .ok_or(DraftsError::NotFound { kind: kind.noun() })?,
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
        let outcome = save_draft(client, &self.store, &draft, &self.save_opts, progress).await?;
        if let SaveOutcome::Saved { method, updated_at } = &outcome {
            let mut open = self.lock();
            let key = (kind, id.to_owned());
            // Edits made while the save ran are newer than what was sent: keep them.
            let newer = open
                .get(&key)
                .is_some_and(|w| w.dirty && w.draft.doc != draft.doc);
            if newer {
                if let Some(w) = open.get_mut(&key) {
                    w.draft.base_updated_at = updated_at.clone();
                    let _ = self.store.put(&w.draft);
                }
            } else if matches!(method, SaveMethod::Put | SaveMethod::PutAsync) {
                open.remove(&key);
            } else {
                let mut d = draft;
                d.base_updated_at = updated_at.clone();
                if kind == DraftKind::Collection {
                    d.base_digest = Some(tree_digest(&d.doc));
                }
                open.insert(key, Working::new(d, false));
            }
        }
        Ok(outcome)
    }

    /// Throws the unsaved edit away ("discard", or "take theirs" after a conflict).
    pub fn discard(&self, kind: DraftKind, id: &str) -> Result<(), DraftsError> {
        self.forget(kind, id)
    }

    fn forget(&self, kind: DraftKind, id: &str) -> Result<(), DraftsError> {
        self.lock().remove(&(kind, id.to_owned()));
        self.store.discard(kind, id)
    }

    /// Closes the working copy of an element without unsaved changes (frees its memory).
    pub fn close(&self, kind: DraftKind, id: &str) {
        let mut open = self.lock();
        if open.get(&(kind, id.to_owned())).is_some_and(|w| !w.dirty) {
            open.remove(&(kind, id.to_owned()));
        }
    }

    /// Forgets every clean working copy (after the active key changed).
    pub fn close_clean(&self) {
        self.lock().retain(|_, w| w.dirty);
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

fn collection_view(uid: &str, w: &Working) -> CollectionView {
    let doc = &w.draft.doc;
    let info = doc.get("info");
    let tree = tree_summary(doc);
    let (mut requests, mut folders, mut scripted) = (0u32, 0u32, 0u32);
    count(
        doc.get("item"),
        &mut requests,
        &mut folders,
        &mut scripted,
        0,
    );
    let variables = doc
        .get("variable")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|v| v.is_object())
                .map(|v| CollectionVariable {
                    key: s(v.get("key")).unwrap_or_default(),
                    value: match v.get("value") {
                        Some(Value::String(s)) => s.clone(),
                        None | Some(Value::Null) => String::new(),
                        Some(other) => other.to_string(),
                    },
                    disabled: v.get("disabled").and_then(Value::as_bool).unwrap_or(false),
                })
                .collect()
        })
        .unwrap_or_default();
    CollectionView {
        uid: uid.to_owned(),
        name: s(info.and_then(|i| i.get("name"))).unwrap_or_default(),
        description: match info.and_then(|i| i.get("description")) {
            Some(Value::String(d)) => Some(d.clone()),
            Some(o) => s(o.get("content")),
            None => None,
        },
        base_updated_at: w.draft.base_updated_at.clone(),
        tree,
        request_count: requests,
        folder_count: folders,
        bytes: serde_json::to_vec(doc)
            .map(|b| b.len() as f64)
            .unwrap_or(0.0),
        variables,
        auth: doc.get("auth").and_then(auth_label),
        scripts: scripts_of(doc),
        items_with_scripts: scripted,
        draft_saved_at_ms: w.dirty.then_some(w.draft.saved_at_ms),
    }
}

fn count(items: Option<&Value>, req: &mut u32, fol: &mut u32, scripted: &mut u32, depth: u32) {
    let Some(list) = items.and_then(Value::as_array) else {
        return;
    };
    if depth > 200 {
        return;
    }
    for it in list {
        if !scripts_of(it).is_empty() {
            *scripted += 1;
        }
        if it.get("item").is_some() {
            *fol += 1;
            count(it.get("item"), req, fol, scripted, depth + 1);
        } else {
            *req += 1;
        }
    }
}

/// `listen` names of the scripts with code in `v["event"]`.
fn scripts_of(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v
        .get("event")
        .or_else(|| v.get("events"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|e| {
                    let exec = e.get("script").and_then(|s| s.get("exec"));
                    match exec {
                        Some(Value::String(s)) => !s.trim().is_empty(),
                        Some(Value::Array(lines)) => lines
                            .iter()
                            .any(|l| l.as_str().is_some_and(|l| !l.trim().is_empty())),
                        _ => false,
                    }
                })
                .filter_map(|e| s(e.get("listen")))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out.dedup();
    out
}

fn auth_label(auth: &Value) -> Option<String> {
    let t = auth.get("type")?.as_str()?;
    Some(
        match t {
            "noauth" => "No auth",
            "apikey" => "API key",
            "awsv4" => "AWS Signature",
            "basic" => "Basic auth",
            "bearer" => "Bearer token",
            "digest" => "Digest auth",
            "edgegrid" => "Akamai EdgeGrid",
            "hawk" => "Hawk authentication",
            "oauth1" => "OAuth 1.0",
            "oauth2" => "OAuth 2.0",
            "ntlm" => "NTLM authentication",
            "jwt" => "JWT bearer",
            "asap" => "ASAP (Atlassian)",
            other => other,
        }
        .to_owned(),
    )
}

fn request_detail(path: &str, item: &Value) -> RequestDetail {
    let req = item.get("request");
    let (method, url) = match req {
        Some(Value::String(u)) => ("GET".to_owned(), u.clone()),
        Some(r) => (
            s(r.get("method"))
                .unwrap_or_else(|| "GET".into())
                .to_ascii_uppercase(),
            match r.get("url") {
                Some(Value::String(u)) => u.clone(),
                Some(u) => s(u.get("raw")).unwrap_or_default(),
                None => String::new(),
            },
        ),
        None => (String::new(), String::new()),
    };
    let headers = req
        .and_then(|r| r.get("header"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|h| h.is_object())
                .map(|h| RequestHeader {
                    key: s(h.get("key")).unwrap_or_default(),
                    value: s(h.get("value")).unwrap_or_default(),
                    disabled: h.get("disabled").and_then(Value::as_bool).unwrap_or(false),
                })
                .collect()
        })
        .unwrap_or_default();
    let body = req.and_then(|r| r.get("body"));
    let description = match req
        .and_then(|r| r.get("description"))
        .or_else(|| item.get("description"))
    {
        Some(Value::String(d)) => Some(d.clone()),
        Some(o) => s(o.get("content")),
        None => None,
    };
    RequestDetail {
        path: path.to_owned(),
        name: s(item.get("name")).unwrap_or_default(),
        method,
        url,
        headers,
        body_mode: s(body.and_then(|b| b.get("mode"))),
        raw_body: s(body.and_then(|b| b.get("raw"))),
        description,
    }
}

fn environment_view(id: &str, w: &Working) -> EnvironmentView {
    let doc = &w.draft.doc;
    let values = doc
        .get("values")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|v| v.is_object())
                .map(|v| EnvVariable {
                    key: s(v.get("key")).unwrap_or_default(),
                    value: match v.get("value") {
                        Some(Value::String(s)) => s.clone(),
                        None | Some(Value::Null) => String::new(),
                        Some(other) => other.to_string(),
                    },
                    kind: if v.get("type").and_then(Value::as_str) == Some("secret")
                        || v.get("secret").and_then(Value::as_bool) == Some(true)
                    {
                        EnvVarType::Secret
                    } else {
                        EnvVarType::Default
                    },
                    enabled: v.get("enabled").and_then(Value::as_bool).unwrap_or(true),
                    description: s(v.get("description")).unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    EnvironmentView {
        id: id.to_owned(),
        name: s(doc.get("name")).unwrap_or_default(),
        base_updated_at: w.draft.base_updated_at.clone(),
        values,
        draft_saved_at_ms: w.dirty.then_some(w.draft.saved_at_ms),
    }
}

/// A collection file's text (bare v2.1, or wrapped as `{"collection": …}` like the API answers)
/// checked against the v2.1 schema.
pub fn parse_collection_import(text: &str) -> Result<Value, DraftsError> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(invalid(
            "",
            format!(
                "The file is {} MB; Postman accepts collections of at most 30 MB.",
                text.len() / (1024 * 1024)
            ),
        ));
    }
    let parsed: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        // Let the validator report where the syntax breaks.
        Err(_) => return validate_collection_text(text).map_err(DraftsError::Invalid),
    };
    let doc = match parsed.get("collection") {
        Some(inner) if parsed.get("info").is_none() => inner.clone(),
        _ => parsed,
    };
    if doc
        .get("info")
        .and_then(|i| i.get("schema"))
        .and_then(Value::as_str)
        .is_some_and(|s| s.contains("v2.0.0"))
    {
        return Err(invalid(
            "info.schema",
            "This is a Collection v2.0 file; export it again from Postman as Collection v2.1.",
        ));
    }
    validate_collection(&doc).map_err(|errors| {
        // Positions are counted in the file as given.
        match validate_collection_text(text) {
            Err(e) if !e.is_empty() => DraftsError::Invalid(e),
            _ => DraftsError::Invalid(errors),
        }
    })?;
    Ok(portable_collection(&doc, true))
}

/// A Postman environment file (`{name, values}`, as Postman exports it, or `{"environment": …}`).
pub fn parse_environment_import(text: &str) -> Result<(String, Vec<EnvVar>), DraftsError> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(invalid(
            "",
            "The file is larger than the 30 MB Postman accepts.",
        ));
    }
    let parsed: Value = serde_json::from_str(text).map_err(|e| {
        DraftsError::Invalid(vec![DraftError {
            path: String::new(),
            line: e.line() as u32,
            column: e.column() as u32,
            message: format!("This is not valid JSON: {e}"),
        }])
    })?;
    let env = match parsed.get("environment") {
        Some(inner) if parsed.get("values").is_none() => inner,
        _ => &parsed,
    };
    let name = env
        .get("name")
        .and_then(Value::as_str)
        .map(str::trim)
        .unwrap_or("")
        .to_owned();
    let values = match env.get("values") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => {
            let mut out = Vec::with_capacity(a.len());
            for (i, v) in a.iter().enumerate() {
                let key = v.get("key").and_then(Value::as_str).ok_or_else(|| {
                    invalid(
                        &format!("values[{i}].key"),
                        "Each variable needs a \"key\" text.",
                    )
                })?;
                out.push(EnvVar {
                    key: key.to_owned(),
                    value: Some(match v.get("value") {
                        Some(Value::String(s)) => s.clone(),
                        None | Some(Value::Null) => String::new(),
                        Some(o) => o.to_string(),
                    }),
                    enabled: Some(v.get("enabled").and_then(Value::as_bool).unwrap_or(true)),
                    kind: Some(
                        if v.get("type").and_then(Value::as_str) == Some("secret") {
                            "secret"
                        } else {
                            "default"
                        }
                        .to_owned(),
                    ),
                    description: v
                        .get("description")
                        .and_then(Value::as_str)
                        .map(|d| d.chars().take(512).collect()),
                    secret: None,
                });
            }
            out
        }
        Some(_) => return Err(invalid("values", "\"values\" must be a list of variables.")),
    };
    if name.is_empty() && env.get("values").is_none() {
        return Err(invalid(
            "",
            "This is not a Postman environment file (no \"name\" and no \"values\").",
        ));
    }
    Ok((name, values))
}

/// The collection without the server's bookkeeping (`uid`, `updatedAt`, … in `info`); with
/// `fresh_ids` also without `_postman_id` and item/response ids, so Postman gives new ones.
pub fn portable_collection(doc: &Value, fresh_ids: bool) -> Value {
    let mut out = doc.clone();
    if let Some(info) = out.get_mut("info").and_then(Value::as_object_mut) {
        for k in [
            "uid",
            "createdAt",
            "updatedAt",
            "lastUpdatedBy",
            "fork",
            "owner",
        ] {
            info.remove(k);
        }
        if fresh_ids {
            info.remove("_postman_id");
        }
        if !info.contains_key("schema") {
            info.insert("schema".into(), json!(SCHEMA_V21));
        }
    }
    if fresh_ids {
        strip_ids(out.get_mut("item"), 0);
    }
    out
}

fn strip_ids(items: Option<&mut Value>, depth: u32) {
    let Some(list) = items.and_then(Value::as_array_mut) else {
        return;
    };
    if depth > 200 {
        return;
    }
    for it in list {
        if let Some(o) = it.as_object_mut() {
            o.remove("id");
            o.remove("uid");
            if let Some(rs) = o.get_mut("response").and_then(Value::as_array_mut) {
                for r in rs {
                    if let Some(ro) = r.as_object_mut() {
                        ro.remove("id");
                        ro.remove("uid");
                    }
                }
            }
            strip_ids(o.get_mut("item"), depth + 1);
        }
    }
}

/// A file name from a user-chosen name: no path separators, control or reserved characters,
/// no leading dots, at most 100 characters; `fallback` when nothing is left.
pub fn safe_file_stem(name: &str, fallback: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    out = out
        .trim()
        .trim_start_matches('.')
        .trim()
        .chars()
        .take(100)
        .collect();
    let reserved = ["CON", "PRN", "AUX", "NUL"];
    if out.is_empty() || reserved.contains(&out.to_ascii_uppercase().as_str()) {
        fallback.to_owned()
    } else {
        out
    }
}

fn write_export(dir: &Path, name: &str, suffix: &str, doc: &Value) -> Result<String, DraftsError> {
    let stem = safe_file_stem(name, "export");
    let fail = |p: &Path, e: std::io::Error| DraftsError::Storage {
        path: p.display().to_string(),
        reason: e.to_string(),
    };
    let bytes = serde_json::to_vec_pretty(doc).map_err(|e| fail(dir, std::io::Error::other(e)))?;
    // Never overwrite an earlier export: "name (2).postman_collection.json", …
    postdesk_base::files::write_numbered(dir, &stem, suffix, &bytes)
        .map(|p| p.display().to_string())
        .map_err(|e| fail(dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe() {
        assert_eq!(safe_file_stem("../../etc/passwd", "x"), "_.._etc_passwd");
        assert_eq!(safe_file_stem("  ", "x"), "x");
        assert_eq!(safe_file_stem("CON", "x"), "x");
        assert_eq!(safe_file_stem("a<script>b", "x"), "a_script_b");
        assert_eq!(safe_file_stem(&"é".repeat(300), "x").chars().count(), 100);
    }

    #[test]
    fn imports_accept_bare_and_wrapped_files() {
        let bare = format!(
            r#"{{"info":{{"name":"A","_postman_id":"x","schema":"{SCHEMA_V21}"}},"item":[{{"id":"i1","name":"r","request":"https://x"}}]}}"#
        );
        let doc = parse_collection_import(&bare).unwrap();
        assert_eq!(doc["info"]["name"], "A");
        assert!(doc["info"].get("_postman_id").is_none());
        assert!(doc["item"][0].get("id").is_none());
        let wrapped = format!(r#"{{"collection":{bare}}}"#);
        assert_eq!(
            parse_collection_import(&wrapped).unwrap()["info"]["name"],
            "A"
        );
        let err = parse_collection_import("{\"info\": ").unwrap_err();
        assert!(matches!(err, DraftsError::Invalid(_)));
        let env = r#"{"id":"e","name":"Prod","values":[{"key":"token","value":"s3","type":"secret","enabled":true}],"_postman_variable_scope":"environment"}"#;
        let (name, values) = parse_environment_import(env).unwrap();
        assert_eq!(name, "Prod");
        assert_eq!(values[0].kind.as_deref(), Some("secret"));
        assert!(parse_environment_import("[1,2]").is_err());
    }
}
