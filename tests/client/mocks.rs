//! The mocks' typed calls against the in-process sandbox: every mock operation (list, read,
//! create, update, publish/unpublish, server responses, call logs with filters and pages,
//! delete), a call to the mock URL itself with and without the key, and that none of them is
//! retried when it is a write.

#[path = "support.rs"]
mod support;

use postman_client::*;
use serde_json::json;
use support::*;

/// A collection with one saved example of `GET /pets`; its UID.
async fn pets(c: &Client) -> String {
    let doc = json!({"info": {"name": "Pets",
        "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [{"name": "List", "request": "https://pets.example.com/pets",
            "response": [{"name": "All pets", "code": 200,
                "originalRequest": {"method": "GET", "url": "https://pets.example.com/pets"},
                "body": "[1,2]"}]}]});
    c.create_collection(None, doc)
        .await
        .expect("collection")
        .uid
        .expect("uid")
}

fn get(path: &str, with_key: bool) -> MockCall {
    MockCall {
        method: "GET".into(),
        path: path.into(),
        with_key,
        ..MockCall::default()
    }
}

#[tokio::test]
async fn every_mock_operation() {
    let (_sb, c) = sandbox_and_taylor().await;
    let uid = pets(&c).await;
    let fields = MockFields {
        collection: uid.clone(),
        name: Some("Pets".into()),
        private: Some(true),
        ..MockFields::default()
    };
    let m = c.create_mock(None, &fields).await.expect("create");
    assert_eq!(m.collection.as_deref(), Some(uid.as_str()));
    assert_eq!(m.server_response_id(), None, "\"\" reads as none");
    assert!(m.owner.is_some(), "owner is a string on mocks");
    let url = m.mock_url.clone().expect("mockUrl");

    let list = c.get_mocks(None, false).await.expect("list");
    assert!(list.data.iter().any(|x| x.id == m.id));
    let one = c.get_mock(&m.id, false).await.expect("read").data;
    assert_eq!((one.deactivated, one.is_public), (Some(false), Some(false)));

    // The mock URL: private, so only with the key (which Rust attaches).
    let denied = c.send_to_mock(&url, &get("/pets", false)).await.unwrap();
    assert_eq!(denied.status, 401);
    let ok = c.send_to_mock(&url, &get("pets", true)).await.unwrap();
    assert_eq!((ok.status, ok.body.as_slice()), (200, b"[1,2]".as_slice()));
    c.set_mock_public(&m.id, true).await.expect("publish");
    let open = c.send_to_mock(&url, &get("/pets", false)).await.unwrap();
    assert_eq!(open.status, 200, "public: no key needed");
    let again = c.set_mock_public(&m.id, true).await.unwrap_err();
    assert_eq!(again.code().as_str(), "api.validation", "{again}");
    c.set_mock_public(&m.id, false).await.expect("unpublish");

    // Server responses: create, read, update, activate, delete.
    let sr = c
        .create_server_response(
            &m.id,
            &ServerResponseFields {
                name: Some("Down".into()),
                status_code: Some(503),
                body: Some("{\"down\":true}".into()),
                ..ServerResponseFields::default()
            },
        )
        .await
        .expect("create server response");
    assert_eq!(sr.status_code, Some(503));
    let listed = c.get_server_responses(&m.id, true).await.unwrap().data;
    assert_eq!(listed.len(), 1);
    let read = c
        .get_server_response(&m.id, &sr.id, false)
        .await
        .unwrap()
        .data;
    assert_eq!(read.body.as_deref(), Some("{\"down\":true}"));
    let changed = c
        .update_server_response(
            &m.id,
            &sr.id,
            &ServerResponseFields {
                status_code: Some(500),
                ..ServerResponseFields::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(changed.status_code, Some(500));
    let on = MockFields {
        collection: uid.clone(),
        config: Some(MockConfigChange {
            server_response_id: Some(sr.id.clone()),
        }),
        ..MockFields::default()
    };
    let updated = c.update_mock(&m.id, &on).await.expect("activate");
    assert_eq!(updated.server_response_id(), Some(sr.id.as_str()));
    assert_eq!(
        c.send_to_mock(&url, &get("/pets", true))
            .await
            .unwrap()
            .status,
        500
    );
    c.delete_server_response(&m.id, &sr.id)
        .await
        .expect("delete server response");

    // Call logs: pages, filters, details.
    let page = c
        .get_call_logs(
            &m.id,
            &CallLogQuery {
                limit: Some(2),
                ..CallLogQuery::default()
            },
        )
        .await
        .expect("call logs");
    assert_eq!(page.calls.len(), 2);
    let rest = c
        .get_call_logs(
            &m.id,
            &CallLogQuery {
                limit: Some(2),
                cursor: page.next_cursor.clone(),
                ..CallLogQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        rest.calls.len(),
        1,
        "three calls: the refused one is not logged"
    );
    assert_eq!(rest.next_cursor, None, "the last page");
    let refused = c
        .get_call_logs(
            &m.id,
            &CallLogQuery {
                status: Some(401),
                details: true,
                ascending: true,
                ..CallLogQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(refused.calls.len(), 0, "refused calls are not logged");
    let served = c
        .get_call_logs(
            &m.id,
            &CallLogQuery {
                status: Some(200),
                details: true,
                // Oldest first: the call made with the key.
                ascending: true,
                ..CallLogQuery::default()
            },
        )
        .await
        .unwrap();
    let first = &served.calls[0];
    assert_eq!(first.response_name, "All pets");
    let req = first.request.as_ref().unwrap();
    assert!(req
        .headers
        .as_ref()
        .unwrap()
        .iter()
        .any(|h| h.key == "x-api-key" && h.value == "********"));

    // Delete.
    let gone = c.delete_mock(&m.id).await.expect("delete");
    assert_eq!(gone.id, m.id);
    let e = c.get_mock(&m.id, true).await.unwrap_err();
    assert_eq!(e.code().as_str(), "api.notFound", "{e}");
}

#[tokio::test]
async fn the_key_goes_only_where_the_url_is_allowed() {
    let (_sb, c) = sandbox_and_taylor().await;
    let e = c
        .send_to_mock("http://mock.example.com", &get("/pets", true))
        .await
        .unwrap_err();
    assert_eq!(e.code().as_str(), "client.insecureUrl", "{e}");
}
