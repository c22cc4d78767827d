//! Collection access keys: a key made in the sandbox, its masked texts, the real link on the
//! clipboard (never in an answer), refused pastes, many revoked with progress.

use postdesk_core::{Core, Event};
use serde_json::json;

use super::{collection, Sandbox};
use crate::host::TestHost;
use crate::record::Recorder;

pub async fn run(core: &Core, rec: &Recorder, host: &TestHost, _sb: &Sandbox) {
    rec.scenario("sharing: share a collection, copy the link, revoke");
    let made = rec
        .ok(
            core,
            "library_create_collection",
            json!({"workspace": null, "name": "Shared orders", "import": collection("Shared").to_string()}),
        )
        .await;
    let uid = made["uid"].as_str().unwrap().to_owned();
    let page = rec
        .ok(
            core,
            "sharing_page",
            json!({"collection": uid, "cursor": null, "force": true}),
        )
        .await;
    assert_eq!(page["rows"], json!([]));
    let shared = rec.ok(core, "sharing_mint", json!({"uid": uid})).await;
    let key_id = shared["key"]["id"].as_str().unwrap().to_owned();
    assert_eq!(shared["key"]["kept"], true);
    assert!(shared["texts"]["linkMasked"]
        .as_str()
        .unwrap()
        .contains("access_key=PMAT-…"));
    let texts = rec
        .ok(core, "sharing_texts", json!({"keyId": key_id, "uid": uid}))
        .await;
    assert_eq!(texts, shared["texts"]);
    let copied = rec
        .ok(
            core,
            "sharing_copy",
            json!({"keyId": key_id, "uid": uid, "what": "link"}),
        )
        .await;
    assert_eq!(copied["clearsInSecs"], 60, "{copied}");
    assert_eq!(copied["hiddenFromHistory"], true, "{copied}");
    let link = host
        .seen()
        .clipboard
        .last()
        .cloned()
        .expect("the link is on the clipboard");
    let token = link.split("access_key=").nth(1).unwrap().to_owned();
    rec.secret(&token);
    let shared_get = reqwest::get(&link).await.unwrap();
    assert_eq!(
        shared_get.status(),
        200,
        "the link works without an API key"
    );
    rec.ok(
        core,
        "sharing_copy",
        json!({"keyId": key_id, "uid": uid, "what": "curl"}),
    )
    .await;
    assert!(host
        .seen()
        .clipboard
        .last()
        .unwrap()
        .starts_with("curl -sS \""));
    rec.ok(core, "sharing_open_postman", json!({"uid": uid}))
        .await;
    assert!(host
        .seen()
        .opened
        .last()
        .unwrap()
        .starts_with("https://go.postman.co/collection/"));
    rec.err(
        core,
        "sharing_add_token",
        json!({"uid": uid, "token": "not a token"}),
        "sharing.badToken",
    )
    .await;
    let unknown = format!("PMAT-{}", "0".repeat(26));
    rec.err(
        core,
        "sharing_add_token",
        json!({"uid": uid, "token": unknown}),
        "sharing.refused",
    )
    .await;
    // Pasting the real token again (with the whitespace of a copy) is verified and kept.
    let again = rec
        .ok(
            core,
            "sharing_add_token",
            json!({"uid": uid, "token": format!(" {token}\n")}),
        )
        .await;
    assert_eq!(again["key"]["id"], key_id);
    host.seen().events.clear();
    let revoked = rec
        .ok(core, "sharing_revoke", json!({"ids": [key_id, key_id]}))
        .await;
    assert_eq!(
        revoked,
        json!([{"id": key_id, "ok": true, "error": null}]),
        "once"
    );
    let events = host.seen().events.clone();
    assert!(events.iter().any(|e| matches!(e, Event::RevokeProgress(_))));
    rec.events(&events);
    assert_eq!(
        reqwest::get(&link).await.unwrap().status().as_u16() / 100,
        4,
        "refused now"
    );
    rec.err(
        core,
        "sharing_texts",
        json!({"keyId": key_id, "uid": uid}),
        "sharing.notKept",
    )
    .await;
    let page = rec
        .ok(
            core,
            "sharing_page",
            json!({"collection": uid, "cursor": null, "force": true}),
        )
        .await;
    assert_eq!(page["rows"][0]["status"], "inactive");

    rec.scenario("sharing: a key that expires soon is announced once");
    // The seed has keys that expire within 7 days of today.
    let before = host.seen().notifications.len();
    let page = rec
        .ok(
            core,
            "sharing_page",
            json!({"collection": null, "cursor": null, "force": true}),
        )
        .await;
    assert!(page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["status"] == "expiring"));
    let notes = host.seen().notifications.clone();
    assert!(notes.len() > before, "announced");
    assert!(notes[before].0.contains("share link expires soon"));
    rec.ok(
        core,
        "sharing_page",
        json!({"collection": null, "cursor": null, "force": true}),
    )
    .await;
    assert_eq!(host.seen().notifications.len(), notes.len(), "once per key");
    let next = page["nextCursor"].as_str().expect("more than one page");
    let page2 = json!({"collection": null, "cursor": next, "force": false});
    let more = rec.ok(core, "sharing_page", page2).await;
    assert!(!more["rows"].as_array().unwrap().is_empty());
}
