//! Conformance suite for postman-sandbox: every response the sandbox sends is validated
//! against the official Postman API description (OpenAPI 3.0.3, v1.45.0, vendored under
//! `tests/sandbox/spec/`).

mod support;

#[path = "conformance/access_keys_and_limits.rs"]
mod access_keys_and_limits;
#[path = "conformance/collections.rs"]
mod collections;
#[path = "conformance/environments.rs"]
mod environments;
#[path = "conformance/me_workspaces.rs"]
mod me_workspaces;
#[path = "conformance/mocks.rs"]
mod mocks;
#[path = "conformance/monitors.rs"]
mod monitors;
#[path = "conformance/semantics.rs"]
mod semantics;
#[path = "conformance/time_and_round_trip.rs"]
mod time_and_round_trip;
#[path = "conformance/validator.rs"]
mod validator;

use std::collections::BTreeSet;
use std::time::Duration;

use postman_sandbox::{Config, Limits};
use serde_json::{json, Value};
use support::live::{official, Auth, Body, Decl, Live, Resp};
use support::openapi::{collection_format_violations, convert_schema, Examples, Spec};

// ---------------------------------------------------------------------------------------------
// Live conformance: a real sandbox on 127.0.0.1, real HTTP.
// ---------------------------------------------------------------------------------------------

/// A well-formed UUID that no seed or request ever produces.
const UNKNOWN_ID: &str = "00000000-0000-4000-8000-000000000000";
const BAD_KEY: &str = "PMAK-000000000000000000000000-0000000000000000000000000000000000";

fn none() -> Auth {
    Auth::None
}

fn bad_key() -> Auth {
    Auth::Key(BAD_KEY.to_string())
}

/// Checks the three unauthenticated variants of a request all answer the spec's 401.
async fn expect_401(live: &Live, method: &str, target: &str, template: &str, body: Body) {
    let declared = Spec::get()
        .statuses(method, template)
        .iter()
        .any(|s| s == "401");
    let decl = if declared {
        Decl::Declared
    } else {
        // PUT /workspaces/{id} and PATCH /environments/{id} declare no 401: validate against the
        // spec's shared 401 response.
        Decl::Component("common401Error")
    };
    for auth in [none(), bad_key(), Auth::Query(BAD_KEY.to_string())] {
        let r = live.send(method, target, auth, body.clone()).await;
        if live.expect_decl(&r, template, 401, decl) {
            // One of the five documented 401 bodies, and the classic one (REFERENCE §1.4: the
            // sandbox's documented default).
            live.expect_body_one_of(
                &r,
                &[
                    "common401Error",
                    "common401ErrorAuthentication",
                    "common401ErrorInvalidApiKey",
                    "common401ErrorMissingApiKey",
                    "common401ErrorNotAuthorized",
                ]
                .map(|n| (n, official(n))),
            );
            live.expect_error_name(&r, "AuthenticationError");
        }
    }
}

/// `GET /{list}?workspace=<unknown id>` lists nothing: `{"<list>": []}`.
async fn expect_unknown_workspace_lists_nothing(live: &Live, list: &str) {
    let r = live.get(&format!("/{list}?workspace={UNKNOWN_ID}")).await;
    if live.expect(&r, &format!("/{list}"), 200) {
        let mut nothing = json!({});
        nothing[list] = json!([]);
        let what = format!("an unknown workspace lists {nothing}");
        live.check(r.body == nothing, &r, &what);
    }
}

/// POSTs `body` to `target` (`/{kind}s?…`): the spec's 200, whose `{kind}` has `id`, `name` and
/// `uid`. Returns the response when it is that 200, and the new (id, uid) (empty otherwise).
async fn expect_created(
    live: &Live,
    kind: &str,
    target: &str,
    body: Value,
) -> (Option<Resp>, String, String) {
    let r = live.call("POST", target, Body::Json(body)).await;
    if !live.expect(&r, &format!("/{kind}s"), 200) {
        return (None, String::new(), String::new());
    }
    has_keys(live, &r, &format!("/{kind}"), "id name uid");
    let field = |f: &str| {
        r.str_at(&format!("/{kind}/{f}"))
            .unwrap_or_default()
            .to_string()
    };
    let (id, uid) = (field("id"), field("uid"));
    (Some(r), id, uid)
}

