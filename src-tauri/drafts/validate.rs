//! [`validate_collection_text`]: parses the edited text and checks it against the vendored
//! Collection v2.1 schema; every problem points at its JSON path and at its line/column in the
//! text, found by a linear scan of the text ([`PositionIndex`]).

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

/// One problem of a draft, where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DraftError {
    /// e.g. `item[3].request.url`; `""` for the whole document.
    pub path: String,
    /// 1-based.
    pub line: u32,
    /// 1-based, in characters.
    pub column: u32,
    pub message: String,
}

impl std::fmt::Display for DraftError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.path.is_empty() {
            "the collection".to_owned()
        } else {
            self.path.clone()
        };
        write!(
            f,
            "line {}, column {} ({at}): {}",
            self.line, self.column, self.message
        )
    }
}

use postman_schemas::jsonschema;

/// Parses `text` and checks it against the Collection v2.1 schema. `Ok` is the parsed document;
/// malformed JSON is one error at serde_json's line/column; schema problems are each mapped to
/// the position of the offending value in `text`.
pub fn validate_collection_text(text: &str) -> Result<Value, Vec<DraftError>> {
    let doc: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Err(vec![DraftError {
                path: String::new(),
                line: u32::try_from(e.line()).unwrap_or(u32::MAX),
                column: u32::try_from(e.column()).unwrap_or(u32::MAX),
                message: format!("This is not valid JSON: {}", json_message(&e)),
            }])
        }
    };
    let v = postman_schemas::collection_v21();
    let mut found: Vec<(String, String)> = Vec::new();
    for err in v.iter_errors(&doc) {
        collect(&err, &mut found);
    }
    if found.is_empty() {
        return Ok(doc);
    }
    let mut seen = HashSet::new();
    found.retain(|e| seen.insert(e.clone()));
    let wanted: HashSet<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    let index = PositionIndex::build(text, Some(&wanted));
    let lines = LineIndex::new(text);
    let mut out: Vec<(usize, DraftError)> = found
        .iter()
        .map(|(pointer, message)| {
            let offset = index.offset(pointer).unwrap_or(0);
            let (line, column) = lines.line_col(text, offset);
            (
                offset,
                DraftError {
                    path: display_path(pointer),
                    line,
                    column,
                    message: message.clone(),
                },
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.message.cmp(&b.1.message)));
    Err(out.into_iter().map(|(_, e)| e).collect())
}

/// Checks an already parsed collection document. Positions refer to its pretty-printed text
/// (`serde_json::to_string_pretty`), the form in which a draft is shown for editing.
pub fn validate_collection(doc: &Value) -> Result<(), Vec<DraftError>> {
    if postman_schemas::collection_v21().is_valid(doc) {
        return Ok(());
    }
    let text = serde_json::to_string_pretty(doc).unwrap_or_default();
    validate_collection_text(&text).map(|_| ())
}

/// serde_json's message without its own " at line L column C" suffix (we report those apart).
fn json_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}

fn depth(pointer: &str) -> usize {
    pointer.matches('/').count()
}

/// Flattens one schema error into `(pointer, message)`s. For `oneOf`/`anyOf` failures the
/// branch that got furthest into the value is reported (a request with a bad URL says so at the
/// URL, not "item[3] matches no schema"), when it got deeper than the combinator itself.
fn collect(err: &jsonschema::ValidationError<'_>, out: &mut Vec<(String, String)>) {
    use jsonschema::error::ValidationErrorKind as K;
    let pointer = err.instance_path().as_str().to_owned();
    if let K::OneOfNotValid { context } | K::AnyOf { context } = err.kind() {
        let mut best: Option<(usize, Vec<(String, String)>)> = None;
        for branch in context {
            let mut errs = Vec::new();
            for e in branch {
                collect(e, &mut errs);
            }
            let d = errs.iter().map(|(p, _)| depth(p)).max().unwrap_or(0);
            let better = match &best {
                None => true,
                Some((bd, be)) => d > *bd || (d == *bd && errs.len() < be.len()),
            };
            if better {
                best = Some((d, errs));
            }
        }
        if let Some((d, errs)) = best {
            if d > depth(&pointer) && !errs.is_empty() {
                out.extend(errs);
                return;
            }
        }
        // Every branch failed right here (e.g. a method that is neither a known verb nor a
        // string): say what each would have wanted.
        let mut wants: Vec<String> = Vec::new();
        for e in context.iter().flatten() {
            if e.instance_path().as_str() == pointer {
                let m = message(e);
                if !wants.contains(&m) {
                    wants.push(m);
                }
            }
        }
        if !wants.is_empty() {
            out.push((pointer, wants.join(", or ")));
            return;
        }
    }
    out.push((pointer, message(err)));
}

