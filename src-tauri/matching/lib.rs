//! Postman's mock-server matching engine, with no server in it.
//!
//! [`Mock::new`] reads a Collection v2.1 document once: every saved example (`item[].response[]`,
//! through folders) with its variables resolved (environment, then collection variables), its
//! path split and classified, its query parsed, its request body parsed and its response
//! compiled into a template. [`Mock::serve`] then scans them for one request, following
//! REFERENCE-monitors-mocks.md §4.4–§4.8 and §6 #13: method filter, the `x-mock-response-*`
//! headers, the path score (exact … Levenshtein), the query score, header and body matching,
//! the tie-break (by ID, status 200 first), and renders the winner (`{{var}}`, wildcard
//! captures, `{{$body …}}` and the other helpers, dynamic variables from the caller's seeded
//! generator and clock). Nothing here reads the system clock or does I/O.

mod body;
mod dynamic;
mod error;
pub mod log;
mod path;
mod prepare;
mod query;
mod render;
mod score;
mod text;
mod url;
mod vars;

#[cfg(test)]
mod tests;

pub use error::{
    MockError, ERROR_NAME, NO_EXAMPLES_HEADER, NO_EXAMPLES_MESSAGE, NO_MATCH_HEADER,
    NO_MATCH_MESSAGE,
};

/// The request header that delays the response (ms).
pub const DELAY_HEADER: &str = "x-mock-response-delay";
/// The largest delay `x-mock-response-delay` may ask for (ms).
pub const MAX_DELAY_MS: u64 = 180_000;

/// A collection prepared for serving: every saved example, with its variables resolved.
#[derive(Debug, Clone)]
pub struct Mock {
    examples: Vec<prepare::Example>,
}

impl Mock {
    /// `collection`: a v2.1 document (the object with `info`, `item`, `variable`; also the
    /// `{"collection": {...}}` wrapper). `environment`: the environment's `values` array
    /// (`[{key, value, enabled?}]`, disabled ones ignored; the environment object or its
    /// `{"environment": {...}}` wrapper are accepted too) or None. Variables resolve from the
    /// environment, then the collection's `variable` (environment wins). Examples that cannot
    /// be read (no usable URL) are dropped. Never panics on hostile input.
    pub fn new(collection: &serde_json::Value, environment: Option<&serde_json::Value>) -> Mock {
        Mock {
            examples: prepare::examples(collection, environment),
        }
    }

    /// How many saved examples can be served.
    pub fn example_count(&self) -> usize {
        self.examples.len()
    }

    /// Match one request against the examples and render the winner (or the 404 error).
    pub fn serve(&self, req: &Request<'_>, opts: &Options, ctx: &mut RenderCtx) -> Outcome {
        score::serve(self, req, opts, ctx)
    }
}

/// The mock's matching switches (its `config`), overridable per request by headers.
#[derive(Debug, Clone)]
pub struct Options {
    /// `config.matchBody` (`x-mock-match-request-body` wins).
    pub match_body: bool,
    /// `config.matchQueryParams`: off skips the query score.
    pub match_query_params: bool,
    /// `config.matchWildcards`: off skips the wildcard step of the path score.
    pub match_wildcards: bool,
    /// header names to match (the mock's `config.headers` when `matchHeader` is on); empty = off
    /// (`x-mock-match-request-headers` wins).
    pub match_headers: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            match_body: false,
            match_query_params: true,
            match_wildcards: true,
            match_headers: Vec::new(),
        }
    }
}

/// One incoming call, as the server saw it.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub method: &'a str,
    /// Path only, already without the mock's prefix; starts with '/'. Percent-encoded is fine.
    pub path: &'a str,
    /// The raw query string without '?'.
    pub query: Option<&'a str>,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

/// What rendering needs from outside: the clock and a seeded generator.
#[derive(Debug, Clone)]
pub struct RenderCtx {
    /// Milliseconds since the Unix epoch (`{{$timestamp}}`, `{{$isoTimestamp}}`).
    pub now_ms: i64,
    /// Every dynamic variable draws from it, in the order they appear.
    pub rng: fastrand::Rng,
}

impl RenderCtx {
    pub fn new(now_ms: i64, seed: u64) -> RenderCtx {
        RenderCtx {
            now_ms,
            rng: fastrand::Rng::with_seed(seed),
        }
    }
}

/// The result of [`Mock::serve`].
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Served(Served),
    Error(MockError),
}

/// The example that won, rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct Served {
    pub example_id: String,
    pub example_uid: Option<String>,
    pub name: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The match score (100 for a pick by `x-mock-response-id` / `-name`).
    pub score: f64,
    /// from `x-mock-response-delay` (1–180000 ms; out of range or unparsable ignored)
    pub delay_ms: Option<u64>,
}

/// The delay a request asks for with `x-mock-response-delay`: 1–180000 ms, else None.
pub fn requested_delay(headers: &[(String, String)]) -> Option<u64> {
    let v = text::header(headers, DELAY_HEADER)?.trim();
    let ms: u64 = v.parse().ok()?;
    (1..=MAX_DELAY_MS).contains(&ms).then_some(ms)
}
