//! The variables an example resolves against: the environment's values over the collection's
//! `variable` (the environment wins). Values that name other variables are resolved up front
//! (8 levels deep at most); the text a Mock may add by expansion is bounded, so a hostile
//! `a = {{b}}{{b}}`, `b = {{c}}{{c}}`, … cannot blow memory up (past the bound, placeholders
//! stay as written).

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;

use serde_json::Value;

use crate::text::{scalar, tokens, Token};

const DEPTH: u32 = 8;
/// Bytes expansion may add over one Mock's preparation (values and example texts together).
const BUDGET: usize = 16 << 20;

#[derive(Debug)]
pub(crate) struct Vars {
    map: HashMap<String, String>,
    budget: Cell<usize>,
}

fn pairs<'a>(
    list: Option<&'a Value>,
    enabled: impl Fn(&Value) -> bool + 'a,
) -> Vec<(String, String)> {
    let Some(Value::Array(items)) = list else {
        return Vec::new();
    };
    items
        .iter()
        .filter(|v| v.is_object() && enabled(v))
        .filter_map(|v| {
            let key = v.get("key").and_then(scalar).filter(|k| !k.is_empty())?;
            let value = v.get("value").and_then(scalar).unwrap_or_default();
            Some((key, value))
        })
        .collect()
}

/// The environment's value list, from the array itself or the (wrapped) environment object.
fn env_values(env: Option<&Value>) -> Option<&Value> {
    let env = env?;
    match env {
        Value::Array(_) => Some(env),
        Value::Object(o) => o
            .get("values")
            .or_else(|| o.get("environment").and_then(|e| e.get("values"))),
        _ => None,
    }
}

impl Vars {
    pub(crate) fn new(collection: &Value, env: Option<&Value>) -> Vars {
        let list = collection
            .get("variable")
            .or_else(|| collection.get("variables"));
        let mut raw: HashMap<String, String> = HashMap::new();
        let coll = pairs(list, |v| v.get("disabled") != Some(&Value::Bool(true)));
        let envs = pairs(env_values(env), |v| {
            v.get("enabled") != Some(&Value::Bool(false))
        });
        raw.extend(coll);
        raw.extend(envs);
        let budget = Cell::new(BUDGET);
        let map = raw
            .iter()
            .map(|(k, v)| {
                let mut out = String::new();
                expand_into(
                    &mut out,
                    v,
                    &|n| raw.get(n).map(String::as_str),
                    DEPTH,
                    &budget,
                );
                (k.clone(), out)
            })
            .collect();
        Vars { map, budget }
    }

    /// The resolved value of a variable (`$…` names are never variables).
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.map.get(name).map(String::as_str)
    }

    /// `text` with every known `{{name}}` replaced; unknown ones (and `{{$…}}`) stay.
    pub(crate) fn expand<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if !text.contains("{{") || self.map.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        expand_into(&mut out, text, &|n| self.get(n), 1, &self.budget);
        Cow::Owned(out)
    }
}

fn expand_into<'v>(
    out: &mut String,
    text: &str,
    lookup: &dyn Fn(&str) -> Option<&'v str>,
    depth: u32,
    budget: &Cell<usize>,
) {
    tokens(text, |t| match t {
        Token::Lit(s) => out.push_str(s),
        Token::Var { inner, whole } => match lookup(inner) {
            Some(value) if depth > 0 && value.len() <= budget.get() => {
                budget.set(budget.get() - value.len());
                if depth > 1 && value.contains("{{") {
                    expand_into(out, value, lookup, depth - 1, budget);
                } else {
                    out.push_str(value);
                }
            }
            _ => out.push_str(whole),
        },
    });
}
