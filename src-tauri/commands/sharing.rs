//! Sharing commands: thin wrappers over `sharing::Sharing` with the engine's active client.
//! Share links carry the token, so they go from Rust straight to the clipboard.

use tauri::{AppHandle, Emitter, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use tauri_plugin_notification::NotificationExt;
use tauri_plugin_opener::OpenerExt;

use postdesk_base::IpcError;
use postdesk_engine::Engine;
use postdesk_sharing::{
    postman_collection_url, AccessKeyPageView, RevokeResult, ShareText, ShareTexts, ShareView,
    Sharing,
};

/// Name of the event that carries [`postdesk_sharing::RevokeProgress`] while keys are revoked.
pub const REVOKE_PROGRESS_EVENT: &str = "revoke-progress";

/// One page of keys. With `notify`, keys expiring within 7 days that were not announced yet in
/// this run get an OS notification (once per key).
#[tauri::command]
pub async fn sharing_page<R: Runtime>(
    app: AppHandle<R>,
    engine: State<'_, Engine>,
    sharing: State<'_, Sharing>,
    collection: Option<String>,
    cursor: Option<String>,
    force: bool,
    notify: bool,
) -> Result<AccessKeyPageView, IpcError> {
    let client = engine.client()?;
    let page = sharing
        .page(&client, collection.as_deref(), cursor.as_deref(), force)
        .await?;
    if notify {
        for row in sharing.newly_expiring(&page.rows) {
            let what = row
                .collection_name
                .clone()
                .or_else(|| row.collection_uid.clone())
                .unwrap_or_else(|| "a collection".into());
            let when = match row.days_left {
                Some(d) if d <= 0 => "today".to_owned(),
                Some(1) => "tomorrow".to_owned(),
                Some(d) => format!("in {d} days"),
                None => "soon".to_owned(),
            };
            let shown = app
                .notification()
                .builder()
                .title("Postdesk: a share link expires soon")
                .body(format!(
                    "The access key {} for “{what}” expires {when} unless it is used.",
                    row.masked
                ))
                .show();
            if let Err(err) = shown {
                eprintln!(
                    "Postdesk: no OS notification ({err}); the key is highlighted in Sharing"
                );
            }
        }
    }
    Ok(page)
}

#[tauri::command]
pub async fn sharing_revoke<R: Runtime>(
    app: AppHandle<R>,
    engine: State<'_, Engine>,
    sharing: State<'_, Sharing>,
    ids: Vec<String>,
) -> Result<Vec<RevokeResult>, IpcError> {
    let client = engine.client()?;
    let mut progress = move |p| {
        let _ = app.emit(REVOKE_PROGRESS_EVENT, p);
    };
    Ok(sharing.revoke(&client, &ids, &mut progress).await)
}

/// The pasted token crosses IPC once, here; it never comes back.
#[tauri::command]
pub async fn sharing_add_token(
    engine: State<'_, Engine>,
    sharing: State<'_, Sharing>,
    uid: String,
    token: postdesk_vault::Secret,
) -> Result<ShareView, IpcError> {
    let client = engine.client()?;
    Ok(sharing.add_token(&client, &uid, token).await?)
}

/// Sandbox only: what Postman's Share → Via API → Generate New Key does.
#[tauri::command]
pub async fn sharing_mint(
    engine: State<'_, Engine>,
    sharing: State<'_, Sharing>,
    uid: String,
) -> Result<ShareView, IpcError> {
    let client = engine.client()?;
    Ok(sharing.mint_in_sandbox(&client, &uid).await?)
}

#[tauri::command]
pub fn sharing_texts(
    engine: State<'_, Engine>,
    sharing: State<'_, Sharing>,
    key_id: String,
    uid: String,
) -> Result<ShareTexts, IpcError> {
    let client = engine.client()?;
    Ok(sharing.texts(&client, &key_id, &uid)?)
}

/// Puts the share link, the `newman run` or the `curl` command on the clipboard.
#[tauri::command]
pub fn sharing_copy<R: Runtime>(
    app: AppHandle<R>,
    engine: State<'_, Engine>,
    sharing: State<'_, Sharing>,
    key_id: String,
    uid: String,
    what: ShareText,
) -> Result<(), IpcError> {
    let client = engine.client()?;
    let text = sharing.share_text(&client, &key_id, &uid, what)?;
    app.clipboard().write_text(text).map_err(|e| IpcError {
        code: postdesk_base::error::AppCode::Clipboard.into(),
        message: format!("The clipboard could not be written ({e})."),
    })
}

/// Opens the collection in Postman's web app (Share → Via API → Generate New Key is there).
#[tauri::command]
pub fn sharing_open_postman<R: Runtime>(app: AppHandle<R>, uid: String) -> Result<(), IpcError> {
    let url = postman_collection_url(&uid);
    app.opener()
        .open_url(&url, None::<&str>)
        .map_err(|e| IpcError {
            code: postdesk_base::error::AppCode::OpenFailed.into(),
            message: format!("The browser could not be opened ({e}). Open {url} yourself."),
        })
}
