//! Postdesk: the Tauri app. This file only wires the domains together; each domain lives in its
//! own folder and knows nothing of Tauri. `commands` is the thin layer between the two.

pub mod app;
mod bindings;
pub mod builtin_sandbox;
mod commands;
pub mod engine;
pub mod error;
pub mod keys;
pub mod vault;

use tauri::{Manager, RunEvent};

/// Builds and runs the app; returns when the last window closes.
pub fn run() {
    let built = tauri::Builder::default()
        .setup(|app| {
            let data_dir = app.path().app_data_dir()?;
            app::ensure_data_dir(&data_dir)?;
            // A sandbox that cannot start is shown to the user; the app still opens.
            let (sandbox, engine) = tauri::async_runtime::block_on(async {
                let sandbox = builtin_sandbox::BuiltinSandbox::start(&data_dir).await;
                let (engine, warning) = engine::Engine::new(&data_dir);
                if let Some(warning) = warning {
                    eprintln!("Postdesk: {warning}");
                }
                match &sandbox {
                    // With no key of the user's, the built-in sandbox is the active backend.
                    Ok(s) => {
                        if let Err(err) = engine.activate_sandbox(s.url(), s.keys()) {
                            eprintln!("Postdesk: {err}");
                        }
                    }
                    Err(err) => eprintln!("Postdesk: {err}"),
                }
                (sandbox, engine)
            });
            commands::forward_meters(app.handle(), &engine);
            app.manage(engine);
            app.manage(app::AppState::new(data_dir, sandbox, vault::Vault::os()));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::engine_active_key,
            commands::engine_meters,
            commands::engine_usage,
            commands::engine_activity,
            commands::engine_export_activity,
        ])
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
            if let Ok(sandbox) = handle.state::<app::AppState>().sandbox() {
                tauri::async_runtime::block_on(sandbox.stop());
            }
        }
    });
}
