//! Environments: import, edit, restart, save by PUT or PATCH with secrets and unmodelled fields
//! kept, export, delete.

use postdesk_drafts::{DraftKind, SaveMethod};
use postdesk_library::{EnvVarType, EnvVariable};
use serde_json::{json, Value};

use super::common::{bounded, personal_workspace, raw};
use super::saving::assert_saved;
use super::Fixture;

#[tokio::test]
async fn environments_keep_secrets_and_unmodelled_fields() {
    let f = Fixture::new("env").await;
    let ws = personal_workspace(&f.c).await;
    let import = json!({"name": "Staging", "values": [
        {"key": "baseUrl", "value": "https://staging.test", "type": "default", "enabled": true},
        {"key": "token", "value": "s3cr3t-value", "type": "secret", "enabled": true}
    ], "_postman_variable_scope": "environment"});
    let made = bounded(
        10,
        f.lib()
            .create_environment(&f.c, Some(&ws), None, Some(&import.to_string())),
    )
    .await
    .unwrap();
    assert_eq!(made.name, "Staging");
    let rows = bounded(10, f.lib().environments(&f.c, Some(&ws), false))
        .await
        .unwrap()
        .rows;
    assert!(rows.iter().any(|r| r.id == made.id));
    let v = f.open_environment(&made.id).await;
    assert_eq!(v.values[1].kind, EnvVarType::Secret);

    // Change a value, add a variable, rename: the draft survives a restart, then saves.
    let mut values = v.values.clone();
    values[1].value = "rotated".into();
    values.push(EnvVariable {
        key: "region".into(),
        value: "eu".into(),
        kind: EnvVarType::Default,
        enabled: false,
        description: "EU only".into(),
    });
    let too_long = EnvVariable {
        description: "x".repeat(513),
        ..values[2].clone()
    };
    assert!(f
        .lib()
        .edit_environment(&made.id, "Staging", &[too_long])
        .is_err());
    assert!(f.lib().edit_environment(&made.id, "  ", &values).is_err());
    f.lib()
        .edit_environment(&made.id, "Staging EU", &values)
        .unwrap();
    let f = f.restart();
    let v = f.open_environment(&made.id).await;
    assert_eq!(v.name, "Staging EU");
    assert!(v.draft_saved_at_ms.is_some());
    let out = f.save(DraftKind::Environment, &made.id, false).await;
    assert_saved(&out.unwrap(), SaveMethod::Put);
    let env = f.served_environment(&made.id).await;
    assert_eq!(env["name"], "Staging EU");
    assert_eq!(env["values"][1]["value"], "rotated");
    assert_eq!(env["values"][1]["type"], "secret");
    assert_eq!(env["values"][2]["enabled"], false);

    // A value-only edit is a PATCH.
    let v = f.open_environment(&made.id).await;
    let mut values = v.values.clone();
    values[0].value = "https://staging2.test".into();
    f.lib()
        .edit_environment(&made.id, &v.name, &values)
        .unwrap();
    let out = f.save(DraftKind::Environment, &made.id, false).await;
    assert_saved(&out.unwrap(), SaveMethod::Patch);

    // Export writes the Postman environment format; delete needs the exact name.
    let export = bounded(10, f.lib().export_environment(&f.c, &made.id))
        .await
        .unwrap();
    assert_eq!(export.file_name, "Staging EU.postman_environment.json");
    assert_eq!(export.extension, "json");
    let file: Value = serde_json::from_slice(&export.bytes).unwrap();
    assert_eq!(file["_postman_variable_scope"], "environment");
    assert_eq!(file["values"][0]["value"], "https://staging2.test");
    assert!(
        bounded(10, f.lib().delete_environment(&f.c, &made.id, "staging eu"))
            .await
            .is_err()
    );
    bounded(10, f.lib().delete_environment(&f.c, &made.id, "Staging EU"))
        .await
        .unwrap();
    let path = format!("/environments/{}", made.id);
    let (status, _) = raw(&f.sb, "GET", &path, Value::Null).await;
    assert!(status == 404 || status == 400, "{status}");
}
