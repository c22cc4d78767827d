//! The script engine, running real JavaScript (Chai and the prelude as shipped).

use super::*;
use serde_json::json;

fn engine() -> Engine {
    match Engine::new(Limits::default()) {
        Ok(e) => e,
        Err(e) => panic!("the engine did not start: {e}"),
    }
}

/// The sandbox clock in these tests: 2026-11-23T10:00:00Z.
const NOW_MS: i64 = 1_795_428_000_000;

fn info(event: Event) -> Info {
    Info {
        event,
        request_name: "Get user".into(),
        request_id: "req-1".into(),
        now_ms: NOW_MS,
    }
}

fn request() -> Request {
    Request {
        method: "GET".into(),
        url: "http://127.0.0.1:9/users/{{id}}".into(),
        headers: vec![("Accept".into(), "application/json".into())],
        body: None,
    }
}

fn response(code: u16, status: &str, body: &str) -> Response {
    Response {
        code,
        status: status.into(),
        headers: vec![
            (
                "Content-Type".into(),
                "application/json; charset=utf-8".into(),
            ),
            ("X-Trace".into(), "first".into()),
            ("x-trace".into(), "second".into()),
        ],
        body: body.as_bytes().to_vec(),
        response_time_ms: 42,
        size: body.len() as u64,
    }
}

fn ok_json() -> Response {
    response(
        200,
        "OK",
        r#"{"ok":true,"n":3,"user":{"name":"Ada","tags":["a","b"]}}"#,
    )
}

/// A test script on `resp`, with no variables.
fn test_on(e: &mut Engine, source: &str, resp: &Response) -> Outcome {
    let mut vars = Vars::default();
    e.run(
        source,
        &info(Event::Test),
        &mut vars,
        &mut request(),
        Some(resp),
    )
}

fn test_with_vars(e: &mut Engine, source: &str, vars: &mut Vars) -> Outcome {
    e.run(
        source,
        &info(Event::Test),
        vars,
        &mut request(),
        Some(&ok_json()),
    )
}

/// `(name, passed, error)` of each test.
fn results(o: &Outcome) -> Vec<(&str, bool, Option<&str>)> {
    o.tests
        .iter()
        .map(|t| (t.name.as_str(), t.passed, t.error.as_deref()))
        .collect()
}

/// The error of the one test of `o`, which must have failed.
fn failure(o: &Outcome) -> String {
    assert_eq!(o.error, None, "{o:?}");
    assert_eq!(o.tests.len(), 1, "{o:?}");
    assert!(!o.tests[0].passed, "{o:?}");
    o.tests[0].error.clone().unwrap_or_default()
}

/// Whether every test of `o` passed (and there were some, and no error).
fn all_pass(o: &Outcome) -> bool {
    o.error.is_none() && !o.tests.is_empty() && o.tests.iter().all(|t| t.passed)
}

fn err(name: &str, message: &str) -> Option<ScriptError> {
    Some(ScriptError {
        name: name.into(),
        message: message.into(),
    })
}

fn vars_of(env: Value, coll: Value, local: Value) -> Vars {
    let list = |v: Value| -> Vec<(String, Value)> {
        v.as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    };
    Vars {
        environment: list(env),
        collection: list(coll),
        local: list(local),
    }
}

mod bounds;
mod chai;
mod console;
mod hostile;
mod request;
mod response;
mod variables;
