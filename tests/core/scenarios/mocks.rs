//! Mock servers: a mock of a collection with examples, the list, try it (the example named),
//! switch to errors and back, the call log kept and exported, public/private, edit, a local
//! mock served without the API, and delete with the name typed.

use postdesk_core::Core;
use serde_json::{json, Value};

use super::{Sandbox, SCHEMA};
use crate::host::TestHost;
use crate::record::Recorder;

fn example(name: &str, code: u16, path: &str, body: &str) -> Value {
    json!({"name": name, "code": code,
        "originalRequest": {"method": "GET", "url": format!("{{{{url}}}}{path}")},
        "header": [{"key": "Content-Type", "value": "application/json"}], "body": body})
}

fn get(path: &str) -> Value {
    json!({"method": "GET", "path": path, "headers": [], "body": null})
}

pub async fn run(core: &Core, rec: &Recorder, host: &TestHost, _sb: &Sandbox) {
    rec.scenario("mocks: create, try, errors, call log, local mock, delete");
    let doc = json!({"info": {"name": "Pet store", "schema": SCHEMA},
        "variable": [{"key": "url", "value": "https://pets.example.com"}],
        "item": [
            {"name": "List pets", "request": {"method": "GET", "url": "{{url}}/pets"},
             "response": [example("All pets", 200, "/pets", "[{\"id\":1},{\"id\":2}]")]},
            {"name": "Get pet", "request": {"method": "GET", "url": "{{url}}/pets/{{petId}}"},
             "response": [example("One pet", 200, "/pets/{{petId}}", "{\"id\":\"{{petId}}\"}")]}]});
    let made = rec
        .ok(
            core,
            "library_create_collection",
            json!({"workspace": null, "name": null, "import": doc.to_string()}),
        )
        .await;
    let uid = made["uid"].as_str().unwrap().to_owned();
    let input = json!({"name": "Pet store mock", "collection": uid, "environment": null,
        "private": true, "options": {"delayMs": 0, "matchBody": false, "matchQueryParams": true,
        "matchWildcards": true, "matchHeaders": []}});
    let id = rec
        .ok(
            core,
            "mocks_create",
            json!({"workspace": null, "input": input}),
        )
        .await;
    let id = id.as_str().expect("the new mock's id").to_owned();

    let list = rec
        .ok(
            core,
            "mocks_list",
            json!({"workspace": null, "force": true}),
        )
        .await;
    assert_eq!(
        list["optionsSettable"], true,
        "the built-in sandbox takes options"
    );
    let row = list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id.as_str())
        .expect("listed")
        .clone();
    assert_eq!(row["collectionName"], "Pet store");
    assert_eq!(row["access"], "private");
    assert!(row["url"].as_str().unwrap().contains(&id));
    let copied = rec.ok(core, "mocks_copy_url", json!({"id": id})).await;
    assert_eq!(copied["clearsInSecs"], 0, "a URL is not a secret: it stays");
    assert_eq!(
        host.seen().clipboard.last().map(String::as_str),
        row["url"].as_str()
    );

    let tried = rec
        .ok(
            core,
            "mocks_try",
            json!({"id": id, "request": get("/pets/7")}),
        )
        .await;
    assert_eq!(tried["status"], 200);
    assert_eq!(tried["answeredBy"], "One pet");
    assert_eq!(tried["body"], "{\"id\":\"7\"}");

    rec.ok(core, "mocks_set_errors", json!({"id": id, "status": 503}))
        .await;
    let tried = rec
        .ok(
            core,
            "mocks_try",
            json!({"id": id, "request": get("/pets")}),
        )
        .await;
    assert_eq!(tried["status"], 503);
    let list = rec
        .ok(
            core,
            "mocks_list",
            json!({"workspace": null, "force": true}),
        )
        .await;
    let row = &list["rows"].as_array().unwrap()[0];
    assert_eq!(row["activeError"]["status"], 503);
    rec.ok(core, "mocks_set_errors", json!({"id": id, "status": null}))
        .await;

    let new = rec.ok(core, "mocks_refresh_calls", json!({"id": id})).await;
    assert_eq!(new, 0, "try it kept its calls already");
    let calls = rec
        .ok(
            core,
            "mocks_calls",
            json!({"id": id, "filter": {"method": null, "path": null, "status": null,
                "since": null, "until": null, "limit": null}}),
        )
        .await;
    let calls = calls.as_array().expect("calls").clone();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0]["status"], 503, "newest first");
    let details = rec
        .ok(
            core,
            "mocks_call_details",
            json!({"id": id, "callId": calls[1]["id"]}),
        )
        .await;
    assert!(details["responseBody"].as_str().unwrap().contains("\"7\""));
    let path = rec
        .ok(
            core,
            "mocks_export_calls",
            json!({"id": id, "name": "Pet store mock", "format": "csv"}),
        )
        .await;
    let path = path.as_str().unwrap().to_owned();
    assert!(path.ends_with("Pet store mock-calls.csv"), "{path}");
    assert!(path.starts_with(&host.dir.join("Downloads").display().to_string()));
    assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 3);

    rec.ok(core, "mocks_set_public", json!({"id": id, "public": true}))
        .await;
    let edit = json!({"name": "Pets", "collection": uid, "environment": null, "private": false,
        "options": null});
    rec.ok(core, "mocks_update", json!({"id": id, "input": edit}))
        .await;

    let local = rec
        .ok(
            core,
            "mocks_local_start",
            json!({"start": {"collection": uid, "environment": null, "port": null, "options": null}}),
        )
        .await;
    assert_eq!(local["examples"], 2);
    let url = local["url"].as_str().unwrap().to_owned();
    let r = reqwest::get(format!("{url}/pets/3")).await.unwrap();
    assert_eq!(r.status(), 200);
    let listed = rec.ok(core, "mocks_local_list", json!({})).await;
    assert_eq!(listed[0]["calls"], 1);
    let local_id = local["id"].as_str().unwrap().to_owned();
    let local_calls = rec
        .ok(
            core,
            "mocks_calls",
            json!({"id": local_id, "filter": {"method": null, "path": null, "status": null,
                "since": null, "until": null, "limit": null}}),
        )
        .await;
    assert_eq!(local_calls[0]["responseName"], "One pet");
    rec.ok(core, "mocks_local_stop", json!({"id": local_id}))
        .await;
    rec.err(
        core,
        "mocks_local_stop",
        json!({"id": local_id}),
        "mocks.localNotRunning",
    )
    .await;

    rec.delete_by_name(
        core,
        "mocks_delete",
        json!({"id": id}),
        ["pets", "Pets"],
        "mocks.nameMismatch",
    )
    .await;
    let list = rec
        .ok(
            core,
            "mocks_list",
            json!({"workspace": null, "force": true}),
        )
        .await;
    assert!(list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["id"] != id.as_str()));
}
