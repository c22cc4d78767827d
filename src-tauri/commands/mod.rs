//! The thin command layer: the only Rust that knows Tauri. Each command unpacks Tauri state,
//! calls a plain domain function and maps its error to `IpcError`. Every command listed here
//! must also be listed in build.rs (`AppManifest::commands`) and granted in tauri.conf.json.

pub mod keys;
pub mod library;
pub mod sharing;

use tauri::{AppHandle, Emitter, Manager, Runtime, State};

use postdesk_base::IpcError;
use postdesk_core::app::{AppInfo, AppState};
use postdesk_engine::{ActiveKey, ActivityRow, Engine, ExportFormat, Meters, UsageSummary};

/// Name of the event that carries [`Meters`] to the UI whenever they change.
pub const METERS_EVENT: &str = "meters";

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> Result<AppInfo, IpcError> {
    Ok(state.info()?)
}

#[tauri::command]
pub fn engine_active_key(engine: State<'_, Engine>) -> Option<ActiveKey> {
    engine.active_key()
}

#[tauri::command]
pub fn engine_meters(engine: State<'_, Engine>) -> Meters {
    engine.meters_now()
}

#[tauri::command]
pub async fn engine_usage(
    engine: State<'_, Engine>,
    force: bool,
) -> Result<UsageSummary, IpcError> {
    Ok(engine.usage(force).await?)
}

#[tauri::command]
pub fn engine_activity(engine: State<'_, Engine>) -> Vec<ActivityRow> {
    engine.activity()
}

/// Writes the activity log to the Downloads folder (or the data folder) and returns the path.
#[tauri::command]
pub fn engine_export_activity<R: Runtime>(
    app: AppHandle<R>,
    engine: State<'_, Engine>,
    format: ExportFormat,
) -> Result<String, IpcError> {
    let dir = app
        .path()
        .download_dir()
        .or_else(|_| app.path().app_data_dir())
        .map_err(|e| IpcError {
            code: postdesk_base::error::AppCode::NoExportFolder.into(),
            message: format!("No folder to export to: {e}"),
        })?;
    Ok(postdesk_engine::export_to(&engine, &dir, format)?)
}

/// Forwards every change of the meters to the webview as a `meters` event (no API calls).
pub fn forward_meters<R: Runtime>(app: &AppHandle<R>, engine: &Engine) {
    let mut meters = engine.meters();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        while meters.changed().await.is_ok() {
            let snapshot = meters.borrow_and_update().clone();
            if app.emit(METERS_EVENT, snapshot).is_err() {
                break;
            }
        }
    });
}
