//! The variables of a run ([`Vars`]) and Postman's `{{name}}` substitution.
//!
//! The substitution here and `replaceIn` in `js/pm.js` are the same algorithm (a test runs both
//! over the same inputs): a name is the text between `{{` and the first `}}` with no brace in it;
//! an unknown name is left as it is; passes repeat until one changes nothing (so a value that
//! holds a template, or a name built of another, resolves), at most [`REPLACE_DEPTH`] passes;
//! the text stops growing at [`REPLACE_MAX`] UTF-16 units (what would go past it is left as
//! is), so `a = "{{a}}{{a}}"` cannot blow up. Postman's dynamic variables (`{{$guid}}`,
//! `{{$timestamp}}`, …) are not resolved: the module reads no clock and no randomness.

use serde_json::Value;

/// Substitution passes at most (Postman's substitutor stops at about as many).
pub const REPLACE_DEPTH: usize = 20;
/// The longest a text grows by substitution, in UTF-16 units (JavaScript's string length).
pub const REPLACE_MAX: usize = 4 * 1024 * 1024;

/// Variables as the run holds them: ordered (insertion order kept), values as JSON.
///
/// A script's `set` stores the value's JSON (a number stays a number, an object an object); a
/// value JSON cannot represent (a function, `undefined`, a symbol, a BigInt, a cyclic object,
/// `NaN`/`Infinity`) is stored as its string form (`String(value)`, e.g. `"[object Object]"`).
/// A value nested deeper than `serde_json` reads (128 levels) comes back as its JSON text, a
/// string. Where a name occurs twice in one scope, the last occurrence is the value (as
/// Postman's variable lists do); a scope a script did not change is left exactly as it was.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Vars {
    /// `pm.environment`: the monitor's environment.
    pub environment: Vec<(String, Value)>,
    /// `pm.collectionVariables`: the collection's variables.
    pub collection: Vec<(String, Value)>,
    /// `pm.variables.set`: the local scope of the run.
    pub local: Vec<(String, Value)>,
}

/// The value of `name` in one scope: its last occurrence.
fn find<'a>(scope: &'a [(String, Value)], name: &str) -> Option<&'a Value> {
    scope.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// The text a value becomes in a template: a JSON string unquoted, anything else as JSON text.
pub(crate) fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Vars {
    /// The text `{{name}}` stands for, looked up in Postman's order: local, then environment,
    /// then collection variables. A JSON string comes unquoted, other values as JSON text
    /// (`3`, `true`, `{"a":1}`, `null`).
    pub fn resolve(&self, name: &str) -> Option<String> {
        find(&self.local, name)
            .or_else(|| find(&self.environment, name))
            .or_else(|| find(&self.collection, name))
            .map(text_of)
    }

    /// `text` with every `{{name}}` replaced by [`Vars::resolve`]; an unknown name is left as
    /// it is (see the module's notes for nesting and bounds).
    pub fn replace_in(&self, text: &str) -> String {
        replace_in(text, |name| self.resolve(name))
    }
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// `{{name}}` substitution with `lookup`; the algorithm of `replaceIn` in `js/pm.js`.
pub(crate) fn replace_in(text: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let mut s = text.to_owned();
    for _ in 0..REPLACE_DEPTH {
        let bytes = s.as_bytes();
        let mut out = String::new();
        let mut out_len = 0usize;
        let mut last = 0usize;
        let mut changed = false;
        let mut at = find_open(bytes, 0);
        while let Some(i) = at {
            let mut k = i + 2;
            while k < bytes.len() && bytes[k] != b'{' && bytes[k] != b'}' {
                k += 1;
            }
            if k + 1 < bytes.len() && bytes[k] == b'}' && bytes[k + 1] == b'}' {
                // `{`, `}` are ASCII: every index here is on a char boundary.
                if let Some(value) = lookup(&s[i + 2..k]) {
                    let before = &s[last..i];
                    let grown = out_len + utf16_len(before) + utf16_len(&value);
                    if grown > REPLACE_MAX {
                        out.push_str(&s[last..]);
                        return out;
                    }
                    out.push_str(before);
                    out.push_str(&value);
                    out_len = grown;
                    last = k + 2;
                    changed = true;
                }
                at = find_open(bytes, k + 2);
            } else {
                at = find_open(bytes, i + 1);
            }
        }
        if !changed {
            return s;
        }
        out.push_str(&s[last..]);
        s = out;
    }
    s
}

fn find_open(bytes: &[u8], from: usize) -> Option<usize> {
    let tail = bytes.get(from..)?;
    tail.windows(2).position(|w| w == b"{{").map(|p| p + from)
}
