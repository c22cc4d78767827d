//! Header and body matching (step 6) and the tie-break (step 7).

use crate::{coll, ex, item, Call};
use postman_matching::Mock;
use serde_json::{json, Value};

fn with_header(id: &str, tenant: Option<&str>) -> Value {
    let mut e = ex(id, 200, "{{url}}/accounts");
    if let Some(t) = tenant {
        e["originalRequest"]["header"] = json!([{"key": "X-Tenant", "value": t},
            {"key": "X-Region", "value": "eu", "disabled": true}]);
    }
    e
}

fn tenants() -> Mock {
    let exs = vec![
        with_header("a", Some("acme")),
        with_header("b", Some("globex")),
        with_header("c", None),
    ];
    Mock::new(&coll(vec![item("GET", "{{url}}/accounts", exs)]), None)
}

#[test]
fn match_request_headers_header() {
    let m = tenants();
    // Off: a tie, the first by ID.
    assert_eq!(
        Call::get("/accounts").header("x-tenant", "globex").id(&m),
        "a"
    );
    let on = |v: &str| {
        Call::get("/accounts")
            .header("X-Tenant", v)
            .header("x-mock-match-request-headers", "x-region, X-TENANT")
    };
    assert_eq!(on("globex").id(&m), "b");
    assert_eq!(on("acme").id(&m), "a");
    assert_eq!(on("Acme").id(&m), "404", "values compare exactly");
    // Missing on both sides is equal; the disabled X-Region does not count.
    let none = Call::get("/accounts").header("x-mock-match-request-headers", "x-tenant,x-region");
    assert_eq!(none.id(&m), "c");
}

#[test]
fn config_header_matching_and_the_header_wins() {
    let m = tenants();
    let cfg = |c: Call| c.opts(|o| o.match_headers = vec!["X-Tenant".into()]);
    assert_eq!(
        cfg(Call::get("/accounts").header("x-tenant", "globex")).id(&m),
        "b"
    );
    assert_eq!(cfg(Call::get("/accounts")).id(&m), "c");
    // The request header replaces the configured list.
    let over = cfg(Call::get("/accounts")
        .header("x-tenant", "globex")
        .header("x-mock-match-request-headers", "x-other"));
    assert_eq!(over.id(&m), "a");
}

fn bodies() -> Mock {
    let post = |id: &str, body: Value| {
        let mut e = ex(id, 200, "{{url}}/orders");
        e["originalRequest"]["method"] = json!("POST");
        e["originalRequest"]["body"] = body;
        e
    };
    let exs = vec![
        post(
            "a",
            json!({"mode": "raw", "raw": "{\"qty\": 1, \"sku\": \"x\"}"}),
        ),
        post(
            "b",
            json!({"mode": "raw", "raw": "{\"sku\":\"x\",\"qty\":2}"}),
        ),
        post("c", json!({"mode": "raw", "raw": "plain text"})),
        post(
            "d",
            json!({"mode": "urlencoded", "urlencoded": [{"key": "name", "value": "Ann Lee"},
            {"key": "n", "value": "1"}, {"key": "off", "value": "x", "disabled": true}]}),
        ),
    ];
    Mock::new(&coll(vec![item("POST", "{{url}}/orders", exs)]), None)
}

#[test]
fn match_request_body_header_and_option() {
    let m = bodies();
    let post = |b: &str| Call::new("POST", "/orders").body(b);
    let on = |b: &str| post(b).header("x-mock-match-request-body", "true");
    assert_eq!(
        on(r#"{ "qty": 2, "sku": "x" }"#).id(&m),
        "b",
        "structural JSON equality"
    );
    assert_eq!(on("plain text").id(&m), "c");
    assert_eq!(on("plain text ").id(&m), "404", "exact text otherwise");
    assert_eq!(on("n=1&name=Ann+Lee").id(&m), "d", "urlencoded as fields");
    assert_eq!(on(r#"{"qty": 3}"#).id(&m), "404");
    // The option, and the header overriding it.
    let opt = |c: Call| c.opts(|o| o.match_body = true);
    assert_eq!(opt(post(r#"{"qty":3}"#)).id(&m), "404");
    assert_eq!(
        opt(post(r#"{"qty":3}"#).header("x-mock-match-request-body", "false")).id(&m),
        "a"
    );
    assert_eq!(opt(post(r#"{"qty":2,"sku":"x"}"#)).id(&m), "b");
}

#[test]
fn equal_body_adds_five_when_not_matching() {
    let m = bodies();
    let s = Call::new("POST", "/orders")
        .body(r#"{"qty":2,"sku":"x"}"#)
        .ok(&m);
    assert_eq!((s.example_id.as_str(), s.score), ("b", 115.0));
    let s = Call::new("POST", "/orders").body("other").ok(&m);
    assert_eq!((s.example_id.as_str(), s.score), ("a", 110.0));
}

#[test]
fn ties_sort_by_id_with_200_first() {
    let exs = vec![
        ex("b", 200, "{{url}}/t"),
        ex("a", 201, "{{url}}/t"),
        ex("c", 200, "{{url}}/t"),
    ];
    let m = Mock::new(&coll(vec![item("GET", "{{url}}/t", exs)]), None);
    assert_eq!(Call::get("/t").id(&m), "b");
    let none = vec![ex("z", 500, "{{url}}/t"), ex("y", 404, "{{url}}/t")];
    let m = Mock::new(&coll(vec![item("GET", "{{url}}/t", none)]), None);
    assert_eq!(Call::get("/t").id(&m), "y");
}
