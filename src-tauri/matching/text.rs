//! Small string helpers: `{{…}}` tokens, percent-decoding, lowercasing, header lookup.

use std::borrow::Cow;

/// A piece of a text with `{{…}}` placeholders.
#[derive(Debug, PartialEq)]
pub(crate) enum Token<'a> {
    Lit(&'a str),
    /// `inner` is what is between the braces, `whole` includes them.
    Var {
        inner: &'a str,
        whole: &'a str,
    },
}

/// Split `text` into literals and `{{…}}` placeholders (in order). `{{{a}}}` reads as `{` +
/// `{{a}}` + `}`; an unclosed `{{` is literal.
pub(crate) fn tokens<'a>(text: &'a str, mut f: impl FnMut(Token<'a>)) {
    let mut rest = text;
    while !rest.is_empty() {
        let Some(mut s) = rest.find("{{") else {
            f(Token::Lit(rest));
            return;
        };
        while rest[s + 2..].starts_with('{') {
            s += 1;
        }
        let Some(len) = rest[s + 2..].find("}}") else {
            f(Token::Lit(rest));
            return;
        };
        let inner = &rest[s + 2..s + 2 + len];
        if let Some(open) = inner.rfind("{{") {
            // `{{a {{b}}`: the inner one is the placeholder.
            let cut = s + 2 + open;
            f(Token::Lit(&rest[..cut]));
            rest = &rest[cut..];
            continue;
        }
        if s > 0 {
            f(Token::Lit(&rest[..s]));
        }
        let end = s + 2 + len + 2;
        f(Token::Var {
            inner,
            whole: &rest[s..end],
        });
        rest = &rest[end..];
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decode (`plus`: also `+` → space, as in query strings and form bodies). Invalid
/// escapes stay as written; invalid UTF-8 is replaced.
pub(crate) fn decode(s: &str, plus: bool) -> Cow<'_, str> {
    let b = s.as_bytes();
    if !b.iter().any(|&c| c == b'%' || (plus && c == b'+')) {
        return Cow::Borrowed(s);
    }
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(s) => Cow::Owned(s),
        Err(e) => Cow::Owned(String::from_utf8_lossy(e.as_bytes()).into_owned()),
    }
}

/// Lowercase, borrowing when there is nothing to change.
pub(crate) fn lower(s: &str) -> Cow<'_, str> {
    if s.chars().any(char::is_uppercase) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// The first header with that name (case-insensitive).
pub(crate) fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A JSON scalar as text (strings bare, numbers and booleans written out); null and
/// containers give None.
pub(crate) fn scalar(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
