//! Import and export: collection and environment files in, portable documents and safely named
//! files out (never replacing one).

use postdesk_base::files::ExportFile;
use postdesk_drafts::{validate_collection, validate_collection_text, DraftError};
use postman_client::EnvVar;
use serde_json::{json, Value};

use crate::{LibraryError, MAX_IMPORT_BYTES, SCHEMA_V21};

/// A collection file's text (bare v2.1, or wrapped as `{"collection": …}` like the API answers)
/// checked against the v2.1 schema.
pub fn parse_collection_import(text: &str) -> Result<Value, LibraryError> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(LibraryError::invalid_import(
            "",
            format!(
                "The file is {} MB; Postman accepts collections of at most 30 MB.",
                text.len() / (1024 * 1024)
            ),
        ));
    }
    let parsed: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        // Let the validator report where the syntax breaks.
        Err(_) => return validate_collection_text(text).map_err(LibraryError::InvalidImport),
    };
    let doc = match parsed.get("collection") {
        Some(inner) if parsed.get("info").is_none() => inner.clone(),
        _ => parsed,
    };
    if doc
        .get("info")
        .and_then(|i| i.get("schema"))
        .and_then(Value::as_str)
        .is_some_and(|s| s.contains("v2.0.0"))
    {
        return Err(LibraryError::invalid_import(
            "info.schema",
            "This is a Collection v2.0 file; export it again from Postman as Collection v2.1.",
        ));
    }
    validate_collection(&doc).map_err(|errors| {
        // Positions are counted in the file as given.
        match validate_collection_text(text) {
            Err(e) if !e.is_empty() => LibraryError::InvalidImport(e),
            _ => LibraryError::InvalidImport(errors),
        }
    })?;
    Ok(portable_collection(&doc, true))
}

/// A Postman environment file (`{name, values}`, as Postman exports it, or `{"environment": …}`).
pub fn parse_environment_import(text: &str) -> Result<(String, Vec<EnvVar>), LibraryError> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(LibraryError::invalid_import(
            "",
            "The file is larger than the 30 MB Postman accepts.",
        ));
    }
    let parsed: Value = serde_json::from_str(text).map_err(|e| {
        LibraryError::InvalidImport(vec![DraftError {
            path: String::new(),
            line: e.line() as u32,
            column: e.column() as u32,
            message: format!("This is not valid JSON: {e}"),
        }])
    })?;
    let env = match parsed.get("environment") {
        Some(inner) if parsed.get("values").is_none() => inner,
        _ => &parsed,
    };
    let name = env
        .get("name")
        .and_then(Value::as_str)
        .map(str::trim)
        .unwrap_or("")
        .to_owned();
    let values = match env.get("values") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => {
            let mut out = Vec::with_capacity(a.len());
            for (i, v) in a.iter().enumerate() {
                let key = v.get("key").and_then(Value::as_str).ok_or_else(|| {
                    LibraryError::invalid_import(
                        &format!("values[{i}].key"),
                        "Each variable needs a \"key\" text.",
                    )
                })?;
                out.push(EnvVar {
                    key: key.to_owned(),
                    value: Some(match v.get("value") {
                        Some(Value::String(s)) => s.clone(),
                        None | Some(Value::Null) => String::new(),
                        Some(o) => o.to_string(),
                    }),
                    enabled: Some(v.get("enabled").and_then(Value::as_bool).unwrap_or(true)),
                    kind: Some(
                        if v.get("type").and_then(Value::as_str) == Some("secret") {
                            "secret"
                        } else {
                            "default"
                        }
                        .to_owned(),
                    ),
                    description: v
                        .get("description")
                        .and_then(Value::as_str)
                        .map(|d| d.chars().take(512).collect()),
                    secret: None,
                });
            }
            out
        }
        Some(_) => {
            return Err(LibraryError::invalid_import(
                "values",
                "\"values\" must be a list of variables.",
            ))
        }
    };
    if name.is_empty() && env.get("values").is_none() {
        return Err(LibraryError::invalid_import(
            "",
            "This is not a Postman environment file (no \"name\" and no \"values\").",
        ));
    }
    Ok((name, values))
}

