fn main() {
    // Every app command is allow-listed: tauri-build generates an `allow-<command>` permission
    // for each name here, and tauri.conf.json's capability grants exactly those.
    let manifest = tauri_build::AppManifest::new().commands(&[
        "app_info",
        "engine_active_key",
        "engine_meters",
        "engine_usage",
        "engine_activity",
        "engine_export_activity",
        "keys_list",
        "keys_add",
        "keys_verify",
        "keys_rename",
        "keys_set_expiry",
        "keys_set_active",
        "keys_rotate",
        "keys_delete",
        "keys_due_reminders",
        "keys_dismiss_reminder",
        "keys_open_postman",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed");
}
