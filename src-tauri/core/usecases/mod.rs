//! The body of every command, one module per area. [`Commands`] for [`Core`] is generated from
//! the command list: each method calls the function of the same name here, so a command
//! without a body does not compile.
//!
//! Work that takes a while without waiting on the network (serialising and fsyncing a 20 MB
//! draft, validating raw JSON) runs on tokio's blocking pool ([`blocking`]): no command ever
//! runs on the main thread, and no async worker is held up by one.

mod app;
mod engine;
mod keys;
mod library;
mod mocks;
mod monitors;
mod sharing;

pub(crate) use app::*;
pub(crate) use engine::*;
pub(crate) use keys::*;
pub(crate) use library::*;
pub(crate) use mocks::*;
pub(crate) use monitors::*;
pub(crate) use sharing::*;

use std::future::Future;

use postdesk_base::error::{AppCode, IpcCode};
use postdesk_base::files::ExportFile;
use postdesk_base::IpcError;

use crate::contract::types::*;
use crate::contract::Commands;
use crate::Core;

macro_rules! implement {
    ($( $(#[doc = $doc:literal])* $name:ident ( $( $arg:ident : $ty:ty ),* $(,)? ) -> $res:ty ; )*) => {
        impl Commands for Core {
            $(
                fn $name(&self, $( $arg: $ty ),*) -> impl Future<Output = Result<$res, IpcError>> + Send {
                    async move {
                        let answer = $name(self, $( $arg ),*).await;
                        if let Err(e) = &answer {
                            self.after_refusal(stringify!($name), e);
                        }
                        answer
                    }
                }
            )*
        }
    };
}

crate::postdesk_commands!(implement);

impl Core {
    /// Postman answered 401 to a call made with the active key (not to a key being pasted or
    /// checked in the Keys view): the key is marked refused, so the app says so and offers to
    /// verify or replace it.
    fn after_refusal(&self, command: &str, e: &IpcError) {
        let pasted = command.starts_with("keys_");
        if !pasted && e.code == postdesk_base::error::ApiCode::InvalidKey.as_str() {
            self.engine.active_key_refused();
        }
    }
}

/// Runs `f` on tokio's blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, IpcError> + Send + 'static,
) -> Result<T, IpcError> {
    postdesk_base::tasks::blocking(f, |e| IpcError {
        code: IpcCode::Failed.into(),
        message: format!("Postdesk failed while doing this ({e}); nothing was changed."),
    })
    .await
}

/// The error of a desktop service that failed (`what`: what could not be done).
pub(crate) fn desktop_error(code: AppCode, what: &str, why: String) -> IpcError {
    IpcError {
        code: code.into(),
        message: format!("{what} ({why})."),
    }
}

impl Core {
    /// Asks the user where `file` goes (the OS save dialog, opening in the Downloads folder) and
    /// writes it there: atomically, owner-only (an export can hold variables' secrets). The
    /// path written, or `None` when the user cancelled; `fail(path, why)` makes a failed write
    /// the domain's error.
    pub(crate) async fn save_export(
        &self,
        file: ExportFile,
        fail: fn(String, std::io::Error) -> IpcError,
    ) -> Result<Option<String>, IpcError> {
        let folder = self.host.export_dir();
        let Some(path) = self.host.choose_save_path(&file, folder).await else {
            return Ok(None);
        };
        blocking(move || {
            postdesk_base::files::write_atomic(&path, &file.bytes)
                .map(|()| Some(path.display().to_string()))
                .map_err(|e| fail(path.display().to_string(), e))
        })
        .await
    }

    /// Asks the user for a `kind` file to import (the OS open dialog) and reads it on the
    /// blocking pool (refused over 30 MB before reading); `None` when they cancelled.
    pub(crate) async fn pick_import(&self, kind: &'static str) -> Result<Option<String>, IpcError> {
        let folder = self.host.export_dir();
        let Some(path) = self.host.choose_open_path(kind, "json", folder).await else {
            return Ok(None);
        };
        blocking(move || Ok(Some(postdesk_library::read_import_file(&path)?))).await
    }

    /// The engine's active client.
    pub(crate) fn client(&self) -> Result<std::sync::Arc<postman_client::Client>, IpcError> {
        Ok(self.engine.client()?)
    }
}
