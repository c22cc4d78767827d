//! Postdesk: the Tauri app. This file only wires the domains together; each domain lives in its
//! own folder and knows nothing of Tauri. `commands` is the thin layer between the two.

pub mod app;
mod bindings;
mod commands;
pub mod error;

use tauri::Manager;

/// Builds and runs the app; returns when the last window closes.
pub fn run() {
    let result = tauri::Builder::default()
        .setup(|app| {
            let data_dir = app.path().app_data_dir()?;
            app::ensure_data_dir(&data_dir)?;
            app.manage(app::AppState::new(data_dir));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![commands::app_info])
        .run(tauri::generate_context!());
    if let Err(err) = result {
        eprintln!("Postdesk could not start: {err}");
        std::process::exit(1);
    }
}
