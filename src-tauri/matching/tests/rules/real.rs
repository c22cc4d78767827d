//! A real collection with saved examples: the Sync API collection of the collection-format
//! examples (tests/fixtures/syncapi.json, copied as it was; `{{url}}` hosts, examples
//! without IDs, the response bodies in the pre-2.0 `data` field).

use crate::Call;
use postman_matching::Mock;

fn mock() -> Mock {
    let text = include_str!("../fixtures/syncapi.json");
    Mock::new(&serde_json::from_str(text).expect("fixture"), None)
}

#[test]
fn serves_the_sync_api_collection() {
    let m = mock();
    assert_eq!(m.example_count(), 43);
    let s = Call::get("/api/collection/c1?user_id=U1").ok(&m);
    assert_eq!(s.score, 115.0);
    assert!(
        s.body.starts_with('{') && s.body.contains(r#""id": "c1""#),
        "{}",
        s.body
    );
    assert!(Call::get("/api/collection?user_id=U1")
        .ok(&m)
        .body
        .starts_with('['));
    // f2 is not an example: the f1 one wins by ID removal (and its query), over the list.
    let s = Call::get("/api/folder/f2?user_id=U1").ok(&m);
    assert_eq!(s.score, 94.0);
    assert!(s.body.contains(r#""id": "f1""#), "{}", s.body);
    assert!(Call::new("DELETE", "/api/environment/e1")
        .ok(&m)
        .body
        .contains("revision"));
    let s = Call::new("POST", "/api/collectionrun").ok(&m);
    assert_eq!(s.status, 404);
    // Two examples (test2, test) for one request, no IDs: a tie, the first.
    assert!(Call::get("/api/request/r1?user_id=U1")
        .ok(&m)
        .body
        .contains(r#""folder": "f1""#));
    // By name, whatever the path: the first GET example named "test" (the collections list).
    let s = Call::get("/api/request/r1?user_id=U1")
        .header("x-mock-response-name", "test")
        .ok(&m);
    assert!(
        s.body.starts_with('[') && s.body.contains(r#""name": "Col1""#),
        "{}",
        s.body
    );
    assert_eq!(Call::new("PATCH", "/api/user/U1").id(&m), "404");
}