/// DELETE `path` without a valid key (the three 401s of [`expect_401`]), then as the user,
/// twice: returns the first and the second answer.
async fn delete_twice(live: &Live, path: &str, template: &str) -> (Resp, Resp) {
    expect_401(live, "DELETE", path, template, Body::None).await;
    let first = live.call("DELETE", path, Body::None).await;
    let again = live.call("DELETE", path, Body::None).await;
    (first, again)
}

async fn first_workspace(live: &Live) -> String {
    let r = live.get("/workspaces").await;
    assert_eq!(r.status, 200, "GET /workspaces: {}", r.text);
    r.str_at("/workspaces/0/id")
        .expect("the seed gives the user a workspace")
        .to_string()
}

/// The official request body of `method template` named `summary`.
fn official_request(method: &str, template: &str, summary: &str) -> Value {
    Examples::get()
        .request_body(method, template, summary)
        .clone()
}

/// POSTs `body` as a new `kind` (`collection` or `environment`) into `ws`; returns (id, uid).
async fn create_in(live: &Live, ws: &str, kind: &str, body: Value) -> (String, String) {
    let target = format!("/{kind}s?workspace={ws}");
    let r = live.call("POST", &target, Body::Json(body)).await;
    assert_eq!(r.status, 200, "POST /{kind}s: {}", r.text);
    let field = |f: &str| r.str_at(&format!("/{kind}/{f}")).expect(f).to_string();
    (field("id"), field("uid"))
}

/// Creates a collection from the official "Create Collection" body; returns (id, uid).
async fn create_collection(live: &Live, ws: &str, name: &str) -> (String, String) {
    let mut body = official_request("POST", "/collections", "Create Collection");
    body["collection"]["info"]["name"] = json!(name);
    create_in(live, ws, "collection", body).await
}

/// Creates an environment from the official "Create Environment" body; returns (id, uid).
async fn create_environment(live: &Live, ws: &str, name: &str) -> (String, String) {
    let mut body = official_request("POST", "/environments", "Create Environment");
    body["environment"]["name"] = json!(name);
    create_in(live, ws, "environment", body).await
}

/// The documented family-A collection 404 (`instanceNotFoundCollection`), `details.id` being
/// the id as given in the path.
fn not_found_collection(path_id: &str) -> (&'static str, Value) {
    let mut v = official("instanceNotFoundCollection");
    v["error"]["details"]["id"] = json!(path_id);
    ("instanceNotFoundCollection", v)
}

/// The three documented environment 404 bodies (`environments404Error`), the problem one with
/// `instance` naming the path as given.
fn env_not_found(path_id: &str) -> [(&'static str, Value); 3] {
    let mut problem = official("environments404ErrorNotFound");
    problem["instance"] = json!(format!("/environments/{path_id}"));
    [
        (
            "environments404ErrorEnvDoesNotExist",
            official("environments404ErrorEnvDoesNotExist"),
        ),
        (
            "environments404ErrorInstanceNotFound",
            official("environments404ErrorInstanceNotFound"),
        ),
        ("environments404ErrorNotFound", problem),
    ]
}

/// Checks the object at `pointer` has every field named in `keys` (space-separated).
fn has_keys(live: &Live, r: &Resp, pointer: &str, keys: &str) {
    let obj = r.body.pointer(pointer).and_then(Value::as_object);
    let missing: Vec<_> = keys
        .split_whitespace()
        .filter(|k| obj.is_none_or(|o| !o.contains_key(*k)))
        .collect();
    live.check(
        missing.is_empty(),
        r,
        &format!("{pointer} lacks documented fields {missing:?}"),
    );
}
