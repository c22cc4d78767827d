//! The thin command layer: the only Rust that knows Tauri. Each command unpacks Tauri state,
//! calls a plain domain function and maps its error to `IpcError`. Every command listed here
//! must also be listed in build.rs (`AppManifest::commands`) and granted in tauri.conf.json.

use tauri::State;

use crate::app::{AppInfo, AppState};
use crate::error::IpcError;

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> Result<AppInfo, IpcError> {
    Ok(state.info()?)
}
