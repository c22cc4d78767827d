//! Collections and environments. The document stays in Rust; edits are stored as drafts before
//! they answer, on the blocking pool (a 20 MB draft is serialised and fsynced there).

use postdesk_base::IpcError;
use postdesk_library::{LibraryError, SaveProgressEvent};

use super::blocking;
use crate::contract::types::*;
use crate::contract::Event;
use crate::Core;

pub(crate) async fn library_drafts(core: &Core) -> Result<DraftsOverview, IpcError> {
    let lib = core.library.clone();
    blocking(move || Ok(lib.drafts()?)).await
}

pub(crate) async fn library_workspaces(
    core: &Core,
    force: bool,
) -> Result<Listed<WorkspaceRow>, IpcError> {
    Ok(core.library.workspaces(&*core.client()?, force).await?)
}

pub(crate) async fn library_collections(
    core: &Core,
    workspace: Option<String>,
    force: bool,
) -> Result<CollectionColumns, IpcError> {
    let client = core.client()?;
    Ok(core
        .library
        .collections(&client, workspace.as_deref(), force)
        .await?
        .into())
}

pub(crate) async fn library_open_collection(
    core: &Core,
    uid: String,
    force: bool,
) -> Result<CollectionView, IpcError> {
    let client = core.client()?;
    Ok(core.library.open_collection(&client, &uid, force).await?)
}

pub(crate) async fn library_edit_collection(
    core: &Core,
    uid: String,
    edit: CollectionEdit,
) -> Result<CollectionView, IpcError> {
    let lib = core.library.clone();
    blocking(move || Ok(lib.edit_collection(&uid, &edit)?)).await
}

pub(crate) async fn library_collection_item(
    core: &Core,
    uid: String,
    path: String,
) -> Result<RequestDetail, IpcError> {
    let lib = core.library.clone();
    blocking(move || Ok(lib.collection_item(&uid, &path)?)).await
}

pub(crate) async fn library_collection_folder(
    core: &Core,
    uid: String,
    path: String,
) -> Result<Vec<TreeNode>, IpcError> {
    let lib = core.library.clone();
    blocking(move || Ok(lib.collection_folder(&uid, &path)?)).await
}

pub(crate) async fn library_collection_text(core: &Core, uid: String) -> Result<String, IpcError> {
    let lib = core.library.clone();
    blocking(move || Ok(lib.collection_text(&uid)?)).await
}

pub(crate) async fn library_set_collection_text(
    core: &Core,
    uid: String,
    text: String,
) -> Result<TextOutcome, IpcError> {
    let lib = core.library.clone();
    blocking(move || Ok(lib.set_collection_text(&uid, &text)?)).await
}

pub(crate) async fn library_create_collection(
    core: &Core,
    workspace: Option<String>,
    name: Option<String>,
    import: Option<String>,
) -> Result<Created, IpcError> {
    let client = core.client()?;
    Ok(core
        .library
        .create_collection(
            &client,
            workspace.as_deref(),
            name.as_deref(),
            import.as_deref(),
        )
        .await?)
}

pub(crate) async fn library_duplicate_collection(
    core: &Core,
    uid: String,
    workspace: Option<String>,
) -> Result<Created, IpcError> {
    let client = core.client()?;
    Ok(core
        .library
        .duplicate_collection(&client, &uid, workspace.as_deref())
        .await?)
}

/// Imports a collection file the user picks; what was made, `None` when they cancelled.
pub(crate) async fn library_import_collection_file(
    core: &Core,
    workspace: Option<String>,
) -> Result<Option<Created>, IpcError> {
    import_picked(core, workspace, DraftKind::Collection).await
}

/// Imports the file the user picks as a new `kind` in `workspace`; `None` when they cancelled.
async fn import_picked(
    core: &Core,
    workspace: Option<String>,
    kind: DraftKind,
) -> Result<Option<Created>, IpcError> {
    // The client first: no dialog for a file that could not be sent anyway.
    let client = core.client()?;
    let what = match kind {
        DraftKind::Collection => "Postman collection",
        DraftKind::Environment => "Postman environment",
    };
    let Some(text) = core.pick_import(what).await? else {
        return Ok(None);
    };
    let (lib, ws, text) = (&core.library, workspace.as_deref(), Some(text.as_str()));
    Ok(Some(match kind {
        DraftKind::Collection => lib.create_collection(&client, ws, None, text).await?,
        DraftKind::Environment => lib.create_environment(&client, ws, None, text).await?,
    }))
}

