//! The 404 bodies (§4.7) and the delay header (§4.8).

use crate::{coll, item, mock_of, Call};
use postman_matching::{requested_delay, Mock, Outcome, NO_EXAMPLES_MESSAGE, NO_MATCH_MESSAGE};
use serde_json::json;

#[test]
fn no_examples_at_all() {
    let m = Mock::new(&coll(vec![item("GET", "{{url}}/a", vec![])]), None);
    assert_eq!(m.example_count(), 0);
    let Outcome::Error(e) = Call::get("/a").send(&m) else {
        panic!()
    };
    assert_eq!(e.status, 404);
    assert_eq!(
        e.body(),
        json!({"error": {"name": "mockRequestNotFoundError",
        "message": NO_EXAMPLES_MESSAGE, "header": "You need an example"}})
    );
}

#[test]
fn nothing_matched() {
    let m = mock_of(&[("a", "{{url}}/a")]);
    let Outcome::Error(e) = Call::get("/zzzzzz").send(&m) else {
        panic!()
    };
    assert_eq!(
        e.body(),
        json!({"error": {"name": "mockRequestNotFoundError",
        "message": NO_MATCH_MESSAGE, "header": "No matching requests"}})
    );
    assert_eq!(
        NO_MATCH_MESSAGE,
        "Double check your method and the request path and try again."
    );
}

#[test]
fn delay_header_in_and_out_of_range() {
    let h = |v: &str| vec![("X-Mock-Response-Delay".to_string(), v.to_string())];
    assert_eq!(requested_delay(&h("250")), Some(250));
    assert_eq!(requested_delay(&h(" 1 ")), Some(1));
    assert_eq!(requested_delay(&h("180000")), Some(180_000));
    for bad in ["0", "180001", "-5", "1.5", "soon", ""] {
        assert_eq!(requested_delay(&h(bad)), None, "{bad}");
    }
    assert_eq!(requested_delay(&[]), None);
    let m = mock_of(&[("a", "{{url}}/a")]);
    assert_eq!(
        Call::get("/a")
            .header("x-mock-response-delay", "300")
            .ok(&m)
            .delay_ms,
        Some(300)
    );
    let Outcome::Error(e) = Call::get("/b/c/d")
        .header("x-mock-response-delay", "300")
        .send(&m)
    else {
        panic!()
    };
    assert_eq!(e.delay_ms, Some(300));
    assert_eq!(
        Call::get("/a")
            .header("x-mock-response-delay", "999999")
            .ok(&m)
            .delay_ms,
        None
    );
}
