//! The app's own updates: when to look (an automatic check at most once a day, the time of the
//! last one kept in the data folder and read with the app's clock), where (the endpoints the app
//! was built with, https only; loopback http, and `POSTDESK_UPDATE_ENDPOINT` instead of them,
//! only in debug builds), and what to tell the user (one sentence per failure). Looking,
//! downloading, checking the signature and installing are the host's [`crate::host::Updater`]
//! (tauri-plugin-updater on the desktop).

use std::path::{Path, PathBuf};
use std::time::Duration;

use postdesk_base::error::{Code, DomainError, UpdateCode};
use postdesk_base::SharedClock;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The environment variable that replaces the update endpoints of a debug build (the tests' own
/// update server). Release builds ignore it.
pub const ENDPOINT_VAR: &str = "POSTDESK_UPDATE_ENDPOINT";
/// The environment variable that sets a debug build's update timeout, in milliseconds.
pub const TIMEOUT_VAR: &str = "POSTDESK_UPDATE_TIMEOUT_MS";
/// How long the update server may take to answer (and a download may stall).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);
/// The file in the data folder that remembers when updates were last looked for.
pub const CHECK_FILE: &str = "update-check.json";
/// The longest release notes shown; longer ones are cut with `…`.
pub const MAX_NOTES_CHARS: usize = 20_000;

/// What a look for a newer version found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum UpdateCheck {
    /// Nothing newer than the running version.
    UpToDate { version: String },
    /// A newer version is there (kept for `app_install_update`).
    Available { update: UpdateOffer },
    /// The check could not be made: why, in one sentence. The app goes on working.
    Failed { code: Code, message: String },
    /// An automatic check less than a day after the last one: nothing was asked.
    NotDue,
}

/// A newer version, as the update server describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateOffer {
    pub version: String,
    pub current_version: String,
    /// The release date (`YYYY-MM-DD`, UTC), when the server gives one.
    pub date: Option<String>,
    /// The release notes as plain text (empty when there are none).
    pub notes: String,
}

/// An update that was downloaded, verified and installed: it runs after a restart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateInstalled {
    pub version: String,
}

/// Where an install is (the `update-progress` event).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum UpdateStage {
    Downloading,
    /// Downloaded and its signature verified; the OS installer runs.
    Installing,
    Installed,
}

/// The `update-progress` event: how far the install of `version` is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateProgress {
    pub version: String,
    pub stage: UpdateStage,
    /// Bytes downloaded so far.
    #[ts(type = "number")]
    pub downloaded: u64,
    /// The download's size, when the server says it.
    #[ts(type = "number | null")]
    pub total: Option<u64>,
}

/// What the host's updater found: a version newer than the running one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateFound {
    pub version: String,
    /// When it was published (epoch milliseconds).
    pub published_ms: Option<i64>,
    pub notes: Option<String>,
}

/// Why an update could not be looked for, downloaded or installed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpdateError {
    #[error("Postdesk looks for updates only over https: {url} was not asked.")]
    InsecureEndpoint { url: String },
    #[error("This build of Postdesk has no address to look for updates at; new versions are on its releases page.")]
    NoEndpoint,
    #[error(
        "Postdesk could not check for updates: the update server could not be reached ({why})."
    )]
    Unreachable { why: String },
    #[error(
        "Postdesk could not check for updates: the update server did not answer within {secs} s."
    )]
    TimedOut { secs: u64 },
    #[error("Postdesk could not check for updates: the update server's answer is not an update Postdesk can read ({why}).")]
    BadAnswer { why: String },
    #[error("The update could not be downloaded ({why}); nothing was installed.")]
    Download { why: String },
    #[error("The update's signature does not match Postdesk's key: it was not installed.")]
    BadSignature,
    #[error("The update was downloaded and verified but could not be installed ({why}); Postdesk goes on as it is.")]
    Install { why: String },
    #[error("This copy of Postdesk was not installed from a package (AppImage, .deb or .rpm), so it cannot replace itself: install the new version from the releases page.")]
    NotInstallable,
    #[error("Postdesk {version} is the latest version: there is nothing to install.")]
    UpToDate { version: String },
}

