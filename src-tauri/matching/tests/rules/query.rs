//! The query score (step 5). Path exact (100) and empty bodies (+5) throughout.

use crate::{mock_of, Call};

#[test]
fn all_match_in_any_order() {
    let mock = mock_of(&[("a", "{{url}}/search?q=shoes&page=2")]);
    assert_eq!(Call::get("/search?page=2&q=shoes").ok(&mock).score, 115.0);
    assert_eq!(Call::get("/search?q=sh%6Fes&page=2").ok(&mock).score, 115.0);
}

#[test]
fn some_match_scores_the_share() {
    let mock = mock_of(&[("a", "{{url}}/search?q=shoes&page=2")]);
    // q matches, page missing: 1/2.
    assert_eq!(Call::get("/search?q=shoes").ok(&mock).score, 110.0);
    // q matches, page partial, sort missing: 1/3.
    let s = Call::get("/search?q=shoes&page=3&sort=asc").ok(&mock).score;
    assert!((s - (105.0 + 10.0 / 3.0)).abs() < 1e-9, "{s}");
}

#[test]
fn none_match_loses_the_missing_count() {
    let mock = mock_of(&[("a", "{{url}}/search?q=shoes&page=2")]);
    assert_eq!(Call::get("/search").ok(&mock).score, 103.0);
    // Partials cost nothing, missing ones do.
    assert_eq!(
        Call::get("/search?q=hats&page=1&x=1").ok(&mock).score,
        104.0
    );
}

#[test]
fn paramless_example_beats_one_with_params() {
    // Issue #5835: the example without params must win a call without params.
    let mock = mock_of(&[
        ("a-params", "{{url}}/list?sort=asc"),
        ("b-plain", "{{url}}/list"),
    ]);
    assert_eq!(Call::get("/list").id(&mock), "b-plain");
    assert_eq!(Call::get("/list?sort=asc").id(&mock), "a-params");
}

#[test]
fn query_matching_off_skips_the_score() {
    let mock = mock_of(&[("b", "{{url}}/list?sort=asc"), ("a", "{{url}}/list")]);
    let c = Call::get("/list?sort=asc").opts(|o| o.match_query_params = false);
    let s = c.ok(&mock);
    assert_eq!((s.example_id.as_str(), s.score), ("a", 105.0));
}

#[test]
fn query_from_the_url_object_skips_disabled() {
    use postman_matching::Mock;
    use serde_json::json;
    let url = json!({"raw": "{{url}}/s?q=1&debug=true", "host": ["{{url}}"], "path": ["s"],
        "query": [{"key": "q", "value": "{{term}}"}, {"key": "debug", "value": "true", "disabled": true}]});
    let mut e = crate::ex("a", 200, "");
    e["originalRequest"]["url"] = url;
    let doc = crate::coll(vec![crate::item("GET", "x", vec![e])]);
    let env = json!([{"key": "term", "value": "red shoes"}]);
    let mock = Mock::new(&doc, Some(&env));
    assert_eq!(Call::get("/s?q=red+shoes").ok(&mock).score, 115.0);
}
