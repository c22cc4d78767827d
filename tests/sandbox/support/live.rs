//! Live harness: an in-process sandbox on 127.0.0.1, a real HTTP client (reqwest) and a
//! failure report that names the path, status, JSON pointer and message of every deviation.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

use postman_sandbox::{start, Config, Limits, Sandbox};
use reqwest::header::{HeaderMap, CONTENT_TYPE};
use reqwest::Method;
use serde_json::Value;

use super::openapi::Spec;

/// Every request is bounded: nothing in this suite may hang.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// The official example body `name` (success.json, errors.json, or the spec's inline value).
pub fn official(name: &str) -> Value {
    super::openapi::Examples::get()
        .response(name)
        .or_else(|| Spec::get().example_value(name))
        .cloned()
        .unwrap_or_else(|| panic!("no official example {name}"))
}

/// How a request authenticates.
#[derive(Debug, Clone)]
pub enum Auth {
    /// `x-api-key` header.
    Key(String),
    /// `?apikey=` query parameter.
    Query(String),
    /// `?access_key=` (collection access key), no API key.
    AccessKey(String),
    None,
}

/// A request body.
#[derive(Debug, Clone)]
pub enum Body {
    None,
    Json(Value),
    /// Raw bytes with a content type (malformed JSON, oversize bodies...).
    Raw(&'static str, Vec<u8>),
}

/// A response, fully read.
#[derive(Debug, Clone)]
pub struct Resp {
    pub method: String,
    /// Path and query as sent.
    pub target: String,
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    /// The parsed body (`Value::Null` for an empty or non-JSON body; see `json_error`).
    pub body: Value,
    pub json_error: Option<String>,
}

impl Resp {
    /// A placeholder for checks that are not about one response.
    pub fn empty() -> Resp {
        Resp {
            method: "-".into(),
            target: "-".into(),
            status: 0,
            headers: HeaderMap::new(),
            text: String::new(),
            body: Value::Null,
            json_error: None,
        }
    }

