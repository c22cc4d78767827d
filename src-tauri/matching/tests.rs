//! Unit tests of the private helpers (the rules themselves are tested through the public API
//! in tests/rules).

use crate::path::is_id;
use crate::query::{score, Params};
use crate::text::{decode, tokens, Token};
use crate::url::read;
use serde_json::json;

fn toks(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    tokens(s, |t| {
        out.push(match t {
            Token::Lit(l) => format!("L:{l}"),
            Token::Var { inner, .. } => format!("V:{inner}"),
        })
    });
    out
}

#[test]
fn placeholders_split_out_of_text() {
    assert_eq!(toks("a{{b}}c"), ["L:a", "V:b", "L:c"]);
    assert_eq!(toks("{{{b}}}"), ["L:{", "V:b", "L:}"]);
    assert_eq!(toks("x {{a {{b}}"), ["L:x {{a ", "V:b"]);
    assert_eq!(toks("{{open"), ["L:{{open"]);
    assert_eq!(toks(r#"{"a":{"b":1}}"#), [r#"L:{"a":{"b":1}}"#]);
}

#[test]
fn percent_decoding() {
    assert_eq!(decode("a%20b+c", true), "a b c");
    assert_eq!(decode("a%20b+c", false), "a b+c");
    assert_eq!(decode("100%", true), "100%");
    assert_eq!(decode("%zz%4", true), "%zz%4");
    assert_eq!(decode("%ff", false), "\u{fffd}");
}

#[test]
fn alphanumeric_ids() {
    for id in ["42", "abc123", "A1", "3f2c1b9e-8a7d-4c6b-9e5f-0a1b2c3d4e5f"] {
        assert!(is_id(id), "{id}");
    }
    for not in ["users", "", "v-1", "8863.json", "{{id}}", ":id"] {
        assert!(!is_id(not), "{not}");
    }
}

#[test]
fn example_urls_lose_scheme_and_host() {
    let path = |u: serde_json::Value| read(&u).map(|r| r.path.join("/"));
    assert_eq!(
        path(json!("{{url}}/users/{{id}}")).as_deref(),
        Some("users/{{id}}")
    );
    assert_eq!(
        path(json!("https://x.io/a/b?q=1#frag")).as_deref(),
        Some("a/b")
    );
    assert_eq!(path(json!("//httpbin.org/post")).as_deref(), Some("post"));
    assert_eq!(path(json!("/local")).as_deref(), Some("local"));
    assert_eq!(path(json!("{{url}}")).as_deref(), Some(""));
    assert_eq!(
        path(json!({"raw": "{{u}}/a/:id", "variable": [{"key": "id", "value": "7"}]})).as_deref(),
        Some("a/:id")
    );
    assert_eq!(
        path(json!({"host": ["{{u}}"], "path": ["a", {"value": "b"}]})).as_deref(),
        Some("a/b")
    );
    assert_eq!(path(json!("")), None);
    assert_eq!(path(json!(7)), None);
    assert_eq!(path(json!({"protocol": "https"})), None);
    let q = read(&json!("{{url}}/a?x=1&y&&z=2=3")).unwrap().query;
    assert_eq!(
        q,
        [
            ("x".into(), "1".into()),
            ("y".into(), String::new()),
            ("z".into(), "2=3".into())
        ]
    );
}

#[test]
fn query_score_table() {
    let p = Params::parse;
    assert_eq!(score(&p(""), &p("")), 10.0);
    assert_eq!(score(&p("a=1&b=2"), &p("b=2&a=1")), 10.0);
    assert_eq!(score(&p("a=1&b=2"), &p("a=1")), 5.0);
    assert_eq!(score(&p("a=1&b=2"), &p("a=1&b=3")), 5.0);
    assert_eq!(score(&p("a=1"), &p("a=2")), 0.0);
    assert_eq!(score(&p("a=1&b=1"), &p("")), -2.0);
    assert_eq!(score(&p(""), &p("x=1")), -1.0);
    let many: String = (0..30).map(|i| format!("k{i}=v&")).collect();
    assert_eq!(score(&p(""), &p(&many)), -10.0);
    assert_eq!(score(&p("a=1&a=2"), &p("a=2&a=1")), 10.0);
}

#[test]
fn a_mock_can_be_shared_across_threads() {
    fn shared<T: Send + Sync + Clone + 'static>() {}
    shared::<crate::Mock>();
    shared::<crate::Outcome>();
}
