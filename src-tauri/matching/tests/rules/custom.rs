//! The `x-mock-response-*` headers (step 3).

use crate::{coll, ex, item, Call};
use postman_matching::{Mock, Outcome, NO_MATCH_HEADER};
use serde_json::json;

fn mock() -> Mock {
    let mut named = ex("n2", 500, "{{url}}/other");
    named["name"] = json!("dup");
    let mut n1 = ex("n1", 200, "{{url}}/other");
    n1["name"] = json!("dup");
    let mut n3 = ex("n0", 201, "{{url}}/other");
    n3["name"] = json!("dup");
    Mock::new(
        &coll(vec![
            item(
                "GET",
                "{{url}}/pets",
                vec![
                    ex("ok", 200, "{{url}}/pets"),
                    ex("missing", 404, "{{url}}/pets"),
                ],
            ),
            item("GET", "{{url}}/other", vec![named, n1, n3]),
        ]),
        None,
    )
}

#[test]
fn response_code_keeps_that_status() {
    let m = mock();
    assert_eq!(Call::get("/pets").id(&m), "ok");
    let s = Call::get("/pets")
        .header("X-Mock-Response-Code", "404")
        .ok(&m);
    assert_eq!((s.example_id.as_str(), s.status), ("missing", 404));
    assert_eq!(
        Call::get("/pets")
            .header("x-mock-response-code", "500")
            .id(&m),
        "404"
    );
    assert_eq!(
        Call::get("/pets")
            .header("x-mock-response-code", "abc")
            .id(&m),
        "404"
    );
}

#[test]
fn response_id_by_uid_or_bare_id() {
    let m = mock();
    // Whatever the path: the example is returned.
    let s = Call::get("/anything")
        .header("x-mock-response-id", "1234-missing")
        .ok(&m);
    assert_eq!(
        (s.example_id.as_str(), s.example_uid.as_deref(), s.score),
        ("missing", Some("1234-missing"), 100.0)
    );
    assert_eq!(
        Call::get("/x").header("x-mock-response-id", "n2").id(&m),
        "n2"
    );
    match Call::get("/pets")
        .header("x-mock-response-id", "nope")
        .send(&m)
    {
        Outcome::Error(e) => assert_eq!((e.status, e.header.as_str()), (404, NO_MATCH_HEADER)),
        other => panic!("{other:?}"),
    }
    // The method filter comes first.
    assert_eq!(
        Call::new("POST", "/pets")
            .header("x-mock-response-id", "ok")
            .id(&m),
        "404"
    );
}

#[test]
fn response_name_with_duplicates_prefers_200_by_id() {
    let m = mock();
    assert_eq!(
        Call::get("/pets")
            .header("x-mock-response-name", "dup")
            .id(&m),
        "n1"
    );
    // Filtered to the non-200 ones: the first by ID.
    let c = Call::get("/")
        .header("x-mock-response-name", "dup")
        .header("x-mock-response-code", "500");
    assert_eq!(c.id(&m), "n2");
    assert_eq!(
        Call::get("/pets")
            .header("x-mock-response-name", "missing")
            .id(&m),
        "missing"
    );
    assert_eq!(
        Call::get("/pets")
            .header("x-mock-response-name", "Dup")
            .id(&m),
        "404"
    );
}
