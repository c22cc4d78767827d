//! The engine: the active key, the meters, the Usage figures, the activity log.

use postdesk_base::IpcError;

use crate::contract::types::*;
use crate::Core;

pub(crate) async fn engine_active_key(core: &Core) -> Result<Option<ActiveKey>, IpcError> {
    Ok(core.engine.active_key())
}

pub(crate) async fn engine_meters(core: &Core) -> Result<Meters, IpcError> {
    Ok(core.engine.meters_now())
}

pub(crate) async fn engine_usage(core: &Core, force: bool) -> Result<UsageSummary, IpcError> {
    Ok(core.engine.usage(force).await?)
}

pub(crate) async fn engine_activity(core: &Core) -> Result<Vec<ActivityRow>, IpcError> {
    Ok(core.engine.activity())
}

/// Saves the activity log where the user chooses; the file's path, `None` when they cancelled.
pub(crate) async fn engine_export_activity(
    core: &Core,
    format: ExportFormat,
) -> Result<Option<String>, IpcError> {
    let file = postdesk_engine::export_file(&core.engine, format);
    core.save_export(file, |path, e| {
        postdesk_engine::EngineError::Export(format!("{path}: {e}")).into()
    })
    .await
}
