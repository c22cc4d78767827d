//! The app's updater for real: tauri-plugin-updater inside the app (on Tauri's mock runtime),
//! driven through the very host the app gives its core (`src-tauri/commands`, included below),
//! against an update server on 127.0.0.1 that offers artifacts signed in the test with a
//! throwaway minisign key pair (`pubkey` and `signature` are the base64 of minisign's text
//! boxes, as tauri.conf.json and the bundler's `.sig` files hold them).
//!
//! What it proves: a newer version is offered with its notes and date; it downloads with
//! progress and its signature verifies; the AppImage install step replaces a stand-in file (the
//! updater writes there instead of over this test binary); a tampered artifact, a signature by
//! another key or for another version is refused with the one sentence; a server that is down,
//! slow (past the timeout), answers garbage, an error status or nothing for this platform gives
//! "could not check"; the same version is up to date; a copy not installed from a package does
//! not replace itself; and the core, over this host, checks, installs and reports progress
//! events end to end. The .deb/.rpm install (pkexec dpkg -i / rpm -U) is not run here.

#[allow(dead_code)] // the app's command handlers and capability are not used here
#[path = "../../src-tauri/commands/mod.rs"]
mod commands;
mod server;

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use commands::{TauriHost, TauriUpdater};
use postdesk_core::host::Updater;
use postdesk_core::updates::UpdateError;
use serde_json::{json, Value};
use server::{Route, Server};
use tauri::test::MockRuntime;
use tauri::Listener;

const NOTES: &str = "Faster start.\n- The About dialog.";
const NEXT: &str = "0.2.0";
const TIMEOUT: Duration = Duration::from_secs(1);

fn b64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// A minisign key pair; `pubkey` as tauri.conf.json holds it.
struct Key {
    pair: minisign::KeyPair,
    pubkey: String,
}

impl Key {
    fn new() -> Key {
        let pair = minisign::KeyPair::generate_unencrypted_keypair().expect("a key pair");
        let pubkey = b64(&pair.pk.to_box().expect("a public key box").into_string());
        Key { pair, pubkey }
    }

    /// The `signature` of `bytes` as the bundler writes it, signed for `version`.
    fn sign(&self, bytes: &[u8], version: &str) -> String {
        let trusted = format!(
            "timestamp:1795428000\tfile:Postdesk_{version}_amd64.AppImage\tversion:{version}"
        );
        let sig = minisign::sign(
            Some(&self.pair.pk),
            &self.pair.sk,
            Cursor::new(bytes),
            Some(&trusted),
            Some("signature from tauri secret key"),
        )
        .expect("a signature");
        b64(&sig.into_string())
    }
}

/// The updater's name for this platform (`linux-x86_64`): the entry a test binary, which no
/// bundle marked deb or rpm, looks for.
fn platform() -> String {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        other => other,
    };
    let arch = match std::env::consts::ARCH {
        "x86" => "i686",
        "arm" => "armv7",
        other => other,
    };
    format!("{os}-{arch}")
}

/// An AppImage as far as the installer checks (ELF magic), 300 KiB.
fn artifact(seed: u8) -> Vec<u8> {
    let mut bytes = b"\x7fELF\x02\x01\x01".to_vec();
    bytes.extend((0..300 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 ^ seed));
    bytes
}

fn manifest(server: &Server, version: &str, file: &str, signature: &str) -> Value {
    json!({
        "version": version,
        "notes": NOTES,
        "pub_date": "2026-11-20T09:00:00Z",
        "platforms": { platform(): { "url": server.url(file), "signature": signature } }
    })
}

