//! Postdesk: the Tauri app. This file only wires Tauri to the core: the plugins, the one
//! capability, the core behind a [`commands::TauriHost`], the window with its remembered size.
//! Every command and every use case lives elsewhere (`commands/`, `postdesk-core`).

mod commands;

use std::sync::Arc;

use postdesk_core::{Core, Startup};
use tauri::{App, Manager, RunEvent, WindowEvent};

/// Everything that happens before the window shows: the capability, the core (data folder,
/// built-in sandbox, keys, preferences, the active backend), then the window.
fn setup(app: &mut App) -> Result<(), Box<dyn std::error::Error>> {
    app.add_capability(commands::capability())?;
    let data_dir = app.path().app_data_dir()?;
    let mut warnings = Vec::new();
    let clock = postdesk_core::app::app_clock(&mut warnings);
    let host = Arc::new(commands::TauriHost::new(app.handle().clone(), &data_dir));
    let core = tauri::async_runtime::block_on(Core::start(
        host,
        Startup {
            data_dir,
            clock,
            vault: postdesk_vault::Vault::os(),
            builtin_sandbox: true,
            warnings,
        },
    ))
    .map_err(|e| e.to_string())?;
    let prefs = core.prefs();
    app.manage(core);
    // The window is made here (`create: false` in tauri.conf.json), after the capability, at
    // the size it had when it was last closed.
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == commands::MAIN_WINDOW)
        .cloned()
        .ok_or("tauri.conf.json has no main window")?;
    let mut window = tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?;
    if let Some(size) = prefs.window {
        window = window.inner_size(size.width, size.height);
    }
    window.build()?;
    // What the first screen does not need runs once it is there.
    let handle = app.handle().clone();
    tauri::async_runtime::spawn(async move {
        handle.state::<Core>().after_start();
    });
    Ok(())
}

/// Builds and runs the app; returns when the last window closes.
pub fn run() {
    let built = tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        // Holds the app's clipboard connection for its lifetime (on X11 a copy lives only as long
        // as one); the writes themselves go through arboard, marked sensitive (commands/host.rs).
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_store::Builder::default().build())
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
    app.run(|handle, event| match event {
        RunEvent::WindowEvent {
            label,
            event: WindowEvent::CloseRequested { .. },
            ..
        } => {
            // Remember the window's size for the next start.
            if let Some(w) = handle.get_webview_window(&label) {
                if let (Ok(size), Ok(scale)) = (w.inner_size(), w.scale_factor()) {
                    let logical = size.to_logical::<f64>(scale);
                    handle
                        .state::<Core>()
                        .remember_window(logical.width, logical.height);
                }
            }
        }
        RunEvent::Exit => {
            // Flush the sandbox's state file before the process ends.
            tauri::async_runtime::block_on(handle.state::<Core>().shutdown());
        }
        _ => {}
    });
}
