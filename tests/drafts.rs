//! Drafts against the in-process sandbox over loopback: stored drafts survive a restart,
//! invalid drafts send nothing, PATCH vs PUT, conflicts, failures keep the draft, async PUT.
//! Every wait is bounded.

use std::path::Path;
use std::time::Duration;

use postdesk_base::DomainError;
use postdesk_drafts::{
    save_draft, validate_collection_text, Draft, DraftKind, DraftStore, DraftsError, SaveMethod,
    SaveOptions, SaveOutcome, SaveProgress,
};
use postman_client::EnvVar;

use serde_json::json;

mod common;
#[path = "common/saving.rs"]
mod saving;
use common::{
    add_fault, advance_clock, bounded, clear_faults, collection_doc, fetch_collection, item_ids,
    personal_workspace, raw_ok,
};
use saving::{assert_saved, expect_conflict};

/// The sandbox, a client acting as Taylor (two tries a call) and a draft store in a scratch
/// folder.
type Fixture = common::Fixture<DraftStore>;

impl Fixture {
    async fn new(name: &str) -> Self {
        let open = |dir: &Path, clock| DraftStore::open(dir, clock);
        Fixture::start(name, Duration::from_millis(300), 2, open).await
    }

    fn store(&self) -> &DraftStore {
        &self.domain
    }

    /// A fixture over the scratch folder `dir` with a collection `name` made in Taylor's
    /// personal workspace (a folder of `requests` requests, a root request, a test script): the
    /// fixture, the collection's uid and a draft of its full document as the server has it.
    async fn with_collection(dir: &str, name: &str, requests: usize) -> (Self, String, Draft) {
        let f = Fixture::new(dir).await;
        let mut doc = collection_doc(name, requests);
        doc["event"] = json!([{"listen": "test", "script": {"id": "script-1", "type": "text/javascript", "exec": ["pm.test('ok', () => {});"]}}]);
        let ws = personal_workspace(&f.c).await;
        let created = bounded(10, f.c.create_collection(Some(&ws), doc))
            .await
            .expect("created");
        let uid = created.uid.expect("uid");
        let full = fetch_collection(&f.c, &uid).await;
        let draft = Draft::from_server(DraftKind::Collection, &uid, &full);
        (f, uid, draft)
    }

    /// The stored draft of `kind` `id`, if there is one.
    fn stored(&self, kind: DraftKind, id: &str) -> Option<Draft> {
        self.store().get(kind, id).unwrap()
    }

    /// Saves `d` with the default options, within 20 s.
    async fn save(&self, d: &Draft) -> Result<SaveOutcome, DraftsError> {
        let opts = SaveOptions::default();
        bounded(20, save_draft(&self.c, self.store(), d, &opts, &mut |_| {})).await
    }

    /// Saves `d` with `opts`, within 30 s: the outcome and the progress reported on the way.
    async fn save_logged(
        &self,
        d: &Draft,
        opts: &SaveOptions,
    ) -> (Result<SaveOutcome, DraftsError>, Vec<SaveProgress>) {
        let mut log = Vec::new();
        let mut record = |p| log.push(p);
        let out = bounded(30, save_draft(&self.c, self.store(), d, opts, &mut record)).await;
        (out, log)
    }
}

#[tokio::test]
async fn a_stored_draft_survives_a_restart() {
    let (f, uid, mut d) = Fixture::with_collection("restart", "Restart", 2).await;
    d.doc["info"]["name"] = json!("Edited before the crash");
    f.store().put(&d).unwrap();
    // "Restart": a new store on the same folder.
    let store = DraftStore::open(&f.dir, f.sb.clock()).unwrap();
    let listing = store.list().unwrap();
    assert!(listing.set_aside.is_empty());
    assert_eq!(listing.drafts.len(), 1);
    let back = &listing.drafts[0];
    assert_eq!(back.id, uid);
    assert_eq!(back.doc["info"]["name"], "Edited before the crash");
    assert_eq!(back.base_updated_at, d.base_updated_at);
    assert!(back.base_updated_at.is_some());
    f.finish().await;
}

