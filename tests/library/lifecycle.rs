//! Collections created, imported, duplicated, exported and deleted.

use postdesk_base::IpcError;
use serde_json::Value;

use super::common::{bounded, item_ids, personal_workspace, raw, SCHEMA};
use super::Fixture;

#[tokio::test]
async fn create_import_duplicate_export_and_delete_by_name() {
    let f = Fixture::new("lifecycle").await;
    let (c, lib) = (&f.c, f.lib());
    let ws = personal_workspace(c).await;
    let empty = bounded(
        10,
        lib.create_collection(c, Some(&ws), Some("  Empty one "), None),
    )
    .await
    .unwrap();
    assert_eq!(empty.name, "Empty one");
    assert!(
        bounded(10, lib.create_collection(c, Some(&ws), Some("   "), None))
            .await
            .is_err()
    );
    let uid = f.new_collection("../Original <b>", 2).await;
    let copy = bounded(10, lib.duplicate_collection(c, &uid, Some(&ws)))
        .await
        .unwrap();
    assert_eq!(copy.name, "../Original <b> (copy)");
    let ia = item_ids(&f.served_collection(&uid).await);
    let ib = item_ids(&f.served_collection(copy.uid.as_deref().unwrap()).await);
    assert_eq!(ia.len(), ib.len());
    assert!(
        ia.iter().all(|id| !ib.contains(id)),
        "a duplicate gets fresh ids"
    );
    let rows = bounded(10, lib.collections(c, Some(&ws), true))
        .await
        .unwrap()
        .rows;
    for name in ["Empty one", "../Original <b>", "../Original <b> (copy)"] {
        assert!(rows.iter().any(|r| r.name == name), "{name} listed");
    }

    // Export: a safe file name to suggest (the user picks the folder), importable again.
    let export = bounded(10, lib.export_collection(c, &uid)).await.unwrap();
    assert_eq!(export.file_name, "_Original _b_.postman_collection.json");
    assert_eq!(export.kind, "Postman collection");
    let text = String::from_utf8(export.bytes).unwrap();
    let exported: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(exported["info"]["schema"], SCHEMA);
    assert!(exported["info"].get("updatedAt").is_none());
    let again = bounded(
        10,
        lib.create_collection(c, Some(&ws), Some("Reimported"), Some(&text)),
    )
    .await
    .unwrap();
    assert_eq!(again.name, "Reimported");

    // Import errors are clear and create nothing.
    let n = f.calls();
    for bad in ["{\"info\": {\"name\": \"x\"", "[1, 2]", "{\"info\": {\"name\": \"x\", \"schema\": \"https://schema.getpostman.com/json/collection/v2.0.0/collection.json\"}, \"item\": []}"] {
        assert!(bounded(10, lib.create_collection(c, Some(&ws), None, Some(bad))).await.is_err(), "{bad}");
    }
    assert_eq!(f.calls(), n, "an invalid import sends nothing");

    // Delete needs the exact name.
    let wrong = bounded(10, lib.delete_collection(c, &uid, "../original <b>"))
        .await
        .unwrap_err();
    assert!(IpcError::from(wrong)
        .message
        .contains("nothing was deleted"));
    bounded(10, lib.delete_collection(c, &uid, "../Original <b>"))
        .await
        .unwrap();
    let (status, _) = raw(&f.sb, "GET", &format!("/collections/{uid}"), Value::Null).await;
    assert_eq!(status, 404);
}
