//! The requests of a monitor run, taken from the collection document: in run order (folders
//! depth first) with the scripts that wrap them and the auth in force ([`steps_of`]); built as
//! `pm.request` shows them to a pre-request script ([`build`]), then resolved with the
//! variables and given their auth ([`resolve`]). Which hosts a run may reach: loopback only
//! ([`refused_host`]).

use super::script::{self, Vars};
use serde_json::{json, Value};
use std::net::IpAddr;

/// One request of the run, with the scripts that wrap it (collection, folders, request).
#[derive(Debug, Clone)]
pub struct Step {
    pub name: String,
    pub id: String,
    /// The request object of the collection item (`url`, `method`, `header`, `body`, `auth`).
    pub request: Value,
    /// The auth in force: the request's, else the nearest folder's, else the collection's.
    pub auth: Option<Value>,
    pub prerequest: Vec<String>,
    pub tests: Vec<String>,
}

pub(crate) fn scripts_of(events: Option<&Value>, listen: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in events.and_then(Value::as_array).into_iter().flatten() {
        if e.get("listen").and_then(Value::as_str) != Some(listen)
            || e.get("disabled").and_then(Value::as_bool) == Some(true)
        {
            continue;
        }
        let exec = &e["script"]["exec"];
        let text = match exec {
            Value::String(s) => s.clone(),
            Value::Array(lines) => lines
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("\n"),
            _ => continue,
        };
        if !text.trim().is_empty() {
            out.push(text);
        }
    }
    out
}

pub(crate) fn vars_of(list: Option<&Value>, enabled_key: &str) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = Vec::new();
    for v in list.and_then(Value::as_array).into_iter().flatten() {
        let Some(k) = v.get("key").and_then(Value::as_str) else {
            continue;
        };
        let off = match enabled_key {
            "enabled" => v.get("enabled").and_then(Value::as_bool) == Some(false),
            _ => v.get("disabled").and_then(Value::as_bool) == Some(true),
        };
        if off {
            continue;
        }
        let value = v
            .get("value")
            .cloned()
            .unwrap_or(Value::String(String::new()));
        out.retain(|(name, _)| name != k);
        out.push((k.to_owned(), value));
    }
    out
}

struct Walk<'a> {
    steps: &'a mut Vec<Step>,
    pre: Vec<String>,
    tests: Vec<String>,
    auth: Option<Value>,
}

fn walk(items: &[Value], w: &mut Walk) {
    for item in items {
        let pre_len = w.pre.len();
        let tests_len = w.tests.len();
        let saved_auth = w.auth.clone();
        w.pre.extend(scripts_of(item.get("event"), "prerequest"));
        w.tests.extend(scripts_of(item.get("event"), "test"));
        if let Some(a) = item.get("auth").filter(|a| a.is_object()) {
            w.auth = Some(a.clone());
        }
        if let Some(children) = item.get("item").and_then(Value::as_array) {
            walk(children, w);
        } else if let Some(req) = item.get("request") {
            let request = match req {
                Value::String(url) => json!({"url": url, "method": "GET"}),
                other => other.clone(),
            };
            let auth = request
                .get("auth")
                .filter(|a| a.is_object())
                .cloned()
                .or_else(|| w.auth.clone());
            w.steps.push(Step {
                name: item
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned(),
                id: item
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned(),
                request,
                auth,
                prerequest: w.pre.clone(),
                tests: w.tests.clone(),
            });
        }
        w.pre.truncate(pre_len);
        w.tests.truncate(tests_len);
        w.auth = saved_auth;
    }
}

