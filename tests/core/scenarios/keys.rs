//! The user's API keys: add, rename, expiry and reminders, switch, verify, rotate, delete, and
//! the pastes that are refused with a sentence a person understands.

use postdesk_core::Core;
use serde_json::json;

use super::Sandbox;
use crate::host::TestHost;
use crate::record::Recorder;

/// The arguments of `keys_add` for a key of `region`.
pub fn add_in(region: &str, name: &str, key: &str) -> serde_json::Value {
    json!({"request": {"name": name, "key": key, "region": region, "expiresOn": null}})
}

/// The arguments of `keys_add` for a key of the built-in sandbox.
pub fn add(name: &str, key: &str) -> serde_json::Value {
    add_in("sandbox", name, key)
}

pub async fn run(core: &Core, rec: &Recorder, host: &TestHost, sb: &Sandbox) {
    rec.scenario("keys: add, rename, expiry, reminders, switch");
    assert_eq!(rec.ok(core, "keys_list", json!({})).await, json!([]));
    let key = sb.mint_key(rec, "taylor-lee").await;
    let view = rec
        .ok(core, "keys_add", add("Work", &format!("  \"{key}\"\n")))
        .await;
    let id = view["id"].as_str().unwrap().to_owned();
    assert_eq!(view["status"], "valid");
    assert_eq!(view["active"], true, "the first key becomes active");
    assert_eq!(view["masked"], format!("PMAK-…{}", &key[key.len() - 4..]));
    assert_eq!(view["owner"]["username"], "taylor-lee");
    let active = rec.ok(core, "engine_active_key", json!({})).await;
    assert_eq!(active["name"], "Work");
    rec.ok(core, "keys_rename", json!({"id": id, "name": "Team key"}))
        .await;
    rec.err(
        core,
        "keys_rename",
        json!({"id": id, "name": "  "}),
        "keys.format",
    )
    .await;
    // Two days out (the clock says 2026-11-23): the 3-day reminder falls due, once.
    let v = rec
        .ok(
            core,
            "keys_set_expiry",
            json!({"id": id, "expiresOn": "2026-11-25"}),
        )
        .await;
    assert_eq!(
        (v["daysLeft"].as_i64(), v["urgency"].as_str()),
        (Some(2), Some("urgent"))
    );
    rec.err(
        core,
        "keys_set_expiry",
        json!({"id": id, "expiresOn": "25/11/2026"}),
        "keys.format",
    )
    .await;
    let due = rec.ok(core, "keys_due_reminders", json!({})).await;
    assert_eq!(due[0]["days"], 3);
    assert_eq!(due[0]["daysLeft"], 2);
    let notes = host.seen().notifications.clone();
    assert_eq!(notes.len(), 1, "one OS notification: {notes:?}");
    assert!(
        notes[0]
            .1
            .contains("“Team key” expires in 2 days (2026-11-25)"),
        "{notes:?}"
    );
    rec.ok(
        core,
        "keys_dismiss_reminder",
        json!({"keyId": id, "days": 3}),
    )
    .await;
    assert_eq!(
        rec.ok(core, "keys_due_reminders", json!({})).await,
        json!([])
    );
    assert_eq!(host.seen().notifications.len(), 1, "given once");
    rec.ok(core, "keys_verify", json!({"id": id})).await;
    let back = rec.ok(core, "keys_set_active", json!({"id": null})).await;
    assert_eq!(back["name"], "Sandbox (taylor-lee)");
    let again = rec.ok(core, "keys_set_active", json!({"id": id})).await;
    assert_eq!(again["name"], "Team key");
    rec.err(
        core,
        "keys_set_active",
        json!({"id": "k-nope"}),
        "keys.notFound",
    )
    .await;
    rec.ok(core, "keys_open_postman", json!({})).await;
    assert_eq!(
        host.seen().opened.last().map(String::as_str),
        Some("https://go.postman.co/settings/me/api-keys")
    );
    let list = rec.ok(core, "keys_list", json!({})).await;
    assert_eq!(list.as_array().unwrap().len(), 1);

    rec.scenario("keys: refused pastes");
    let unknown = "PMAK-000000000000000000000000-0000000000000000000000000000000000";
    for paste in [
        "",
        "hello",
        "PMAT-01HNAVJJJJJJJJJJJJJJJJJJJJ",
        "PMAK-0123456789abcdef01234567-0123456789",
    ] {
        let msg = rec
            .err(core, "keys_add", add("X", paste), "keys.format")
            .await;
        assert!(!msg.contains("0123"), "{msg}");
    }
    rec.err(core, "keys_add", add("Again", &key), "keys.duplicate")
        .await;
    rec.err(core, "keys_add", add("Unknown", unknown), "api.invalidKey")
        .await;

    rec.scenario("keys: rotation");
    let fresh = sb.mint_key(rec, "taylor-lee").await;
    let foreign = sb.mint_key(rec, "sam-rivera").await;
    rec.err(
        core,
        "keys_rotate",
        json!({"oldId": id, "replacement": {"name": "", "key": foreign, "region": "sandbox", "expiresOn": null}}),
        "keys.wrongUser",
    )
    .await;
    let rot = rec
        .ok(
            core,
            "keys_rotate",
            json!({"oldId": id, "replacement": {"name": "", "key": fresh, "region": "sandbox", "expiresOn": null}}),
        )
        .await;
    assert_eq!(rot["retiredName"], "Team key");
    assert_eq!(rot["newKey"]["name"], "Team key");
    assert_eq!(rot["newKey"]["active"], true);
    let new_id = rot["newKey"]["id"].as_str().unwrap().to_owned();
    rec.err(core, "keys_delete", json!({"id": id}), "keys.notFound")
        .await;
    rec.ok(core, "keys_delete", json!({"id": new_id})).await;
    let active = rec.ok(core, "engine_active_key", json!({})).await;
    assert_eq!(
        active["name"], "Sandbox (taylor-lee)",
        "deleting the active key goes back"
    );
}
