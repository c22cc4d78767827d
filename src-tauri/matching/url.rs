//! An example's URL, string or object, reduced to what matching uses: path segments (as
//! written: `{{var}}`, `:name`), the path variables' values and the query pairs. The scheme and
//! host (a `{{url}}` host variable included) are ignored: the host is everything before the
//! first `/` after the scheme.

use serde_json::Value;

use crate::text::scalar;

#[derive(Debug, Default, PartialEq)]
pub(crate) struct RawUrl {
    /// Path segments, without the leading slash's empty one (`/` is `[""]`).
    pub path: Vec<String>,
    /// `url.variable`: `:name` values.
    pub variables: Vec<(String, String)>,
    /// Query pairs as written (not decoded).
    pub query: Vec<(String, String)>,
}

fn split_path(path: &str) -> Vec<String> {
    let p = path.strip_prefix('/').unwrap_or(path);
    p.split('/').map(str::to_string).collect()
}

fn split_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), v.to_string())
        })
        .collect()
}

/// `https://host/a/b?x=1` → (`/a/b`, `x=1`); `{{url}}/a` → `/a`; `//host/a` → `/a`; `/a` → `/a`.
fn split_raw(raw: &str) -> (&str, Option<&str>) {
    let raw = raw.trim();
    let raw = raw.split_once('#').map_or(raw, |(a, _)| a);
    let (before, query) = match raw.split_once('?') {
        Some((a, q)) => (a, Some(q)),
        None => (raw, None),
    };
    if before.starts_with('/') && !before.starts_with("//") {
        return (before, query);
    }
    let rest = match before.find("://") {
        Some(i) if !before[..i].contains('/') => &before[i + 3..],
        _ => before.strip_prefix("//").unwrap_or(before),
    };
    let path = rest.find('/').map_or("/", |i| &rest[i..]);
    (path, query)
}

fn raw_url(raw: &str) -> Option<RawUrl> {
    if raw.trim().is_empty() {
        return None;
    }
    let (path, query) = split_raw(raw);
    Some(RawUrl {
        path: split_path(path),
        variables: Vec::new(),
        query: query.map(split_query).unwrap_or_default(),
    })
}

fn pair(v: &Value) -> Option<(String, String)> {
    if !v.is_object() || v.get("disabled") == Some(&Value::Bool(true)) {
        return None;
    }
    let key = v.get("key").and_then(scalar).unwrap_or_default();
    let value = v.get("value").and_then(scalar).unwrap_or_default();
    Some((key, value))
}

/// The URL of an example, or None when there is nothing usable.
pub(crate) fn read(url: &Value) -> Option<RawUrl> {
    let o = match url {
        Value::String(s) => return raw_url(s),
        Value::Object(o) => o,
        _ => return None,
    };
    let raw = o
        .get("raw")
        .and_then(Value::as_str)
        .filter(|r| !r.trim().is_empty());
    let from_raw = raw.and_then(raw_url);
    let path = match o.get("path") {
        Some(Value::Array(parts)) => Some(
            parts
                .iter()
                .map(|p| match p {
                    Value::Object(_) => p.get("value").and_then(scalar).unwrap_or_default(),
                    other => scalar(other).unwrap_or_default(),
                })
                .collect::<Vec<_>>(),
        ),
        Some(Value::String(p)) => Some(split_path(p)),
        _ => None,
    };
    let has_host = matches!(o.get("host"), Some(Value::String(_) | Value::Array(_)));
    let path = match (path, &from_raw) {
        (Some(p), _) if !p.is_empty() => p,
        (_, Some(r)) => r.path.clone(),
        (Some(_), None) => vec![String::new()],
        (None, None) if has_host => vec![String::new()],
        (None, None) => return None,
    };
    let query = match o.get("query") {
        Some(Value::Array(list)) => list.iter().filter_map(pair).collect(),
        _ => from_raw.map(|r| r.query).unwrap_or_default(),
    };
    let variables = match o.get("variable") {
        Some(Value::Array(list)) => list.iter().filter_map(pair).collect(),
        _ => Vec::new(),
    };
    Some(RawUrl {
        path,
        variables,
        query,
    })
}
