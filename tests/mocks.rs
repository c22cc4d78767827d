//! The mocks domain against the sandbox over loopback, with the call logs in a real SQLite
//! file: the list (names, access, active error, calls this month), create with options (the
//! sandbox takes them), try it (the example that answered), switch to errors and back, the
//! call log read once and kept (filters, details, export, after a restart), delete with the
//! name typed, and a collection served locally that keeps answering when the API is cut off.

mod common;

use common::{client, sandbox, tmpdir, SCHEMA};
use postdesk_base::files::ExportFormat;
use postdesk_mocks::{
    Access, CallFilter, LocalStart, MockInput, MockOptions, Mocks, MocksError, TryRequest,
};
use postman_client::{ApiKey, Client, ClientConfig, Region};
use postman_sandbox::{Limits, Sandbox};
use serde_json::{json, Value};
use std::time::Duration;

fn mocks(dir: &std::path::Path, sb: &Sandbox) -> Mocks {
    Mocks::new(dir, sb.clock())
}

fn example(name: &str, code: u16, method: &str, path: &str, body: &str) -> Value {
    json!({"name": name, "code": code, "originalRequest": {"method": method, "url": format!("{{{{url}}}}{path}")},
        "header": [{"key": "Content-Type", "value": "application/json"}], "body": body})
}

/// A collection with saved examples; its UID.
async fn pets(c: &Client) -> String {
    let doc = json!({"info": {"name": "Pets", "schema": SCHEMA},
    "variable": [{"key": "url", "value": "https://pets.example.com"}],
    "item": [
        {"name": "List pets", "request": {"method": "GET", "url": "{{url}}/pets"},
         "response": [example("All pets", 200, "GET", "/pets", "[{\"id\":1}]")]},
        {"name": "Get pet", "request": {"method": "GET", "url": "{{url}}/pets/{{petId}}"},
         "response": [example("One pet", 200, "GET", "/pets/{{petId}}", "{\"id\":\"{{petId}}\"}")]},
    ]});
    c.create_collection(None, doc)
        .await
        .expect("collection")
        .uid
        .expect("uid")
}

fn input(collection: &str, private: bool) -> MockInput {
    MockInput {
        name: "Pets mock".into(),
        collection: collection.into(),
        environment: None,
        private,
        options: None,
    }
}

fn get(path: &str) -> TryRequest {
    TryRequest {
        method: "GET".into(),
        path: path.into(),
        headers: Vec::new(),
        body: None,
    }
}

