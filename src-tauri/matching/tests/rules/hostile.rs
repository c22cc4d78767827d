//! Hostile or odd input: nothing panics, nothing blows up.

use crate::{coll, ex, item, mock_of, Call};
use postman_matching::{Mock, Outcome};
use serde_json::{json, Value};
use std::time::Instant;

#[test]
fn non_object_collections() {
    for doc in [
        json!(null),
        json!(5),
        json!("x"),
        json!([1, 2]),
        json!({}),
        json!({"item": 3}),
        json!({"collection": 7}),
        json!({"item": [], "variable": "nope"}),
    ] {
        let m = Mock::new(&doc, Some(&json!("not an env")));
        assert_eq!(m.example_count(), 0, "{doc}");
        assert!(matches!(Call::get("/").send(&m), Outcome::Error(_)));
    }
}

#[test]
fn odd_items_and_examples() {
    let items = vec![
        json!(1),
        json!(null),
        json!("x"),
        json!({"item": 5}),
        json!({"item": [null, {"item": {}}]}),
        json!({"response": [1, null, "s", {}, {"originalRequest": 7}, {"originalRequest": {"url": 12}},
            {"originalRequest": {"url": {"path": 5}}}, {"originalRequest": {"url": {"raw": ""}}},
            {"originalRequest": {"url": {"protocol": "https"}}}]}),
        json!({"request": 9, "response": {"a": 1}}),
        // Readable: a string originalRequest, odd fields around it.
        json!({"request": {"method": 5, "url": "{{u}}/ok"}, "response": [{"originalRequest": "{{u}}/ok",
            "id": 9, "name": ["n"], "code": "201", "header": "X-A: 1\nbroken\n: empty", "body": {"j": 1}}]}),
        json!({"request": "{{u}}/str", "response": [{"id": "s", "code": 99999, "header": [1, {"key": null}], "body": 5}]}),
    ];
    let m = Mock::new(
        &coll(items),
        Some(&json!([1, {"key": 5, "value": {"o": 1}}, {"value": "no key"}])),
    );
    assert_eq!(m.example_count(), 2);
    let s = Call::get("/ok").ok(&m);
    assert_eq!(
        (s.example_id.as_str(), s.status, s.body.as_str()),
        ("9", 201, r#"{"j":1}"#)
    );
    assert_eq!(s.headers, [("X-A".to_string(), "1".to_string())]);
    let s = Call::get("/str").ok(&m);
    assert_eq!((s.status, s.body.as_str()), (200, "5"));
}

#[test]
fn deep_folders_and_large_fan_out() {
    let mut node = item("GET", "{{u}}/deep", vec![ex("deep", 200, "{{u}}/deep")]);
    // As deep as a document that arrives can be: serde_json refuses to parse past 128 levels
    // (and a Value much deeper than that overflows a test thread's stack when it is dropped).
    for _ in 0..60 {
        node = json!({"name": "f", "item": [node]});
    }
    let m = Mock::new(&coll(vec![node]), None);
    assert_eq!(Call::get("/deep").id(&m), "deep");
}

#[test]
fn huge_and_odd_urls_and_requests() {
    let long = format!("{{{{u}}}}/{}", "a/".repeat(50_000));
    let params: String = (0..20_000).map(|i| format!("k{i}={i}&")).collect();
    let mock = mock_of(&[
        ("long", long.as_str()),
        ("params", &format!("{{{{u}}}}/p?{params}")),
        ("odd", "{{u}}/%zz/%E2%82%AC/ü/{{}}/{{$x}}/::/:/{{{a}}}"),
        ("slashes", "{{u}}////"),
        ("uni", "{{u}}/ÄÖÜ/İstanbul"),
    ]);
    assert_eq!(mock.example_count(), 5);
    let t = Instant::now();
    let big_path = format!("/{}", "b".repeat(1 << 20));
    let big_query: String = (0..100_000).map(|i| format!("q{i}=&")).collect();
    for path in [
        big_path.as_str(),
        "",
        "/",
        "////",
        "/%",
        "/%zz/€/ü",
        "no-slash",
        "/ÄÖÜ/İSTANBUL",
        "/\u{0}/\u{ffff}",
    ] {
        let _ = Call::get(path).send(&mock);
        let _ = Call::get(&format!("{path}?{big_query}"))
            .header("x-mock-match-request-body", "true")
            .send(&mock);
    }
    assert_eq!(
        Call::get(&format!("/{}", "a/".repeat(50_000))).id(&mock),
        "long"
    );
    assert_eq!(Call::get("/p").id(&mock), "params");
    assert_eq!(
        Call::get("/%zz/€/ü/{{}}/{{$x}}/::/:/{{{a}}}").id(&mock),
        "odd"
    );
    assert_eq!(Call::get("/äöü/i̇stanbul").id(&mock), "uni");
    assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
}

#[test]
fn variable_blow_up_is_bounded() {
    let mut vars: Vec<Value> = (0..40).map(|i| json!({"key": format!("v{i}"), "value": format!("{{{{v{}}}}}{{{{v{}}}}}", i + 1, i + 1)})).collect();
    vars.push(json!({"key": "self", "value": "{{self}}"}));
    let mut e = ex("a", 200, "{{u}}/b/{{self}}");
    e["body"] = json!("{{v0}}{{v0}}{{self}}");
    let mut doc = coll(vec![item("GET", "x", vec![e])]);
    doc["variable"] = Value::Array(vars);
    let t = Instant::now();
    let m = Mock::new(&doc, None);
    let s = Call::get("/b/{{self}}").ok(&m);
    assert!(s.body.len() < 64 << 20, "{}", s.body.len());
    assert!(s.body.ends_with("{{self}}"));
    assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
}
