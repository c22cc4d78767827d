//! Response templates (§4.5): compiled once per example (variables already substituted), then
//! rendered per call with the wildcard captures, the request helpers (`{{$body 'a.b'}}`,
//! `{{$queryParams 'k'}}`, `{{$pathSegments '1'}}`, `{{$headers 'k'}}`) and the dynamic
//! variables. Anything unknown stays as written.

use serde_json::Value;

use crate::body::ReqBody;
use crate::dynamic::Dyn;
use crate::query::Params;
use crate::text::{header, tokens, Token};
use crate::vars::Vars;
use crate::RenderCtx;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Helper {
    Body,
    Query,
    Segment,
    Header,
}

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Lit(String),
    /// An unresolved `{{name}}`: a wildcard's value, else `raw`.
    Capture {
        name: String,
        raw: String,
    },
    Helper {
        kind: Helper,
        args: Vec<String>,
    },
    Dyn(Dyn),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Template {
    pieces: Vec<Piece>,
}

/// What a template may read of the request.
pub(crate) struct View<'a> {
    /// The decoded request path.
    pub path: &'a str,
    pub query: &'a Params,
    pub headers: &'a [(String, String)],
    pub body: &'a ReqBody<'a>,
    pub captures: &'a [(String, String)],
}

/// The quoted (or bare) arguments after a helper's name, backslash escapes kept; None when a
/// quote is not closed.
fn args(s: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut it = s.chars().peekable();
    while let Some(&c) = it.peek() {
        if c.is_whitespace() {
            it.next();
            continue;
        }
        let mut arg = String::new();
        let quote = (c == '\'' || c == '"').then_some(c);
        if quote.is_some() {
            it.next();
        }
        let mut closed = quote.is_none();
        while let Some(c) = it.next() {
            match c {
                '\\' => {
                    arg.push('\\');
                    if let Some(n) = it.next() {
                        arg.push(n);
                    }
                }
                c if Some(c) == quote => {
                    closed = true;
                    break;
                }
                c if quote.is_none() && c.is_whitespace() => break,
                c => arg.push(c),
            }
        }
        if !closed {
            return None;
        }
        out.push(arg);
    }
    Some(out)
}

/// `\x` → `x`.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        match c {
            '\\' => out.extend(it.next()),
            c => out.push(c),
        }
    }
    out
}

/// `a.b\.c` → [`a`, `b.c`].
fn object_path(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut part = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        match c {
            '\\' => part.extend(it.next()),
            '.' => out.push(std::mem::take(&mut part)),
            c => part.push(c),
        }
    }
    out.push(part);
    out
}

fn compile_placeholder(inner: &str, whole: &str, vars: &Vars) -> Piece {
    let lit = || Piece::Lit(whole.to_string());
    let Some(call) = inner.trim().strip_prefix('$') else {
        // Known names were substituted already (one left here went past the expansion bound).
        if vars.get(inner).is_some() {
            return lit();
        }
        return Piece::Capture {
            name: inner.to_string(),
            raw: whole.to_string(),
        };
    };
    let (name, rest) = call.split_once(char::is_whitespace).unwrap_or((call, ""));
    let Some(args) = args(rest) else {
        return lit();
    };
    let kind = match name {
        "body" if args.len() <= 2 => Helper::Body,
        "queryParams" if (1..=2).contains(&args.len()) => Helper::Query,
        "pathSegments" if (1..=2).contains(&args.len()) => Helper::Segment,
        "headers" if (1..=2).contains(&args.len()) => Helper::Header,
        _ => {
            return match Dyn::from_name(name) {
                Some(d) if args.is_empty() => Piece::Dyn(d),
                _ => lit(),
            }
        }
    };
    Piece::Helper { kind, args }
}

fn json_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn helper(kind: Helper, args: &[String], view: &View<'_>) -> String {
    let key = args.first().map(String::as_str);
    let found: Option<String> = match (kind, key) {
        (Helper::Body, None) => return view.body.text().into_owned(),
        (Helper::Body, Some(key)) => match view.body.json() {
            Some(json) => object_path(key)
                .iter()
                .try_fold(json, |v, k| match v {
                    Value::Object(o) => o.get(k),
                    Value::Array(a) => k.parse::<usize>().ok().and_then(|i| a.get(i)),
                    _ => None,
                })
                .map(json_text),
            None => view.body.form().first(&unescape(key)).map(str::to_string),
        },
        (Helper::Query, Some(key)) => view.query.first(&unescape(key)).map(str::to_string),
        (Helper::Segment, Some(key)) => unescape(key).trim().parse::<usize>().ok().and_then(|i| {
            let p = view.path.strip_prefix('/').unwrap_or(view.path);
            p.split('/').nth(i).map(str::to_string)
        }),
        (Helper::Header, Some(key)) => header(view.headers, &unescape(key)).map(str::to_string),
        (_, None) => None,
    };
    found
        .or_else(|| args.get(1).map(|d| unescape(d)))
        .unwrap_or_default()
}

impl Template {
    /// `text` with the variables substituted, split into what rendering fills in.
    pub(crate) fn compile(text: &str, vars: &Vars) -> Template {
        let expanded = vars.expand(text);
        let mut pieces: Vec<Piece> = Vec::new();
        tokens(&expanded, |t| {
            let piece = match t {
                Token::Lit(s) => Piece::Lit(s.to_string()),
                Token::Var { inner, whole } => compile_placeholder(inner, whole, vars),
            };
            match (pieces.last_mut(), piece) {
                (Some(Piece::Lit(prev)), Piece::Lit(s)) => prev.push_str(&s),
                (_, piece) => pieces.push(piece),
            }
        });
        Template { pieces }
    }

    pub(crate) fn render(&self, view: &View<'_>, ctx: &mut RenderCtx) -> String {
        if let [Piece::Lit(s)] = self.pieces.as_slice() {
            return s.clone();
        }
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Lit(s) => out.push_str(s),
                Piece::Capture { name, raw } => {
                    match view.captures.iter().find(|(n, _)| n == name) {
                        Some((_, v)) => out.push_str(v),
                        None => out.push_str(raw),
                    }
                }
                Piece::Helper { kind, args } => out.push_str(&helper(*kind, args, view)),
                Piece::Dyn(d) => d.render(&mut out, ctx),
            }
        }
        out
    }
}
