//! Postdesk: the Tauri app. This file only wires the domains together; each domain lives in its
//! own folder and knows nothing of Tauri. `commands` is the thin layer between the two.

mod commands;

use postdesk_core::{app, sandbox_host as builtin_sandbox, session};
use postdesk_engine as engine;
use postdesk_keys as keys;
use postdesk_library as library;
use postdesk_sharing as sharing;
use postdesk_vault as vault;

use std::sync::Arc;

use tauri::{App, Manager, RunEvent};
use tauri_plugin_notification::NotificationExt;

/// Loads the key list; a damaged list is moved aside (kept, never overwritten) and reported.
fn load_keys(
    data_dir: &std::path::Path,
    vault: Arc<vault::Vault>,
    sandbox_url: Option<String>,
    clock: &postdesk_base::SharedClock,
    warnings: &mut Vec<String>,
) -> Result<keys::Keys, keys::KeysError> {
    let path = data_dir.join(keys::KEYS_FILE);
    let open = || {
        keys::Keys::new(
            vault.clone(),
            Box::new(keys::JsonFileStore::new(&path)),
            sandbox_url.clone(),
            clock.clone(),
        )
    };
    match open() {
        Ok(k) => Ok(k),
        Err(err) => {
            let aside = data_dir.join(format!("{}.damaged", keys::KEYS_FILE));
            std::fs::rename(&path, &aside).map_err(|e| keys::KeysError::Store(e.to_string()))?;
            warnings.push(format!(
                "The key list could not be read ({err}); it was kept as {} and Postdesk started with an empty list. Your keys are still in the keychain.",
                aside.display()
            ));
            open()
        }
    }
}

/// Everything that happens before the window shows: data folder, built-in sandbox, engine,
/// keys, the active backend, and the expiry reminders that fell due.
fn setup(app: &mut App) -> Result<(), Box<dyn std::error::Error>> {
    let data_dir = app.path().app_data_dir()?;
    app::ensure_data_dir(&data_dir)?;
    let mut warnings = Vec::new();
    let clock = app::app_clock(&mut warnings);
    let vault = Arc::new(vault::Vault::os());
    // A sandbox that cannot start is shown to the user; the app still opens.
    let (sandbox, engine) = tauri::async_runtime::block_on(async {
        let sandbox = builtin_sandbox::BuiltinSandbox::start(&data_dir, clock.clone()).await;
        let (engine, warning) = engine::Engine::new(&data_dir, clock.clone());
        warnings.extend(warning);
        (sandbox, engine)
    });
    if let Err(err) = &sandbox {
        eprintln!("Postdesk: {err}");
    }
    let sandbox_url = sandbox.as_ref().ok().map(|s| s.url().to_owned());
    let keys = load_keys(&data_dir, vault.clone(), sandbox_url, &clock, &mut warnings)?
        .with_activity(engine.activity_log());
    // The active key (or the built-in sandbox) becomes the engine's backend.
    tauri::async_runtime::block_on(async {
        if let Err(err) = session::follow_active_key(&keys, &engine, &sandbox) {
            warnings.push(err.to_string());
        }
    });
    // A 401 on any call marks the active key invalid.
    let handle = app.handle().clone();
    engine.on_invalid_key(Box::new(move |id| {
        let _ = handle.state::<keys::Keys>().mark_invalid(id);
    }));
    // Expiry reminders: each given once, as an OS notification and an in-app banner.
    let reminders = session::Reminders::default();
    for r in reminders.collect(&keys) {
        let when = match r.days_left {
            d if d < 0 => "has expired".to_owned(),
            0 => "expires today".to_owned(),
            1 => "expires tomorrow".to_owned(),
            d => format!("expires in {d} days"),
        };
        let shown = app
            .notification()
            .builder()
            .title("Postdesk: an API key expires soon")
            .body(format!(
                "“{}” {when} ({}). Rotate it in Postdesk.",
                r.name, r.expires_on
            ))
            .show();
        if let Err(err) = shown {
            eprintln!("Postdesk: no OS notification ({err}); the reminder is shown in the app");
        }
    }
    commands::forward_meters(app.handle(), &engine);
    app.manage(engine);
    app.manage(keys);
    app.manage(reminders);
    app.manage(sharing::Sharing::new(
        vault.clone(),
        &data_dir,
        clock.clone(),
    ));
    match library::Library::new(&data_dir, clock) {
        Ok(lib) => {
            app.manage(lib);
        }
        Err(err) => return Err(Box::new(err)),
    }
    app.manage(app::AppState::new(data_dir, sandbox, vault, warnings));
    Ok(())
}

/// Builds and runs the app; returns when the last window closes.
pub fn run() {
    let built = tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .setup(setup)
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::engine_active_key,
            commands::engine_meters,
            commands::engine_usage,
            commands::engine_activity,
            commands::engine_export_activity,
            commands::keys::keys_list,
            commands::keys::keys_add,
            commands::keys::keys_verify,
            commands::keys::keys_rename,
            commands::keys::keys_set_expiry,
            commands::keys::keys_set_active,
            commands::keys::keys_rotate,
            commands::keys::keys_delete,
            commands::keys::keys_due_reminders,
            commands::keys::keys_dismiss_reminder,
            commands::keys::keys_open_postman,
            commands::library::library_drafts,
            commands::library::library_workspaces,
            commands::library::library_collections,
            commands::library::library_open_collection,
            commands::library::library_edit_collection,
            commands::library::library_collection_item,
            commands::library::library_collection_text,
            commands::library::library_set_collection_text,
            commands::library::library_create_collection,
            commands::library::library_duplicate_collection,
            commands::library::library_export_collection,
            commands::library::library_delete_collection,
            commands::library::library_environments,
            commands::library::library_open_environment,
            commands::library::library_edit_environment,
            commands::library::library_create_environment,
            commands::library::library_export_environment,
            commands::library::library_delete_environment,
            commands::library::library_save,
            commands::library::library_discard,
            commands::library::library_close,
            commands::sharing::sharing_page,
            commands::sharing::sharing_revoke,
            commands::sharing::sharing_add_token,
            commands::sharing::sharing_mint,
            commands::sharing::sharing_texts,
            commands::sharing::sharing_copy,
            commands::sharing::sharing_open_postman,
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
