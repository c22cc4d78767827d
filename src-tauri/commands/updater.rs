//! The desktop's updater: tauri-plugin-updater behind the core's `Updater`. The plugin fetches
//! the update description (`latest.json`), picks this platform's entry (`linux-x86_64-deb`,
//! then `linux-x86_64`, …), downloads the artifact and checks its minisign signature against the
//! `pubkey` of tauri.conf.json, then installs it (the AppImage replaced in place, a .deb or .rpm
//! through the package manager, the Windows installer, the macOS bundle). What it found and
//! downloaded is kept here between the core's calls; every plugin error becomes one of the
//! core's `UpdateError`s, which say what happened in one sentence.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use postdesk_core::updates::{UpdateError, UpdateFound};
use tauri::{AppHandle, Runtime, Url};
use tauri_plugin_updater::{Error as PluginError, Update, UpdaterExt};

pub struct TauriUpdater<R: Runtime> {
    app: AppHandle<R>,
    /// Where an update is installed instead of the running app (tests install into a file of
    /// their own); `None`: the running app, when it came from a package.
    install_to: Option<PathBuf>,
    /// The timeout of the last check (a download that stalls this long fails).
    timeout: Mutex<Duration>,
    found: Mutex<Option<Update>>,
    downloaded: Mutex<Option<(Update, Vec<u8>)>>,
}

/// What the plugin was doing when it failed.
#[derive(Clone, Copy)]
enum Phase {
    Check,
    Download,
    Install,
}

impl<R: Runtime> TauriUpdater<R> {
    pub fn new(app: AppHandle<R>) -> Self {
        TauriUpdater {
            app,
            install_to: None,
            timeout: Mutex::new(postdesk_core::updates::DEFAULT_TIMEOUT),
            found: Mutex::new(None),
            downloaded: Mutex::new(None),
        }
    }

    /// Installs updates into `path` (standing for the AppImage) instead of the running app.
    #[allow(dead_code)] // the updater's tests (tests/updater) install into a file of their own
    pub fn installing_to(mut self, path: PathBuf) -> Self {
        self.install_to = Some(path);
        self
    }

