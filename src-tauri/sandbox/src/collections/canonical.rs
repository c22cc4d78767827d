//! Canonical forms. The v2.1 format allows loose shorthands that the API's getCollection schema
//! does not (a script's `exec` as one string, a URL's `host`/`path` as strings, a saved
//! response's `originalRequest` as a URL string, `responseTime` as a string, `body: null`).
//! Postman stores a collection through its collection SDK, which expands every shorthand into
//! the documented long form; the sandbox does the same on create, PUT and seed, expanding only
//! what the format itself defines (nothing is guessed: a URL string stays a string, since the
//! schema allows it). UNCONFIRMED in the details, kept together here.

use serde_json::{json, Map, Value};

pub(super) fn canonicalize_items(items: &mut [Value]) {
    for item in items {
        let Some(obj) = item.as_object_mut() else {
            continue;
        };
        canonicalize_events(obj);
        if let Some(Value::Array(children)) = obj.get_mut("item") {
            canonicalize_items(children);
        }
        if let Some(request) = obj.get_mut("request") {
            canonicalize_request(request);
        }
        if let Some(Value::Array(responses)) = obj.get_mut("response") {
            for response in responses.iter_mut().filter_map(Value::as_object_mut) {
                if let Some(request) = response.get_mut("originalRequest") {
                    canonicalize_request(request);
                }
                if let Some(Value::String(t)) = response.get("responseTime") {
                    let ms = t
                        .trim()
                        .parse::<f64>()
                        .ok()
                        .and_then(serde_json::Number::from_f64);
                    response.insert("responseTime".into(), ms.map_or(Value::Null, Value::Number));
                }
            }
        }
    }
}

/// `script.exec` given as one string is the same script as the array of its lines.
pub(super) fn canonicalize_events(obj: &mut Map<String, Value>) {
    let Some(Value::Array(events)) = obj.get_mut("event") else {
        return;
    };
    for script in events
        .iter_mut()
        .filter_map(|e| e.get_mut("script").and_then(Value::as_object_mut))
    {
        if let Some(Value::String(exec)) = script.get("exec") {
            let lines = strings(exec.split('\n'));
            script.insert("exec".into(), lines);
        }
    }
}

/// A request given as a string is a GET of that URL (v2.1); `body: null` means no body; a URL
/// object's `host` string is its dot-separated parts and its `path` string its `/` segments.
fn canonicalize_request(request: &mut Value) {
    if let Value::String(url) = request {
        *request = json!({"url": std::mem::take(url), "method": "GET"});
        return;
    }
    let Some(obj) = request.as_object_mut() else {
        return;
    };
    if obj.get("body").is_some_and(Value::is_null) {
        obj.remove("body");
    }
    if let Some(Value::Object(url)) = obj.get_mut("url") {
        if let Some(Value::String(host)) = url.get("host") {
            let parts = strings(host.split('.'));
            url.insert("host".into(), parts);
        }
        if let Some(Value::String(path)) = url.get("path") {
            let parts = strings(path.split('/').filter(|p| !p.is_empty()));
            url.insert("path".into(), parts);
        }
    }
}

/// A JSON array of these strings.
fn strings<'s>(parts: impl Iterator<Item = &'s str>) -> Value {
    Value::Array(parts.map(|p| Value::String(p.to_owned())).collect())
}