#[tokio::test]
async fn create_list_try_switch_to_errors_and_keep_the_call_log() {
    let sb = sandbox(Limits::lifted(), Duration::ZERO).await;
    let c = client(&sb, 1);
    let me = c.account().to_owned();
    let dir = tmpdir("mocks-flow");
    let m = mocks(&dir, &sb);
    let uid = pets(&c).await;
    let mut with_delay = input(&uid, true);
    with_delay.options = Some(MockOptions {
        delay_ms: 5,
        ..MockOptions::standard()
    });
    let id = m.create(&c, None, &with_delay).await.expect("create");

    let list = m.list(&c, None, true).await.expect("list");
    let row = list.rows.iter().find(|r| r.id == id).expect("listed");
    assert_eq!(row.collection_name.as_deref(), Some("Pets"));
    assert_eq!(
        row.access,
        Access::Private,
        "Postdesk remembers what it set"
    );
    assert_eq!(row.delay_ms, 5, "the sandbox took the delay");
    assert!(list.options_settable);
    assert_eq!(row.calls_this_month, 0);

    // Try it: a private mock gets the key from Rust; the call log names the example.
    let r = m.try_call(&c, &id, &get("/pets/7")).await.expect("try");
    assert_eq!(r.status, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&r.body).unwrap(),
        json!({"id": "7"})
    );
    assert_eq!(r.answered_by.as_deref(), Some("One pet"));

    // Switch to errors: every call answers 503; Postdesk's server response is reused.
    m.set_errors(&c, &id, Some(503)).await.expect("errors on");
    let r = m.try_call(&c, &id, &get("/pets")).await.expect("try");
    assert_eq!(r.status, 503, "{}", r.body);
    assert_eq!(
        r.answered_by.as_deref(),
        Some("Postdesk: 503 Service Unavailable")
    );
    let row = m
        .list(&c, None, true)
        .await
        .unwrap()
        .rows
        .into_iter()
        .find(|r| r.id == id)
        .unwrap();
    let active = row.active_error.expect("an active error");
    assert_eq!(active.status, Some(503));
    m.set_errors(&c, &id, None).await.expect("errors off");
    m.set_errors(&c, &id, Some(503))
        .await
        .expect("errors on again");
    let srs = c.get_server_responses(&id, true).await.unwrap().data;
    assert_eq!(srs.len(), 1, "reused, not made twice");
    m.set_errors(&c, &id, None).await.expect("errors off");
    assert_eq!(
        m.try_call(&c, &id, &get("/pets")).await.unwrap().status,
        200
    );

    // The call log: read from the API once, then from the database.
    let new = m.refresh_calls(&c, &id).await.expect("refresh");
    assert_eq!(new, 0, "try it kept each call already");
    let all = m.calls(&me, &id, CallFilter::default()).await.unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(
        all[0].response_name.as_deref(),
        Some("All pets"),
        "newest first"
    );
    let errors = CallFilter {
        status: Some(503),
        ..CallFilter::default()
    };
    assert_eq!(m.calls(&me, &id, errors).await.unwrap().len(), 1);
    let by_path = CallFilter {
        path: Some("PETS/7".into()),
        ..CallFilter::default()
    };
    let one = m.calls(&me, &id, by_path).await.unwrap();
    assert_eq!(one.len(), 1);
    let details = m
        .call_details(&me, &id, &one[0].id)
        .await
        .unwrap()
        .expect("details");
    let key = details
        .request_headers
        .iter()
        .find(|(k, _)| k == "x-api-key")
        .expect("the key header is logged");
    assert_eq!(key.1, "********", "masked");
    let csv = m
        .export(&me, &id, "Pets mock", ExportFormat::Csv)
        .await
        .unwrap();
    assert_eq!(csv.file_name, "Pets mock-calls.csv");
    let text = String::from_utf8(csv.bytes).unwrap();
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(text.contains("One pet"));
    let list = m.list(&c, None, false).await.unwrap();
    assert_eq!(
        list.rows
            .iter()
            .find(|r| r.id == id)
            .unwrap()
            .calls_this_month,
        3
    );

    // After a restart, the log is still there (even past Postman's retention).
    drop(m);
    let m = mocks(&dir, &sb);
    assert_eq!(
        m.calls(&me, &id, CallFilter::default())
            .await
            .unwrap()
            .len(),
        3
    );
    let db = std::fs::read(dir.join("history.db")).unwrap();
    let k = sb.keys().get("taylor-lee").unwrap().clone();
    assert!(
        !db.windows(k.len()).any(|w| w == k.as_bytes()),
        "no key in the database"
    );

    // Delete: the name typed must be the mock's.
    let e = m.delete(&c, &id, "Wrong").await.unwrap_err();
    assert!(matches!(e, MocksError::NameMismatch));
    m.delete(&c, &id, "Pets mock").await.expect("delete");
    assert!(m
        .calls(&me, &id, CallFilter::default())
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn a_public_mock_and_options_postman_cannot_take() {
    let sb = sandbox(Limits::lifted(), Duration::ZERO).await;
    let c = client(&sb, 1);
    let m = mocks(&tmpdir("mocks-public"), &sb);
    let uid = pets(&c).await;
    let id = m.create(&c, None, &input(&uid, false)).await.unwrap();
    m.set_public(&c, &id, false).await.expect("private");
    m.set_public(&c, &id, true).await.expect("public");
    m.set_public(&c, &id, true)
        .await
        .expect("public again: already so");
    let row = m
        .list(&c, None, true)
        .await
        .unwrap()
        .rows
        .into_iter()
        .find(|r| r.id == id)
        .unwrap();
    assert_eq!(row.access, Access::Public);
    let url = row.url.unwrap();
    let r = reqwest::get(format!("{url}/pets")).await.unwrap();
    assert_eq!(r.status(), 200, "a public mock answers without a key");

    // Postman's API takes no delay or matching options: said before any call is made.
    let us = Client::new(ClientConfig::new(
        Region::Us,
        "Work",
        Some(ApiKey::new(sb.keys().get("taylor-lee").unwrap()).unwrap()),
    ))
    .unwrap();
    let mut with_options = input(&uid, false);
    with_options.options = Some(MockOptions::standard());
    let e = m.create(&us, None, &with_options).await.unwrap_err();
    assert!(matches!(e, MocksError::OptionsNotSettable), "{e}");
    assert!(us.activity().entries().is_empty(), "no call was made");
}

#[tokio::test]
async fn a_collection_served_locally_needs_no_api() {
    let sb = sandbox(Limits::lifted(), Duration::ZERO).await;
    let c = client(&sb, 1);
    let me = c.account().to_owned();
    let dir = tmpdir("mocks-local");
    let m = mocks(&dir, &sb);
    let uid = pets(&c).await;
    let local = m
        .local_start(
            &c,
            &LocalStart {
                collection: uid.clone(),
                environment: None,
                port: None,
                options: None,
            },
        )
        .await
        .expect("local start");
    assert_eq!(local.examples, 2);
    assert_eq!(local.collection_name, "Pets");
    // The API is cut off: every request to it is reset.
    let cut = reqwest::Client::new()
        .post(format!("{}/_sandbox/faults", sb.url()))
        .header("X-Sandbox-Token", sb.admin_token().expose())
        .json(&json!({"route": "*", "reset": true}))
        .send()
        .await
        .unwrap();
    assert!(cut.status().is_success());
    assert!(
        c.get_mocks(None, true).await.is_err(),
        "the API is unreachable"
    );
    let http = reqwest::Client::new();
    let r = http
        .get(format!("{}/pets/3", local.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"id": "3"}));
    let r = http
        .get(format!("{}/nothing", local.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // Its own call log, kept in the database.
    let calls = m
        .calls(&me, &local.id, CallFilter::default())
        .await
        .unwrap();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[1].response_name.as_deref(), Some("One pet"));
    assert_eq!(calls[0].response_type.as_deref(), Some("error"));
    assert_eq!(m.local_list().await[0].calls, 2);
    // A web page elsewhere cannot read it; a local one can.
    let r = http
        .get(format!("{}/pets", local.url))
        .header("Origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = http
        .get(format!("{}/pets", local.url))
        .header("Origin", "http://localhost:5173")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "http://localhost:5173"
    );
    // A taken port is said; stop frees it.
    let busy = m
        .local_start(
            &c,
            &LocalStart {
                collection: uid.clone(),
                environment: None,
                port: Some(local.port),
                options: None,
            },
        )
        .await;
    assert!(matches!(
        busy,
        Err(MocksError::LocalStart(_)) | Err(MocksError::Api(_))
    ));
    m.local_stop(&local.id).await.expect("stop");
    assert!(m.local_list().await.is_empty());
    let gone = tokio::time::timeout(
        Duration::from_secs(5),
        http.get(format!("{}/pets", local.url)).send(),
    )
    .await
    .expect("bounded");
    assert!(gone.is_err(), "nothing listens any more");
    assert!(matches!(
        m.local_stop(&local.id).await,
        Err(MocksError::LocalNotRunning(_))
    ));
}
