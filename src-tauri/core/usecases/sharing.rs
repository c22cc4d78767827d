//! Collection access keys. Tokens stay in Rust: the share texts go from here to the clipboard.

use postdesk_base::error::AppCode;
use postdesk_base::IpcError;
use postdesk_sharing::postman_collection_url;

use super::desktop_error;
use crate::contract::types::*;
use crate::contract::Event;
use crate::Core;

/// One page of keys; keys expiring within 7 days that were not announced yet in this run get
/// an OS notification (once per key), when the preferences allow.
pub(crate) async fn sharing_page(
    core: &Core,
    collection: Option<String>,
    cursor: Option<String>,
    force: bool,
) -> Result<AccessKeyPageView, IpcError> {
    let client = core.client()?;
    let page = core
        .sharing
        .page(&client, collection.as_deref(), cursor.as_deref(), force)
        .await?;
    if core.prefs().notify_expiring_shares {
        for row in core.sharing.newly_expiring(&page.rows) {
            let (title, body) = row.expiry_notice();
            if let Err(err) = core.host.notify(&title, &body) {
                eprintln!(
                    "Postdesk: no OS notification ({err}); the key is highlighted in Sharing"
                );
            }
        }
    }
    Ok(page)
}

/// Revokes the keys (each once, paced); each result goes out as a `revoke-progress` event.
pub(crate) async fn sharing_revoke(
    core: &Core,
    ids: Vec<String>,
) -> Result<Vec<RevokeResult>, IpcError> {
    let client = core.client()?;
    let host = core.host.clone();
    let mut progress = move |p| host.emit(Event::RevokeProgress(p));
    Ok(core.sharing.revoke(&client, &ids, &mut progress).await)
}

/// The pasted token crosses IPC once, here; it never comes back.
pub(crate) async fn sharing_add_token(
    core: &Core,
    uid: String,
    token: Secret,
) -> Result<ShareView, IpcError> {
    let client = core.client()?;
    Ok(core.sharing.add_token(&client, &uid, token).await?)
}

pub(crate) async fn sharing_mint(core: &Core, uid: String) -> Result<ShareView, IpcError> {
    let client = core.client()?;
    Ok(core.sharing.mint_in_sandbox(&client, &uid).await?)
}

pub(crate) async fn sharing_texts(
    core: &Core,
    key_id: String,
    uid: String,
) -> Result<ShareTexts, IpcError> {
    let client = core.client()?;
    Ok(core.sharing.texts(&client, &key_id, &uid)?)
}

/// Puts the share link, the `newman run` or the `curl` command on the clipboard, marked
/// sensitive, and takes it off again a minute later if it is still there.
pub(crate) async fn sharing_copy(
    core: &Core,
    key_id: String,
    uid: String,
    what: ShareText,
) -> Result<Copied, IpcError> {
    let client = core.client()?;
    let text = core.sharing.share_text(&client, &key_id, &uid, what)?;
    core.clipboard
        .copy(core.host.clone(), text, crate::clipboard::CLEAR_AFTER)
        .map_err(|e| desktop_error(AppCode::Clipboard, "The clipboard could not be written", e))
}

/// Opens the collection in Postman's web app (Share → Via API → Generate New Key is there).
pub(crate) async fn sharing_open_postman(core: &Core, uid: String) -> Result<(), IpcError> {
    let url = postman_collection_url(&uid);
    core.host.open_url(&url).map_err(|e| {
        desktop_error(
            AppCode::OpenFailed,
            &format!("The browser could not be opened. Open {url} yourself"),
            e,
        )
    })
}
