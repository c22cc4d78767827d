//! Request bodies: an example's `originalRequest.body` (prepared once) and the incoming one,
//! and their equality (§6 #13: structural when both parse as JSON, else the exact text; an
//! urlencoded example compares as form fields).

use std::cell::OnceCell;

use serde_json::Value;

use crate::query::Params;
use crate::text::scalar;
use crate::vars::Vars;

#[derive(Debug, Clone, Default)]
pub(crate) struct ExBody {
    /// The body as text (`raw`; `k=v&…` for urlencoded; "" for none, formdata and file).
    pub text: String,
    pub json: Option<Value>,
    /// urlencoded fields (disabled ones skipped).
    pub form: Option<Params>,
}

impl ExBody {
    /// From `originalRequest.body`, variables resolved.
    pub(crate) fn new(body: Option<&Value>, vars: &Vars) -> ExBody {
        let Some(body) = body.filter(|b| b.is_object()) else {
            return ExBody::default();
        };
        if body.get("disabled") == Some(&Value::Bool(true)) {
            return ExBody::default();
        }
        match body.get("mode").and_then(Value::as_str) {
            Some("urlencoded") => {
                let fields: Vec<(String, String)> = match body.get("urlencoded") {
                    Some(Value::Array(list)) => list
                        .iter()
                        .filter(|f| f.get("disabled") != Some(&Value::Bool(true)))
                        .filter_map(|f| {
                            let k = f.get("key").and_then(scalar)?;
                            let v = f.get("value").and_then(scalar).unwrap_or_default();
                            Some((vars.expand(&k).into_owned(), vars.expand(&v).into_owned()))
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                let text = fields
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("&");
                ExBody {
                    text,
                    json: None,
                    form: Some(Params::from_pairs(fields)),
                }
            }
            Some("graphql") => {
                let Some(g) = body.get("graphql").filter(|g| g.is_object()) else {
                    return ExBody::default();
                };
                let query = g.get("query").and_then(scalar).unwrap_or_default();
                let mut doc = serde_json::Map::new();
                doc.insert(
                    "query".into(),
                    Value::String(vars.expand(&query).into_owned()),
                );
                if let Some(v) = g.get("variables").and_then(scalar) {
                    let v = vars.expand(&v);
                    if let Ok(parsed) = serde_json::from_str::<Value>(&v) {
                        doc.insert("variables".into(), parsed);
                    }
                }
                let json = Value::Object(doc);
                ExBody {
                    text: json.to_string(),
                    json: Some(json),
                    form: None,
                }
            }
            Some("raw") | None => {
                let raw = body.get("raw").and_then(scalar).unwrap_or_default();
                let text = vars.expand(&raw).into_owned();
                let json = parse_json(text.as_bytes());
                ExBody {
                    text,
                    json,
                    form: None,
                }
            }
            // formdata, file: nothing comparable (equal to an empty body only).
            _ => ExBody::default(),
        }
    }
}

fn parse_json(b: &[u8]) -> Option<Value> {
    let first = b.iter().find(|c| !c.is_ascii_whitespace())?;
    // Cheap refusal of what cannot be JSON before running the parser.
    if !matches!(
        first,
        b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n'
    ) {
        return None;
    }
    serde_json::from_slice(b).ok()
}

/// The incoming body, parsed on demand (once).
#[derive(Debug)]
pub(crate) struct ReqBody<'a> {
    pub bytes: &'a [u8],
    json: OnceCell<Option<Value>>,
    form: OnceCell<Params>,
}

impl<'a> ReqBody<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> ReqBody<'a> {
        ReqBody {
            bytes,
            json: OnceCell::new(),
            form: OnceCell::new(),
        }
    }

    pub(crate) fn json(&self) -> Option<&Value> {
        self.json.get_or_init(|| parse_json(self.bytes)).as_ref()
    }

    pub(crate) fn form(&self) -> &Params {
        self.form
            .get_or_init(|| Params::parse(&String::from_utf8_lossy(self.bytes)))
    }

    pub(crate) fn text(&self) -> std::borrow::Cow<'a, str> {
        String::from_utf8_lossy(self.bytes)
    }

    /// Does the example's body equal this one?
    pub(crate) fn equals(&self, ex: &ExBody) -> bool {
        if let Some(form) = &ex.form {
            return form.same(self.form()) || ex.text.as_bytes() == self.bytes;
        }
        if let Some(ej) = &ex.json {
            if let Some(rj) = self.json() {
                return ej == rj;
            }
        }
        ex.text.as_bytes() == self.bytes
    }
}