#[tokio::test]
async fn invalid_drafts_point_at_the_problem_and_send_nothing() {
    let (f, uid, mut d) = Fixture::with_collection("invalid", "Invalid", 3).await;
    let before = f.calls();
    // Malformed JSON: serde_json's line/column.
    let text = "{\n  \"info\": {\"name\": \"x\"},\n  \"item\": [\n    {\"name\": \"a\",}\n  ]\n}";
    let errs = validate_collection_text(text).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:?}");
    // The `}` after the trailing comma.
    assert_eq!((errs[0].line, errs[0].column), (4, 18), "{errs:?}");
    // Schema error: the right path and line.
    let mut doc = d.doc.clone();
    doc["item"][0]["item"][2]["request"]["url"] = json!(12);
    let text = serde_json::to_string_pretty(&doc).unwrap();
    let errs = validate_collection_text(&text).unwrap_err();
    let e = errs
        .iter()
        .find(|e| e.path == "item[0].item[2].request.url")
        .unwrap_or_else(|| panic!("{errs:?}"));
    let line = text
        .lines()
        .position(|l| l.trim_start().starts_with("\"url\": 12"))
        .unwrap()
        + 1;
    assert_eq!(e.line as usize, line);
    // Saving it: refused locally, the draft is kept, no call was made.
    d.doc = doc;
    let err = f.save(&d).await.unwrap_err();
    assert_eq!(err.code(), "drafts.invalid");
    assert!(
        err.to_string().contains("item[0].item[2].request.url"),
        "{err}"
    );
    assert_eq!(f.calls(), before, "no API call for an invalid draft");
    assert!(f.stored(DraftKind::Collection, &uid).is_some());
    f.finish().await;
}

#[tokio::test]
async fn info_change_is_a_patch_and_tree_change_a_put_that_keeps_ids() {
    let (f, uid, mut d) = Fixture::with_collection("plan", "Plan", 3).await;
    // Only the name and an event: PATCH.
    d.doc["info"]["name"] = json!("Plan (renamed)");
    d.doc["event"][0]["script"]["exec"] = json!(["pm.test('still ok', () => {});"]);
    let from = f.calls();
    let (out, log) = f.save_logged(&d, &SaveOptions::default()).await;
    let updated_at = assert_saved(&out.unwrap(), SaveMethod::Patch);
    assert_eq!(f.methods_since(from), ["GET", "PATCH", "GET"]);
    assert!(updated_at.is_some());
    assert!(log.contains(&SaveProgress::Confirming));
    assert!(f.stored(DraftKind::Collection, &uid).is_none());
    let now = fetch_collection(&f.c, &uid).await;
    assert_eq!(now["info"]["name"], "Plan (renamed)");
    assert_eq!(now["info"]["updatedAt"].as_str(), updated_at.as_deref());
    assert_eq!(
        now["event"][0]["script"]["exec"][0],
        "pm.test('still ok', () => {});"
    );
    // A tree change (one request renamed, one added): PUT, existing ids kept.
    let ids_before = item_ids(&now);
    let mut d = Draft::from_server(DraftKind::Collection, &uid, &now);
    d.doc["item"][0]["item"][1]["name"] = json!("Renamed request");
    if let Some(items) = d.doc["item"][0]["item"].as_array_mut() {
        items.push(json!({"name": "New request", "request": {"method": "GET", "url": "https://x.test/new"}}));
    }
    let from = f.calls();
    assert_saved(&f.save(&d).await.unwrap(), SaveMethod::Put);
    assert_eq!(f.methods_since(from), ["GET", "PUT", "GET"]);
    let after = fetch_collection(&f.c, &uid).await;
    let ids_after = item_ids(&after);
    for id in &ids_before {
        assert!(ids_after.contains(id), "item {id} lost its id");
    }
    assert_eq!(ids_after.len(), ids_before.len() + 1);
    assert_eq!(after["item"][0]["item"][1]["name"], "Renamed request");
    f.finish().await;
}

#[tokio::test]
async fn a_concurrent_change_is_a_conflict_and_nothing_is_written() {
    let (f, uid, mut d) = Fixture::with_collection("conflict", "Shared", 2).await;
    d.doc["info"]["name"] = json!("Mine");
    f.store().put(&d).unwrap();
    // Someone else renames it directly through the API, a little later.
    advance_clock(&f.sb, 5_000).await;
    let rename = json!({"collection": {"info": {"name": "Theirs"}}});
    raw_ok(&f.sb, "PATCH", &format!("/collections/{uid}"), rename).await;
    let server_before = fetch_collection(&f.c, &uid).await;
    let (mine, theirs) = expect_conflict(f.save(&d).await.unwrap());
    assert_eq!(mine["info"]["name"], "Mine");
    assert_eq!(theirs["info"]["name"], "Theirs");
    let server_after = fetch_collection(&f.c, &uid).await;
    assert_eq!(server_before, server_after, "the server is unchanged");
    assert!(f.stored(DraftKind::Collection, &uid).is_some());
    f.finish().await;
}

