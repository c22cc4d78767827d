//! The thin Tauri layer: the only Rust that knows Tauri. Every command is generated from the
//! one command list (`src-tauri/core/commands.rs`) as an `async` handler that hands its
//! arguments to the core — so none runs on the main thread, and none has a body here. The
//! capability that lets the main window call them is built from the same list at start.

mod host;

pub use host::TauriHost;

use postdesk_base::IpcError;
use postdesk_core::contract::types::*;
use postdesk_core::{Commands, Core};
use tauri::ipc::CapabilityBuilder;

/// The label of the one window.
pub const MAIN_WINDOW: &str = "main";

macro_rules! tauri_commands {
    ($( $(#[doc = $doc:literal])* $name:ident ( $( $arg:ident : $ty:ty ),* $(,)? ) -> $res:ty ; )*) => {
        $(
            $(#[doc = $doc])*
            #[tauri::command]
            pub async fn $name(core: tauri::State<'_, Core>, $( $arg: $ty ),*) -> Result<$res, IpcError> {
                core.$name($( $arg ),*).await
            }
        )*

        /// The invoke handler of every command.
        pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$( $name ),*]
        }
    };
}

postdesk_core::postdesk_commands!(tauri_commands);

/// The main window may call Postdesk's own commands (each allow-listed by build.rs from the same
/// list) and listen to its events; nothing else.
pub fn capability() -> CapabilityBuilder {
    postdesk_core::COMMAND_NAMES
        .iter()
        .fold(
            CapabilityBuilder::new("main-window").window(MAIN_WINDOW),
            |c, name| c.permission(format!("allow-{}", name.replace('_', "-"))),
        )
        .permission("core:event:allow-listen")
        .permission("core:event:allow-unlisten")
}
