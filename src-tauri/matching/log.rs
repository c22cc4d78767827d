//! What a mock server keeps of a call and adds to an answer, the same for the sandbox's mock
//! URLs and the app's local mocks: credentials masked, bodies cut at [`LOGGED_BODY_MAX`], the
//! Content-Type an example without one is served with, the methods a CORS preflight allows.

/// Body bytes a call log keeps of each request and response (the rest is cut, and said).
pub const LOGGED_BODY_MAX: usize = 256 * 1024;

/// What a preflight (`OPTIONS`) allows.
pub const CORS_METHODS: &str = "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS";

/// The headers of the answer to a CORS preflight: every method, the headers it asked for
/// (`Access-Control-Request-Headers`, `*` when none), cached for ten minutes.
pub fn preflight_headers(asked: Option<&str>) -> Vec<(String, String)> {
    vec![
        ("Access-Control-Allow-Methods".into(), CORS_METHODS.into()),
        (
            "Access-Control-Allow-Headers".into(),
            asked.unwrap_or("*").into(),
        ),
        ("Access-Control-Max-Age".into(), "600".into()),
    ]
}

/// A header value as a call log keeps it: `x-api-key` and `Authorization` masked.
pub fn logged_value(name: &str, value: &str) -> String {
    if name.eq_ignore_ascii_case("x-api-key") || name.eq_ignore_ascii_case("authorization") {
        "********".into()
    } else {
        value.into()
    }
}

/// A body as a call log keeps it: at most [`LOGGED_BODY_MAX`] bytes (cut on a character
/// boundary), with its whole length said when cut.
pub fn logged_body(body: &str) -> String {
    if body.len() <= LOGGED_BODY_MAX {
        return body.to_string();
    }
    let mut end = LOGGED_BODY_MAX;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &body[..end], body.len())
}

/// The Content-Type of an answer whose example names none: JSON when the body is JSON, else
/// plain text.
pub fn content_type_for(body: &str) -> &'static str {
    if serde_json::from_str::<serde_json::Value>(body).is_ok() {
        "application/json; charset=utf-8"
    } else {
        "text/plain; charset=utf-8"
    }
}

/// `headers` with a Content-Type added when they have none.
pub fn with_content_type(mut headers: Vec<(String, String)>, body: &str) -> Vec<(String, String)> {
    if !headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
    {
        headers.push(("Content-Type".into(), content_type_for(body).into()));
    }
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_masked_and_long_bodies_cut() {
        assert_eq!(logged_value("X-Api-Key", "PMAK-1"), "********");
        assert_eq!(logged_value("authorization", "Bearer x"), "********");
        assert_eq!(logged_value("Accept", "*/*"), "*/*");
        let long = "é".repeat(LOGGED_BODY_MAX);
        let cut = logged_body(&long);
        assert!(cut.len() < long.len() && cut.ends_with(&format!("({} bytes in all)", long.len())));
        assert_eq!(logged_body("short"), "short");
    }

    #[test]
    fn a_content_type_is_added_only_when_missing() {
        let h = with_content_type(Vec::new(), "{\"a\":1}");
        assert_eq!(h[0].1, "application/json; charset=utf-8");
        let h = with_content_type(vec![("content-type".into(), "text/csv".into())], "a,b");
        assert_eq!(h.len(), 1);
        assert_eq!(
            with_content_type(Vec::new(), "hi")[0].1,
            "text/plain; charset=utf-8"
        );
    }
}