impl DomainError for UpdateError {
    fn code(&self) -> Code {
        match self {
            UpdateError::InsecureEndpoint { .. } | UpdateError::NoEndpoint => {
                UpdateCode::InsecureEndpoint
            }
            UpdateError::Unreachable { .. } => UpdateCode::Unreachable,
            UpdateError::TimedOut { .. } => UpdateCode::Timeout,
            UpdateError::BadAnswer { .. } => UpdateCode::BadAnswer,
            UpdateError::Download { .. } => UpdateCode::DownloadFailed,
            UpdateError::BadSignature => UpdateCode::BadSignature,
            UpdateError::Install { .. } => UpdateCode::InstallFailed,
            UpdateError::NotInstallable => UpdateCode::NotInstallable,
            UpdateError::UpToDate { .. } => UpdateCode::UpToDate,
        }
        .into()
    }
}

impl UpdateError {
    /// The answer of a check that failed this way.
    pub fn as_check(&self) -> UpdateCheck {
        UpdateCheck::Failed {
            code: self.code(),
            message: self.to_string(),
        }
    }
}

/// How this build looks for updates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateSettings {
    /// Replaces the configured endpoints (debug builds only).
    pub endpoint: Option<String>,
    pub timeout: Duration,
    /// Loopback http endpoints are allowed (debug builds only).
    pub allow_loopback: bool,
}

impl UpdateSettings {
    /// This build's settings: in a debug build, [`ENDPOINT_VAR`] and [`TIMEOUT_VAR`] from `var`
    /// are honoured (a timeout that does not parse is reported and the default used).
    pub fn from_env(
        debug: bool,
        var: impl Fn(&str) -> Option<String>,
        warnings: &mut Vec<String>,
    ) -> Self {
        let mut settings = UpdateSettings {
            endpoint: None,
            timeout: DEFAULT_TIMEOUT,
            allow_loopback: debug,
        };
        if !debug {
            return settings;
        }
        settings.endpoint = var(ENDPOINT_VAR).filter(|e| !e.trim().is_empty());
        if let Some(ms) = var(TIMEOUT_VAR) {
            match ms.trim().parse::<u64>() {
                Ok(ms) if ms > 0 => settings.timeout = Duration::from_millis(ms),
                _ => warnings.push(format!(
                    "{TIMEOUT_VAR} ignored: {ms:?} is not a number of milliseconds."
                )),
            }
        }
        settings
    }

    /// The endpoints to ask, in order: the configured ones (or the debug override), each https,
    /// or http on the loopback interface when [`UpdateSettings::allow_loopback`].
    pub fn endpoints(&self, configured: &[String]) -> Result<Vec<String>, UpdateError> {
        let list: Vec<String> = match &self.endpoint {
            Some(e) => vec![e.trim().to_owned()],
            None => configured.to_vec(),
        };
        if list.is_empty() {
            return Err(UpdateError::NoEndpoint);
        }
        for e in &list {
            let refused = || UpdateError::InsecureEndpoint { url: e.clone() };
            let url = url::Url::parse(e).map_err(|_| refused())?;
            let loopback = match url.host() {
                Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                None => false,
            };
            let ok = match url.scheme() {
                "https" => url.host().is_some(),
                "http" => loopback && self.allow_loopback,
                _ => false,
            };
            if !ok || !url.username().is_empty() || url.password().is_some() {
                return Err(refused());
            }
        }
        Ok(list)
    }
}

