//! Method filter and the path score. Scores: 100 − step + 10 (no query on either side, all
//! match) + 5 (equal, empty bodies).

use crate::{coll, ex, item, mock_of, Call};
use postman_matching::Mock;
use serde_json::json;

#[test]
fn method_filter_is_case_insensitive() {
    let mut e = ex("a", 200, "{{url}}/things");
    e["originalRequest"]["method"] = json!("POST");
    let mock = Mock::new(&coll(vec![item("POST", "{{url}}/things", vec![e])]), None);
    assert_eq!(Call::get("/things").id(&mock), "404");
    assert_eq!(Call::new("post", "/things").id(&mock), "a");
    assert_eq!(Call::new("PUT", "/things").id(&mock), "404");
}

#[test]
fn method_falls_back_to_the_request_then_get() {
    let mut e = ex("a", 200, "{{url}}/x");
    e["originalRequest"] = json!({"url": "{{url}}/x"});
    let mut bare = ex("b", 200, "{{url}}/y");
    bare["originalRequest"] = json!({"url": "{{url}}/y"});
    let doc = coll(vec![
        item("DELETE", "{{url}}/x", vec![e]),
        json!({"name": "no method", "request": {"url": "{{url}}/y"}, "response": [bare]}),
    ]);
    let mock = Mock::new(&doc, None);
    assert_eq!(Call::new("DELETE", "/x").id(&mock), "a");
    assert_eq!(Call::get("/y").id(&mock), "b");
}

#[test]
fn exact_path() {
    let mock = mock_of(&[
        ("a", "{{url}}/users/list"),
        ("b", "https://api.example.com/users"),
    ]);
    let s = Call::get("/users/list").ok(&mock);
    assert_eq!((s.example_id.as_str(), s.score), ("a", 115.0));
    assert_eq!(Call::get("/users").ok(&mock).example_id, "b");
}

#[test]
fn trailing_slash() {
    let mock = mock_of(&[("a", "{{url}}/users/")]);
    assert_eq!(Call::get("/users").ok(&mock).score, 110.0);
    assert_eq!(Call::get("/users/").ok(&mock).score, 115.0);
}

#[test]
fn case_insensitive_and_both() {
    let mock = mock_of(&[("a", "{{url}}/Users/Me")]);
    assert_eq!(Call::get("/users/me").ok(&mock).score, 105.0);
    assert_eq!(Call::get("/USERS/ME/").ok(&mock).score, 100.0);
}

#[test]
fn wildcard_takes_one_whole_segment() {
    let mut e = ex("a", 200, "{{url}}/users/{{userId}}");
    e["body"] = json!(r#"{"id":"{{userId}}"}"#);
    let mock = Mock::new(
        &coll(vec![item("GET", "{{url}}/users/{{userId}}", vec![e])]),
        None,
    );
    let s = Call::get("/users/carol").ok(&mock);
    assert_eq!((s.score, s.body.as_str()), (95.0, r#"{"id":"carol"}"#));
    assert_eq!(
        Call::get("/users/Carol/").ok(&mock).body,
        r#"{"id":"Carol"}"#
    );
    assert_eq!(Call::get("/users/a/b").id(&mock), "404");
    assert_eq!(Call::get("/users/").id(&mock), "404");
    // matchWildcards off: the segment is literal text.
    assert_eq!(
        Call::get("/users/carol")
            .opts(|o| o.match_wildcards = false)
            .id(&mock),
        "404"
    );
}

#[test]
fn path_variable_with_value_and_empty() {
    let with = json!({"raw": "{{url}}/items/:itemId", "host": ["{{url}}"], "path": ["items", ":itemId"],
        "variable": [{"key": "itemId", "value": "shoe"}]});
    let empty = json!({"raw": "{{url}}/carts/:cartId", "host": ["{{url}}"], "path": ["carts", ":cartId"],
        "variable": [{"key": "cartId", "value": ""}]});
    let mut a = ex("a", 200, "");
    a["originalRequest"]["url"] = with;
    let mut b = ex("b", 200, "");
    b["originalRequest"]["url"] = empty;
    b["body"] = json!("cart {{cartId}}");
    let mut c = ex("c", 200, "{{url}}/orders/:orderId");
    c["body"] = json!("order {{orderId}}");
    let mock = Mock::new(&coll(vec![item("GET", "x", vec![a, b, c])]), None);
    assert_eq!(Call::get("/items/shoe").ok(&mock).score, 115.0);
    assert_eq!(Call::get("/items/hat").id(&mock), "404");
    let s = Call::get("/carts/mine").ok(&mock);
    assert_eq!((s.score, s.body.as_str()), (95.0, "cart mine"));
    assert_eq!(Call::get("/orders/big").ok(&mock).body, "order big");
}

#[test]
fn alphanumeric_ids_removed() {
    let mock = mock_of(&[
        ("a", "{{url}}/orders/abc123/items"),
        ("u", "{{url}}/files/3f2c1b9e-8a7d-4c6b-9e5f-0a1b2c3d4e5f"),
    ]);
    assert_eq!(Call::get("/orders/xyz789/items").ok(&mock).score, 94.0);
    assert_eq!(Call::get("/orders/42/items").ok(&mock).score, 94.0);
    assert_eq!(Call::get("/orders/42/items/").ok(&mock).score, 90.0);
    assert_eq!(
        Call::get("/files/00000000-0000-4000-8000-000000000000")
            .ok(&mock)
            .example_id,
        "u"
    );
    assert_eq!(Call::get("/orders/word/items").id(&mock), "404");
}

#[test]
fn levenshtein_within_a_fifth() {
    let mock = mock_of(&[("a", "{{url}}/products/list")]);
    assert_eq!(Call::get("/produts/list").ok(&mock).score, 85.0);
    assert_eq!(Call::get("/Product/lists/").ok(&mock).score, 85.0);
    assert_eq!(Call::get("/completely/else").id(&mock), "404");
}

#[test]
fn better_step_wins() {
    let mock = mock_of(&[
        ("fuzzy", "{{url}}/user/list"),
        ("exact", "{{url}}/users/list"),
    ]);
    assert_eq!(Call::get("/users/list").id(&mock), "exact");
    assert_eq!(Call::get("/usr/lst").id(&mock), "fuzzy");
}
