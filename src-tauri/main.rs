// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // Before any thread exists: how the webview draws (no GPU: no compositing; src-tauri/webview.rs).
    postdesk_lib::webview::prepare();
    // Every file Postdesk (and its webview) creates is the user's alone.
    postdesk_base::files::owner_only_from_now_on();
    postdesk_lib::run();
}
