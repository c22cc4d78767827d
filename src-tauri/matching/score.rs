//! `Mock::serve`: §4.4 step by step over the prepared examples, then the winner rendered.

use crate::body::ReqBody;
use crate::path::{self, ReqPath, Step};
use crate::prepare::Example;
use crate::query::Params;
use crate::render::View;
use crate::text::{decode, header, lower};
use crate::{requested_delay, Mock, MockError, Options, Outcome, RenderCtx, Request, Served};

const CODE: &str = "x-mock-response-code";
const ID: &str = "x-mock-response-id";
const NAME: &str = "x-mock-response-name";
const MATCH_HEADERS: &str = "x-mock-match-request-headers";
const MATCH_BODY: &str = "x-mock-match-request-body";

/// Bonus for an equal body when body matching is off.
const BODY_BONUS: f64 = 5.0;

fn tie_key(e: &Example) -> (bool, &str) {
    (e.status != 200, e.id.as_str())
}

/// The tie-break among equals: by ID, the first with status 200, else the first.
fn pick<'e>(mut cands: impl Iterator<Item = &'e Example>) -> Option<&'e Example> {
    let first = cands.next()?;
    Some(cands.fold(
        first,
        |best, e| if tie_key(e) < tie_key(best) { e } else { best },
    ))
}

/// The leader so far.
struct Best<'e> {
    ex: &'e Example,
    index: usize,
    score: f64,
    step: Step,
}

/// Would `ex` (at `index`, with `score`) beat the leader? Higher score; on a tie the lower
/// tie key (status 200 first, then ID, then document order).
fn beats(best: &Option<Best<'_>>, ex: &Example, index: usize, score: f64) -> bool {
    match best {
        None => true,
        Some(b) => {
            score > b.score || (score == b.score && (tie_key(ex), index) < (tie_key(b.ex), b.index))
        }
    }
}

fn offer<'e>(best: &mut Option<Best<'e>>, ex: &'e Example, index: usize, score: f64, step: Step) {
    if beats(best, ex, index, score) {
        *best = Some(Best {
            ex,
            index,
            score,
            step,
        });
    }
}

struct Prepared<'a> {
    req: &'a Request<'a>,
    path: ReqPath<'a>,
    query: Params,
    body: ReqBody<'a>,
    wildcards: bool,
}

fn respond(
    ex: &Example,
    score: f64,
    step: Option<Step>,
    p: &Prepared<'_>,
    delay_ms: Option<u64>,
    ctx: &mut RenderCtx,
    decoded: &str,
) -> Outcome {
    let captures = step
        .map(|s| path::captures(&ex.path, &p.path, s, p.wildcards))
        .unwrap_or_default();
    let view = View {
        path: decoded,
        query: &p.query,
        headers: p.req.headers,
        body: &p.body,
        captures: &captures,
    };
    let headers = ex
        .resp_headers
        .iter()
        .map(|(k, v)| (k.render(&view, ctx), v.render(&view, ctx)))
        .collect();
    let body = ex.resp_body.render(&view, ctx);
    Outcome::Served(Served {
        example_id: ex.id.clone(),
        example_uid: ex.uid.clone(),
        name: ex.name.clone(),
        status: ex.status,
        headers,
        body,
        score,
        delay_ms,
    })
}

/// `x-mock-match-request-body: true|false`, else the option.
fn body_matching(req: &Request<'_>, opts: &Options) -> bool {
    match header(req.headers, MATCH_BODY).map(str::trim) {
        Some(v) if v.eq_ignore_ascii_case("true") => true,
        Some(v) if v.eq_ignore_ascii_case("false") => false,
        _ => opts.match_body,
    }
}

/// The header names to match, lowercased: `x-mock-match-request-headers`, else the option.
fn header_names(req: &Request<'_>, opts: &Options) -> Vec<String> {
    let names: Vec<String> = match header(req.headers, MATCH_HEADERS) {
        Some(list) => list.split(',').map(str::to_string).collect(),
        None => opts.match_headers.clone(),
    };
    names
        .into_iter()
        .map(|n| n.trim().to_ascii_lowercase())
        .filter(|n| !n.is_empty())
        .collect()
}