/// The requests of a collection document in run order (folders depth first), with their
/// scripts and auth.
pub fn steps_of(doc: &Value) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut w = Walk {
        steps: &mut steps,
        pre: scripts_of(doc.get("event"), "prerequest"),
        tests: scripts_of(doc.get("event"), "test"),
        auth: doc.get("auth").filter(|a| a.is_object()).cloned(),
    };
    if let Some(items) = doc.get("item").and_then(Value::as_array) {
        walk(items, &mut w);
    }
    steps
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The request of a step as its templates stand (`{{name}}` unresolved, as `pm.request` shows
/// it to a pre-request script; auth is added after them, as Postman does); an urlencoded body is resolved and encoded
/// here with the variables as they are before the pre-request scripts.
pub(crate) fn build(step: &Step, vars: &Vars) -> script::Request {
    let r = &step.request;
    let url = match r.get("url") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(u)) => u.get("raw").map(text_of).unwrap_or_default(),
        _ => String::new(),
    };
    let method = r
        .get("method")
        .and_then(Value::as_str)
        .unwrap_or("GET")
        .to_ascii_uppercase();
    let mut headers: Vec<(String, String)> = Vec::new();
    for h in r
        .get("header")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if h.get("disabled").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        if let Some(k) = h.get("key").and_then(Value::as_str) {
            let v = h.get("value").map(text_of).unwrap_or_default();
            headers.push((k.to_owned(), v));
        }
    }
    let body = r.get("body").and_then(|b| {
        if b.get("disabled").and_then(Value::as_bool) == Some(true) {
            return None;
        }
        match b.get("mode").and_then(Value::as_str) {
            Some("raw") => Some(b.get("raw").map(text_of).unwrap_or_default()),
            Some("urlencoded") => {
                let pairs: Vec<String> = b["urlencoded"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|p| p.get("disabled").and_then(Value::as_bool) != Some(true))
                    .map(|p| {
                        let k = vars.replace_in(&p.get("key").map(text_of).unwrap_or_default());
                        let v = vars.replace_in(&p.get("value").map(text_of).unwrap_or_default());
                        format!("{}={}", form_encode(&k), form_encode(&v))
                    })
                    .collect();
                if !has(&headers, "content-type") {
                    headers.push((
                        "Content-Type".into(),
                        "application/x-www-form-urlencoded".into(),
                    ));
                }
                Some(pairs.join("&"))
            }
            _ => None,
        }
    });
    script::Request {
        method,
        url,
        headers,
        body,
    }
}

/// The request with every `{{name}}` resolved and the auth in force added (after the
/// pre-request scripts ran).
pub(crate) fn resolve(req: &mut script::Request, vars: &Vars, auth: Option<&Value>) {
    req.url = vars.replace_in(&req.url);
    for (k, v) in &mut req.headers {
        *k = vars.replace_in(k);
        *v = vars.replace_in(v);
    }
    if let Some(b) = &mut req.body {
        *b = vars.replace_in(b);
    }
    if let Some(auth) = auth {
        apply_auth(auth, vars, &mut req.headers);
    }
}

fn form_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn has(headers: &[(String, String)], name: &str) -> bool {
    headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name))
}

/// The value of `key` in an auth type's parameter list (`[{key, value}]`).
fn auth_param(auth: &Value, kind: &str, key: &str, vars: &Vars) -> Option<String> {
    let list = auth.get(kind)?.as_array()?;
    let v = list
        .iter()
        .find(|p| p.get("key").and_then(Value::as_str) == Some(key))?;
    Some(vars.replace_in(&v.get("value").map(text_of).unwrap_or_default()))
}

/// Adds the header of `bearer`, `basic` and `apikey` (in header) auth; a header the request
/// sets itself wins. Other auth types send nothing.
fn apply_auth(auth: &Value, vars: &Vars, headers: &mut Vec<(String, String)>) {
    let kind = auth.get("type").and_then(Value::as_str).unwrap_or("noauth");
    match kind {
        "bearer" if !has(headers, "authorization") => {
            if let Some(t) = auth_param(auth, "bearer", "token", vars) {
                headers.push(("Authorization".into(), format!("Bearer {t}")));
            }
        }
        "basic" if !has(headers, "authorization") => {
            let user = auth_param(auth, "basic", "username", vars).unwrap_or_default();
            let pass = auth_param(auth, "basic", "password", vars).unwrap_or_default();
            let token = crate::rng::b64_encode(format!("{user}:{pass}").as_bytes());
            headers.push(("Authorization".into(), format!("Basic {token}")));
        }
        "apikey" => {
            let inside = auth_param(auth, "apikey", "in", vars).unwrap_or_else(|| "header".into());
            let key = auth_param(auth, "apikey", "key", vars).unwrap_or_default();
            if inside == "header" && !key.is_empty() && !has(headers, &key) {
                let value = auth_param(auth, "apikey", "value", vars).unwrap_or_default();
                headers.push((key, value));
            }
        }
        _ => {}
    }
}