    /// `plugins.updater.endpoints` of tauri.conf.json.
    pub fn endpoints(&self) -> Vec<String> {
        self.app
            .config()
            .plugins
            .0
            .get("updater")
            .and_then(|u| u.get("endpoints"))
            .and_then(|e| e.as_array())
            .map(|list| {
                list.iter()
                    .filter_map(|e| e.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Asks `endpoints` for a newer version than the running one (the app's version, compared
    /// as semver by the plugin) and keeps what it found.
    pub async fn check(
        &self,
        endpoints: &[String],
        timeout: Duration,
    ) -> Result<Option<UpdateFound>, UpdateError> {
        let mut urls = Vec::with_capacity(endpoints.len());
        for e in endpoints {
            urls.push(
                e.parse::<Url>()
                    .map_err(|_| UpdateError::InsecureEndpoint { url: e.clone() })?,
            );
        }
        *lock(&self.timeout) = timeout;
        let mut builder = self
            .app
            .updater_builder()
            .endpoints(urls)
            .map_err(|e| match e {
                PluginError::InsecureTransportProtocol => UpdateError::InsecureEndpoint {
                    url: endpoints.join(", "),
                },
                e => failure(e, Phase::Check, timeout),
            })?
            .timeout(timeout)
            // Also for the download, which has no overall limit: a stall of `timeout` fails it.
            .configure_client(move |c| c.connect_timeout(timeout).read_timeout(timeout));
        if let Some(path) = &self.install_to {
            builder = builder.executable_path(path);
        }
        let updater = builder
            .build()
            .map_err(|e| failure(e, Phase::Check, timeout))?;
        let update = updater
            .check()
            .await
            .map_err(|e| failure(e, Phase::Check, timeout))?;
        let found = update.as_ref().map(|u| UpdateFound {
            version: u.version.clone(),
            published_ms: u.date.map(|d| d.unix_timestamp().saturating_mul(1000)),
            notes: u.body.clone(),
        });
        *lock(&self.downloaded) = None;
        *lock(&self.found) = update;
        Ok(found)
    }

    /// Downloads what the last check found; the plugin verifies the signature before it
    /// answers, so what is kept is the signed artifact.
    pub async fn download(
        &self,
        progress: &(dyn Fn(u64, Option<u64>) + Send + Sync),
    ) -> Result<(), UpdateError> {
        self.installable()?;
        let timeout = *lock(&self.timeout);
        let update = lock(&self.found)
            .clone()
            .ok_or_else(|| UpdateError::Download {
                why: "no update was found first".into(),
            })?;
        let mut downloaded = 0u64;
        let bytes = update
            .download(
                |chunk, total| {
                    downloaded = downloaded.saturating_add(chunk as u64);
                    progress(downloaded, total);
                },
                || {},
            )
            .await
            .map_err(|e| failure(e, Phase::Download, timeout))?;
        *lock(&self.downloaded) = Some((update, bytes));
        Ok(())
    }

    /// Installs the downloaded update (its signature is checked once more by the plugin).
    pub fn install(&self) -> Result<(), UpdateError> {
        self.installable()?;
        let timeout = *lock(&self.timeout);
        let (update, bytes) =
            lock(&self.downloaded)
                .take()
                .ok_or_else(|| UpdateError::Install {
                    why: "nothing was downloaded".into(),
                })?;
        update
            .install(&bytes)
            .map_err(|e| failure(e, Phase::Install, timeout))
    }

    /// Restarts the app once its exit handlers ran (the built-in sandbox writes its state).
    pub fn restart(&self) {
        self.app.request_restart();
    }

    /// Only a packaged app replaces itself: a copy run from a build folder would otherwise be
    /// overwritten by the AppImage install path.
    fn installable(&self) -> Result<(), UpdateError> {
        let packaged = tauri::utils::platform::bundle_type().is_some();
        #[cfg(target_os = "linux")]
        let packaged = packaged || {
            use tauri::Manager;
            self.app.env().appimage.is_some()
        };
        if packaged || self.install_to.is_some() {
            Ok(())
        } else {
            Err(UpdateError::NotInstallable)
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The innermost cause of an error, on one line ("Connection refused (os error 111)").
fn cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut inner = e;
    while let Some(next) = inner.source() {
        inner = next;
    }
    inner.to_string().replace(['\n', '\r'], " ")
}

/// The core's word for what the plugin reported.
fn failure(e: PluginError, phase: Phase, timeout: Duration) -> UpdateError {
    let secs = timeout.as_secs().max(1);
    let why = cause(&e);
    match e {
        PluginError::Minisign(_)
        | PluginError::Base64(_)
        | PluginError::SignatureUtf8(_)
        | PluginError::SignedVersionMismatch { .. }
        | PluginError::MissingSignedVersion => UpdateError::BadSignature,
        PluginError::Reqwest(r) => match phase {
            Phase::Check if r.is_timeout() => UpdateError::TimedOut { secs },
            Phase::Check if r.is_decode() => UpdateError::BadAnswer { why },
            Phase::Check => UpdateError::Unreachable { why },
            Phase::Download if r.is_timeout() => UpdateError::Download {
                why: format!("no data came for {secs} s"),
            },
            Phase::Download => UpdateError::Download { why },
            Phase::Install => UpdateError::Install { why },
        },
        PluginError::Serialization(_) | PluginError::Semver(_) | PluginError::UrlParse(_)
            if matches!(phase, Phase::Check) =>
        {
            UpdateError::BadAnswer { why }
        }
        PluginError::ReleaseNotFound => UpdateError::Unreachable {
            why: "it answered with an error status".into(),
        },
        PluginError::TargetNotFound(t) => UpdateError::BadAnswer {
            why: format!("it offers no download for {t}"),
        },
        PluginError::TargetsNotFound(ts) => UpdateError::BadAnswer {
            why: format!("it offers no download for {}", ts.join(" or ")),
        },
        PluginError::InvalidUpdaterFormat => UpdateError::Install {
            why: "the download is not a package for this kind of install".into(),
        },
        PluginError::AuthenticationFailed => UpdateError::Install {
            why: "the administrator password was not given".into(),
        },
        _ => match phase {
            Phase::Check => UpdateError::Unreachable { why },
            Phase::Download => UpdateError::Download { why },
            Phase::Install => UpdateError::Install { why },
        },
    }
}
