//! Variables, templates and dynamic variables in the served response (§4.5).

use crate::{coll, ex, item, Call};
use postman_matching::Mock;
use serde_json::{json, Value};

fn one(e: Value) -> Mock {
    Mock::new(&coll(vec![item("GET", "x", vec![e])]), None)
}

#[test]
fn environment_beats_collection_variables() {
    let mut e = ex("a", 200, "{{url}}/users/{{who}}");
    e["body"] = json!("hello {{who}} from {{place}}");
    let mut doc = coll(vec![item("GET", "x", vec![e])]);
    doc["variable"] = json!([{"key": "who", "value": "alice"}, {"key": "place", "value": "{{city}}"},
        {"key": "city", "value": "Lyon"}, {"key": "off", "value": "x", "disabled": true}]);
    let env = json!([{"key": "who", "value": "bob", "enabled": true}, {"key": "city", "value": "Graz", "enabled": false}]);
    let m = Mock::new(&doc, Some(&env));
    let s = Call::get("/users/bob").ok(&m);
    assert_eq!((s.score, s.body.as_str()), (115.0, "hello bob from Lyon"));
    assert_eq!(Call::get("/users/alice").id(&m), "404");
    // The environment object and its wrapper are read as well.
    let m = Mock::new(&doc, Some(&json!({"environment": {"values": env}})));
    assert_eq!(Call::get("/users/bob").id(&m), "a");
    // Without the environment, the collection's value.
    assert_eq!(Call::get("/users/alice").id(&Mock::new(&doc, None)), "a");
}

#[test]
fn every_template_helper() {
    let mut e = ex("a", 200, "{{url}}/product/{{pid}}/details");
    e["body"] = json!(concat!(
        "all={{$body}}|ab={{$body 'a.b'}}|def={{$body 'missing' 'dflt'}}|dot={{$body 'a\\.a'}}|",
        "arr={{$body 'list.1'}}|obj={{$body 'a'}}|n={{$body 'n'}}|q={{$queryParams 'k'}}|",
        "qd={{$queryParams 'none' 'x'}}|seg={{$pathSegments '1'}}|seg9={{$pathSegments '9'}}|",
        "h={{$headers 'x-trace'}}|cap={{pid}}|unknown={{$unknownThing}}|var={{nope}}|bad={{$body 'open}}"
    ));
    let m = one(e);
    let body = r#"{"a":{"b":"deep"},"a.a":"dotted","n":5,"list":["x","y"]}"#;
    let s = Call::get("/product/12345/details?k=v%20w")
        .header("X-Trace", "t1")
        .body(body)
        .ok(&m);
    let want = [
        format!("all={body}"),
        "ab=deep".into(),
        "def=dflt".into(),
        "dot=dotted".into(),
        "arr=y".into(),
        r#"obj={"b":"deep"}"#.into(),
        "n=5".into(),
        "q=v w".into(),
        "qd=x".into(),
        "seg=12345".into(),
        "seg9=".into(),
        "h=t1".into(),
        "cap=12345".into(),
        "unknown={{$unknownThing}}".into(),
        "var={{nope}}".into(),
        "bad={{$body 'open}}".into(),
    ];
    assert_eq!(s.body, want.join("|"));
}

#[test]
fn body_helper_reads_form_bodies() {
    let mut e = ex("a", 200, "{{url}}/f");
    e["body"] = json!("{{$body 'name'}}");
    let s = Call::get("/f").body("name=Ann+Lee&x=1").ok(&one(e));
    assert_eq!(s.body, "Ann Lee");
}

#[test]
fn dynamic_variables_follow_the_seed_and_clock() {
    let mut e = ex("a", 200, "{{url}}/d");
    let names = [
        "guid",
        "randomUUID",
        "timestamp",
        "isoTimestamp",
        "randomInt",
        "randomBoolean",
        "randomFirstName",
        "randomLastName",
        "randomFullName",
        "randomEmail",
        "randomColor",
        "randomCity",
        "randomWord",
    ];
    e["body"] = json!(names
        .iter()
        .map(|n| format!("{{{{${n}}}}}"))
        .collect::<Vec<_>>()
        .join("|"));
    let m = one(e);
    let a = Call::get("/d").seed(1).ok(&m).body;
    assert_eq!(a, Call::get("/d").seed(1).ok(&m).body);
    assert_ne!(a, Call::get("/d").seed(2).ok(&m).body);
    let parts: Vec<&str> = a.split('|').collect();
    assert_eq!(parts.len(), names.len());
    for uuid in &parts[..2] {
        let b = uuid.as_bytes();
        assert_eq!(b.len(), 36, "{uuid}");
        assert_eq!(
            (b[8], b[13], b[14], b[18], b[23]),
            (b'-', b'-', b'4', b'-', b'-'),
            "{uuid}"
        );
    }
    // now_ms = 1_700_000_000_123 (the Call default).
    assert_eq!(parts[2], "1700000000");
    assert_eq!(parts[3], "2023-11-14T22:13:20.123Z");
    assert!(
        parts[4].parse::<u32>().is_ok_and(|n| n <= 1000),
        "{}",
        parts[4]
    );
    assert!(["true", "false"].contains(&parts[5]));
    for p in &parts[6..] {
        assert!(!p.is_empty() && !p.contains("{{"), "{p}");
    }
    assert_eq!(parts[8].split(' ').count(), 2);
    assert!(parts[9].contains('@'));
}

#[test]
fn response_headers_status_and_unresolved_text() {
    let mut e = ex("a", 449, "{{url}}/h/{{id}}");
    e["header"] = json!([{"key": "Content-Type", "value": "application/json"},
        {"key": "X-Id", "value": "{{id}}-{{$pathSegments '0'}}"}, {"key": "X-Off", "value": "1", "disabled": true}]);
    e["body"] = Value::Null;
    let s = Call::get("/h/77").ok(&one(e));
    assert_eq!(s.status, 449);
    assert_eq!(s.body, "");
    assert_eq!(
        s.headers,
        [
            ("Content-Type".to_string(), "application/json".to_string()),
            ("X-Id".into(), "77-h".into())
        ]
    );
    assert_eq!(
        (s.name.as_str(), s.example_uid.as_deref()),
        ("a", Some("1234-a"))
    );
}

#[test]
fn status_defaults_to_200() {
    let mut e = ex("a", 200, "{{url}}/s");
    e.as_object_mut().unwrap().remove("code");
    assert_eq!(Call::get("/s").ok(&one(e)).status, 200);
}
