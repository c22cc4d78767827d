//! The matching rules (REFERENCE-monitors-mocks.md §4.4–§4.8, §6 #13), one test at least per
//! rule, through the public API. Fixtures are small `json!` collections; `real.rs` serves a
//! real collection (tests/fixtures/syncapi.json, from the collection-format examples).

mod custom;
mod errors;
mod hostile;
mod paths;
mod query;
mod real;
mod render;
mod requests;

use postman_matching::{Mock, Options, Outcome, RenderCtx, Request, Served};
use serde_json::{json, Value};

/// A collection of `items`.
pub fn coll(items: Vec<Value>) -> Value {
    json!({"info": {"name": "t", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"}, "item": items})
}

/// A request item with saved examples.
pub fn item(method: &str, url: &str, responses: Vec<Value>) -> Value {
    json!({"name": format!("{method} {url}"), "request": {"method": method, "url": url}, "response": responses})
}

/// An example: GET `url`, named and identified `id`, body "body of {id}".
pub fn ex(id: &str, code: u16, url: &str) -> Value {
    json!({"id": id, "uid": format!("1234-{id}"), "name": id, "code": code,
        "originalRequest": {"method": "GET", "url": url}, "header": [], "body": format!("body of {id}")})
}

/// One mock of single-example GET items.
pub fn mock_of(urls: &[(&str, &str)]) -> Mock {
    let items = urls
        .iter()
        .map(|(id, url)| item("GET", url, vec![ex(id, 200, url)]))
        .collect();
    Mock::new(&coll(items), None)
}

/// A call under construction.
pub struct Call {
    method: String,
    path: String,
    query: Option<String>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    pub opts: Options,
    now_ms: i64,
    seed: u64,
}

impl Call {
    /// `target` may carry a query (`/a?b=1`).
    pub fn new(method: &str, target: &str) -> Call {
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_string(), Some(q.to_string())),
            None => (target.to_string(), None),
        };
        Call {
            method: method.into(),
            path,
            query,
            headers: Vec::new(),
            body: Vec::new(),
            opts: Options::default(),
            now_ms: 1_700_000_000_123,
            seed: 7,
        }
    }

    pub fn get(target: &str) -> Call {
        Call::new("GET", target)
    }

    pub fn header(mut self, k: &str, v: &str) -> Call {
        self.headers.push((k.into(), v.into()));
        self
    }

    pub fn body(mut self, b: &str) -> Call {
        self.body = b.as_bytes().to_vec();
        self
    }

    pub fn opts(mut self, f: impl FnOnce(&mut Options)) -> Call {
        f(&mut self.opts);
        self
    }

    pub fn seed(mut self, seed: u64) -> Call {
        self.seed = seed;
        self
    }

    pub fn send(&self, mock: &Mock) -> Outcome {
        let req = Request {
            method: &self.method,
            path: &self.path,
            query: self.query.as_deref(),
            headers: &self.headers,
            body: &self.body,
        };
        mock.serve(
            &req,
            &self.opts,
            &mut RenderCtx::new(self.now_ms, self.seed),
        )
    }

    /// The served example (panics on an error).
    pub fn ok(&self, mock: &Mock) -> Served {
        match self.send(mock) {
            Outcome::Served(s) => s,
            Outcome::Error(e) => panic!("{} {}: {e:?}", self.method, self.path),
        }
    }

    /// The served example's ID, or "404".
    pub fn id(&self, mock: &Mock) -> String {
        match self.send(mock) {
            Outcome::Served(s) => s.example_id,
            Outcome::Error(e) => e.status.to_string(),
        }
    }
}
