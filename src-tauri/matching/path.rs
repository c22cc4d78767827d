//! Paths: an example's (prepared once) and a request's (once per call), and the path score of
//! §4.4 step 4 / §6 #13. The steps, first that makes both equal wins:
//!
//! | step | compares | penalty |
//! |---|---|---|
//! | exact | as written (percent-decoded) | 0 |
//! | trailing | trailing slashes stripped | 5 |
//! | case | lowercased | 10 |
//! | both | lowercased, trailing stripped | 15 |
//! | wildcards | lowercased, trailing stripped, a wildcard segment takes any one non-empty segment | 20 |
//! | IDs | lowercased, ID segments dropped from both sides (wildcards still apply) | 21 |
//! | IDs + trailing | the same, trailing slashes stripped | 25 |
//! | distance | Levenshtein of the lowercased, stripped paths ≤ 20 % of the longer | 30 |
//!
//! The later steps build on the earlier normalisations (case, trailing slashes); the reference
//! does not say whether they do.

use crate::text::{decode, lower};

/// Longest path (chars) the distance step is tried on: Levenshtein is quadratic.
const MAX_FUZZY_CHARS: usize = 1024;
const HIST: usize = 32;

#[derive(Debug, Clone)]
pub(crate) struct Seg {
    /// As written (decoded): what a wildcard captures on the request side.
    pub text: String,
    pub lower: String,
    /// A wildcard (`{{var}}` unresolved, or `:var` without a value): its name.
    pub wild: Option<String>,
    pub id: bool,
}

/// An example's path, with everything the steps compare.
#[derive(Debug, Clone)]
pub(crate) struct ExPath {
    pub full: String,
    lower: String,
    /// Byte lengths without trailing slashes.
    trim: usize,
    ltrim: usize,
    pub segs: Vec<Seg>,
    /// Segments without trailing empty ones.
    nseg_trim: usize,
    has_wild: bool,
    has_id: bool,
    chars: usize,
    hist: [u8; HIST],
}

/// A request's path, prepared once per call.
#[derive(Debug)]
pub(crate) struct ReqPath<'a> {
    full: &'a str,
    lower: &'a str,
    trim: usize,
    ltrim: usize,
    /// (as written, lowercased, is an ID)
    segs: Vec<(&'a str, &'a str, bool)>,
    nseg_trim: usize,
    has_id: bool,
    chars: usize,
    hist: [u8; HIST],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Exact,
    Trailing,
    Case,
    TrailingCase,
    Wildcards,
    Ids,
    TrailingIds,
    Distance,
}

impl Step {
    pub(crate) fn penalty(self) -> f64 {
        match self {
            Step::Exact => 0.0,
            Step::Trailing => 5.0,
            Step::Case => 10.0,
            Step::TrailingCase => 15.0,
            Step::Wildcards => 20.0,
            Step::Ids => 21.0,
            Step::TrailingIds => 25.0,
            Step::Distance => 30.0,
        }
    }
}

/// An "alphanumeric ID": letters and digits with at least one digit (all digits included), or
/// a UUID.
pub(crate) fn is_id(seg: &str) -> bool {
    let b = seg.as_bytes();
    if b.len() == 36 {
        let uuid = b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        });
        if uuid {
            return true;
        }
    }
    !b.is_empty() && b.iter().all(u8::is_ascii_alphanumeric) && b.iter().any(u8::is_ascii_digit)
}

fn trimmed(s: &str) -> usize {
    s.trim_end_matches('/').len()
}

fn nseg_trim<T>(segs: &[T], empty: impl Fn(&T) -> bool) -> usize {
    segs.len() - segs.iter().rev().take_while(|s| empty(s)).count()
}

fn hist(s: &str) -> [u8; HIST] {
    let mut h = [0u8; HIST];
    for c in s.chars() {
        let i = (c as usize) % HIST;
        h[i] = h[i].saturating_add(1);
    }
    h
}

impl ExPath {
    /// From segments as the example wrote them (after variables were resolved).
    pub(crate) fn new(segs: Vec<(String, Option<String>)>) -> ExPath {
        let segs: Vec<Seg> = segs
            .into_iter()
            .map(|(text, wild)| {
                let text = decode(&text, false).into_owned();
                Seg {
                    lower: lower(&text).into_owned(),
                    id: wild.is_none() && is_id(&text),
                    text,
                    wild,
                }
            })
            .collect();
        let mut full = String::from("/");
        let mut low = String::from("/");
        for (i, s) in segs.iter().enumerate() {
            if i > 0 {
                full.push('/');
                low.push('/');
            }
            full.push_str(&s.text);
            low.push_str(&s.lower);
        }
        let ltrim = trimmed(&low);
        ExPath {
            trim: trimmed(&full),
            ltrim,
            nseg_trim: nseg_trim(&segs, |s| s.text.is_empty()),
            has_wild: segs.iter().any(|s| s.wild.is_some()),
            has_id: segs.iter().any(|s| s.id),
            chars: low[..ltrim].chars().count(),
            hist: hist(&low[..ltrim]),
            segs,
            full,
            lower: low,
        }
    }
}

