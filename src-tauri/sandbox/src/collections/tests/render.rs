//! Rendering, and the big-collection and fuzzed paths.

use super::*;

/// The JSON text of a `Summary` or a `Value`.
fn text(v: &impl serde::Serialize) -> String {
    serde_json::to_string(v).expect("serialise")
}

#[test]
fn minimal_and_summary_shapes() {
    let c = created();
    let min = render_minimal(&c);
    let m = &min["collection"];
    assert_eq!(m["rootLevelFolders"], json!([c.doc["item"][0]["uid"]]));
    assert_eq!(m["rootLevelRequests"], json!([c.doc["item"][1]["uid"]]));
    assert_eq!(m["events"], c.doc["event"]);
    assert_eq!(m["variable"], c.doc["variable"]);
    assert!(m.get("item").is_none());
    assert!(m["info"].get("schema").is_none());
    assert_eq!(m["info"]["_postman_id"], json!(c.id));
    // The same bytes, key for key and in order, as the answer has always had.
    assert_eq!(
        text(&summary(&c)),
        text(
            &json!({"id": c.id, "name": "Test Collection", "owner": OWNER.to_string(),
               "createdAt": T0, "updatedAt": T0, "uid": c.uid(), "isPublic": false})
        )
    );
    let mut forked = c.clone();
    let fork = json!({"label": "mine", "createdAt": T0, "from": "1-2"});
    forked.fork = Some(fork.clone());
    assert_eq!(
        text(&summary(&forked)),
        text(
            &json!({"id": c.id, "name": "Test Collection", "owner": OWNER.to_string(),
               "createdAt": T0, "updatedAt": T0, "uid": c.uid(), "isPublic": false, "fork": fork})
        )
    );
    assert_eq!(
        deleted_body(&c),
        json!({"collection": {"id": c.id, "uid": c.uid()}})
    );
}

#[test]
fn stored_collection_serde_round_trip() {
    let c = created();
    let text = serde_json::to_string(&c).expect("ser");
    let back: StoredCollection = serde_json::from_str(&text).expect("de");
    assert_eq!(back, c);
}

// ---------------------------------------------------------------------------------------------
// Size
// ---------------------------------------------------------------------------------------------

/// A ~20 MB collection: 4000 requests with a 4 KB body and a saved response each.
fn big_body() -> Value {
    let blob = "x".repeat(2000);
    let folders: Vec<Value> = (0..40)
        .map(|f| {
            let reqs: Vec<Value> = (0..100)
                .map(|r| json!({"name": format!("r{f}-{r}"),
                    "request": {"method": "POST", "url": {"raw": "https://e.com/p", "host": ["e", "com"], "path": ["p"]},
                                "header": [{"key": "a", "value": "b"}], "body": {"mode": "raw", "raw": blob}},
                    "response": [{"name": "ok", "code": 200, "body": blob}]}))
                .collect();
            json!({"name": format!("f{f}"), "item": reqs})
        })
        .collect();
    json!({"collection": {"info": {"name": "big", "schema": "s"}, "item": folders}})
}

#[test]
fn big_collection_round_trip() {
    let body = big_body();
    let size = serde_json::to_string(&body).expect("ser").len();
    assert!(size > 16_000_000, "{size}");
    let start = std::time::Instant::now();
    let c = with_ctx(T0, 1, |ctx| create(ctx, &body)).expect("create");
    let t_create = start.elapsed();
    let full = render_full(&c);
    let t_render = start.elapsed();
    let mut put = c.clone();
    with_ctx(T1, 2, |ctx| {
        replace(ctx, &mut put, &c.id, &full, &no_foreign)
    })
    .expect("put");
    let t_put = start.elapsed();
    let bytes = render_full_bytes(&put);
    let elapsed = start.elapsed();
    assert!(bytes.len() > 16_000_000);
    eprintln!(
        "20 MB collection: create {t_create:?}, render {:?}, put {:?}, render_full_bytes {:?}",
        t_render - t_create,
        t_put - t_render,
        elapsed - t_put
    );
    // Generous in debug builds; release builds take a small fraction of this.
    assert!(elapsed.as_secs() < 30, "{elapsed:?}");
    assert_eq!(item_ids(&put).len(), 40 + 4000 + 4000);
}

#[test]
fn error_order_is_depth_first() {
    let body = json!({"collection": {"info": {"name": "n"}, "variable": 3,
        "item": [{"name": "x", "request": {"method": 5, "url": "u"}}]}});
    let err = with_ctx(T0, 1, |ctx| create(ctx, &body)).expect_err("invalid");
    let details: Vec<String> =
        serde_json::from_value(err.body["error"]["details"].clone()).expect("details");
    let pos = |s: &str| {
        details
            .iter()
            .position(|d| d == s)
            .unwrap_or_else(|| panic!("{s} in {details:?}"))
    };
    assert_eq!(pos("info: must have required property 'schema'"), 0);
    assert!(
        pos("item.0: must match exactly one schema in oneOf")
            > pos("item.0.request.method: must be string")
    );
    assert!(pos("variable: must be array") > pos("item.0: must match exactly one schema in oneOf"));
}

#[test]
fn owned_variants_and_bytes_match() {
    let a = created();
    let b = with_ctx(T0, 1, |ctx| create_owned(ctx, basic_body())).expect("create_owned");
    assert_eq!(a, b);
    let bytes = render_full_bytes(&a);
    let parsed: Value = serde_json::from_slice(&bytes).expect("json");
    assert_eq!(parsed, render_full(&a));
    let empty = with_ctx(T0, 1, |ctx| import_seed(ctx, &json!(null)));
    let parsed: Value = serde_json::from_slice(&render_full_bytes(&empty)).expect("json");
    assert_eq!(parsed, render_full(&empty));
    let mut body = render_full(&a);
    body["collection"]["item"][1]["name"] = json!("renamed");
    let mut x = a.clone();
    let mut y = a.clone();
    with_ctx(T1, 2, |ctx| replace(ctx, &mut x, &a.id, &body, &no_foreign)).expect("put");
    with_ctx(T1, 2, |ctx| {
        replace_owned(ctx, &mut y, &a.id, body, &no_foreign)
    })
    .expect("put owned");
    assert_eq!(x, y);
    let err = with_ctx(T1, 2, |ctx| {
        replace_owned(ctx, &mut y, &a.id, json!({}), &no_foreign)
    });
    assert!(err.is_err());
    assert_eq!(x, y);
}

#[test]
fn fuzzed_bodies_never_panic() {
    let mut f = Fuzz(7);
    let base = created();
    for _ in 0..1500 {
        let inner = f.value(5);
        let body = if f.next().is_multiple_of(2) {
            json!({"collection": inner})
        } else {
            inner
        };
        let _ = with_ctx(T0, 1, |ctx| create(ctx, &body));
        let mut c = base.clone();
        if with_ctx(T1, 2, |ctx| {
            replace(ctx, &mut c, &base.id, &body, &no_foreign)
        })
        .is_err()
        {
            assert_eq!(c, base);
        }
        let mut c = base.clone();
        if with_ctx(T1, 2, |ctx| patch(ctx, &mut c, &body)).is_err() {
            assert_eq!(c, base);
        }
        let _ = render_full(&c);
        let _ = render_minimal(&c);
        let s = with_ctx(T0, 3, |ctx| import_seed(ctx, &body));
        let _ = render_full_bytes(&s);
        let _ = item_ids(&s);
    }
}
