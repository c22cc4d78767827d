//! `Mock::new`: every saved example of the collection (through folders, in document order),
//! read once into what `serve` scans.

use serde_json::Value;

use crate::body::ExBody;
use crate::path::ExPath;
use crate::query::Params;
use crate::render::Template;
use crate::text::{decode, scalar, tokens, Token};
use crate::url::{self, RawUrl};
use crate::vars::Vars;

#[derive(Debug, Clone)]
pub(crate) struct Example {
    pub id: String,
    pub uid: Option<String>,
    pub name: String,
    pub status: u16,
    /// Uppercase.
    pub method: String,
    pub path: ExPath,
    pub query: Params,
    /// `originalRequest.header` (enabled), names lowercased, values resolved.
    pub headers: Vec<(String, String)>,
    pub body: ExBody,
    pub resp_headers: Vec<(Template, Template)>,
    pub resp_body: Template,
}

/// The collection object itself, out of a `{"collection": {...}}` wrapper if need be.
fn root(doc: &Value) -> &Value {
    match doc.get("collection") {
        Some(c) if c.is_object() && doc.get("item").is_none() => c,
        _ => doc,
    }
}

pub(crate) fn examples(doc: &Value, env: Option<&Value>) -> Vec<Example> {
    let root = root(doc);
    if !root.is_object() {
        return Vec::new();
    }
    let vars = Vars::new(root, env);
    let mut out = Vec::new();
    let top = match root.get("item") {
        Some(Value::Array(items)) => items.iter(),
        _ => [].iter(),
    };
    // Folders nest arbitrarily deep: a stack, not recursion.
    let mut stack = vec![top];
    while let Some(level) = stack.last_mut() {
        let Some(item) = level.next() else {
            stack.pop();
            continue;
        };
        if !item.is_object() {
            continue;
        }
        if let Some(Value::Array(responses)) = item.get("response") {
            let request = item.get("request");
            out.extend(responses.iter().filter_map(|r| example(request, r, &vars)));
        }
        if let Some(Value::Array(children)) = item.get("item") {
            stack.push(children.iter());
        }
    }
    out
}

/// A header list: an array of `{key, value, disabled}` or the raw `Key: value` lines.
fn header_list(h: Option<&Value>) -> Vec<(String, String)> {
    match h {
        Some(Value::Array(list)) => list
            .iter()
            .filter(|x| x.is_object() && x.get("disabled") != Some(&Value::Bool(true)))
            .filter_map(|x| {
                let key = x
                    .get("key")
                    .and_then(scalar)
                    .filter(|k| !k.trim().is_empty())?;
                Some((key, x.get("value").and_then(scalar).unwrap_or_default()))
            })
            .collect(),
        Some(Value::String(lines)) => lines
            .lines()
            .filter_map(|l| l.split_once(':'))
            .filter(|(k, _)| !k.trim().is_empty())
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect(),
        _ => Vec::new(),
    }
}

/// `{{name}}` and nothing else (not `{{$…}}`): the name.
fn sole_placeholder(s: &str) -> Option<&str> {
    let mut name = None;
    let mut count = 0;
    tokens(s, |t| {
        count += 1;
        if let Token::Var { inner, .. } = t {
            name = Some(inner);
        }
    });
    name.filter(|n| count == 1 && !n.trim().is_empty() && !n.trim_start().starts_with('$'))
}

/// One written segment, variables resolved: literal segments (a value may hold slashes), or
/// a wildcard when a variable is unresolved or a `:name` has no value.
fn push_segments(out: &mut Vec<(String, Option<String>)>, seg: &str, u: &RawUrl, vars: &Vars) {
    if let Some(name) = seg.strip_prefix(':').filter(|n| !n.is_empty()) {
        let value = u.variables.iter().find(|(k, _)| k == name).map(|(_, v)| v);
        match value.filter(|v| !v.is_empty()) {
            Some(v) => {
                let v = vars.expand(v);
                for part in v.split('/') {
                    out.push(classify(part));
                }
            }
            None => out.push((seg.to_string(), Some(name.to_string()))),
        }
        return;
    }
    let expanded = vars.expand(seg);
    for part in expanded.split('/') {
        out.push(classify(part));
    }
}

fn classify(part: &str) -> (String, Option<String>) {
    let wild = sole_placeholder(part).map(str::to_string);
    (part.to_string(), wild)
}

fn status(code: Option<&Value>) -> u16 {
    let n = match code {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    n.and_then(|n| u16::try_from(n).ok()).unwrap_or(200)
}

fn example(parent: Option<&Value>, resp: &Value, vars: &Vars) -> Option<Example> {
    if !resp.is_object() {
        return None;
    }
    // `request` is where pre-2.0 exports kept the original request.
    let orig = resp.get("originalRequest").or_else(|| resp.get("request"));
    fn url_of(r: Option<&Value>) -> Option<&Value> {
        match r {
            Some(Value::String(_)) => r,
            Some(Value::Object(o)) => o.get("url").filter(|u| !u.is_null()),
            _ => None,
        }
    }
    let method_of = |r: Option<&Value>| {
        r.and_then(|r| r.get("method"))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(str::to_ascii_uppercase)
    };
    let u = url_of(orig)
        .and_then(url::read)
        .or_else(|| url_of(parent).and_then(url::read))?;
    let method = method_of(orig)
        .or_else(|| method_of(parent))
        .unwrap_or_else(|| "GET".to_string());

    let mut segs = Vec::with_capacity(u.path.len());
    for seg in &u.path {
        push_segments(&mut segs, seg, &u, vars);
    }
    if segs.is_empty() {
        segs.push((String::new(), None));
    }
    let query = Params::from_pairs(u.query.iter().map(|(k, v)| {
        let (k, v) = (vars.expand(k), vars.expand(v));
        (decode(&k, true).into_owned(), decode(&v, true).into_owned())
    }));
    let orig_obj = orig.filter(|o| o.is_object());
    let headers = header_list(orig_obj.and_then(|o| o.get("header")))
        .into_iter()
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), vars.expand(&v).into_owned()))
        .collect();
    let body = ExBody::new(orig_obj.and_then(|o| o.get("body")), vars);
    let resp_headers = header_list(resp.get("header"))
        .iter()
        .map(|(k, v)| (Template::compile(k, vars), Template::compile(v, vars)))
        .collect();
    let text = match resp.get("body") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => match resp.get("data") {
            // Pre-2.0 exports kept the response body in `data`.
            Some(Value::String(s)) => s.clone(),
            _ => String::new(),
        },
        Some(other) => other.to_string(),
    };
    Some(Example {
        id: resp.get("id").and_then(scalar).unwrap_or_default(),
        uid: resp.get("uid").and_then(scalar),
        name: resp.get("name").and_then(scalar).unwrap_or_default(),
        status: status(resp.get("code")),
        method,
        path: ExPath::new(segs),
        query,
        headers,
        body,
        resp_headers,
        resp_body: Template::compile(&text, vars),
    })
}