/// Why a request was not answered, as a cloud run reports it.
pub(crate) fn refused_host(url: &str) -> Option<(String, String)> {
    let parsed = match reqwest::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => u,
        _ => return Some(("Error".into(), format!("Invalid URI \"{url}\""))),
    };
    let host = parsed.host_str().unwrap_or("");
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = host.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    (!loopback).then(|| ("Error".into(), format!("getaddrinfo ENOTFOUND {host}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_follow_folders_depth_first_with_their_scripts_and_auth() {
        let doc = json!({
            "event": [{"listen": "test", "script": {"exec": ["pm.test('c', () => {})"]}}],
            "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{t}}"}]},
            "item": [
                {"name": "F", "event": [{"listen": "prerequest", "script": {"exec": "// f"}}],
                 "auth": {"type": "noauth"},
                 "item": [{"name": "a", "request": "http://127.0.0.1/a"}]},
                {"name": "b", "request": {"method": "post", "url": {"raw": "http://localhost/b"}},
                 "event": [{"listen": "test", "script": {"exec": ["// b"]}, "disabled": true}]},
            ]
        });
        let steps = steps_of(&doc);
        let names: Vec<&str> = steps.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(steps[0].prerequest, ["// f"]);
        assert_eq!(steps[0].tests.len(), 1);
        assert_eq!(steps[0].auth.as_ref().unwrap()["type"], "noauth");
        assert_eq!(steps[1].auth.as_ref().unwrap()["type"], "bearer");
        assert_eq!(steps[1].tests.len(), 1, "the disabled script is not run");
    }

    #[test]
    fn a_request_is_built_with_variables_and_auth_resolved() {
        let doc = json!({"auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{t}}"}]},
            "item": [{"name": "r", "request": {"method": "put", "url": "{{base}}/x?q={{q}}",
                "header": [{"key": "X-A", "value": "{{a}}"}, {"key": "X-Off", "value": "1", "disabled": true}],
                "body": {"mode": "urlencoded", "urlencoded": [{"key": "k", "value": "a b&c"}]}}}]});
        let vars = Vars {
            environment: vec![
                ("base".into(), json!("http://127.0.0.1:9")),
                ("a".into(), json!(1)),
            ],
            collection: vec![("t".into(), json!("tok")), ("q".into(), json!("z"))],
            local: vec![],
        };
        let mut out = build(&steps_of(&doc)[0], &vars);
        assert_eq!(
            out.url, "{{base}}/x?q={{q}}",
            "templates stand until the pre-request scripts ran"
        );
        resolve(&mut out, &vars, steps_of(&doc)[0].auth.as_ref());
        assert_eq!(out.method, "PUT");
        assert_eq!(out.url, "http://127.0.0.1:9/x?q=z");
        assert_eq!(out.body.as_deref(), Some("k=a+b%26c"));
        let h: Vec<(&str, &str)> = out
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            h,
            [
                ("X-A", "1"),
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Authorization", "Bearer tok")
            ]
        );
    }

    #[test]
    fn only_loopback_hosts_are_reached() {
        for ok in [
            "http://127.0.0.1:8080/x",
            "http://localhost/x",
            "https://[::1]:1/",
            "http://127.1.2.3/",
        ] {
            assert_eq!(refused_host(ok), None, "{ok}");
        }
        assert_eq!(
            refused_host("https://api.example.com/x")
                .map(|e| e.1)
                .as_deref(),
            Some("getaddrinfo ENOTFOUND api.example.com")
        );
        assert_eq!(
            refused_host("{{base}}/x").map(|e| e.1).as_deref(),
            Some("Invalid URI \"{{base}}/x\"")
        );
        assert!(refused_host("ftp://127.0.0.1/").is_some());
    }
}
