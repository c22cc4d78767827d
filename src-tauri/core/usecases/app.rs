//! The app itself: what it knows about itself, and the preferences.

use postdesk_base::IpcError;

use crate::contract::types::*;
use crate::Core;

pub(crate) async fn app_info(core: &Core) -> Result<AppInfo, IpcError> {
    Ok(crate::app::info(
        &core.data_dir,
        &core.sandbox,
        &core.vault,
        &core.warnings,
    )?)
}

pub(crate) async fn prefs_get(core: &Core) -> Result<Prefs, IpcError> {
    Ok(core.prefs())
}

/// Checks and stores the preferences; they apply at once (reminder days, notifications).
pub(crate) async fn prefs_set(core: &Core, prefs: Prefs) -> Result<Prefs, IpcError> {
    let prefs = prefs.checked()?;
    core.keys.set_reminder_days(&prefs.reminder_days);
    *core.prefs.lock().unwrap_or_else(|e| e.into_inner()) = prefs.clone();
    prefs.save(core.host.as_ref())?;
    Ok(prefs)
}