/// The app on the mock runtime with the updater plugin, as src-tauri/lib.rs registers it, its
/// `plugins.updater` configured as tauri.conf.json does (with the test's key and server).
fn app(pubkey: &str, endpoint: &str) -> tauri::App<MockRuntime> {
    let mut context = tauri::test::mock_context(tauri::test::noop_assets());
    context.config_mut().plugins.0.insert(
        "updater".into(),
        json!({ "pubkey": pubkey, "endpoints": [endpoint] }),
    );
    context.package_info_mut().version = env!("CARGO_PKG_VERSION").parse().unwrap();
    tauri::test::mock_builder()
        .plugin(tauri_plugin_updater::Builder::new().build())
        .build(context)
        .expect("the app builds")
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("postdesk-updater-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A stand-in for the installed AppImage.
fn installed_app(dir: &Path) -> PathBuf {
    let path = dir.join("Postdesk.AppImage");
    std::fs::write(&path, b"\x7fELF the old version").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path
}

async fn bounded<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(30), f)
        .await
        .expect("an updater step took longer than 30 s")
}

/// What a download reported: `(downloaded, total)` each time.
type ProgressLog = Arc<Mutex<Vec<(u64, Option<u64>)>>>;

/// A progress callback and what it was told.
fn progress_log() -> (ProgressLog, impl Fn(u64, Option<u64>) + Send + Sync) {
    let log = ProgressLog::default();
    let sink = log.clone();
    (log, move |d, t| sink.lock().unwrap().push((d, t)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plugin_checks_downloads_verifies_and_installs_from_a_loopback_server() {
    let key = Key::new();
    let server = Server::start().await;
    let latest = server.url("/latest.json");
    let app = app(&key.pubkey, &latest);
    let handle = app.handle().clone();
    let dir = scratch("plugin");
    let target = installed_app(&dir);
    let host = TauriHost::new(handle.clone(), &dir)
        .with_updater(TauriUpdater::new(handle.clone()).installing_to(target.clone()));
    assert_eq!(
        host.update_endpoints(),
        vec![latest.clone()],
        "tauri.conf.json's"
    );
    let endpoints = vec![latest.clone()];

    // The same version: up to date.
    let current = artifact(0);
    server.route(
        "/latest.json",
        Route::json(&manifest(
            &server,
            env!("CARGO_PKG_VERSION"),
            "/same.AppImage",
            &key.sign(&current, env!("CARGO_PKG_VERSION")),
        )),
    );
    assert_eq!(
        bounded(host.check_update(&endpoints, TIMEOUT)).await,
        Ok(None)
    );

    // A newer version: offered with its notes and date, downloaded with progress, verified,
    // installed over the stand-in AppImage (its mode kept).
    let next = artifact(1);
    server.route(
        "/next.AppImage",
        Route::text("application/octet-stream", next.clone()),
    );
    server.route(
        "/latest.json",
        Route::json(&manifest(
            &server,
            NEXT,
            "/next.AppImage",
            &key.sign(&next, NEXT),
        )),
    );
    let found = bounded(host.check_update(&endpoints, TIMEOUT))
        .await
        .expect("the check answers")
        .expect("a newer version");
    assert_eq!(found.version, NEXT);
    assert_eq!(found.notes.as_deref(), Some(NOTES));
    assert_eq!(
        found.published_ms,
        postdesk_base::clock::parse_rfc3339("2026-11-20T09:00:00Z")
    );
    let (log, progress) = progress_log();
    bounded(host.download_update(&progress))
        .await
        .expect("downloaded and verified");
    let log = log.lock().unwrap().clone();
    let size = next.len() as u64;
    assert!(log.len() >= 2, "progress more than once: {log:?}");
    assert_eq!(log.last(), Some(&(size, Some(size))));
    assert!(log.windows(2).all(|w| w[0].0 < w[1].0), "{log:?}");
    host.install_update().expect("installed");
    assert_eq!(
        std::fs::read(&target).unwrap(),
        next,
        "the AppImage was replaced"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o755, "still executable");
    }

    // A tampered artifact (its signature is for other bytes): refused, nothing installed.
    let before = std::fs::read(&target).unwrap();
    let mut tampered = artifact(2);
    server.route(
        "/latest.json",
        Route::json(&manifest(
            &server,
            NEXT,
            "/tampered.AppImage",
            &key.sign(&tampered, NEXT),
        )),
    );
    tampered[4096] ^= 0xff;
    server.route(
        "/tampered.AppImage",
        Route::text("application/octet-stream", tampered),
    );
    bounded(host.check_update(&endpoints, TIMEOUT))
        .await
        .unwrap()
        .unwrap();
    let (_, progress) = progress_log();
    let err = bounded(host.download_update(&progress)).await.unwrap_err();
    assert_eq!(err, UpdateError::BadSignature);
    assert_eq!(
        err.to_string(),
        "The update's signature does not match Postdesk's key: it was not installed."
    );
    assert!(
        matches!(host.install_update(), Err(UpdateError::Install { .. })),
        "nothing kept to install"
    );
    assert_eq!(std::fs::read(&target).unwrap(), before);

    // Signed by another key, and signed (by the right key) for another version: refused.
    let other = Key::new();
    let bytes = artifact(3);
    server.route(
        "/other.AppImage",
        Route::text("application/octet-stream", bytes.clone()),
    );
    for signature in [other.sign(&bytes, NEXT), key.sign(&bytes, "0.1.5")] {
        server.route(
            "/latest.json",
            Route::json(&manifest(&server, NEXT, "/other.AppImage", &signature)),
        );
        bounded(host.check_update(&endpoints, TIMEOUT))
            .await
            .unwrap()
            .unwrap();
        let (_, progress) = progress_log();
        assert_eq!(
            bounded(host.download_update(&progress)).await,
            Err(UpdateError::BadSignature)
        );
    }
    assert_eq!(std::fs::read(&target).unwrap(), before);

    // The server down, slow, answering garbage, an error status, nothing for this platform: the
    // check fails in one sentence, and the next good answer works again.
    let down = server::closed_port().await;
    let err = bounded(host.check_update(std::slice::from_ref(&down), TIMEOUT))
        .await
        .unwrap_err();
    assert!(matches!(err, UpdateError::Unreachable { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with(
            "Postdesk could not check for updates: the update server could not be reached ("
        ),
        "{err}"
    );
    assert!(!err.to_string().contains('\n'));
    server.route(
        "/slow.json",
        Route::json(&manifest(
            &server,
            NEXT,
            "/next.AppImage",
            &key.sign(&next, NEXT),
        ))
        .late(TIMEOUT * 3),
    );
    let started = std::time::Instant::now();
    let err = bounded(host.check_update(&[server.url("/slow.json")], TIMEOUT))
        .await
        .unwrap_err();
    assert_eq!(err, UpdateError::TimedOut { secs: 1 });
    assert!(started.elapsed() < TIMEOUT * 3, "gave up at the timeout");
    assert_eq!(
        err.to_string(),
        "Postdesk could not check for updates: the update server did not answer within 1 s."
    );
    server.route(
        "/garbage.json",
        Route::text(
            "application/json",
            b"{\"version\": \"0.2.0\", \"platforms\": <html>".to_vec(),
        ),
    );
    let err = bounded(host.check_update(&[server.url("/garbage.json")], TIMEOUT))
        .await
        .unwrap_err();
    assert!(matches!(err, UpdateError::BadAnswer { .. }), "{err:?}");
    server.route(
        "/broken.json",
        Route::json(&json!({"version": "two", "url": "x"})),
    );
    let err = bounded(host.check_update(&[server.url("/broken.json")], TIMEOUT))
        .await
        .unwrap_err();
    assert!(matches!(err, UpdateError::BadAnswer { .. }), "{err:?}");
    let err = bounded(host.check_update(&[server.url("/missing.json")], TIMEOUT))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        UpdateError::Unreachable {
            why: "it answered with an error status".into()
        }
    );
    server.route("/elsewhere.json", Route::json(&json!({"version": NEXT, "platforms": {"plan9-mips": {"url": server.url("/x"), "signature": "x"}}})));
    let err = bounded(host.check_update(&[server.url("/elsewhere.json")], TIMEOUT))
        .await
        .unwrap_err();
    assert!(err.to_string().contains(&platform()), "{err}");
    server.route(
        "/latest.json",
        Route::json(&manifest(
            &server,
            NEXT,
            "/next.AppImage",
            &key.sign(&next, NEXT),
        )),
    );
    assert!(bounded(host.check_update(&endpoints, TIMEOUT))
        .await
        .unwrap()
        .is_some());

    // A copy not installed from a package (this test binary, like a build folder's) does not
    // replace itself.
    let plain = TauriHost::new(handle.clone(), &dir);
    bounded(plain.check_update(&endpoints, TIMEOUT))
        .await
        .unwrap()
        .unwrap();
    let (_, progress) = progress_log();
    assert_eq!(
        bounded(plain.download_update(&progress)).await,
        Err(UpdateError::NotInstallable)
    );
    assert!(
        server
            .asked()
            .iter()
            .filter(|p| *p == "/next.AppImage")
            .count()
            == 1,
        "nothing downloaded: {:?}",
        server.asked()
    );
    drop(app);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_core_checks_and_installs_through_the_apps_host() {
    let key = Key::new();
    let server = Server::start().await;
    let latest = server.url("/latest.json");
    let next = artifact(4);
    server.route(
        "/next.AppImage",
        Route::text("application/octet-stream", next.clone()),
    );
    server.route(
        "/latest.json",
        Route::json(&manifest(
            &server,
            NEXT,
            "/next.AppImage",
            &key.sign(&next, NEXT),
        )),
    );
    let app = app(&key.pubkey, &latest);
    let handle = app.handle().clone();
    let events: Arc<Mutex<Vec<Value>>> = Arc::default();
    let sink = events.clone();
    handle.listen_any("update-progress", move |e| {
        sink.lock()
            .unwrap()
            .push(serde_json::from_str(e.payload()).unwrap());
    });
    let dir = scratch("core");
    let target = installed_app(&dir);
    let host = TauriHost::new(handle.clone(), &dir.join("data"))
        .with_updater(TauriUpdater::new(handle.clone()).installing_to(target.clone()));
    let core = postdesk_core::Core::start(
        Arc::new(host),
        postdesk_core::Startup {
            data_dir: dir.join("data"),
            clock: postdesk_base::SharedClock::pinned("2026-11-23T10:00:00Z").0,
            vault: postdesk_vault::Vault::os(),
            builtin_sandbox: false,
            warnings: Vec::new(),
        },
    )
    .await
    .expect("the core starts");
    let call = |name: &'static str, args: Value| {
        let core = &core;
        async move { bounded(postdesk_core::contract::dispatch(core, name, args)).await }
    };
    let check = call("app_check_update", json!({"manual": false}))
        .await
        .unwrap();
    assert_eq!(check["status"], "available", "{check}");
    assert_eq!(check["update"]["version"], NEXT);
    assert_eq!(check["update"]["date"], "2026-11-20");
    assert_eq!(check["update"]["notes"], NOTES);
    let not_due = call("app_check_update", json!({"manual": false}))
        .await
        .unwrap();
    assert_eq!(not_due, json!({"status": "notDue"}));
    let installed = call("app_install_update", json!({})).await.unwrap();
    assert_eq!(installed, json!({"version": NEXT}));
    assert_eq!(std::fs::read(&target).unwrap(), next);
    let events = events.lock().unwrap().clone();
    let stages: Vec<&str> = events.iter().filter_map(|e| e["stage"].as_str()).collect();
    assert_eq!(stages.first(), Some(&"downloading"));
    assert_eq!(&stages[stages.len() - 2..], &["installing", "installed"]);
    assert!(
        events
            .iter()
            .any(|e| e["downloaded"] == next.len() && e["total"] == next.len()),
        "the whole download reported: {events:?}"
    );
    // Garbage now: a manual check says so in one sentence, and the core goes on.
    server.route(
        "/latest.json",
        Route::text("application/json", b"garbage".to_vec()),
    );
    let check = call("app_check_update", json!({"manual": true}))
        .await
        .unwrap();
    assert_eq!(check["status"], "failed");
    assert_eq!(check["code"], "update.badAnswer");
    assert!(check["message"]
        .as_str()
        .unwrap()
        .starts_with("Postdesk could not check for updates"));
    assert!(call("app_info", json!({})).await.is_ok());
    core.shutdown().await;
    drop(app);
    let _ = std::fs::remove_dir_all(dir);
}