impl<'a> ReqPath<'a> {
    /// `full`: the decoded request path; `lower`: it lowercased.
    pub(crate) fn new(full: &'a str, lower: &'a str) -> ReqPath<'a> {
        let body = |s: &'a str| s.strip_prefix('/').unwrap_or(s);
        let segs: Vec<(&str, &str, bool)> = body(full)
            .split('/')
            .zip(body(lower).split('/'))
            .map(|(t, l)| (t, l, is_id(t)))
            .collect();
        let ltrim = trimmed(lower);
        ReqPath {
            full,
            lower,
            trim: trimmed(full),
            ltrim,
            nseg_trim: nseg_trim(&segs, |s| s.0.is_empty()),
            has_id: segs.iter().any(|s| s.2),
            chars: lower[..ltrim].chars().count(),
            hist: hist(&lower[..ltrim]),
            segs,
        }
    }
}

/// Segment equality for the wildcard and ID steps (`wild`: wildcards are on).
fn seg_eq(e: &Seg, r: &(&str, &str, bool), wild: bool) -> bool {
    match &e.wild {
        Some(_) if wild => !r.0.is_empty(),
        _ => e.lower == r.1,
    }
}

/// Aligned (example segment, request segment) pairs of a wildcard or ID step, or None when
/// the step does not make the paths equal.
fn aligned<'e, 'r, 'a>(
    ex: &'e ExPath,
    req: &'r ReqPath<'a>,
    step: Step,
    wild: bool,
    mut each: impl FnMut(&'e Seg, &'r (&'a str, &'a str, bool)),
) -> bool {
    let (ne, nr) = match step {
        Step::Ids => (ex.segs.len(), req.segs.len()),
        _ => (ex.nseg_trim, req.nseg_trim),
    };
    let drop_ids = matches!(step, Step::Ids | Step::TrailingIds);
    let mut es = ex.segs[..ne].iter().filter(|s| !(drop_ids && s.id));
    let mut rs = req.segs[..nr].iter().filter(|s| !(drop_ids && s.2));
    loop {
        match (es.next(), rs.next()) {
            (None, None) => return true,
            (Some(e), Some(r)) if seg_eq(e, r, wild) => each(e, r),
            _ => return false,
        }
    }
}

/// The distance step (the last one, and the only costly one).
pub(crate) fn within_distance(ex: &ExPath, req: &ReqPath<'_>) -> bool {
    let longer = ex.chars.max(req.chars);
    if longer > MAX_FUZZY_CHARS {
        return false;
    }
    // Distance ≥ the length difference, and ≥ what the character histograms differ by.
    let bound = longer / 5;
    if ex.chars.abs_diff(req.chars) > bound {
        return false;
    }
    let (mut more, mut fewer) = (0usize, 0usize);
    for (a, b) in ex.hist.iter().zip(&req.hist) {
        if a > b {
            more += (a - b) as usize;
        } else {
            fewer += (b - a) as usize;
        }
    }
    if more.max(fewer) > bound {
        return false;
    }
    strsim::levenshtein(&ex.lower[..ex.ltrim], &req.lower[..req.ltrim]) <= bound
}

/// The first step that makes the paths equal, or None (the example is dropped).
pub(crate) fn matches(ex: &ExPath, req: &ReqPath<'_>, wild: bool) -> Option<Step> {
    cheap(ex, req, wild).or_else(|| within_distance(ex, req).then_some(Step::Distance))
}

/// The steps before the distance one.
pub(crate) fn cheap(ex: &ExPath, req: &ReqPath<'_>, wild: bool) -> Option<Step> {
    // Each of the first four steps implies the lowercased, stripped paths are equal: one
    // comparison rules them all out in the usual case.
    if ex.lower[..ex.ltrim] == req.lower[..req.ltrim] {
        return Some(if ex.full == req.full {
            Step::Exact
        } else if ex.full[..ex.trim] == req.full[..req.trim] {
            Step::Trailing
        } else if ex.lower == req.lower {
            Step::Case
        } else {
            Step::TrailingCase
        });
    }
    if wild && ex.has_wild && aligned(ex, req, Step::Wildcards, wild, |_, _| ()) {
        return Some(Step::Wildcards);
    }
    if ex.has_id || req.has_id {
        for step in [Step::Ids, Step::TrailingIds] {
            if aligned(ex, req, step, wild, |_, _| ()) {
                return Some(step);
            }
        }
    }
    None
}

/// The wildcard values a match captured (name, request segment as written).
pub(crate) fn captures(
    ex: &ExPath,
    req: &ReqPath<'_>,
    step: Step,
    wild: bool,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if wild && matches!(step, Step::Wildcards | Step::Ids | Step::TrailingIds) {
        aligned(ex, req, step, wild, |e, r| {
            if let Some(name) = &e.wild {
                out.push((name.clone(), r.0.to_string()));
            }
        });
    }
    out
}
