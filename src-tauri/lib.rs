//! Postdesk: the Tauri app. This file only wires Tauri to the core: the plugins, the one
//! capability, the core behind a [`commands::TauriHost`], the window with its remembered size.
//! Every command and every use case lives elsewhere (`commands/`, `postdesk-core`).

mod commands;
pub mod webview;

use std::sync::Arc;

use postdesk_core::{Core, Startup};
use tauri::{App, Manager, RunEvent, WindowEvent};

/// Everything that happens before the window shows: the capability and the window itself; the
/// core (data folder, built-in sandbox, keys, preferences, the active backend) starts beside the
/// webview's own start-up, and the commands that arrive first wait for it ([`commands::CoreCell`]).
fn setup(app: &mut App) -> Result<(), Box<dyn std::error::Error>> {
    commands::trace::line(|| {
        format!(
            "setup begins ({}={:?})",
            webview::COMPOSITING_VAR,
            std::env::var_os(webview::COMPOSITING_VAR)
        )
    });
    app.add_capability(commands::capability())?;
    let data_dir = app.path().app_data_dir()?;
    app.manage(commands::CoreCell::default());
    let handle = app.handle().clone();
    commands::trace::line(|| "setup: the core starts".into());
    tauri::async_runtime::spawn(async move {
        let mut warnings = Vec::new();
        let clock = postdesk_core::app::app_clock(&mut warnings);
        let host = Arc::new(commands::TauriHost::new(handle.clone(), &data_dir));
        let started = Core::start(
            host,
            Startup {
                data_dir,
                clock,
                vault: postdesk_vault::Vault::os(),
                builtin_sandbox: true,
                warnings,
            },
        )
        .await;
        commands::trace::line(|| {
            format!(
                "the core has started{}",
                if started.is_err() { " (error)" } else { "" }
            )
        });
        let cell = handle.state::<commands::CoreCell>();
        match started {
            Ok(core) => {
                cell.set(Ok(core));
                // What the first screen does not need runs once it is there.
                if let Some(core) = cell.started() {
                    core.after_start();
                }
            }
            Err(e) => {
                // Said where the user looks (the commands answer it too), then the app ends.
                eprintln!("Postdesk could not start: {}", e.message);
                cell.set(Err(e.clone()));
                commands::fatal(&handle, &e.message);
            }
        }
    });
    // The window is made here (`create: false` in tauri.conf.json), after the capability; the
    // window-state plugin gives it the size, position and maximised state it had when closed.
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == commands::MAIN_WINDOW)
        .cloned()
        .ok_or("tauri.conf.json has no main window")?;
    //
    // It is shown once its page has begun to load, not before: on Linux, WebKitGTK's first draw
    // of a webview whose web process is still starting blocks the main thread until that process
    // answers or half a second has passed (the main thread's stack in that wait: GTK's draw →
    // WebKit's drawing area → a timed wait on the web process). While it waits, the page's load,
    // which this main thread serves, cannot begin: a start-up probe saw that wait (499–505 ms) in
    // a third of the launches. A hidden window is not drawn; once the page's load has begun, its
    // web process is there to answer the first draw.
    tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
        .visible(false)
        .on_page_load(|window, load| {
            commands::trace::line(|| format!("page load {:?}", load.event()));
            if load.event() == tauri::webview::PageLoadEvent::Started {
                let _ = window.show();
            }
        })
        .build()?;
    commands::trace::line(|| "setup: the window is made".into());
    // Shown in any case should the page's load not have begun by then.
    let handle = app.handle().clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(commands::SHOW_WINDOW_BY).await;
        if let Some(w) = handle.get_webview_window(commands::MAIN_WINDOW) {
            if !w.is_visible().unwrap_or(true) {
                commands::trace::line(|| "the window is shown without its page".into());
                let _ = w.show();
            }
        }
    });
    Ok(())
}

/// Builds and runs the app; returns when the last window closes.
pub fn run() {
    commands::trace::begin();
    let built = tauri::Builder::default()
        // First: a second launch hands over to the running app (which shows and focuses its
        // window) and exits, so two processes never share the drafts folder or the keychain.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            commands::focus_main_window(app);
        }))
        // Size, position and maximised state of the window, restored when it is made.
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_state_flags(commands::WINDOW_STATE)
                .build(),
        )
        .on_window_event(|window, event| {
            if matches!(event, WindowEvent::Moved(_) | WindowEvent::Resized(_)) {
                commands::window_changed(window.app_handle());
            }
        })
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        // Holds the app's clipboard connection for its lifetime (on X11 a copy lives only as long
        // as one); the writes themselves go through arboard, marked sensitive (commands/host.rs).
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_store::Builder::default().build())
        // macOS: Tauri's default menus, which follow the platform (the app menu with About,
        // Hide and Quit; Edit, so that copy and paste reach the webview; Window). Linux and
        // Windows keep no menu bar: their webview handles the editing keys itself.
        .enable_macos_default_menu(true)
        .setup(setup)
        .invoke_handler(commands::handler())
        .build(tauri::generate_context!());
    let app = match built {
        Ok(app) => app,
        Err(err) => {
            eprintln!("Postdesk could not start: {err}");
            std::process::exit(1);
        }
    };
    app.run(|handle, event| {
        if let RunEvent::Exit = event {
            // Flush the sandbox's state file before the process ends.
            if let Some(core) = handle.state::<commands::CoreCell>().started() {
                tauri::async_runtime::block_on(core.shutdown());
            }
        }
    });
}
