//! The open environment: its table (the editor sends it whole; fields the table does not show,
//! such as a vault secret's `source`, are merged back), and create / import / export / delete.

use postdesk_base::files::ExportFile;
use postdesk_drafts::DraftKind;
use postman_client::Client;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ts_rs::TS;

use crate::transfer::{export_file, parse_environment_import};
use crate::views::{environment_view, EnvironmentView};
use crate::{edit, Created, Library, LibraryError};

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

impl Library {
    /// Opens an environment (1 call, none when open or drafted).
    pub async fn open_environment(
        &self,
        client: &Client,
        id: &str,
        force: bool,
    ) -> Result<EnvironmentView, LibraryError> {
        self.load(client, DraftKind::Environment, id, force).await?;
        self.environment_view(id)
    }

    pub fn environment_view(&self, id: &str) -> Result<EnvironmentView, LibraryError> {
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
    ) -> Result<EnvironmentView, LibraryError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(LibraryError::invalid_edit(
                "name",
                "An environment needs a name.",
            ));
        }
        if name.chars().count() > edit::NAME_MAX || name.chars().any(char::is_control) {
            return Err(LibraryError::invalid_edit(
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
            return Err(LibraryError::invalid_edit(
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
    ) -> Result<Created, LibraryError> {
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
            return Err(LibraryError::invalid_edit(
                "name",
                "An environment needs a name.",
            ));
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
    ) -> Result<ExportFile, LibraryError> {
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
        export_file(
            &name,
            "Postman environment",
            "postman_environment.json",
            &out,
        )
    }

    /// Deletes an environment once `confirm_name` matches its name; its draft goes too.
    pub async fn delete_environment(
        &self,
        client: &Client,
        id: &str,
        confirm_name: &str,
    ) -> Result<(), LibraryError> {
        // Gone already: what was asked is done (see `delete_collection`).
        let server = match client.get_environment(id, false).await {
            Err(postman_client::Error::NotFound { .. }) => {
                return self.forget(DraftKind::Environment, id)
            }
            other => other?.data,
        };
        if server.name != confirm_name {
            return Err(LibraryError::ConfirmMismatch {
                kind: "environment",
            });
        }
        match client.delete_environment(id).await {
            Ok(_) | Err(postman_client::Error::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
        self.forget(DraftKind::Environment, id)
    }
}
