//! PATCH /collections/{id}: validation of `info`, `variable`, `auth` and `events` (with the
//! documented `badRequest` / `paramMissingError` messages) and merging them into the stored
//! collection.

use serde_json::{json, Map, Value};

use super::errors::{
    invalid_params, missing_collection_error, param_missing, params_required, server_error,
};
use super::model::{normalize_doc, StoredCollection};
use super::{PATCH_EVENTS_MERGE_BY_LISTEN, PATCH_VARIABLES_MERGE_BY_KEY};
use crate::error::ApiError;
use crate::model::{json_type, Ctx};

/// PATCH /collections/{id}. Returns the documented 200 body `{"collection":{id,name,description}}`.
pub fn patch(
    ctx: &mut Ctx,
    existing: &mut StoredCollection,
    body: &Value,
) -> Result<Value, ApiError> {
    let Some(Value::Object(c)) = body.get("collection") else {
        return Err(missing_collection_error());
    };
    if c.is_empty() {
        return Err(param_missing(
            "'info' key is mandatory when 'collection' is empty.".into(),
            "info",
        ));
    }
    const ALLOWED: [&str; 4] = ["info", "variable", "auth", "events"];
    reject_unknown(c, |k| !ALLOWED.contains(k), "collection")?;
    // Validate everything first.
    if let Some(info) = c.get("info") {
        check_patch_info(info)?;
    }
    if let Some(vars) = c.get("variable") {
        check_patch_variables(vars)?;
    }
    if let Some(auth) = c.get("auth") {
        check_patch_auth(auth)?;
    }
    if let Some(events) = c.get("events") {
        check_patch_events(events)?;
    }
    // Apply.
    if !existing.doc.is_object() {
        normalize_doc(&mut existing.doc);
    }
    let Some(doc) = existing.doc.as_object_mut() else {
        return Err(server_error());
    };
    if let Some(Value::Object(info)) = c.get("info") {
        if let Some(Value::Object(stored)) = doc.get_mut("info") {
            for (k, v) in info {
                stored.insert(k.clone(), v.clone());
            }
        }
    }
    if let Some(Value::Array(vars)) = c.get("variable") {
        merge_into(doc, "variable", vars, "key", PATCH_VARIABLES_MERGE_BY_KEY);
    }
    if let Some(auth) = c.get("auth") {
        doc.insert("auth".into(), auth.clone());
    }
    if let Some(Value::Array(events)) = c.get("events") {
        merge_into(doc, "event", events, "listen", PATCH_EVENTS_MERGE_BY_LISTEN);
    }
    existing.updated_at = ctx.now.to_owned();
    existing.last_updated_by = ctx.user_id;
    let mut out = json!({"id": existing.id, "name": existing.name()});
    if let (Some(d), Some(o)) = (existing.description(), out.as_object_mut()) {
        o.insert("description".into(), d.clone());
    }
    Ok(json!({ "collection": out }))
}

/// Merges `items` into the list `doc[list]` (made a list if it is not one): an item whose
/// `by` matches a stored one replaces it (when `replace`), others are appended.
fn merge_into(doc: &mut Map<String, Value>, list: &str, items: &[Value], by: &str, replace: bool) {
    let list = doc.entry(list).or_insert_with(|| json!([]));
    if !list.is_array() {
        *list = json!([]);
    }
    if let Value::Array(list) = list {
        for item in items {
            let id = item.get(by);
            match list.iter_mut().find(|x| x.get(by) == id) {
                Some(slot) if replace => *slot = item.clone(),
                _ => list.push(item.clone()),
            }
        }
    }
}

/// Refuses the keys of `o` that are `unknown`, naming them all.
fn reject_unknown(
    o: &Map<String, Value>,
    unknown: impl Fn(&&str) -> bool,
    at: &str,
) -> Result<(), ApiError> {
    let unknown: Vec<&str> = o.keys().map(String::as_str).filter(unknown).collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(invalid_params(&unknown, at))
    }
}

/// Requires every one of `keys` in `o`, naming the missing ones.
fn require(o: &Map<String, Value>, keys: &[&str], at: &str) -> Result<(), ApiError> {
    let missing: Vec<&str> = keys
        .iter()
        .copied()
        .filter(|k| !o.contains_key(*k))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(params_required(&missing, at))
    }
}

fn check_patch_info(info: &Value) -> Result<(), ApiError> {
    let Value::Object(info) = info else {
        return Err(invalid_params(&[json_type(info)], "collection.info"));
    };
    reject_unknown(
        info,
        |k| *k != "name" && *k != "description",
        "collection.info",
    )?;
    for k in ["name", "description"] {
        if let Some(v) = info.get(k) {
            if !v.is_string() {
                return Err(invalid_params(&[k], "collection.info"));
            }
        }
    }
    Ok(())
}

