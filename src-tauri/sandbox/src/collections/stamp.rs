//! Item stamping: every folder, request and saved response gets `id`, `uid`, `createdAt` and
//! `updatedAt`, fresh (create, seed import) or kept by id (PUT, see the UNCONFIRMED rules).

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::{foreign_item_error, PUT_KEEPS_UNKNOWN_IDS, PUT_KEEPS_UPDATED_AT_OF_UNCHANGED_ITEMS};
use crate::error::ApiError;
use crate::model::Ctx;

pub(super) enum IdMode<'a, 'e> {
    /// Every element gets a fresh id (create, seed import).
    Fresh,
    /// PUT: supplied ids are kept when they are this collection's or unknown.
    Keep {
        /// This collection's stored elements by id.
        existing: HashMap<&'e str, &'e Map<String, Value>>,
        is_foreign: &'a dyn Fn(&str) -> bool,
        seen: HashSet<String>,
    },
}

pub(super) struct Stamper<'c, 'a, 'm, 'e> {
    pub(super) ctx: &'c mut Ctx<'a>,
    pub(super) owner: u64,
    pub(super) mode: IdMode<'m, 'e>,
}

const ITEM_SERVER_KEYS: [&str; 4] = ["id", "uid", "createdAt", "updatedAt"];

/// Is `k` part of an element's own content (not a child list, not a server field)?
fn is_own_key(k: &str) -> bool {
    !ITEM_SERVER_KEYS.contains(&k) && k != "item" && k != "response"
}

/// Same own content (ignoring children and server fields), without cloning.
fn same_own_content(a: &Map<String, Value>, b: &Map<String, Value>) -> bool {
    let count = |m: &Map<String, Value>| m.keys().filter(|k| is_own_key(k)).count();
    count(a) == count(b)
        && a.iter()
            .filter(|(k, _)| is_own_key(k))
            .all(|(k, v)| b.get(k) == Some(v))
}

impl Stamper<'_, '_, '_, '_> {
    pub(super) fn items(&mut self, items: &mut [Value]) -> Result<(), ApiError> {
        for item in items {
            let Some(obj) = item.as_object_mut() else {
                continue;
            };
            let is_folder = obj.get("item").is_some_and(Value::is_array);
            self.stamp(obj, if is_folder { "folder" } else { "request" })?;
            if is_folder {
                if let Some(Value::Array(children)) = obj.get_mut("item") {
                    self.items(children)?;
                }
            } else if let Some(Value::Array(responses)) = obj.get_mut("response") {
                for r in responses.iter_mut() {
                    if let Some(robj) = r.as_object_mut() {
                        self.stamp(robj, "response")?;
                    }
                }
            }
        }
        Ok(())
    }

    fn stamp(&mut self, obj: &mut Map<String, Value>, kind: &str) -> Result<(), ApiError> {
        let now = self.ctx.now.to_owned();
        let supplied = match obj.get("id") {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            _ => None,
        };
        let (id, created_at, updated_at) = match (&mut self.mode, supplied) {
            (
                IdMode::Keep {
                    existing,
                    is_foreign,
                    seen,
                },
                Some(id),
            ) => {
                if !seen.insert(id.clone()) {
                    return Err(foreign_item_error(kind, &id));
                }
                if let Some(old) = existing.get(id.as_str()) {
                    let stamp = |k: &str| old.get(k).and_then(Value::as_str).map(str::to_owned);
                    let unchanged =
                        PUT_KEEPS_UPDATED_AT_OF_UNCHANGED_ITEMS && same_own_content(obj, old);
                    let updated = stamp("updatedAt")
                        .filter(|_| unchanged)
                        .unwrap_or_else(|| now.clone());
                    let created = stamp("createdAt").unwrap_or_else(|| now.clone());
                    (id, created, updated)
                } else if is_foreign(&id) {
                    return Err(foreign_item_error(kind, &id));
                } else if PUT_KEEPS_UNKNOWN_IDS {
                    (id, now.clone(), now)
                } else {
                    ((self.ctx.new_id)(), now.clone(), now)
                }
            }
            _ => ((self.ctx.new_id)(), now.clone(), now),
        };
        obj.insert(
            "uid".into(),
            Value::String(format!("{}-{}", self.owner, id)),
        );
        obj.insert("id".into(), Value::String(id));
        obj.insert("createdAt".into(), Value::String(created_at));
        obj.insert("updatedAt".into(), Value::String(updated_at));
        Ok(())
    }
}
