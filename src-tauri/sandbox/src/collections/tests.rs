use super::*;
use serde_json::json;

pub(crate) fn with_ctx<R>(now: &str, user: u64, f: impl FnOnce(&mut Ctx) -> R) -> R {
    let mut n = 0u64;
    let mut gen = move || {
        n += 1;
        format!("00000000-0000-4000-8000-{n:012}")
    };
    let mut ctx = Ctx {
        now,
        user_id: user,
        new_id: &mut gen,
    };
    f(&mut ctx)
}

fn examples() -> Vec<(String, Value)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/collection-format/examples");
    let mut out = Vec::new();
    for e in std::fs::read_dir(&dir).expect("examples dir") {
        let p = e.expect("entry").path();
        if p.extension().and_then(|x| x.to_str()) == Some("json") {
            let text = std::fs::read_to_string(&p).expect("read");
            out.push((p.display().to_string(), serde_json::from_str(&text).expect("json")));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn schema_compiles() {
    assert!(validator().is_some());
}

#[test]
fn examples_round_trip() {
    let ex = examples();
    assert_eq!(ex.len(), 25);
    for (name, doc) in ex {
        assert!(schema_errors(&doc).is_empty(), "{name}: {:?}", schema_errors(&doc));
        let c = with_ctx("2026-11-23T10:00:00.000Z", 12345678, |ctx| import_seed(ctx, &doc));
        let full = render_full(&c);
        let coll = &full["collection"];
        assert!(schema_errors(coll).is_empty(), "{name}: {:?}", schema_errors(coll));
    }
}

#[test]
fn documented_malformed_example() {
    let body = json!({"collection": {"info": {"name": "x"}}});
    let err = with_ctx("t", 1, |ctx| create(ctx, &body)).unwrap_err();
    assert_eq!(
        err.body,
        json!({"error":{"name":"malformedRequestError","message":"Found 2 errors with the supplied collection.","details":[": must have required property 'item'","info: must have required property 'schema'"]}})
    );
}
