//! Query parameters (and urlencoded bodies): parsed into keys with their values, and the
//! query score of §4.4 step 5.

use crate::text::decode;

/// Parameters grouped by key (sorted by key), values in the order they came.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Params {
    groups: Vec<(String, Vec<String>)>,
}

impl Params {
    /// `a=1&b=2&a=3` (percent- and `+`-decoded; a key without `=` has the value "").
    pub(crate) fn parse(raw: &str) -> Params {
        Params::from_pairs(raw.split('&').filter(|p| !p.is_empty()).map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k, true).into_owned(), decode(v, true).into_owned())
        }))
    }

    pub(crate) fn from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> Params {
        let mut pairs: Vec<(String, String)> = pairs.into_iter().collect();
        // Stable: the values of a key keep their order.
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        let mut groups: Vec<(String, Vec<String>)> = Vec::new();
        for (k, v) in pairs {
            match groups.last_mut() {
                Some((g, vs)) if *g == k => vs.push(v),
                _ => groups.push((k, vec![v])),
            }
        }
        Params { groups }
    }

    pub(crate) fn values(&self, key: &str) -> Option<&[String]> {
        self.groups
            .binary_search_by(|(g, _)| g.as_str().cmp(key))
            .ok()
            .map(|i| self.groups[i].1.as_slice())
    }

    /// The first value of a key.
    pub(crate) fn first(&self, key: &str) -> Option<&str> {
        self.values(key)?.first().map(String::as_str)
    }

    /// The same keys with the same values (in any order).
    pub(crate) fn same(&self, other: &Params) -> bool {
        self.groups.len() == other.groups.len()
            && self
                .groups
                .iter()
                .zip(&other.groups)
                .all(|((ka, va), (kb, vb))| ka == kb && same_values(va, vb))
    }
}

fn same_values(a: &[String], b: &[String]) -> bool {
    if a.len() == 1 && b.len() == 1 {
        return a[0] == b[0];
    }
    let count = |list: &[String], v: &String| list.iter().filter(|x| *x == v).count();
    a.len() == b.len() && a.iter().all(|v| count(a, v) == count(b, v))
}

/// Step 5: every key is a match (same values), a partial (other values) or missing (one
/// side only). All match (both empty included): +10; some: +10 × matches / keys; none:
/// − missing keys (at most 10).
pub(crate) fn score(example: &Params, request: &Params) -> f64 {
    let (mut matches, mut partials, mut missing) = (0usize, 0usize, 0usize);
    for (k, va) in &example.groups {
        match request.values(k) {
            Some(vb) if same_values(va, vb) => matches += 1,
            Some(_) => partials += 1,
            None => missing += 1,
        }
    }
    // Request keys the example lacks: all of them minus those found above.
    missing += request.groups.len() - (matches + partials);
    let total = matches + partials + missing;
    if matches == total {
        10.0
    } else if matches > 0 {
        10.0 * matches as f64 / total as f64
    } else {
        -(missing.min(10) as f64)
    }
}
