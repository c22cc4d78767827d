//! Mock servers: the list, create/edit/delete, public/private, try it, switch to errors, the
//! call log (refresh, kept calls, details, export) and local mocks. The call log is the active
//! account's (a local mock's is its own, whoever is signed in).

use postdesk_base::IpcError;
use postdesk_mocks::MocksError;

use crate::contract::types::*;
use crate::Core;

pub(crate) async fn mocks_list(
    core: &Core,
    workspace: Option<String>,
    force: bool,
) -> Result<MockList, IpcError> {
    let client = core.client()?;
    Ok(core
        .mocks
        .list(&client, workspace.as_deref(), force)
        .await?)
}

pub(crate) async fn mocks_create(
    core: &Core,
    workspace: Option<String>,
    input: MockInput,
) -> Result<String, IpcError> {
    let client = core.client()?;
    Ok(core
        .mocks
        .create(&client, workspace.as_deref(), &input)
        .await?)
}

pub(crate) async fn mocks_update(
    core: &Core,
    id: String,
    input: MockInput,
) -> Result<(), IpcError> {
    let client = core.client()?;
    Ok(core.mocks.update(&client, &id, &input).await?)
}

pub(crate) async fn mocks_delete(
    core: &Core,
    id: String,
    confirm_name: String,
) -> Result<(), IpcError> {
    let client = core.client()?;
    Ok(core.mocks.delete(&client, &id, &confirm_name).await?)
}

pub(crate) async fn mocks_copy_url(core: &Core, id: String) -> Result<Copied, IpcError> {
    let url = match core.mocks.local_url(&id).await {
        Some(url) => url,
        None => {
            let client = core.client()?;
            let m = client
                .get_mock(&id, false)
                .await
                .map_err(MocksError::from)?;
            m.data.mock_url.unwrap_or_default()
        }
    };
    core.host
        .write_clipboard(postdesk_base::Secret::from(url.as_str()))
        .map_err(|e| {
            crate::usecases::desktop_error(
                postdesk_base::error::AppCode::Clipboard,
                "The clipboard could not be written",
                e,
            )
        })?;
    Ok(Copied {
        clears_in_secs: 0,
        hidden_from_history: false,
    })
}

pub(crate) async fn mocks_set_public(
    core: &Core,
    id: String,
    public: bool,
) -> Result<(), IpcError> {
    let client = core.client()?;
    Ok(core.mocks.set_public(&client, &id, public).await?)
}

pub(crate) async fn mocks_try(
    core: &Core,
    id: String,
    request: TryRequest,
) -> Result<TryResult, IpcError> {
    let client = core.client()?;
    Ok(core.mocks.try_call(&client, &id, &request).await?)
}

pub(crate) async fn mocks_set_errors(
    core: &Core,
    id: String,
    status: Option<u16>,
) -> Result<(), IpcError> {
    let client = core.client()?;
    Ok(core.mocks.set_errors(&client, &id, status).await?)
}

pub(crate) async fn mocks_refresh_calls(core: &Core, id: String) -> Result<u32, IpcError> {
    let client = core.client()?;
    Ok(core.mocks.refresh_calls(&client, &id).await?)
}

/// The account the kept call logs are read under (the sandbox's when no key is active).
fn account(core: &Core) -> Result<String, IpcError> {
    Ok(core.client()?.account().to_owned())
}

pub(crate) async fn mocks_calls(
    core: &Core,
    id: String,
    filter: CallFilter,
) -> Result<Vec<CallRow>, IpcError> {
    Ok(core.mocks.calls(&account(core)?, &id, filter).await?)
}

pub(crate) async fn mocks_call_details(
    core: &Core,
    id: String,
    call_id: String,
) -> Result<Option<CallDetails>, IpcError> {
    Ok(core
        .mocks
        .call_details(&account(core)?, &id, &call_id)
        .await?)
}

pub(crate) async fn mocks_export_calls(
    core: &Core,
    id: String,
    name: String,
    format: ExportFormat,
) -> Result<Option<String>, IpcError> {
    let file = core
        .mocks
        .export(&account(core)?, &id, &name, format)
        .await?;
    core.save_export(file, |path, e| {
        MocksError::Export(format!("{path}: {e}")).into()
    })
    .await
}

pub(crate) async fn mocks_local_start(
    core: &Core,
    start: LocalStart,
) -> Result<LocalMock, IpcError> {
    let client = core.client()?;
    Ok(core.mocks.local_start(&client, &start).await?)
}

pub(crate) async fn mocks_local_stop(core: &Core, id: String) -> Result<(), IpcError> {
    Ok(core.mocks.local_stop(&id).await?)
}

pub(crate) async fn mocks_local_list(core: &Core) -> Result<Vec<LocalMock>, IpcError> {
    Ok(core.mocks.local_list().await)
}