pub(crate) async fn library_export_collection(
    core: &Core,
    uid: String,
) -> Result<Option<String>, IpcError> {
    let client = core.client()?;
    let file = core.library.export_collection(&client, &uid).await?;
    core.save_export(file, export_failed).await
}

/// A library export the disk refused.
fn export_failed(path: String, e: std::io::Error) -> IpcError {
    LibraryError::Export {
        path,
        reason: e.to_string(),
    }
    .into()
}

pub(crate) async fn library_delete_collection(
    core: &Core,
    uid: String,
    confirm_name: String,
) -> Result<(), IpcError> {
    let client = core.client()?;
    Ok(core
        .library
        .delete_collection(&client, &uid, &confirm_name)
        .await?)
}

pub(crate) async fn library_environments(
    core: &Core,
    workspace: Option<String>,
    force: bool,
) -> Result<Listed<EnvironmentRow>, IpcError> {
    let client = core.client()?;
    Ok(core
        .library
        .environments(&client, workspace.as_deref(), force)
        .await?)
}

pub(crate) async fn library_open_environment(
    core: &Core,
    id: String,
    force: bool,
) -> Result<EnvironmentView, IpcError> {
    let client = core.client()?;
    Ok(core.library.open_environment(&client, &id, force).await?)
}

pub(crate) async fn library_edit_environment(
    core: &Core,
    id: String,
    name: String,
    values: Vec<EnvVariable>,
) -> Result<EnvironmentView, IpcError> {
    let lib = core.library.clone();
    blocking(move || Ok(lib.edit_environment(&id, &name, &values)?)).await
}

pub(crate) async fn library_create_environment(
    core: &Core,
    workspace: Option<String>,
    name: Option<String>,
    import: Option<String>,
) -> Result<Created, IpcError> {
    let client = core.client()?;
    Ok(core
        .library
        .create_environment(
            &client,
            workspace.as_deref(),
            name.as_deref(),
            import.as_deref(),
        )
        .await?)
}

/// Imports an environment file the user picks; what was made, `None` when they cancelled.
pub(crate) async fn library_import_environment_file(
    core: &Core,
    workspace: Option<String>,
) -> Result<Option<Created>, IpcError> {
    import_picked(core, workspace, DraftKind::Environment).await
}

pub(crate) async fn library_export_environment(
    core: &Core,
    id: String,
) -> Result<Option<String>, IpcError> {
    let client = core.client()?;
    let file = core.library.export_environment(&client, &id).await?;
    core.save_export(file, export_failed).await
}

pub(crate) async fn library_delete_environment(
    core: &Core,
    id: String,
    confirm_name: String,
) -> Result<(), IpcError> {
    let client = core.client()?;
    Ok(core
        .library
        .delete_environment(&client, &id, &confirm_name)
        .await?)
}

/// Saves the draft; each stage goes out as a `save-progress` event.
pub(crate) async fn library_save(
    core: &Core,
    kind: DraftKind,
    id: String,
    overwrite: bool,
) -> Result<SaveOutcome, IpcError> {
    let client = core.client()?;
    let host = core.host.clone();
    let event_id = id.clone();
    let mut progress = move |p| {
        host.emit(Event::SaveProgress(SaveProgressEvent {
            kind,
            id: event_id.clone(),
            progress: p,
        }))
    };
    Ok(core
        .library
        .save(&client, kind, &id, overwrite, &mut progress)
        .await?)
}

pub(crate) async fn library_discard(
    core: &Core,
    kind: DraftKind,
    id: String,
) -> Result<(), IpcError> {
    let lib = core.library.clone();
    blocking(move || Ok(lib.discard(kind, &id)?)).await
}

pub(crate) async fn library_close(
    core: &Core,
    kind: DraftKind,
    id: String,
) -> Result<(), IpcError> {
    let client = core.engine.client().ok();
    core.library.close(client.as_deref(), kind, &id);
    Ok(())
}