#[tokio::test]
async fn a_server_failure_keeps_the_draft_and_says_why() {
    let (f, uid, mut d) = Fixture::with_collection("fault", "Fails", 2).await;
    d.doc["item"][1]["name"] = json!("Changed");
    add_fault(&f.sb, "PUT /collections/{id}", json!({"status": 500})).await;
    let err = f.save(&d).await.unwrap_err();
    assert_eq!(err.code(), "api.server", "{err}");
    assert!(err.to_string().contains("draft is kept"), "{err}");
    assert!(matches!(err, DraftsError::Api { .. }));
    let kept = f.stored(DraftKind::Collection, &uid).expect("kept");
    assert_eq!(kept.doc["item"][1]["name"], "Changed");
    // Once the server is back, the same draft saves.
    clear_faults(&f.sb).await;
    assert_saved(&f.save(&kept).await.unwrap(), SaveMethod::Put);
    f.finish().await;
}

#[tokio::test]
async fn a_big_collection_is_put_async_with_progress() {
    let (f, uid, mut d) = Fixture::with_collection("async", "Big", 400).await;
    d.doc["item"][0]["item"][399]["name"] = json!("Last one, renamed");
    let opts = SaveOptions {
        async_threshold_bytes: 16 * 1024,
        first_poll: Duration::from_millis(50),
        max_poll: Duration::from_millis(200),
        max_wait: Duration::from_secs(10),
    };
    let (out, log) = f.save_logged(&d, &opts).await;
    let out = out.unwrap();
    let updated_at = assert_saved(&out, SaveMethod::PutAsync);
    assert!(updated_at.is_some(), "{out:?}");
    assert!(
        log.iter().any(|p| matches!(
            p,
            SaveProgress::Sending {
                method: SaveMethod::PutAsync,
                ..
            }
        )),
        "{log:?}"
    );
    assert!(
        log.iter()
            .any(|p| matches!(p, SaveProgress::Waiting { .. })),
        "{log:?}"
    );
    assert_eq!(log.last(), Some(&SaveProgress::Confirming));
    let after = fetch_collection(&f.c, &uid).await;
    assert_eq!(after["item"][0]["item"][399]["name"], "Last one, renamed");
    assert!(f.stored(DraftKind::Collection, &uid).is_none());
    f.finish().await;
}

#[tokio::test]
async fn environments_patch_small_edits_put_others_and_detect_conflicts() {
    let f = Fixture::new("env").await;
    let vars = vec![
        EnvVar {
            key: "host".into(),
            value: Some("a.test".into()),
            enabled: Some(true),
            ..Default::default()
        },
        EnvVar {
            key: "token".into(),
            value: Some("s3cret".into()),
            enabled: Some(true),
            kind: Some("secret".into()),
            ..Default::default()
        },
    ];
    let env = bounded(10, f.c.create_environment(None, "Env", &vars))
        .await
        .unwrap();
    let id = env.uid.clone().unwrap_or(env.id.0.clone());
    let current = || async {
        serde_json::to_value(
            bounded(10, f.c.get_environment(&id, true))
                .await
                .unwrap()
                .data,
        )
        .unwrap()
    };
    // A value edit: one PATCH (which returns the new updatedAt).
    let mut d = Draft::from_server(DraftKind::Environment, &id, &current().await);
    d.doc["values"][0]["value"] = json!("b.test");
    let from = f.calls();
    let out = f.save(&d).await.unwrap();
    let updated_at = assert_saved(&out, SaveMethod::Patch);
    assert!(updated_at.is_some(), "{out:?}");
    assert_eq!(f.methods_since(from), ["GET", "PATCH"]);
    // A variable added: PUT.
    let server = current().await;
    assert_eq!(server["values"][0]["value"], "b.test");
    let mut d = Draft::from_server(DraftKind::Environment, &id, &server);
    if let Some(v) = d.doc["values"].as_array_mut() {
        v.push(json!({"key": "new", "value": "1", "enabled": true}));
    }
    assert_saved(&f.save(&d).await.unwrap(), SaveMethod::Put);
    let server = current().await;
    assert_eq!(server["values"].as_array().map(Vec::len), Some(3));
    // A concurrent change: conflict, nothing written.
    let mut d = Draft::from_server(DraftKind::Environment, &id, &server);
    d.doc["name"] = json!("Mine");
    advance_clock(&f.sb, 5_000).await;
    let rename = json!([{"op": "replace", "path": "/name", "value": "Theirs"}]);
    raw_ok(&f.sb, "PATCH", &format!("/environments/{id}"), rename).await;
    let before = current().await;
    let (mine, theirs) = expect_conflict(f.save(&d).await.unwrap());
    assert_eq!(
        (mine["name"].as_str(), theirs["name"].as_str()),
        (Some("Mine"), Some("Theirs"))
    );
    assert_eq!(current().await, before);
    assert!(f.stored(DraftKind::Environment, &id).is_some());
    f.finish().await;
}