fn message(err: &jsonschema::ValidationError<'_>) -> String {
    use jsonschema::error::ValidationErrorKind as K;
    match err.kind() {
        K::Required { property } => {
            let p = postman_schemas::required_name(property);
            format!("the property \"{p}\" is missing")
        }
        K::Type { kind } => {
            let want = postman_schemas::type_names(kind, " or ");
            format!(
                "must be {} {want}, not {}",
                article(&want),
                type_name(err.instance())
            )
        }
        K::Enum { options } => format!("must be one of {options}"),
        K::Constant { expected_value } => format!("must be {expected_value}"),
        K::AdditionalProperties { unexpected } => {
            format!("unknown propert(y/ies): {}", unexpected.join(", "))
        }
        K::MaxLength { limit } => format!("must not be longer than {limit} characters"),
        K::MinLength { limit } => format!("must be at least {limit} characters long"),
        K::MaxItems { limit } => format!("must not have more than {limit} items"),
        K::MinItems { limit } => format!("must have at least {limit} items"),
        K::Pattern { pattern } => format!("must match the pattern {pattern}"),
        K::Format { format } => format!("must be a valid {format}"),
        K::OneOfMultipleValid { .. } => "matches more than one allowed shape".into(),
        K::OneOfNotValid { .. } | K::AnyOf { .. } => {
            "does not match any allowed shape (folder, request, …)".into()
        }
        other => format!("fails the schema rule \"{}\"", other.keyword()),
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `/item/3/request/url` → `item[3].request.url` (odd keys as `["a.b"]`).
pub fn display_path(pointer: &str) -> String {
    let mut out = String::new();
    for seg in postman_schemas::pointer_tokens(pointer) {
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{seg}]"));
        } else if !seg.is_empty()
            && seg
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$')
        {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        } else {
            out.push_str(&format!("[{}]", Value::String(seg)));
        }
    }
    out
}

/// Start offset (bytes) of values in a JSON text, by JSON pointer. One linear pass; tolerant
/// (stops quietly at anything that is not JSON). With `wanted`, only those pointers are kept.
pub struct PositionIndex {
    offsets: HashMap<String, usize>,
}

impl PositionIndex {
    pub fn build(text: &str, wanted: Option<&HashSet<&str>>) -> Self {
        let mut s = Scanner {
            b: text.as_bytes(),
            i: 0,
            ptr: String::new(),
            wanted,
            offsets: HashMap::new(),
        };
        s.value(0);
        PositionIndex { offsets: s.offsets }
    }

    pub fn offset(&self, pointer: &str) -> Option<usize> {
        self.offsets.get(pointer).copied()
    }
}

struct Scanner<'a, 'w> {
    b: &'a [u8],
    i: usize,
    ptr: String,
    wanted: Option<&'w HashSet<&'w str>>,
    offsets: HashMap<String, usize>,
}

/// Deeper than serde_json accepts anyway.
const MAX_DEPTH: usize = 256;

