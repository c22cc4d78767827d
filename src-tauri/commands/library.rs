//! Collections and environments commands: thin wrappers over `library::Library` with the
//! engine's active client.

use tauri::{AppHandle, Emitter, Manager, Runtime, State};

use postdesk_base::IpcError;
use postdesk_drafts::{DraftKind, SaveOutcome};
use postdesk_engine::Engine;
use postdesk_library::{
    CollectionEdit, CollectionRow, CollectionView, Created, DraftsOverview, EnvVariable,
    EnvironmentRow, EnvironmentView, Library, RequestDetail, SaveProgressEvent, TextOutcome,
    WorkspaceRow,
};

/// Name of the event that carries [`SaveProgressEvent`] while a save runs.
pub const SAVE_PROGRESS_EVENT: &str = "save-progress";

fn export_dir<R: Runtime>(app: &AppHandle<R>) -> Result<std::path::PathBuf, IpcError> {
    app.path()
        .download_dir()
        .or_else(|_| app.path().app_data_dir())
        .map_err(|e| IpcError {
            code: postdesk_base::error::AppCode::NoExportFolder.into(),
            message: format!("No folder to export to: {e}"),
        })
}

#[tauri::command]
pub fn library_drafts(library: State<'_, Library>) -> Result<DraftsOverview, IpcError> {
    Ok(library.drafts()?)
}

#[tauri::command]
pub async fn library_workspaces(
    engine: State<'_, Engine>,
    library: State<'_, Library>,
    force: bool,
) -> Result<Vec<WorkspaceRow>, IpcError> {
    Ok(library.workspaces(&*engine.client()?, force).await?)
}

#[tauri::command]
pub async fn library_collections(
    engine: State<'_, Engine>,
    library: State<'_, Library>,
    workspace: Option<String>,
    force: bool,
) -> Result<Vec<CollectionRow>, IpcError> {
    let client = engine.client()?;
    Ok(library
        .collections(&client, workspace.as_deref(), force)
        .await?)
}

#[tauri::command]
pub async fn library_open_collection(
    engine: State<'_, Engine>,
    library: State<'_, Library>,
    uid: String,
    force: bool,
) -> Result<CollectionView, IpcError> {
    let client = engine.client()?;
    Ok(library.open_collection(&client, &uid, force).await?)
}

#[tauri::command]
pub fn library_edit_collection(
    library: State<'_, Library>,
    uid: String,
    edit: CollectionEdit,
) -> Result<CollectionView, IpcError> {
    Ok(library.edit_collection(&uid, &edit)?)
}

#[tauri::command]
pub fn library_collection_item(
    library: State<'_, Library>,
    uid: String,
    path: String,
) -> Result<RequestDetail, IpcError> {
    Ok(library.collection_item(&uid, &path)?)
}

#[tauri::command]
pub fn library_collection_text(
    library: State<'_, Library>,
    uid: String,
) -> Result<String, IpcError> {
    Ok(library.collection_text(&uid)?)
}

#[tauri::command]
pub fn library_set_collection_text(
    library: State<'_, Library>,
    uid: String,
    text: String,
) -> Result<TextOutcome, IpcError> {
    Ok(library.set_collection_text(&uid, &text)?)
}

#[tauri::command]
pub async fn library_create_collection(
    engine: State<'_, Engine>,
    library: State<'_, Library>,
    workspace: Option<String>,
    name: Option<String>,
    import: Option<String>,
) -> Result<Created, IpcError> {
    let client = engine.client()?;
    Ok(library
        .create_collection(
            &client,
            workspace.as_deref(),
            name.as_deref(),
            import.as_deref(),
        )
        .await?)
}

#[tauri::command]
pub async fn library_duplicate_collection(
    engine: State<'_, Engine>,
    library: State<'_, Library>,
    uid: String,
    workspace: Option<String>,
) -> Result<Created, IpcError> {
    let client = engine.client()?;
    Ok(library
        .duplicate_collection(&client, &uid, workspace.as_deref())
        .await?)
}