    /// A response from its parts, the body parsed as JSON when there is one.
    fn read(method: &str, target: &str, status: u16, headers: HeaderMap, bytes: &[u8]) -> Resp {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let (body, json_error) = if text.is_empty() {
            (Value::Null, None)
        } else {
            match serde_json::from_str(&text) {
                Ok(v) => (v, None),
                Err(e) => (Value::Null, Some(e.to_string())),
            }
        };
        Resp {
            method: method.to_string(),
            target: target.to_string(),
            status,
            headers,
            text,
            body,
            json_error,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The elements of the body's array `list` (none if it is not an array).
    pub fn items(&self, list: &str) -> Vec<Value> {
        self.body[list].as_array().cloned().unwrap_or_default()
    }

    /// The `id` of every element of the body's array `list`.
    pub fn ids(&self, list: &str) -> Vec<Value> {
        self.items(list).iter().map(|e| e["id"].clone()).collect()
    }

    pub fn str_at(&self, pointer: &str) -> Option<&str> {
        self.body.pointer(pointer).and_then(Value::as_str)
    }

    fn short(&self) -> String {
        let mut t = self.text.clone();
        if t.len() > 600 {
            let mut cut = 600;
            while !t.is_char_boundary(cut) {
                cut -= 1;
            }
            t.truncate(cut);
            t.push('…');
        }
        t
    }
}

/// Which declaration of the spec a response is validated against.
#[derive(Debug, Clone, Copy)]
pub enum Decl<'a> {
    /// The operation's own declaration for this status (the normal case).
    Declared,
    /// The operation's declaration for another status (the spec files not-found under 400 for
    /// `GET /collections/{id}` and `GET /environments/{id}`; the sandbox answers 404 as
    /// REFERENCE recommends, with the body the spec gives under 400).
    AsStatus(u16),
    /// A shared component response (`#/components/responses/<name>`), for statuses the spec
    /// does not declare on the operation (e.g. 429, or 401 on `PUT /workspaces/{id}`).
    Component(&'a str),
}

pub struct Live {
    sandbox: Option<Sandbox>,
    pub base: String,
    pub client: reqwest::Client,
    pub keys: BTreeMap<String, String>,
    /// What `/_sandbox/*` needs as `X-Sandbox-Token`.
    admin_token: String,
    failures: Mutex<Vec<String>>,
    checks: Mutex<Vec<String>>,
}

impl Live {
    /// A sandbox with every limit lifted.
    pub async fn start() -> Live {
        Live::with_limits(Limits::lifted()).await
    }

    /// A sandbox with every limit lifted but those `set` sets.
    pub async fn lifted_but(set: impl FnOnce(&mut Limits)) -> Live {
        let mut limits = Limits::lifted();
        set(&mut limits);
        Live::with_limits(limits).await
    }

    pub async fn with_limits(limits: Limits) -> Live {
        Live::with_config(Config {
            limits,
            // Pinned: the suite answers the same on any date.
            clock: postdesk_base::SharedClock::pinned("2026-11-23T10:00:00Z").0,
            ..Config::default()
        })
        .await
    }

    pub async fn with_config(config: Config) -> Live {
        let sandbox = tokio::time::timeout(REQUEST_TIMEOUT, start(config))
            .await
            .expect("sandbox start timed out")
            .expect("sandbox starts");
        let base = sandbox.url().trim_end_matches('/').to_string();
        assert!(
            base.starts_with("http://127.0.0.1:"),
            "sandbox must serve on loopback, got {base}"
        );
        let keys = sandbox.keys().clone();
        assert!(!keys.is_empty(), "the seeded sandbox has API keys");
        let admin_token = sandbox.admin_token().expose().to_owned();
        let client = reqwest::Client::builder()
            .no_proxy()
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            .build()
            .expect("client");
        Live {
            sandbox: Some(sandbox),
            base,
            client,
            keys,
            admin_token,
            failures: Mutex::new(Vec::new()),
            checks: Mutex::new(Vec::new()),
        }
    }

    /// The first seeded user's key (by username order).
    pub fn key(&self) -> String {
        self.keys.values().next().cloned().expect("a key")
    }

    /// Another seeded user's key, if the seed has one.
    pub fn other_key(&self) -> Option<String> {
        self.keys.values().nth(1).cloned()
    }

    pub fn auth(&self) -> Auth {
        Auth::Key(self.key())
    }

    pub async fn send(&self, method: &str, target: &str, auth: Auth, body: Body) -> Resp {
        self.send_with(method, target, auth, body, &[]).await
    }

    /// A request with the first seeded user's API key ([`Live::auth`]).
    pub async fn call(&self, method: &str, target: &str, body: Body) -> Resp {
        self.send(method, target, self.auth(), body).await
    }

    /// `GET /collections/{uid}` with a collection access key and no API key.
    pub async fn get_shared(&self, uid: &str, token: &str) -> Resp {
        let target = format!("/collections/{uid}");
        let auth = Auth::AccessKey(token.to_owned());
        self.send("GET", &target, auth, Body::None).await
    }

    /// `GET target` with the first seeded user's API key.
    pub async fn get(&self, target: &str) -> Resp {
        self.call("GET", target, Body::None).await
    }

    pub async fn send_with(
        &self,
        method: &str,
        target: &str,
        auth: Auth,
        body: Body,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut url = format!("{}{}", self.base, target);
        let sep = |u: &str| if u.contains('?') { '&' } else { '?' };
        match &auth {
            Auth::Query(k) => url = format!("{url}{}apikey={k}", sep(&url)),
            Auth::AccessKey(k) => url = format!("{url}{}access_key={k}", sep(&url)),
            _ => {}
        }
        let m = Method::from_bytes(method.as_bytes()).expect("method");
        let mut rb = self.client.request(m, &url);
        if let Auth::Key(k) = &auth {
            rb = rb.header("x-api-key", k);
        }
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        rb = match body {
            Body::None => rb,
            Body::Json(v) => rb
                .header(CONTENT_TYPE, "application/json")
                .body(serde_json::to_vec(&v).expect("json")),
            Body::Raw(ct, bytes) => rb.header(CONTENT_TYPE, ct).body(bytes),
        };
        let resp = rb
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {target}: request failed: {e}"));
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp
            .bytes()
            .await
            .unwrap_or_else(|e| panic!("{method} {target}: body read failed: {e}"));
        Resp::read(method, target, status, headers, &bytes)
    }

    /// A sandbox-only admin call (`/_sandbox/...`); panics unless it answers 2xx JSON.
    pub async fn admin(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map_or(Body::None, Body::Json);
        let token = [("x-sandbox-token", self.admin_token.as_str())];
        let r = self.send_with(method, path, Auth::None, body, &token).await;
        assert!(
            (200..300).contains(&r.status),
            "admin {method} {path} → {}: {}",
            r.status,
            r.text
        );
        r.body
    }

    /// Moves the sandbox clock forward (`POST /_sandbox/clock {"advanceSeconds": …}`).
    pub async fn advance_secs(&self, secs: u64) {
        let body = serde_json::json!({ "advanceSeconds": secs });
        self.admin("POST", "/_sandbox/clock", Some(body)).await;
    }

    /// Mints a collection access key for `uid` (`POST /_sandbox/access-keys`): `{id, token, …}`.
    pub async fn mint_access_key(&self, uid: &str) -> Value {
        let body = serde_json::json!({ "collection": uid });
        self.admin("POST", "/_sandbox/access-keys", Some(body))
            .await
    }

    /// Sends a hand-written HTTP/1.1 request over a plain TCP connection (for what a client
    /// library will not send, e.g. a chunked body without Content-Length). The request must
    /// carry `Connection: close`.
    pub async fn raw(&self, method: &str, target: &str, raw_request: &[u8]) -> Resp {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let addr = self.base.trim_start_matches("http://").to_string();
        let io = async {
            let mut stream = tokio::net::TcpStream::connect(&addr).await?;
            stream.write_all(raw_request).await?;
            let mut buf = Vec::new();
            stream.read_to_end(&mut buf).await?;
            Ok::<_, std::io::Error>(buf)
        };
        let buf = tokio::time::timeout(REQUEST_TIMEOUT, io)
            .await
            .unwrap_or_else(|_| panic!("{method} {target}: raw request timed out"))
            .unwrap_or_else(|e| panic!("{method} {target}: raw request failed: {e}"));
        let split = buf
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("{method} {target}: no header end in response"));
        let head = String::from_utf8_lossy(&buf[..split]).into_owned();
        let mut raw_body = buf[split + 4..].to_vec();
        let mut lines = head.split("\r\n");
        let status: u16 = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("{method} {target}: bad status line in {head:?}"));
        let mut headers = HeaderMap::new();
        for line in lines {
            if let Some((k, v)) = line.split_once(':') {
                if let (Ok(k), Ok(v)) = (
                    reqwest::header::HeaderName::from_bytes(k.trim().as_bytes()),
                    reqwest::header::HeaderValue::from_str(v.trim()),
                ) {
                    headers.append(k, v);
                }
            }
        }
        let chunked = headers
            .get("transfer-encoding")
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"chunked"));
        if chunked {
            let mut out = Vec::new();
            let mut rest = &raw_body[..];
            while let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") {
                let size_str = String::from_utf8_lossy(&rest[..eol]);
                let size =
                    usize::from_str_radix(size_str.split(';').next().unwrap_or("0").trim(), 16)
                        .unwrap_or(0);
                if size == 0 || rest.len() < eol + 2 + size {
                    break;
                }
                out.extend_from_slice(&rest[eol + 2..eol + 2 + size]);
                rest = &rest[(eol + 4 + size).min(rest.len())..];
            }
            raw_body = out;
        }
        Resp::read(method, target, status, headers, &raw_body)
    }

    /// Records a failure (the test fails at `finish`, listing every failure).
    pub fn fail(&self, msg: impl Into<String>) {
        self.failures.lock().unwrap().push(msg.into());
    }

    /// Records a failure unless `cond`.
    pub fn check(&self, cond: bool, resp: &Resp, what: &str) -> bool {
        if !cond {
            self.fail(format!(
                "{} {} → {}: {what}\n    body: {}",
                resp.method,
                resp.target,
                resp.status,
                resp.short()
            ));
        }
        cond
    }

    /// Records a failure unless the string at `pointer` is `want`.
    pub fn check_str(&self, resp: &Resp, pointer: &str, want: &str, what: &str) -> bool {
        self.check(resp.str_at(pointer) == Some(want), resp, what)
    }

    /// Records a failure unless the response has `status`.
    pub fn check_status(&self, resp: &Resp, status: u16, what: &str) -> bool {
        self.check(resp.status == status, resp, what)
    }

    /// [`Live::expect`], then (when it holds) [`Live::expect_official`] with the example `name`.
    pub fn expect_example(&self, resp: &Resp, template: &str, status: u16, name: &str) -> bool {
        self.expect(resp, template, status) && self.expect_official(resp, name)
    }

    /// Expects `status` and validates the body against the operation `template`'s declaration.
    /// Returns true when both hold.
    pub fn expect(&self, resp: &Resp, template: &str, status: u16) -> bool {
        self.expect_decl(resp, template, status, Decl::Declared)
    }

    pub fn expect_decl(&self, resp: &Resp, template: &str, status: u16, decl: Decl<'_>) -> bool {
        let spec = Spec::get();
        self.checks
            .lock()
            .unwrap()
            .push(format!("{} {template} {status}", resp.method));
        if resp.status != status {
            self.fail(format!(
                "{} {} (operation {} {template}): expected status {status}, got {}\n    body: {}",
                resp.method,
                resp.target,
                resp.method,
                resp.status,
                resp.short()
            ));
            return false;
        }
        let declared = match decl {
            Decl::Declared => spec.response(&resp.method, template, status),
            Decl::AsStatus(s) => spec.response(&resp.method, template, s),
            Decl::Component(name) => spec.component_response(name),
        };
        let declared = match declared {
            Ok(d) => d,
            Err(e) => {
                self.fail(format!("{} {template} {status}: {e}", resp.method));
                return false;
            }
        };
        let has_body = declared.object.get("content").is_some();
        if !has_body {
            return self.check(
                resp.text.is_empty(),
                resp,
                "the spec declares no body for this status, but one was sent",
            );
        }
        if let Some(e) = &resp.json_error {
            self.fail(format!(
                "{} {} → {status}: body is not JSON ({e})\n    body: {}",
                resp.method,
                resp.target,
                resp.short()
            ));
            return false;
        }
        let mut ok = true;
        let ct = resp.header("content-type").unwrap_or("");
        if !(ct.starts_with("application/json") || ct.starts_with("application/problem+json")) {
            ok = false;
            self.fail(format!(
                "{} {} → {status}: Content-Type {ct:?} is not a JSON media type",
                resp.method, resp.target
            ));
        }
        if let Err(violations) = spec.validate_decl(&declared, None, &resp.body) {
            ok = false;
            let mut msg = format!(
                "{} {} → {status}: body violates the spec's schema ({} of {} {template} {})",
                resp.method, resp.target, declared.name, resp.method, status
            );
            for v in violations {
                let _ = write!(msg, "\n    {v}");
            }
            let _ = write!(msg, "\n    body: {}", resp.short());
            self.fail(msg);
        }
        if status >= 400 {
            ok &= self.check_error_family(resp);
        }
        ok
    }

    /// Error bodies must be one of the documented families (REFERENCE §1.4): the spec's error
    /// schemas declare no required properties, so this is the check that catches an empty or
    /// invented error body.
    pub fn check_error_family(&self, resp: &Resp) -> bool {
        let b = &resp.body;
        let s = |p: &str| b.pointer(p).and_then(Value::as_str).is_some();
        let classic = s("/error/name") && s("/error/message");
        // `detail` is a string, or a list of schema messages (official example
        // patchEnvironment400ErrorInvalidValue).
        let detail = s("/detail")
            || b.get("detail")
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_string));
        let problem = s("/type")
            && s("/title")
            && detail
            && b.get("status").and_then(Value::as_u64) == Some(resp.status as u64);
        let bare = s("/name") && s("/message") && b.get("error").is_none();
        self.check(
            classic || problem || bare,
            resp,
            "error body is none of the documented families: {error:{name,message}}, \
             {type,title,detail,status=<HTTP status>}, {name,message}",
        )
    }

    /// Expects `error.name` (family A/C) to be `name`.
    pub fn expect_error_name(&self, resp: &Resp, name: &str) -> bool {
        let got = resp
            .str_at("/error/name")
            .or_else(|| resp.str_at("/name"))
            .unwrap_or("<none>");
        self.check(
            got == name,
            resp,
            &format!("expected error name {name:?}, got {got:?}"),
        )
    }

    /// Expects the body to equal one of the official example bodies given (documented fixed
    /// text; callers substitute ids where the example carries one).
    pub fn expect_body_one_of(&self, resp: &Resp, expected: &[(&str, Value)]) -> bool {
        if expected.iter().any(|(_, v)| *v == resp.body) {
            return true;
        }
        let names: Vec<&str> = expected.iter().map(|(n, _)| *n).collect();
        let mut msg = format!(
            "{} {} → {}: body is not the documented one ({})",
            resp.method,
            resp.target,
            resp.status,
            names.join(" | ")
        );
        for (name, v) in expected {
            let _ = write!(msg, "\n    expected {name}: {v}");
        }
        let _ = write!(msg, "\n    got: {}", resp.short());
        self.fail(msg);
        false
    }

    /// Expects the body to equal the official example `name` (success.json/errors.json or the
    /// spec's inline example).
    pub fn expect_official(&self, resp: &Resp, name: &str) -> bool {
        self.expect_body_one_of(resp, &[(name, official(name))])
    }

    /// Expects a family-B problem with this `type` slug.
    pub fn expect_problem(&self, resp: &Resp, slug: &str) -> bool {
        let want = format!("https://api.postman.com/problems/{slug}");
        let got = resp.str_at("/type").unwrap_or("<none>");
        self.check(
            got == want,
            resp,
            &format!("expected problem type {want:?}, got {got:?}"),
        )
    }

    /// Shuts the sandbox down and fails the test with every recorded failure.
    pub async fn finish(mut self, name: &str) {
        if let Some(sb) = self.sandbox.take() {
            let _ = tokio::time::timeout(REQUEST_TIMEOUT, sb.shutdown()).await;
        }
        let checks = self.checks.lock().unwrap().clone();
        let distinct: std::collections::BTreeSet<&String> = checks.iter().collect();
        let failures = std::mem::take(&mut *self.failures.lock().unwrap());
        eprintln!(
            "{name}: {} spec-validated responses, {} failures",
            checks.len(),
            failures.len()
        );
        for c in distinct {
            eprintln!("  covered: {c}");
        }
        if !failures.is_empty() {
            panic!(
                "{name}: {} conformance failure(s):\n\n{}",
                failures.len(),
                failures.join("\n\n")
            );
        }
    }
}
