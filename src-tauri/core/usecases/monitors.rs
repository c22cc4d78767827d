//! Monitors: the list with last runs and the kept history, run now, the history refresh, the
//! stored runs and their details, the schedule preview, create/edit/pause/delete and export.
//! The history is the active account's (the client's account).

use postdesk_base::IpcError;
use postdesk_monitors::{export, preview, MonitorsError};

use crate::contract::types::*;
use crate::Core;

pub(crate) async fn monitors_list(
    core: &Core,
    workspace: Option<String>,
    force: bool,
) -> Result<MonitorList, IpcError> {
    let client = core.client()?;
    Ok(core
        .monitors
        .list(&client, workspace.as_deref(), force)
        .await?)
}

/// Runs a monitor now; a failed run is announced by an OS notification when the preferences
/// allow.
pub(crate) async fn monitors_run(core: &Core, id: String) -> Result<RunOutcome, IpcError> {
    let client = core.client()?;
    let out = core.monitors.run_now(&client, &id).await?;
    if !out.record.passed() {
        let body = format!(
            "{} of {} assertions failed, {} errors.",
            out.record.assertions_failed, out.record.assertions_total, out.record.errors
        );
        notify_failure(core, &id, &client, body).await;
    }
    Ok(out)
}

/// Reads the monitor's run history and stores what is new; new failed runs are announced once
/// (one notification for all of them) when the preferences allow.
pub(crate) async fn monitors_refresh_history(core: &Core, id: String) -> Result<u32, IpcError> {
    let client = core.client()?;
    let new = core.monitors.refresh_history(&client, &id).await?;
    let failed = new.iter().filter(|r| !r.passed()).count();
    if failed > 0 {
        let body = format!("{failed} of {} new runs failed.", new.len());
        notify_failure(core, &id, &client, body).await;
    }
    Ok(new.len().min(u32::MAX as usize) as u32)
}

/// An OS notification that a run of monitor `id` failed (titled with its name, from the cache).
async fn notify_failure(core: &Core, id: &str, client: &postman_client::Client, body: String) {
    if !core.prefs().notify_failed_runs {
        return;
    }
    let name = match client.get_monitor(id, false).await {
        Ok(m) => m.data.name,
        Err(_) => "A monitor".to_owned(),
    };
    let title = format!("Monitor \"{name}\" failed");
    if let Err(err) = core.host.notify(&title, &body) {
        eprintln!("Postdesk: no OS notification ({err}); the run is shown in Monitors");
    }
}

pub(crate) async fn monitors_runs(
    core: &Core,
    id: String,
    before: Option<f64>,
) -> Result<Vec<RunRecord>, IpcError> {
    let client = core.client()?;
    let before = before.map(|b| b as i64);
    Ok(core.monitors.runs(client.account(), &id, before).await?)
}

pub(crate) async fn monitors_run_details(
    core: &Core,
    id: String,
    job_id: String,
) -> Result<Option<RunDetails>, IpcError> {
    let client = core.client()?;
    Ok(core
        .monitors
        .details(client.account(), &id, &job_id)
        .await?)
}

pub(crate) async fn monitors_schedule_preview(
    core: &Core,
    cron: String,
    timezone: String,
) -> Result<SchedulePreview, IpcError> {
    Ok(preview(&cron, &timezone, core.engine.clock().now_ms()))
}

/// What the active schedules add to this month's `monitor_request_runs`, beside its usage and
/// limit from `/me` (the cached answer when fresh).
pub(crate) async fn monitors_month_estimate(core: &Core) -> Result<MonthEstimate, IpcError> {
    let client = core.client()?;
    let usage = core.engine.usage(false).await?;
    let meter = usage
        .operations
        .iter()
        .find(|o| o.name == "monitor_request_runs")
        .map(|o| (o.usage, o.limit));
    Ok(core
        .monitors
        .month_estimate(&client, meter, core.engine.clock().now_ms())
        .await?)
}

pub(crate) async fn monitors_create(
    core: &Core,
    workspace: Option<String>,
    input: MonitorInput,
) -> Result<String, IpcError> {
    let client = core.client()?;
    Ok(core
        .monitors
        .create(&client, workspace.as_deref(), &input.fields())
        .await?)
}

pub(crate) async fn monitors_update(
    core: &Core,
    id: String,
    input: MonitorInput,
) -> Result<(), IpcError> {
    let client = core.client()?;
    let mut fields = input.fields();
    // The API refuses to change them; the form does not send them on edit either.
    fields.collection = None;
    fields.environment = None;
    Ok(core.monitors.update(&client, &id, &fields).await?)
}

pub(crate) async fn monitors_delete(
    core: &Core,
    id: String,
    confirm_name: String,
) -> Result<(), IpcError> {
    let client = core.client()?;
    Ok(core.monitors.delete(&client, &id, &confirm_name).await?)
}

/// Saves the stored history of a monitor (`name`: the monitor's, for the file name) where the
/// user chooses.
pub(crate) async fn monitors_export(
    core: &Core,
    id: String,
    name: String,
    format: ExportFormat,
) -> Result<Option<String>, IpcError> {
    let client = core.client()?;
    let runs = core.monitors.all_runs(client.account(), &id).await?;
    let file = export::file(&name, &runs, format).map_err(MonitorsError::Export)?;
    core.save_export(file, |path, e| {
        MonitorsError::Export(format!("{path}: {e}")).into()
    })
    .await
}
