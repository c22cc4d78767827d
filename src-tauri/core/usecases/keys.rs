//! The user's API keys. Whatever changes which key is active goes through
//! [`after_key_change`], once: the engine follows the active key, the other account's clean
//! working copies are closed, and the reminders that fell due are given.

use postdesk_base::error::AppCode;
use postdesk_base::IpcError;
use postdesk_keys::POSTMAN_API_KEYS_URL;

use super::desktop_error;
use crate::contract::types::*;
use crate::session::follow_active_key;
use crate::Core;

/// After a key was added, rotated, deleted or made active.
fn after_key_change(core: &Core) -> Result<(), IpcError> {
    let account = follow_active_key(&core.keys, &core.engine, &core.sandbox)?;
    // Working copies, drafts and kept access tokens are the account's own: another account's
    // are closed (clean) or hidden (unsaved, kept as drafts) until its key is active again.
    if let Err(why) = core.follow_account(account) {
        eprintln!("Postdesk: {why}");
    }
    core.collect_reminders();
    Ok(())
}

pub(crate) async fn keys_list(core: &Core) -> Result<Vec<KeyView>, IpcError> {
    Ok(core.keys.list())
}

pub(crate) async fn keys_add(core: &Core, request: AddKey) -> Result<KeyView, IpcError> {
    let view = core.keys.add(request).await?;
    after_key_change(core)?;
    Ok(view)
}

pub(crate) async fn keys_verify(core: &Core, id: String) -> Result<KeyView, IpcError> {
    Ok(core.keys.verify(&id).await?)
}

pub(crate) async fn keys_rename(
    core: &Core,
    id: String,
    name: String,
) -> Result<KeyView, IpcError> {
    Ok(core.keys.rename(&id, &name)?)
}

pub(crate) async fn keys_set_expiry(
    core: &Core,
    id: String,
    expires_on: Option<String>,
) -> Result<KeyView, IpcError> {
    let view = core.keys.set_expiry(&id, expires_on)?;
    core.collect_reminders();
    Ok(view)
}

pub(crate) async fn keys_set_active(
    core: &Core,
    id: Option<String>,
) -> Result<Option<ActiveKey>, IpcError> {
    core.keys.set_active(id.as_deref())?;
    after_key_change(core)?;
    Ok(core.engine.active_key())
}

pub(crate) async fn keys_rotate(
    core: &Core,
    old_id: String,
    replacement: AddKey,
) -> Result<Rotation, IpcError> {
    let rotation = core.keys.rotate(&old_id, replacement).await?;
    after_key_change(core)?;
    Ok(rotation)
}

pub(crate) async fn keys_delete(core: &Core, id: String) -> Result<(), IpcError> {
    core.keys.delete(&id)?;
    core.reminders.forget_key(&id);
    after_key_change(core)
}

pub(crate) async fn keys_due_reminders(core: &Core) -> Result<Vec<Reminder>, IpcError> {
    core.collect_reminders();
    Ok(core.reminders.current())
}

pub(crate) async fn keys_dismiss_reminder(
    core: &Core,
    key_id: String,
    days: i32,
) -> Result<(), IpcError> {
    core.reminders.dismiss(&key_id, days);
    Ok(())
}

/// Opens Postman's API-keys page (the one URL this command opens).
pub(crate) async fn keys_open_postman(core: &Core) -> Result<(), IpcError> {
    core.host.open_url(POSTMAN_API_KEYS_URL).map_err(|e| {
        desktop_error(
            AppCode::OpenFailed,
            &format!("The browser could not be opened. Open {POSTMAN_API_KEYS_URL} yourself"),
            e,
        )
    })
}