/// The collection without the server's bookkeeping (`uid`, `updatedAt`, … in `info`); with
/// `fresh_ids` also without `_postman_id` and item/response ids, so Postman gives new ones.
pub fn portable_collection(doc: &Value, fresh_ids: bool) -> Value {
    let mut out = doc.clone();
    if let Some(info) = out.get_mut("info").and_then(Value::as_object_mut) {
        for k in [
            "uid",
            "createdAt",
            "updatedAt",
            "lastUpdatedBy",
            "fork",
            "owner",
        ] {
            info.remove(k);
        }
        if fresh_ids {
            info.remove("_postman_id");
        }
        if !info.contains_key("schema") {
            info.insert("schema".into(), json!(SCHEMA_V21));
        }
    }
    if fresh_ids {
        strip_ids(out.get_mut("item"), 0);
    }
    out
}

fn strip_ids(items: Option<&mut Value>, depth: u32) {
    let Some(list) = items.and_then(Value::as_array_mut) else {
        return;
    };
    if depth > 200 {
        return;
    }
    for it in list {
        if let Some(o) = it.as_object_mut() {
            o.remove("id");
            o.remove("uid");
            if let Some(rs) = o.get_mut("response").and_then(Value::as_array_mut) {
                for r in rs {
                    if let Some(ro) = r.as_object_mut() {
                        ro.remove("id");
                        ro.remove("uid");
                    }
                }
            }
            strip_ids(o.get_mut("item"), depth + 1);
        }
    }
}

pub use postdesk_base::files::safe_file_stem;

/// The text of a file the user picked to import: refused before reading when it is over 30 MB,
/// or when it is not UTF-8 text; nothing is sent either way.
pub fn read_import_file(path: &std::path::Path) -> Result<String, LibraryError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let unreadable = |e: std::io::Error| {
        LibraryError::invalid_import("", format!("\"{name}\" could not be read ({e})."))
    };
    let len = std::fs::metadata(path).map_err(unreadable)?.len();
    if len > MAX_IMPORT_BYTES as u64 {
        return Err(LibraryError::invalid_import(
            "",
            format!(
                "\"{name}\" is {} MB; Postman accepts at most 30 MB. Nothing was sent.",
                len / (1024 * 1024)
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    String::from_utf8(bytes).map_err(|_| {
        LibraryError::invalid_import("", format!("\"{name}\" is not a JSON text file (UTF-8)."))
    })
}

/// An export of `doc` named after `name` (made safe): `<name>.<suffix>`, pretty JSON. Where it
/// goes is the user's choice (the save dialog), not the library's.
pub(crate) fn export_file(
    name: &str,
    kind: &'static str,
    suffix: &str,
    doc: &Value,
) -> Result<ExportFile, LibraryError> {
    let bytes = serde_json::to_vec_pretty(doc).map_err(|e| LibraryError::Export {
        path: name.to_owned(),
        reason: e.to_string(),
    })?;
    Ok(ExportFile {
        file_name: format!("{}.{suffix}", safe_file_stem(name, "export")),
        kind,
        extension: "json",
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_accept_bare_and_wrapped_files() {
        let bare = format!(
            r#"{{"info":{{"name":"A","_postman_id":"x","schema":"{SCHEMA_V21}"}},"item":[{{"id":"i1","name":"r","request":"https://x"}}]}}"#
        );
        let doc = parse_collection_import(&bare).unwrap();
        assert_eq!(doc["info"]["name"], "A");
        assert!(doc["info"].get("_postman_id").is_none());
        assert!(doc["item"][0].get("id").is_none());
        let wrapped = format!(r#"{{"collection":{bare}}}"#);
        assert_eq!(
            parse_collection_import(&wrapped).unwrap()["info"]["name"],
            "A"
        );
        let err = parse_collection_import("{\"info\": ").unwrap_err();
        assert!(matches!(err, LibraryError::InvalidImport(_)));
        let env = r#"{"id":"e","name":"Prod","values":[{"key":"token","value":"s3","type":"secret","enabled":true}],"_postman_variable_scope":"environment"}"#;
        let (name, values) = parse_environment_import(env).unwrap();
        assert_eq!(name, "Prod");
        assert_eq!(values[0].kind.as_deref(), Some("secret"));
        assert!(parse_environment_import("[1,2]").is_err());
    }
}
