//! Keys commands: thin wrappers over `keys::Keys`, keeping the engine on the active key.

use tauri::{AppHandle, Runtime, State};
use tauri_plugin_opener::OpenerExt;

use postdesk_base::IpcError;
use postdesk_core::app::AppState;
use postdesk_core::session::{self, Reminders};
use postdesk_engine::{ActiveKey, Engine};
use postdesk_keys::{AddKey, KeyView, Keys, Reminder, Rotation, POSTMAN_API_KEYS_URL};

fn follow(keys: &Keys, engine: &Engine, app: &AppState) -> Result<(), IpcError> {
    Ok(session::follow_active_key(keys, engine, app.sandbox())?)
}

#[tauri::command]
pub fn keys_list(keys: State<'_, Keys>) -> Vec<KeyView> {
    keys.list()
}

#[tauri::command]
pub async fn keys_add(
    keys: State<'_, Keys>,
    engine: State<'_, Engine>,
    app: State<'_, AppState>,
    reminders: State<'_, Reminders>,
    request: AddKey,
) -> Result<KeyView, IpcError> {
    let view = keys.add(request).await?;
    follow(&keys, &engine, &app)?;
    reminders.collect(&keys);
    Ok(view)
}

#[tauri::command]
pub async fn keys_verify(keys: State<'_, Keys>, id: String) -> Result<KeyView, IpcError> {
    Ok(keys.verify(&id).await?)
}

#[tauri::command]
pub fn keys_rename(keys: State<'_, Keys>, id: String, name: String) -> Result<KeyView, IpcError> {
    Ok(keys.rename(&id, &name)?)
}

#[tauri::command]
pub fn keys_set_expiry(
    keys: State<'_, Keys>,
    reminders: State<'_, Reminders>,
    id: String,
    expires_on: Option<String>,
) -> Result<KeyView, IpcError> {
    let view = keys.set_expiry(&id, expires_on)?;
    reminders.collect(&keys);
    Ok(view)
}

#[tauri::command]
pub fn keys_set_active(
    keys: State<'_, Keys>,
    engine: State<'_, Engine>,
    app: State<'_, AppState>,
    id: Option<String>,
) -> Result<Option<ActiveKey>, IpcError> {
    keys.set_active(id.as_deref())?;
    follow(&keys, &engine, &app)?;
    Ok(engine.active_key())
}

#[tauri::command]
pub async fn keys_rotate(
    keys: State<'_, Keys>,
    engine: State<'_, Engine>,
    app: State<'_, AppState>,
    old_id: String,
    replacement: AddKey,
) -> Result<Rotation, IpcError> {
    let rotation = keys.rotate(&old_id, replacement).await?;
    follow(&keys, &engine, &app)?;
    Ok(rotation)
}

#[tauri::command]
pub fn keys_delete(
    keys: State<'_, Keys>,
    engine: State<'_, Engine>,
    app: State<'_, AppState>,
    reminders: State<'_, Reminders>,
    id: String,
) -> Result<(), IpcError> {
    keys.delete(&id)?;
    for days in [14, 3, 1, 0] {
        reminders.dismiss(&id, days);
    }
    follow(&keys, &engine, &app)
}

#[tauri::command]
pub fn keys_due_reminders(keys: State<'_, Keys>, reminders: State<'_, Reminders>) -> Vec<Reminder> {
    reminders.collect(&keys);
    reminders.current()
}

#[tauri::command]
pub fn keys_dismiss_reminder(reminders: State<'_, Reminders>, key_id: String, days: i32) {
    reminders.dismiss(&key_id, days);
}

/// Opens Postman's API-keys page in the system browser (the one URL this command can open).
#[tauri::command]
pub fn keys_open_postman<R: Runtime>(app: AppHandle<R>) -> Result<(), IpcError> {
    app.opener()
        .open_url(POSTMAN_API_KEYS_URL, None::<&str>)
        .map_err(|e| IpcError {
            code: postdesk_base::error::AppCode::OpenFailed.into(),
            message: format!(
                "The browser could not be opened ({e}). Open {POSTMAN_API_KEYS_URL} yourself."
            ),
        })
}
