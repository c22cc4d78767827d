// Every app command is allow-listed: tauri-build generates an `allow-<command>` permission for
// each name in the one command list (included from the core, which the app shares), and the
// runtime capability (src-tauri/commands) grants exactly those.
include!("core/commands.rs");

macro_rules! names {
    ($( $(#[doc = $doc:literal])* $name:ident ( $( $arg:ident : $ty:ty ),* $(,)? ) -> $res:ty ; )*) => {
        &[$( stringify!($name) ),*]
    };
}

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/core/commands.rs");
    let commands: &'static [&'static str] = postdesk_commands!(names);
    let manifest = tauri_build::AppManifest::new().commands(commands);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed");
    // The shipped Linux build folds identical functions (monomorphised generics often are): the
    // linker there is rust-lld. Windows' linker does it by default in release; macOS' has no
    // such flag.
    let linux = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux");
    if linux && std::env::var("PROFILE").as_deref() == Ok("release") {
        println!("cargo:rustc-link-arg-bins=-Wl,--icf=all");
    }
}
