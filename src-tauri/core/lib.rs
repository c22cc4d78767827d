//! `postdesk-core`: the application core. It knows every domain and none of Tauri.

pub mod app;
mod bindings;
pub mod sandbox_host;
pub mod session;
