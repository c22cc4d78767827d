//! The app itself: what it knows about itself, the preferences, and its own updates.

use postdesk_base::IpcError;

use crate::contract::types::*;
use crate::updates::{UpdateError, UpdateOffer, UpdateProgress, UpdateStage};
use crate::{Core, Event};

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

/// Looks for a newer version: the automatic check only when a day has passed since the last
/// one; the endpoints checked first (https; loopback http in debug builds). A failure answers
/// in one sentence.
pub(crate) async fn app_check_update(core: &Core, manual: bool) -> Result<UpdateCheck, IpcError> {
    let mut pending = core.updates.pending.lock().await;
    if !manual && !core.updates.record.due() {
        return Ok(UpdateCheck::NotDue);
    }
    core.updates.record.record();
    Ok(match look_for_update(core).await {
        Ok(Some(offer)) => {
            *pending = Some(offer.clone());
            UpdateCheck::Available { update: offer }
        }
        Ok(None) => {
            *pending = None;
            UpdateCheck::UpToDate {
                version: current_version().into(),
            }
        }
        Err(e) => e.as_check(),
    })
}

/// Downloads the version the last check offered (or one found now), verifies its signature,
/// installs it; each stage is an `update-progress` event.
pub(crate) async fn app_install_update(core: &Core) -> Result<UpdateInstalled, IpcError> {
    let mut pending = core.updates.pending.lock().await;
    let offer = match pending.clone() {
        Some(offer) => offer,
        None => match look_for_update(core).await? {
            Some(offer) => offer,
            None => {
                return Err(UpdateError::UpToDate {
                    version: current_version().into(),
                }
                .into())
            }
        },
    };
    let host = core.host.clone();
    let progress = |stage, downloaded, total| {
        host.emit(Event::UpdateProgress(UpdateProgress {
            version: offer.version.clone(),
            stage,
            downloaded,
            total,
        }))
    };
    progress(UpdateStage::Downloading, 0, None);
    let pacer = crate::updates::ProgressPacer::default();
    let got = std::sync::Mutex::new((0, None));
    let on_chunk = |downloaded: u64, total: Option<u64>| {
        *got.lock().unwrap_or_else(|e| e.into_inner()) = (downloaded, total);
        if pacer.worth_sending(downloaded, total) {
            progress(UpdateStage::Downloading, downloaded, total);
        }
    };
    host.download_update(&on_chunk).await?;
    let (downloaded, total) = *got.lock().unwrap_or_else(|e| e.into_inner());
    progress(UpdateStage::Installing, downloaded, total);
    let installer = host.clone();
    super::blocking(move || Ok(installer.install_update()?)).await?;
    progress(UpdateStage::Installed, downloaded, total);
    *pending = None;
    Ok(UpdateInstalled {
        version: offer.version,
    })
}

/// Restarts the app (its exit handlers run first: the built-in sandbox keeps its state).
pub(crate) async fn app_restart(core: &Core) -> Result<(), IpcError> {
    core.host.restart();
    Ok(())
}

fn current_version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// Asks the host's updater, at the endpoints this build may use.
async fn look_for_update(core: &Core) -> Result<Option<UpdateOffer>, UpdateError> {
    let settings = &core.updates.settings;
    let endpoints = settings.endpoints(&core.host.update_endpoints())?;
    let found = core.host.check_update(&endpoints, settings.timeout).await?;
    Ok(found.map(|f| crate::updates::offer(f, current_version())))
}