/// The offer the UI shows for what the host found.
pub fn offer(found: UpdateFound, current_version: &str) -> UpdateOffer {
    let notes = found.notes.unwrap_or_default();
    let notes = notes.trim();
    let notes = if notes.chars().count() > MAX_NOTES_CHARS {
        let cut: String = notes.chars().take(MAX_NOTES_CHARS).collect();
        format!("{cut}…")
    } else {
        notes.to_owned()
    };
    UpdateOffer {
        version: found.version,
        current_version: current_version.to_owned(),
        date: found
            .published_ms
            .map(|ms| postdesk_base::clock::datetime(ms).date().to_string()),
        notes,
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LastCheck {
    checked_at: String,
}

/// When updates were last looked for, kept in the data folder.
pub struct CheckRecord {
    path: PathBuf,
    clock: SharedClock,
}

impl CheckRecord {
    pub fn new(data_dir: &Path, clock: SharedClock) -> Self {
        CheckRecord {
            path: data_dir.join(CHECK_FILE),
            clock,
        }
    }

    /// Whether an automatic check is due: none recorded (or the record is unreadable), the last
    /// a day ago or more, or one dated in the future (the clock was set back).
    pub fn due(&self) -> bool {
        let last = std::fs::read(&self.path)
            .ok()
            .and_then(|b| serde_json::from_slice::<LastCheck>(&b).ok())
            .and_then(|l| postdesk_base::clock::parse_rfc3339(&l.checked_at));
        let now = self.clock.now_ms();
        match last {
            Some(at) => at > now || now - at >= postdesk_base::clock::DAY_MS,
            None => true,
        }
    }

    /// Records a check made now; a folder that cannot be written is reported, not fatal (the
    /// next start checks again).
    pub fn record(&self) {
        let text = serde_json::to_vec(&LastCheck {
            checked_at: self.clock.now_rfc3339(),
        })
        .unwrap_or_default();
        if let Err(e) = postdesk_base::files::write_atomic(&self.path, &text) {
            eprintln!(
                "Postdesk: the time of the update check was not kept in {} ({e})",
                self.path.display()
            );
        }
    }
}

/// The core's side of updates: the settings, the record of the last check, and the offer the
/// last check made (its lock also keeps one check or install at a time).
pub struct Updates {
    pub settings: UpdateSettings,
    pub record: CheckRecord,
    pub pending: tokio::sync::Mutex<Option<UpdateOffer>>,
}

impl Updates {
    /// This build's updates (see [`UpdateSettings::from_env`]).
    pub fn new(data_dir: &Path, clock: SharedClock, warnings: &mut Vec<String>) -> Self {
        let settings = UpdateSettings::from_env(
            cfg!(debug_assertions),
            |name| std::env::var(name).ok(),
            warnings,
        );
        Updates {
            settings,
            record: CheckRecord::new(data_dir, clock),
            pending: tokio::sync::Mutex::new(None),
        }
    }
}

/// Sends download progress as it comes, without flooding the UI: the first chunk, every whole
/// percent (or every 512 KiB when the size is unknown), and the end.
pub struct ProgressPacer {
    last: std::sync::Mutex<Option<(u64, u64)>>,
}

impl Default for ProgressPacer {
    fn default() -> Self {
        ProgressPacer {
            last: std::sync::Mutex::new(None),
        }
    }
}

impl ProgressPacer {
    /// Whether `downloaded` of `total` is worth an event.
    pub fn worth_sending(&self, downloaded: u64, total: Option<u64>) -> bool {
        const STEP: u64 = 512 * 1024;
        let mark = match total {
            Some(t) if t > 0 => downloaded.min(t) * 100 / t,
            _ => downloaded / STEP,
        };
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let done = total.is_some_and(|t| downloaded >= t);
        let send = match *last {
            None => true,
            Some((m, d)) => mark > m || (done && d < downloaded),
        };
        if send {
            *last = Some((mark, downloaded));
        }
        send
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(debug: bool) -> UpdateSettings {
        UpdateSettings::from_env(debug, |_| None, &mut Vec::new())
    }

    #[test]
    fn endpoints_are_https_and_loopback_http_only_in_debug_builds() {
        let release = settings(false);
        let debug = settings(true);
        let gh = "https://github.com/postdesk/postdesk/releases/latest/download/latest.json";
        assert_eq!(
            release.endpoints(&[gh.into()]).unwrap(),
            vec![gh.to_owned()]
        );
        for local in [
            "http://127.0.0.1:8123/latest.json",
            "http://localhost:9/x.json",
            "http://[::1]:80/latest.json",
        ] {
            assert!(debug.endpoints(&[local.into()]).is_ok(), "{local}");
            let err = release.endpoints(&[local.into()]).unwrap_err();
            assert_eq!(err.code(), "update.insecureEndpoint");
            assert!(err.to_string().contains("only over https"), "{err}");
        }
        for bad in [
            "http://updates.example/latest.json",
            "ftp://127.0.0.1/latest.json",
            "file:///tmp/latest.json",
            "https://user:pw@updates.example/latest.json",
            "not a url",
        ] {
            let err = debug.endpoints(&[bad.into()]).unwrap_err();
            assert_eq!(err, UpdateError::InsecureEndpoint { url: bad.into() });
        }
        // One refused endpoint refuses the list.
        assert!(debug
            .endpoints(&[gh.into(), "http://evil.example/latest.json".into()])
            .is_err());
        assert_eq!(release.endpoints(&[]).unwrap_err(), UpdateError::NoEndpoint);
    }

    #[test]
    fn the_override_and_the_timeout_apply_only_to_debug_builds() {
        let env = |name: &str| match name {
            ENDPOINT_VAR => Some("http://127.0.0.1:4000/latest.json".to_owned()),
            TIMEOUT_VAR => Some("1500".to_owned()),
            _ => None,
        };
        let mut warnings = Vec::new();
        let debug = UpdateSettings::from_env(true, env, &mut warnings);
        assert_eq!(debug.timeout, Duration::from_millis(1500));
        assert_eq!(
            debug
                .endpoints(&["https://a.example/x.json".into()])
                .unwrap(),
            vec!["http://127.0.0.1:4000/latest.json".to_owned()]
        );
        let release = UpdateSettings::from_env(false, env, &mut warnings);
        assert_eq!(release.timeout, DEFAULT_TIMEOUT);
        assert_eq!(release.endpoint, None);
        assert!(warnings.is_empty());
        let odd = UpdateSettings::from_env(
            true,
            |n| (n == TIMEOUT_VAR).then(|| "soon".to_owned()),
            &mut warnings,
        );
        assert_eq!(odd.timeout, DEFAULT_TIMEOUT);
        assert!(warnings[0].contains(TIMEOUT_VAR), "{warnings:?}");
    }

    #[test]
    fn an_automatic_check_is_due_once_a_day_on_the_apps_clock() {
        let dir = std::env::temp_dir().join(format!("postdesk-updates-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let (clock, pin) = SharedClock::pinned("2028-02-28T23:00:00Z");
        let record = CheckRecord::new(&dir, clock);
        assert!(record.due(), "never checked");
        record.record();
        assert!(!record.due());
        pin.advance(Duration::from_secs(23 * 3600));
        assert!(!record.due(), "23 h later");
        pin.advance(Duration::from_secs(3600));
        assert!(record.due(), "a day later (over the leap day)");
        record.record();
        pin.advance_ms(-2 * postdesk_base::clock::DAY_MS);
        assert!(
            record.due(),
            "a record in the future: the clock was set back"
        );
        std::fs::write(dir.join(CHECK_FILE), b"{garbage").unwrap();
        assert!(record.due(), "an unreadable record");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn an_offer_has_a_utc_date_and_bounded_plain_notes() {
        let found = UpdateFound {
            version: "0.2.0".into(),
            published_ms: postdesk_base::clock::parse_rfc3339("2026-12-31T23:30:00-02:00"),
            notes: Some(format!("  {}  ", "n".repeat(MAX_NOTES_CHARS + 5))),
        };
        let offer = offer(found, "0.1.0");
        assert_eq!(offer.date.as_deref(), Some("2027-01-01"));
        assert_eq!(offer.notes.chars().count(), MAX_NOTES_CHARS + 1);
        assert!(offer.notes.ends_with('…'));
        let bare = super::offer(
            UpdateFound {
                version: "0.2.0".into(),
                published_ms: None,
                notes: None,
            },
            "0.1.0",
        );
        assert_eq!((bare.date, bare.notes.as_str()), (None, ""));
    }

    #[test]
    fn progress_is_paced_by_percent_or_by_half_mebibytes() {
        let p = ProgressPacer::default();
        let sent: Vec<u64> = (1..=1000u64)
            .map(|i| i * 1000)
            .filter(|d| p.worth_sending(*d, Some(1_000_000)))
            .collect();
        assert_eq!(sent.len(), 101, "the first chunk and each percent");
        assert_eq!(sent.last(), Some(&1_000_000));
        let q = ProgressPacer::default();
        let sent = (1..=20u64)
            .map(|i| i * 100 * 1024)
            .filter(|d| q.worth_sending(*d, None))
            .count();
        assert_eq!(sent, 4, "first, then at 512 KiB, 1 MiB and 1.5 MiB");
    }

    #[test]
    fn every_failure_is_one_sentence_with_its_code() {
        let cases = [
            (UpdateError::BadSignature, "update.badSignature"),
            (UpdateError::TimedOut { secs: 20 }, "update.timeout"),
            (
                UpdateError::Unreachable {
                    why: "connection refused".into(),
                },
                "update.unreachable",
            ),
            (UpdateError::NotInstallable, "update.notInstallable"),
        ];
        for (e, code) in cases {
            let text = e.to_string();
            assert_eq!(e.code(), code);
            assert!(!text.contains('\n') && text.ends_with('.'), "{text}");
            assert_eq!(
                e.as_check(),
                UpdateCheck::Failed {
                    code: e.code(),
                    message: text
                }
            );
        }
        assert_eq!(
            UpdateError::BadSignature.to_string(),
            "The update's signature does not match Postdesk's key: it was not installed."
        );
    }
}
