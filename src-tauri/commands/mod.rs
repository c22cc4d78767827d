//! The thin Tauri layer: the only Rust that knows Tauri. Every command is generated from the
//! one command list (`src-tauri/core/commands.rs`) as an `async` handler that hands its
//! arguments to the core — so none runs on the main thread, and none has a body here. The
//! capability that lets the main window call them is built from the same list at start.

mod host;
mod updater;

pub use host::TauriHost;
#[allow(unused_imports)] // the updater's tests (tests/updater) make their own
pub use updater::TauriUpdater;

use postdesk_base::IpcError;
use postdesk_core::contract::types::*;
use postdesk_core::{Commands, Core};
use tauri::ipc::CapabilityBuilder;

/// The core, once started. The window is made before it (the webview starts while the core
/// does), so a command that arrives first waits for it; if the core could not start, every
/// command answers why.
#[derive(Default)]
pub struct CoreCell {
    core: std::sync::OnceLock<Result<Core, IpcError>>,
    ready: tokio::sync::Notify,
}

impl CoreCell {
    /// Sets the core (or why it could not start); the first call wins.
    pub fn set(&self, core: Result<Core, IpcError>) {
        let _ = self.core.set(core);
        self.ready.notify_waiters();
    }

    /// The core, once it is there (or why it is not).
    pub async fn get(&self) -> Result<&Core, IpcError> {
        loop {
            // Made before the check: a `set` between the two still wakes it.
            let ready = self.ready.notified();
            if let Some(core) = self.core.get() {
                return core.as_ref().map_err(Clone::clone);
            }
            ready.await;
        }
    }

    /// The core if it has started, without waiting.
    pub fn started(&self) -> Option<&Core> {
        self.core.get().and_then(|c| c.as_ref().ok())
    }
}

/// `POSTDESK_TRACE_STARTUP=1`: the start-up is written to stderr as it happens, each line the
/// milliseconds since `run` began and what happened (the core's start, each command's name, how
/// long it waited for the core and how long it ran; never its arguments or answer), for
/// profiling (README, "Development notes"); off otherwise, and then each command pays one atomic
/// load for it. It measures durations only (a monotonic `Instant`), never the date.
pub mod trace {
    use std::sync::OnceLock;
    use std::time::Instant;

    static SINCE: OnceLock<Option<Instant>> = OnceLock::new();

    /// Turns the trace on when the variable is set; the first call fixes the origin.
    pub fn begin() {
        SINCE.get_or_init(|| std::env::var_os("POSTDESK_TRACE_STARTUP").map(|_| Instant::now()));
    }

    /// Milliseconds since [`begin`] while the trace is on.
    pub fn now() -> Option<f64> {
        SINCE
            .get()
            .copied()
            .flatten()
            .map(|t| t.elapsed().as_secs_f64() * 1000.0)
    }

    /// One line of the trace (`what` must hold no secret: names and figures only).
    pub fn line(what: impl FnOnce() -> String) {
        if let Some(ms) = now() {
            eprintln!("postdesk-trace {ms:>8.1} ms {}", what());
        }
    }
}

/// The label of the one window.
pub const MAIN_WINDOW: &str = "main";

/// The window is shown when its page begins to load (src-tauri/lib.rs), or after this at the latest.
pub const SHOW_WINDOW_BY: std::time::Duration = std::time::Duration::from_secs(3);

macro_rules! tauri_commands {
    ($( $(#[doc = $doc:literal])* $name:ident ( $( $arg:ident : $ty:ty ),* $(,)? ) -> $res:ty ; )*) => {
        $(
            $(#[doc = $doc])*
            #[tauri::command]
            pub async fn $name(core: tauri::State<'_, CoreCell>, $( $arg: $ty ),*) -> Result<$res, IpcError> {
                let Some(asked) = trace::now() else {
                    return core.get().await?.$name($( $arg ),*).await;
                };
                let core = core.get().await?;
                let waited = trace::now().unwrap_or(asked);
                let answer = core.$name($( $arg ),*).await;
                trace::line(|| format!(
                    "{} asked at {asked:.1}, waited {:.1} for the core, ran {:.1}{}",
                    stringify!($name),
                    waited - asked,
                    trace::now().unwrap_or(waited) - waited,
                    if answer.is_err() { " (error)" } else { "" },
                ));
                answer
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

/// Brings the main window forward (a second launch of the app asks for it): shown, restored if
/// minimised, focused.
pub fn focus_main_window<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    use tauri::Manager;
    if let Some(w) = app.get_webview_window(MAIN_WINDOW) {
        let _ = w.show();
        let _ = w.unminimize();
        let _ = w.set_focus();
    }
}

/// The window moved or was resized: its state is written once it has been still for a moment,
/// so a crash or a kill keeps it too (the window-state plugin itself saves only on a clean exit).
pub fn window_changed<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    use std::sync::atomic::{AtomicU64, Ordering};
    use tauri_plugin_window_state::AppHandleExt;
    static LATEST: AtomicU64 = AtomicU64::new(0);
    let this = LATEST.fetch_add(1, Ordering::Relaxed) + 1;
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        if LATEST.load(Ordering::Relaxed) == this {
            let _ = app.save_window_state(WINDOW_STATE);
        }
    });
}

/// What the window-state plugin keeps: size, position, maximised (and full-screen) state, not
/// visibility or decorations (the window always opens visible, with the app's own decorations).
pub const WINDOW_STATE: tauri_plugin_window_state::StateFlags =
    tauri_plugin_window_state::StateFlags::SIZE
        .union(tauri_plugin_window_state::StateFlags::POSITION)
        .union(tauri_plugin_window_state::StateFlags::MAXIMIZED)
        .union(tauri_plugin_window_state::StateFlags::FULLSCREEN);

/// Says why the app cannot run (a native message box, over nothing), then ends it.
pub fn fatal<R: tauri::Runtime>(app: &tauri::AppHandle<R>, message: &str) {
    use tauri_plugin_dialog::{DialogExt, MessageDialogKind};
    app.dialog()
        .message(format!("Postdesk could not start: {message}"))
        .title("Postdesk")
        .kind(MessageDialogKind::Error)
        .blocking_show();
    app.exit(1);
}
