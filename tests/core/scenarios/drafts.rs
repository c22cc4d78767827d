//! The remembered workspace; an environment changed elsewhere while its draft waited (both
//! versions, then keep mine); a draft file damaged on disk, set aside.

use postdesk_core::Core;
use serde_json::{json, Value};

use super::{create, Sandbox};
use crate::host::TestHost;
use crate::record::Recorder;

/// The preferences remember the workspace chosen; the lists are then read for it.
pub async fn remembered_workspace(core: &Core, rec: &Recorder, ws: &str) {
    rec.scenario("library: the remembered workspace");
    let prefs = rec.ok(core, "prefs_get", json!({})).await;
    let mut chosen = prefs.clone();
    chosen["workspace"] = json!(ws);
    let kept = rec.ok(core, "prefs_set", json!({ "prefs": chosen })).await;
    assert_eq!(kept["workspace"], ws);
    assert_eq!(rec.ok(core, "prefs_get", json!({})).await, kept);
    let lists = json!({"workspace": ws, "force": false});
    rec.ok(core, "library_collections", lists.clone()).await;
    rec.ok(core, "library_environments", lists).await;
    // All workspaces again for the scenarios that follow.
    rec.ok(core, "prefs_set", json!({ "prefs": prefs })).await;
}

fn values(base: &str) -> Value {
    json!([{"key": "base", "value": base, "type": "default", "enabled": true, "description": ""}])
}

fn save(id: &str, overwrite: bool) -> Value {
    json!({"kind": "environment", "id": id, "overwrite": overwrite})
}

/// The draft file of the environment `id` somewhere under `dir` (the data folder's drafts).
fn draft_file(dir: &std::path::Path, id: &str) -> Option<std::path::PathBuf> {
    std::fs::read_dir(dir).ok()?.find_map(|e| {
        let path = e.ok()?.path();
        if path.is_dir() {
            return draft_file(&path, id);
        }
        let name = path.file_name()?.to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        (name.starts_with("environment-") && name.ends_with(".json") && text.contains(id))
            .then_some(path)
    })
}

pub async fn environment_elsewhere(
    core: &Core,
    rec: &Recorder,
    host: &TestHost,
    sb: &Sandbox,
    ws: &str,
) {
    rec.scenario("library: an environment changed elsewhere, then keep mine");
    let new = json!({"workspace": ws, "name": "Production", "import": null});
    let id = create(core, rec, "library_create_environment", new, "id").await;
    let open = json!({"id": id, "force": false});
    rec.ok(core, "library_open_environment", open.clone()).await;
    let edit = |base: &str| json!({"id": id, "name": "Production", "values": values(base)});
    let base = "https://api.example.com";
    rec.ok(core, "library_edit_environment", edit(base)).await;
    let drafts = rec.ok(core, "library_drafts", json!({})).await;
    assert!(
        drafts["drafts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["kind"] == "environment" && d["id"] == id),
        "{drafts}"
    );
    sb.advance(5_000).await;
    let (status, _) = sb
        .api(
            "PUT",
            &format!("/environments/{id}"),
            json!({"environment": {"name": "Production (theirs)", "values": []}}),
        )
        .await;
    assert_eq!(status, 200);
    let conflict = rec.ok(core, "library_save", save(&id, false)).await;
    assert_eq!(conflict["outcome"], "conflict", "{conflict}");
    let mine = rec.ok(core, "library_save", save(&id, true)).await;
    assert_eq!(mine["outcome"], "saved", "{mine}");

    rec.scenario("library: a damaged draft file is set aside");
    rec.ok(core, "library_open_environment", open).await;
    let base = "https://eu.api.example.com";
    rec.ok(core, "library_edit_environment", edit(base)).await;
    let drafts_dir = host.dir.join("data").join(postdesk_drafts::DRAFTS_DIR);
    let file = draft_file(&drafts_dir, &id).expect("the environment's draft file");
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
    let drafts = rec.ok(core, "library_drafts", json!({})).await;
    let aside = drafts["setAside"].to_string();
    assert!(aside.contains(".damaged"), "{drafts}");
    assert!(file.with_extension("json.damaged").exists(), "kept");
    let discard = json!({"kind": "environment", "id": id});
    rec.ok(core, "library_discard", discard).await;
    let delete = json!({"id": id, "confirmName": "Production"});
    rec.ok(core, "library_delete_environment", delete).await;
}
