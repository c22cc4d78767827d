//! The open collection's operations: open, edit (by index path), one request, raw JSON, and
//! create / import / duplicate / export / delete.

use postdesk_base::files::ExportFile;
use postdesk_drafts::{validate_collection_text, DraftError, DraftKind};
use postman_client::Client;
use serde_json::json;

use crate::edit::{self, CollectionEdit};
use crate::transfer::{export_file, parse_collection_import, portable_collection};
use crate::tree::{folder_children, TreeNode};
use crate::views::{collection_view, request_detail, CollectionView, RequestDetail, TextOutcome};
use crate::{Created, Library, LibraryError, MAX_BODY_BYTES, SCHEMA_V21};

impl Library {
    /// Opens a collection (1 call, none when it is already open or has a draft).
    pub async fn open_collection(
        &self,
        client: &Client,
        uid: &str,
        force: bool,
    ) -> Result<CollectionView, LibraryError> {
        match self.load(client, DraftKind::Collection, uid, force).await? {
            Some(outline) => Ok(collection_view(uid, &outline)),
            None => self.collection_view(uid),
        }
    }

    /// The view of the open collection.
    pub fn collection_view(&self, uid: &str) -> Result<CollectionView, LibraryError> {
        self.with_working(DraftKind::Collection, uid, |w| collection_view(uid, w))
    }

    /// One edit of the open collection, stored as the draft before this returns.
    pub fn edit_collection(
        &self,
        uid: &str,
        edit: &CollectionEdit,
    ) -> Result<CollectionView, LibraryError> {
        self.change(DraftKind::Collection, uid, |d| {
            edit::apply(&mut d.doc, edit).map_err(|e| LibraryError::invalid_edit("", e.0))
        })?;
        self.collection_view(uid)
    }

    /// One request of the open collection.
    pub fn collection_item(&self, uid: &str, path: &str) -> Result<RequestDetail, LibraryError> {
        self.with_working(DraftKind::Collection, uid, |w| {
            let item = edit::item_at(&w.draft.doc, path)
                .map_err(|e| LibraryError::invalid_edit("", e.0))?;
            Ok(request_detail(path, item))
        })?
    }

    /// The items of one folder of the open collection (`path`: its tree key), for a folder the
    /// view sent without them (see [`crate::tree`]).
    pub fn collection_folder(&self, uid: &str, path: &str) -> Result<Vec<TreeNode>, LibraryError> {
        self.with_working(DraftKind::Collection, uid, |w| {
            let item = edit::item_at(&w.draft.doc, path)
                .map_err(|e| LibraryError::invalid_edit("", e.0))?;
            if item.get("request").is_some() {
                return Err(LibraryError::invalid_edit(
                    "",
                    "That item is a request, not a folder.",
                ));
            }
            Ok(folder_children(item))
        })?
    }

    /// The open collection as pretty JSON (for the raw mode).
    pub fn collection_text(&self, uid: &str) -> Result<String, LibraryError> {
        self.with_working(DraftKind::Collection, uid, |w| {
            serde_json::to_string_pretty(&w.draft.doc).unwrap_or_default()
        })
    }

    /// Replaces the open collection with edited raw JSON, when it parses and fits the v2.1
    /// schema; otherwise returns the problems (with line, column and path) and changes nothing.
    pub fn set_collection_text(&self, uid: &str, text: &str) -> Result<TextOutcome, LibraryError> {
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
    ) -> Result<Created, LibraryError> {
        let mut doc = match import {
            Some(text) => parse_collection_import(text)?,
            None => json!({"info": {"name": "", "schema": SCHEMA_V21}, "item": []}),
        };
        if let Some(n) = name.filter(|n| !n.trim().is_empty()) {
            edit::apply(&mut doc, &CollectionEdit::Rename { name: n.to_owned() })
                .map_err(|e| LibraryError::invalid_edit("", e.0))?;
        }
        let final_name = doc["info"]["name"].as_str().unwrap_or("").trim().to_owned();
        if final_name.is_empty() {
            return Err(LibraryError::invalid_edit(
                "info.name",
                "A collection needs a name.",
            ));
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
    ) -> Result<Created, LibraryError> {
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
    ) -> Result<ExportFile, LibraryError> {
        let doc = match self.with_working(DraftKind::Collection, uid, |w| w.draft.doc.clone()) {
            Ok(d) => d,
            Err(_) => client.get_collection(uid, false, false).await?.data.raw,
        };
        let out = portable_collection(&doc, false);
        let name = out["info"]["name"]
            .as_str()
            .unwrap_or("collection")
            .to_owned();
        export_file(&name, "Postman collection", "postman_collection.json", &out)
    }

    /// Deletes a collection once `confirm_name` matches its name on the server; its draft goes
    /// too. 1–2 calls.
    pub async fn delete_collection(
        &self,
        client: &Client,
        uid: &str,
        confirm_name: &str,
    ) -> Result<(), LibraryError> {
        // Gone already (an earlier delete went through but its answer was lost, or someone
        // else deleted it): what was asked is done; the working copy and draft go too.
        let server = match client.get_collection(uid, true, false).await {
            Err(postman_client::Error::NotFound { .. }) => {
                return self.forget(DraftKind::Collection, uid)
            }
            other => other?.data,
        };
        if server.info.name != confirm_name {
            return Err(LibraryError::ConfirmMismatch { kind: "collection" });
        }
        match client.delete_collection(uid).await {
            Ok(_) | Err(postman_client::Error::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
        self.forget(DraftKind::Collection, uid)
    }
}