/// Keys a PATCH collection variable may carry. The schema (`collection-variable`) lists `key`,
/// `value`, `disabled`; the official "Update Variables" request body also sends `description`
/// (declared on GET variables), so we accept it too. Secret variables (`secret`, `source`,
/// `enabled`) are rejected: "Secret variables can't be set through this endpoint".
const PATCH_VARIABLE_KEYS: [&str; 4] = ["key", "value", "disabled", "description"];

fn check_patch_variables(vars: &Value) -> Result<(), ApiError> {
    let Value::Array(vars) = vars else {
        return Err(invalid_params(&["variable"], "collection"));
    };
    let key = "collection.variables";
    for v in vars {
        let Value::Object(o) = v else {
            return Err(invalid_params(&[json_type(v)], key));
        };
        // Required first: the official body with a secret variable (no `value`) gets the
        // documented "Parameters required: ('value') …".
        require(o, &["key", "value"], key)?;
        reject_unknown(o, |k| !PATCH_VARIABLE_KEYS.contains(k), key)?;
        let scalar = |v: &Value| v.is_string() || v.is_boolean() || v.is_i64() || v.is_u64();
        let bad: Vec<&str> = PATCH_VARIABLE_KEYS
            .into_iter()
            .filter(|k| match (*k, o.get(*k)) {
                (_, None) => false,
                ("value", Some(v)) => !scalar(v),
                ("disabled", Some(v)) => !v.is_boolean(),
                ("description", Some(v)) => v.as_str().is_none_or(|d| d.chars().count() > 512),
                (_, Some(v)) => !v.is_string(),
            })
            .collect();
        if !bad.is_empty() {
            return Err(invalid_params(&bad, key));
        }
    }
    Ok(())
}

/// `auth-2` type enum (PATCH/PUT schema).
const AUTH_TYPES: [&str; 12] = [
    "basic", "bearer", "apikey", "digest", "oauth1", "oauth2", "hawk", "awsv4", "ntlm", "edgegrid",
    "jwt", "asap",
];

fn check_patch_auth(auth: &Value) -> Result<(), ApiError> {
    let Value::Object(a) = auth else {
        return Err(invalid_params(&[json_type(auth)], "collection.auth"));
    };
    let Some(t) = a.get("type") else {
        return Err(params_required(&["type"], "collection.auth"));
    };
    let Some(t) = t.as_str().filter(|t| AUTH_TYPES.contains(t)) else {
        let shown = t.as_str().map_or_else(|| t.to_string(), str::to_owned);
        return Err(invalid_params(&[shown.as_str()], "collection.auth.type"));
    };
    reject_unknown(
        a,
        |k| *k != "type" && !AUTH_TYPES.contains(k),
        "collection.auth",
    )?;
    match a.get(t) {
        None => Err(param_missing(
            format!("The key '{t}' must be present in 'collection.auth' when 'type' is '{t}'."),
            t,
        )),
        Some(Value::Array(attrs)) => {
            for attr in attrs {
                let Value::Object(o) = attr else {
                    return Err(invalid_params(
                        &[json_type(attr)],
                        &format!("collection.auth.{t}"),
                    ));
                };
                if !o.get("key").is_some_and(Value::is_string) {
                    return Err(params_required(&["key"], &format!("collection.auth.{t}")));
                }
            }
            Ok(())
        }
        Some(_) => Err(invalid_params(&[t], "collection.auth")),
    }
}

fn check_patch_events(events: &Value) -> Result<(), ApiError> {
    let Value::Array(events) = events else {
        return Err(invalid_params(&["events"], "collection"));
    };
    for e in events {
        let Value::Object(o) = e else {
            return Err(invalid_params(&[json_type(e)], "collection.events"));
        };
        reject_unknown(o, |k| *k != "listen" && *k != "script", "collection.events")?;
        require(o, &["listen", "script"], "collection.events")?;
        match o.get("listen").and_then(Value::as_str) {
            Some("test" | "prerequest") => {}
            Some(other) => return Err(invalid_params(&[other], "collection.events.listen")),
            None => return Err(invalid_params(&["listen"], "collection.events")),
        }
        let Some(Value::Object(script)) = o.get("script") else {
            return Err(invalid_params(&["script"], "collection.events"));
        };
        reject_unknown(
            script,
            |k| !["id", "type", "exec", "packages"].contains(k),
            "collection.events.script",
        )?;
        require(script, &["id", "type", "exec"], "collection.events.script")?;
        let exec_ok = script
            .get("exec")
            .and_then(Value::as_array)
            .is_some_and(|lines| lines.iter().all(|l| l.is_string() || l.is_null()));
        let bad: Vec<&str> = [
            ("id", script.get("id").is_some_and(Value::is_string)),
            ("type", script.get("type").is_some_and(Value::is_string)),
            ("exec", exec_ok),
        ]
        .into_iter()
        .filter(|(_, ok)| !ok)
        .map(|(k, _)| k)
        .collect();
        if !bad.is_empty() {
            return Err(invalid_params(&bad, "collection.events.script"));
        }
    }
    Ok(())
}
