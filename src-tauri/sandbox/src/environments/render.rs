//! Every response body of `/environments*`.

use serde_json::{json, Value};

use super::{StoredEnvironment, MASK_SECRET_VALUES};

fn rendered_values(e: &StoredEnvironment) -> Value {
    if !MASK_SECRET_VALUES {
        return Value::Array(e.values.clone());
    }
    Value::Array(
        e.values
            .iter()
            .map(|v| {
                let mut v = v.clone();
                if v.get("type").and_then(Value::as_str) == Some("secret") {
                    if let Some(o) = v.as_object_mut() {
                        o.insert("value".into(), Value::String(String::new()));
                    }
                }
                v
            })
            .collect(),
    )
}

/// `{"environment":{id,name,owner,createdAt,updatedAt,values,<last>}}`.
fn detail(e: &StoredEnvironment, last: &str, value: Value) -> Value {
    let mut env = json!({
        "id": e.id,
        "name": e.name,
        "owner": e.owner.to_string(),
        "createdAt": e.created_at,
        "updatedAt": e.updated_at,
        "values": rendered_values(e),
    });
    env[last] = value;
    json!({ "environment": env })
}

/// GET /environments/{id}: `{"environment":{id,name,owner,createdAt,updatedAt,values,isPublic}}`.
pub fn render_full(e: &StoredEnvironment) -> Value {
    detail(e, "isPublic", json!(e.is_public))
}

/// PATCH 200: `{"environment":{id,name,owner,createdAt,updatedAt,values,uid}}`.
pub fn render_patched(e: &StoredEnvironment) -> Value {
    detail(e, "uid", json!(e.uid()))
}

/// One element of `GET /environments`.
pub fn summary(e: &StoredEnvironment) -> Value {
    json!({
        "id": e.id,
        "name": e.name,
        "createdAt": e.created_at,
        "updatedAt": e.updated_at,
        "owner": e.owner.to_string(),
        "uid": e.uid(),
        "isPublic": e.is_public,
    })
}

/// POST and PUT 200 body: `{"environment":{id,name,uid}}`.
pub fn created_body(e: &StoredEnvironment) -> Value {
    json!({"environment": {"id": e.id, "name": e.name, "uid": e.uid()}})
}

/// PUT 200 body (same shape as create).
pub fn replaced_body(e: &StoredEnvironment) -> Value {
    created_body(e)
}

/// DELETE 200 body: `{"environment":{id,uid}}`.
pub fn deleted_body(e: &StoredEnvironment) -> Value {
    json!({"environment": {"id": e.id, "uid": e.uid()}})
}
