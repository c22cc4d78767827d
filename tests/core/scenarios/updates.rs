//! The app's own updates: the automatic check once a day, a newer version downloaded (progress
//! events), verified, installed and the restart; up to date; the failures, each one sentence.
//! The host's updater answers what each scenario scripts here; the real one (the plugin, a
//! loopback update server, real signatures) is tested in tests/updater.

use std::time::Duration;

use postdesk_core::updates::{UpdateError, UpdateFound, UpdateProgress, UpdateStage, CHECK_FILE};
use postdesk_core::{Core, Event};
use serde_json::json;

use crate::host::TestHost;
use crate::record::Recorder;

const NOTES: &str = "Faster start.\n\n- Collections open in half the time.\n- The About dialog.";

fn newer() -> UpdateFound {
    UpdateFound {
        version: "0.2.0".into(),
        published_ms: postdesk_base::clock::parse_rfc3339("2026-11-20T09:00:00Z"),
        notes: Some(NOTES.into()),
    }
}

fn progress_events(host: &TestHost) -> Vec<UpdateProgress> {
    host.seen()
        .events
        .iter()
        .filter_map(|e| match e {
            Event::UpdateProgress(p) => Some(p.clone()),
            _ => None,
        })
        .collect()
}

pub async fn run(core: &Core, rec: &Recorder, host: &TestHost, data_dir: &std::path::Path) {
    // First, as on most starts: nothing newer (the UI's tests answer an automatic check so).
    rec.scenario("updates: up to date, and the automatic check waits a day");
    let check = rec
        .ok(core, "app_check_update", json!({ "manual": false }))
        .await;
    assert_eq!(
        check,
        json!({"status": "upToDate", "version": env!("CARGO_PKG_VERSION")})
    );
    {
        let seen = host.seen();
        assert_eq!(seen.update.checked.len(), 1);
        assert_eq!(seen.update.checked[0].0, seen.update.endpoints);
        assert_eq!(seen.update.checked[0].1, Duration::from_secs(20));
    }
    let kept: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data_dir.join(CHECK_FILE)).unwrap()).unwrap();
    assert!(
        kept["checkedAt"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-23T10:00"),
        "{kept}"
    );
    // The next start on the same day asks nothing.
    let again = rec
        .ok(core, "app_check_update", json!({ "manual": false }))
        .await;
    assert_eq!(again, json!({"status": "notDue"}));
    assert_eq!(host.seen().update.checked.len(), 1);
    let msg = rec
        .err(core, "app_install_update", json!({}), "update.upToDate")
        .await;
    assert!(msg.contains("nothing to install"), "{msg}");
    let manual = rec
        .ok(core, "app_check_update", json!({ "manual": true }))
        .await;
    assert_eq!(
        manual["status"], "upToDate",
        "a manual check is always made"
    );

    rec.scenario("updates: a day later, a newer version is installed, then the app restarts");
    host.seen().update.check = Ok(Some(newer()));
    let a_day_ago = postdesk_base::clock::rfc3339(
        postdesk_base::clock::parse_rfc3339("2026-11-22T09:00:00Z").unwrap(),
    );
    std::fs::write(
        data_dir.join(CHECK_FILE),
        json!({ "checkedAt": a_day_ago }).to_string(),
    )
    .unwrap();
    let checks = host.seen().update.checked.len();
    let check = rec
        .ok(core, "app_check_update", json!({ "manual": false }))
        .await;
    assert_eq!(check["status"], "available", "{check}");
    assert_eq!(
        check["update"],
        json!({"version": "0.2.0", "currentVersion": env!("CARGO_PKG_VERSION"), "date": "2026-11-20", "notes": NOTES})
    );
    assert_eq!(host.seen().update.checked.len(), checks + 1, "a day later");
    host.seen().events.clear();
    let installed = rec.ok(core, "app_install_update", json!({})).await;
    assert_eq!(installed, json!({"version": "0.2.0"}));
    let events = progress_events(host);
    let stages: Vec<UpdateStage> = events.iter().map(|p| p.stage).collect();
    assert_eq!(stages.first(), Some(&UpdateStage::Downloading));
    assert_eq!(
        &stages[stages.len() - 2..],
        &[UpdateStage::Installing, UpdateStage::Installed]
    );
    let size = host.seen().update.size;
    let halfway = events
        .iter()
        .find(|p| p.downloaded == size / 2)
        .expect("progress halfway");
    assert_eq!(halfway.total, Some(size));
    // For the UI: the start, halfway, installing, installed.
    for p in [
        &events[0],
        halfway,
        &events[events.len() - 2],
        &events[events.len() - 1],
    ] {
        rec.events(&[Event::UpdateProgress(p.clone())]);
    }
    let counts = {
        let seen = host.seen();
        (seen.update.downloads, seen.update.installs)
    };
    assert_eq!(counts, (1, 1));
    assert_eq!(rec.ok(core, "app_restart", json!({})).await, json!(null));
    assert_eq!(host.seen().update.restarts, 1);

    rec.scenario("updates: the update server cannot be reached");
    host.seen().update.check = Err(UpdateError::Unreachable {
        why: "Connection refused (os error 111)".into(),
    });
    let check = rec
        .ok(core, "app_check_update", json!({ "manual": true }))
        .await;
    assert_eq!(check["status"], "failed");
    assert_eq!(check["code"], "update.unreachable");
    assert!(
        check["message"]
            .as_str()
            .unwrap()
            .starts_with("Postdesk could not check for updates"),
        "{check}"
    );
    rec.err(core, "app_install_update", json!({}), "update.unreachable")
        .await;
    // The app goes on working.
    rec.ok(core, "app_info", json!({})).await;

    rec.scenario("updates: a download whose signature does not match");
    {
        let mut seen = host.seen();
        seen.update.check = Ok(Some(newer()));
        seen.update.download = Err(UpdateError::BadSignature);
    }
    let check = rec
        .ok(core, "app_check_update", json!({ "manual": true }))
        .await;
    assert_eq!(check["status"], "available");
    let installs = host.seen().update.installs;
    let msg = rec
        .err(core, "app_install_update", json!({}), "update.badSignature")
        .await;
    assert_eq!(
        msg,
        "The update's signature does not match Postdesk's key: it was not installed."
    );
    assert_eq!(host.seen().update.installs, installs, "nothing installed");

    rec.scenario("updates: an update address that is not https");
    let checks = host.seen().update.checked.len();
    host.seen().update.endpoints = vec!["http://updates.example/latest.json".into()];
    let check = rec
        .ok(core, "app_check_update", json!({ "manual": true }))
        .await;
    assert_eq!(check["code"], "update.insecureEndpoint");
    assert!(
        check["message"]
            .as_str()
            .unwrap()
            .contains("only over https"),
        "{check}"
    );
    assert_eq!(
        host.seen().update.checked.len(),
        checks,
        "nothing was asked"
    );
    host.seen().update = Default::default();
}
