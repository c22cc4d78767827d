//! HTTP headers as plain pairs, the shape a log, a call record or a script sees them in.

/// Every header in order, repeated ones each on their own; a value that is not UTF-8 is kept
/// readable (invalid bytes become U+FFFD) rather than dropped.
pub fn pairs(headers: &http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use http::{HeaderMap, HeaderValue};

    #[test]
    fn repeated_headers_stay_apart_and_bytes_stay_readable() {
        let mut h = HeaderMap::new();
        h.append("set-cookie", HeaderValue::from_static("a=1"));
        h.append("set-cookie", HeaderValue::from_static("b=2"));
        h.insert("x-odd", HeaderValue::from_bytes(b"caf\xe9").unwrap());
        let got = super::pairs(&h);
        assert_eq!(
            got,
            vec![
                ("set-cookie".to_string(), "a=1".to_string()),
                ("set-cookie".to_string(), "b=2".to_string()),
                ("x-odd".to_string(), "caf\u{fffd}".to_string()),
            ]
        );
    }
}