/// Writes the collection to the Downloads folder (or the data folder); returns the path.
#[tauri::command]
pub async fn library_export_collection<R: Runtime>(
    app: AppHandle<R>,
    engine: State<'_, Engine>,
    library: State<'_, Library>,
    uid: String,
) -> Result<String, IpcError> {
    let dir = export_dir(&app)?;
    let client = engine.client()?;
    Ok(library.export_collection(&client, &uid, &dir).await?)
}

#[tauri::command]
pub async fn library_delete_collection(
    engine: State<'_, Engine>,
    library: State<'_, Library>,
    uid: String,
    confirm_name: String,
) -> Result<(), IpcError> {
    let client = engine.client()?;
    Ok(library
        .delete_collection(&client, &uid, &confirm_name)
        .await?)
}

#[tauri::command]
pub async fn library_environments(
    engine: State<'_, Engine>,
    library: State<'_, Library>,
    workspace: Option<String>,
    force: bool,
) -> Result<Vec<EnvironmentRow>, IpcError> {
    let client = engine.client()?;
    Ok(library
        .environments(&client, workspace.as_deref(), force)
        .await?)
}

#[tauri::command]
pub async fn library_open_environment(
    engine: State<'_, Engine>,
    library: State<'_, Library>,
    id: String,
    force: bool,
) -> Result<EnvironmentView, IpcError> {
    let client = engine.client()?;
    Ok(library.open_environment(&client, &id, force).await?)
}

#[tauri::command]
pub fn library_edit_environment(
    library: State<'_, Library>,
    id: String,
    name: String,
    values: Vec<EnvVariable>,
) -> Result<EnvironmentView, IpcError> {
    Ok(library.edit_environment(&id, &name, &values)?)
}

#[tauri::command]
pub async fn library_create_environment(
    engine: State<'_, Engine>,
    library: State<'_, Library>,
    workspace: Option<String>,
    name: Option<String>,
    import: Option<String>,
) -> Result<Created, IpcError> {
    let client = engine.client()?;
    Ok(library
        .create_environment(
            &client,
            workspace.as_deref(),
            name.as_deref(),
            import.as_deref(),
        )
        .await?)
}

#[tauri::command]
pub async fn library_export_environment<R: Runtime>(
    app: AppHandle<R>,
    engine: State<'_, Engine>,
    library: State<'_, Library>,
    id: String,
) -> Result<String, IpcError> {
    let dir = export_dir(&app)?;
    let client = engine.client()?;
    Ok(library.export_environment(&client, &id, &dir).await?)
}

#[tauri::command]
pub async fn library_delete_environment(
    engine: State<'_, Engine>,
    library: State<'_, Library>,
    id: String,
    confirm_name: String,
) -> Result<(), IpcError> {
    let client = engine.client()?;
    Ok(library
        .delete_environment(&client, &id, &confirm_name)
        .await?)
}

/// Saves the draft; progress goes out as `save-progress` events.
#[tauri::command]
pub async fn library_save<R: Runtime>(
    app: AppHandle<R>,
    engine: State<'_, Engine>,
    library: State<'_, Library>,
    kind: DraftKind,
    id: String,
    overwrite: bool,
) -> Result<SaveOutcome, IpcError> {
    let client = engine.client()?;
    let event_id = id.clone();
    let mut progress = move |p| {
        let _ = app.emit(
            SAVE_PROGRESS_EVENT,
            SaveProgressEvent {
                kind,
                id: event_id.clone(),
                progress: p,
            },
        );
    };
    Ok(library
        .save(&client, kind, &id, overwrite, &mut progress)
        .await?)
}

#[tauri::command]
pub fn library_discard(
    library: State<'_, Library>,
    kind: DraftKind,
    id: String,
) -> Result<(), IpcError> {
    Ok(library.discard(kind, &id)?)
}

#[tauri::command]
pub fn library_close(library: State<'_, Library>, kind: DraftKind, id: String) {
    library.close(kind, &id);
}