impl Scanner<'_, '_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Returns false when the text stops being JSON.
    fn value(&mut self, depth: usize) -> bool {
        self.ws();
        if self.wanted.is_none_or(|w| w.contains(self.ptr.as_str())) {
            self.offsets.insert(self.ptr.clone(), self.i);
        }
        if depth > MAX_DEPTH {
            return false;
        }
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string(None),
            Some(_) => {
                let start = self.i;
                while self.i < self.b.len()
                    && !matches!(
                        self.b[self.i],
                        b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r'
                    )
                {
                    self.i += 1;
                }
                self.i > start
            }
            None => false,
        }
    }

    /// Skips a string; with `key`, decodes it into `key` (escaped as a pointer segment).
    fn string(&mut self, mut key: Option<&mut String>) -> bool {
        self.i += 1; // opening quote
        let start = self.i;
        let mut escaped = false;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'\\' => {
                    escaped = true;
                    self.i += 2;
                }
                b'"' => {
                    if let Some(k) = key.as_deref_mut() {
                        let raw = &self.b[start..self.i];
                        let decoded = if escaped {
                            let quoted = &self.b[start - 1..=self.i];
                            serde_json::from_slice::<String>(quoted).unwrap_or_default()
                        } else {
                            String::from_utf8_lossy(raw).into_owned()
                        };
                        for ch in decoded.chars() {
                            match ch {
                                '~' => k.push_str("~0"),
                                '/' => k.push_str("~1"),
                                c => k.push(c),
                            }
                        }
                    }
                    self.i += 1;
                    return true;
                }
                _ => self.i += 1,
            }
        }
        false
    }

    fn object(&mut self, depth: usize) -> bool {
        self.i += 1;
        let base = self.ptr.len();
        loop {
            self.ws();
            match self.peek() {
                Some(b'}') => {
                    self.i += 1;
                    return true;
                }
                Some(b'"') => {
                    self.ptr.push('/');
                    let mut key = std::mem::take(&mut self.ptr);
                    let ok = self.string(Some(&mut key));
                    self.ptr = key;
                    if !ok {
                        return false;
                    }
                    self.ws();
                    if self.peek() != Some(b':') {
                        return false;
                    }
                    self.i += 1;
                    let ok = self.value(depth + 1);
                    self.ptr.truncate(base);
                    if !ok {
                        return false;
                    }
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return true;
                        }
                        _ => return false,
                    }
                }
                _ => return false,
            }
        }
    }

    fn array(&mut self, depth: usize) -> bool {
        self.i += 1;
        let base = self.ptr.len();
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return true;
        }
        let mut n = 0usize;
        loop {
            self.ptr.push('/');
            self.ptr.push_str(&n.to_string());
            let ok = self.value(depth + 1);
            self.ptr.truncate(base);
            if !ok {
                return false;
            }
            n += 1;
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return true;
                }
                _ => return false,
            }
        }
    }
}

/// Byte offset → 1-based line and (character) column.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|s| *s <= offset).max(1);
        let start = self.starts[line - 1];
        let col = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        (
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(col).unwrap_or(u32::MAX),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = r#"{
  "info": {"name": "C", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
  "item": [
    {"name": "a", "request": {"method": "GET", "url": "https://x.test/a"}},
    {"name": "f", "item": [
      {"name": "b", "request": {"method": "POST", "url": 42}}
    ]}
  ]
}"#;

    #[test]
    fn malformed_json_points_at_serde_position() {
        let errs = validate_collection_text("{\n  \"info\": {,\n}").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!((errs[0].line, errs[0].column), (2, 12), "{errs:?}");
        assert!(errs[0].message.starts_with("This is not valid JSON"));
    }

    #[test]
    fn schema_errors_point_at_path_and_position() {
        let errs = validate_collection_text(OK).unwrap_err();
        let e = errs
            .iter()
            .find(|e| e.path == "item[1].item[0].request.url")
            .unwrap_or_else(|| panic!("{errs:?}"));
        assert_eq!(e.line, 6);
        assert_eq!(e.column, 58);
        let m = validate_collection_text(&OK.replace("\"POST\"", "7")).unwrap_err();
        let m = m
            .iter()
            .find(|e| e.path == "item[1].item[0].request.method")
            .unwrap_or_else(|| panic!("{m:?}"));
        assert!(
            m.message.contains("must be a string, not a number"),
            "{m:?}"
        );
        let fixed = OK.replace("42", "\"https://x.test/b\"");
        assert!(validate_collection_text(&fixed).is_ok());
    }

    #[test]
    fn index_handles_escapes_and_unicode() {
        let t = "{\"a/b\": [1, {\"q\\\"~\": \"é\"}], \"ü\": {\"x\": true}}";
        let idx = PositionIndex::build(t, None);
        assert_eq!(idx.offset("/a~1b/1/q\"~0"), t.find("\"é\""));
        assert_eq!(idx.offset("/ü/x"), t.find("true"));
        assert_eq!(idx.offset(""), Some(0));
        assert_eq!(display_path("/item/3/request/url"), "item[3].request.url");
        assert_eq!(display_path("/variable/0/a.b"), "variable[0][\"a.b\"]");
        // Tolerant: garbage stops the scan, no panic.
        let idx = PositionIndex::build("{\"a\": [1, ", None);
        assert_eq!(idx.offset("/a/0"), Some(7));
    }
}