pub(crate) fn serve(
    mock: &Mock,
    req: &Request<'_>,
    opts: &Options,
    ctx: &mut RenderCtx,
) -> Outcome {
    let delay_ms = requested_delay(req.headers);
    if mock.examples.is_empty() {
        return Outcome::Error(MockError::no_examples(delay_ms));
    }
    let method = req.method.trim();
    let code = header(req.headers, CODE).map(str::trim);
    let eligible = |e: &&Example| {
        e.method.eq_ignore_ascii_case(method)
            && code.is_none_or(|c| c.parse::<u16>().ok() == Some(e.status))
    };

    let decoded = decode(req.path, false);
    let low = lower(&decoded);
    let p = Prepared {
        req,
        path: ReqPath::new(&decoded, &low),
        query: Params::parse(req.query.unwrap_or("")),
        body: ReqBody::new(req.body),
        wildcards: opts.match_wildcards,
    };
    let served = |ex: &Example, score: f64, ctx: &mut RenderCtx| {
        let step = path::matches(&ex.path, &p.path, p.wildcards);
        respond(ex, score, step, &p, delay_ms, ctx, &decoded)
    };

    if let Some(id) = header(req.headers, ID).map(str::trim) {
        let found = mock
            .examples
            .iter()
            .filter(eligible)
            .find(|e| e.uid.as_deref() == Some(id) || (!e.id.is_empty() && e.id == id));
        return match found {
            Some(ex) => served(ex, 100.0, ctx),
            None => Outcome::Error(MockError::no_match(delay_ms)),
        };
    }
    if let Some(name) = header(req.headers, NAME).map(str::trim) {
        let named = mock
            .examples
            .iter()
            .filter(eligible)
            .filter(|e| e.name == name);
        return match pick(named) {
            Some(ex) => served(ex, 100.0, ctx),
            None => Outcome::Error(MockError::no_match(delay_ms)),
        };
    }

    let match_body = body_matching(req, opts);
    let names = header_names(req, opts);
    let wanted: Vec<Option<&str>> = names.iter().map(|n| header(req.headers, n)).collect();
    let headers_equal = |e: &Example| {
        names.iter().zip(&wanted).all(|(n, want)| {
            let have = e
                .headers
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.as_str());
            have == *want
        })
    };

    // Score everything the cheap path steps match; keep the rest for the distance step, which
    // runs only for an example that could still win (its best case: −30 plus the rest).
    let rest = |ex: &Example| -> Option<f64> {
        let mut score = 0.0;
        if opts.match_query_params {
            score += crate::query::score(&ex.query, &p.query);
        }
        let equal_body = p.body.equals(&ex.body);
        if match_body && !equal_body {
            return None;
        }
        if !match_body && equal_body {
            score += BODY_BONUS;
        }
        Some(score)
    };
    let mut best: Option<Best<'_>> = None;
    let mut deferred: Vec<usize> = Vec::new();
    for (i, ex) in mock.examples.iter().enumerate() {
        if !eligible(&ex) || !headers_equal(ex) {
            continue;
        }
        let Some(step) = path::cheap(&ex.path, &p.path, p.wildcards) else {
            deferred.push(i);
            continue;
        };
        if let Some(r) = rest(ex) {
            offer(&mut best, ex, i, 100.0 - step.penalty() + r, step);
        }
    }
    // The most the query and body can add.
    let ceiling = 100.0 - Step::Distance.penalty()
        + if opts.match_query_params { 10.0 } else { 0.0 }
        + if match_body { 0.0 } else { BODY_BONUS };
    for i in deferred {
        let ex = &mock.examples[i];
        if !beats(&best, ex, i, ceiling) {
            continue;
        }
        let Some(r) = rest(ex) else { continue };
        let score = 100.0 - Step::Distance.penalty() + r;
        if !beats(&best, ex, i, score) || !path::within_distance(&ex.path, &p.path) {
            continue;
        }
        offer(&mut best, ex, i, score, Step::Distance);
    }
    match best {
        Some(b) => respond(b.ex, b.score, Some(b.step), &p, delay_ms, ctx, &decoded),
        None => Outcome::Error(MockError::no_match(delay_ms)),
    }
}
