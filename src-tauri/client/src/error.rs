//! One error type for every call, parsed from all three error body families (REFERENCE §1.4):
//! A `{"error":{"name","message","details"?}}`, B RFC 7807 `{"type","title","detail","status"}`,
//! C irregular (`{"error":{…,"statusCode"}}`, `{…,"statusCode":400}`, `{"name","message"}`).
//!
//! Every `Display` is a sentence for a person and never contains a secret (server messages are
//! passed through [`crate::secret::redact`]). [`Error::code`] is stable (`api.rateLimited`…) and
//! [`Error::payload`] is what crosses IPC.

use postdesk_base::error::{ApiCode, ClientCode, Code, NetCode};
use serde::Serialize;
use serde_json::Value;
use std::time::Duration;

/// Every failure of the engine.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    #[error("The API key was refused (401): it is wrong, expired or revoked. {message}")]
    InvalidKey { message: String },
    #[error("Not allowed (403): {message}")]
    Forbidden { message: String },
    #[error("Not found: {message}")]
    NotFound { message: String },
    #[error("Conflict (409): {message}")]
    Conflict { message: String },
    #[error("The request was rejected: {message}{}", fmt_details(.details))]
    Validation {
        message: String,
        details: Vec<String>,
    },
    #[error("Too large (413): {message}")]
    PayloadTooLarge { message: String },
    #[error("Rate limit reached: Postman asks to wait {} s before the next call.", .retry_after.as_secs_f64().ceil())]
    RateLimited { retry_after: Duration },
    #[error("The monthly Postman API allowance of this key's account is used up; no more calls are sent with this key until the month changes or the usage is raised. {message}")]
    QuotaExhausted { message: String },
    #[error("The Postman API failed ({status}): {message}")]
    Server { status: u16, message: String },
    #[error("Could not reach the Postman API: {0}")]
    Network(String),
    #[error("The Postman API did not answer in time.")]
    Timeout,
    #[error("{0}")]
    InsecureUrl(String),
    #[error("The Postman API sent an answer that could not be understood: {0}")]
    BadResponse(String),
    #[error("{0}")]
    InvalidSecret(String),
    #[error("This call needs an API key and none is configured.")]
    MissingKey,
    #[error("The answer is larger than the {} MB Postdesk reads; it was not kept.", .limit / (1024 * 1024))]
    AnswerTooLarge { limit: usize },
}

fn fmt_details(d: &[String]) -> String {
    if d.is_empty() {
        String::new()
    } else {
        format!(" ({})", d.join("; "))
    }
}

/// Serialises as its [`ErrorPayload`] (`{code, message}`), so a Tauri command can return
/// `Result<T, Error>` directly.
impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.payload().serialize(s)
    }
}

/// `{code, message}`: how an error crosses IPC.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorPayload {
    pub code: Code,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_ms: Option<u64>,
}

impl Error {
    /// Stable machine code.
    pub fn code(&self) -> Code {
        match self {
            Error::InvalidKey { .. } => ApiCode::InvalidKey.into(),
            Error::Forbidden { .. } => ApiCode::Forbidden.into(),
            Error::NotFound { .. } => ApiCode::NotFound.into(),
            Error::Conflict { .. } => ApiCode::Conflict.into(),
            Error::Validation { .. } => ApiCode::Validation.into(),
            Error::PayloadTooLarge { .. } => ApiCode::PayloadTooLarge.into(),
            Error::RateLimited { .. } => ApiCode::RateLimited.into(),
            Error::QuotaExhausted { .. } => ApiCode::QuotaExhausted.into(),
            Error::Server { .. } => ApiCode::Server.into(),
            Error::Network(_) => NetCode::Unreachable.into(),
            Error::Timeout => NetCode::Timeout.into(),
            Error::InsecureUrl(_) => ClientCode::InsecureUrl.into(),
            Error::BadResponse(_) => ApiCode::BadResponse.into(),
            Error::InvalidSecret(_) => ClientCode::InvalidSecret.into(),
            Error::MissingKey => ClientCode::MissingKey.into(),
            Error::AnswerTooLarge { .. } => NetCode::AnswerTooLarge.into(),
        }
    }

    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload {
            code: self.code(),
            message: self.to_string(),
            retry_after_ms: match self {
                Error::RateLimited { retry_after } => Some(retry_after.as_millis() as u64),
                _ => None,
            },
        }
    }

    /// Transient failures: a read may be retried after them.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Error::Server { .. } | Error::Network(_) | Error::Timeout | Error::BadResponse(_)
        )
    }
}

/// What an error body says, whatever its family.
#[derive(Debug, Default, Clone)]
pub(crate) struct ErrorBody {
    pub name: Option<String>,
    pub message: Option<String>,
    pub details: Vec<String>,
}

fn s(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str)
        .map(str::to_string)
        .filter(|x| !x.is_empty())
}

fn details_of(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
            .collect(),
        Some(Value::Object(o)) => o
            .iter()
            .map(|(k, v)| {
                format!(
                    "{k}: {}",
                    v.as_str().map_or_else(|| v.to_string(), str::to_string)
                )
            })
            .collect(),
        Some(Value::String(x)) => vec![x.clone()],
        _ => Vec::new(),
    }
}

pub(crate) fn parse_body(body: &[u8]) -> ErrorBody {
    let Ok(v) = serde_json::from_slice::<Value>(body) else {
        let text = String::from_utf8_lossy(body);
        let text = text.trim();
        return ErrorBody {
            message: (!text.is_empty() && text.len() < 300).then(|| text.to_string()),
            ..Default::default()
        };
    };
    // Family A / C-with-wrapper.
    if let Some(e) = v.get("error").filter(|e| e.is_object()) {
        return ErrorBody {
            name: s(e.get("name")),
            message: s(e.get("message")),
            details: details_of(e.get("details")),
        };
    }
    // Family B.
    if v.get("type").is_some() || v.get("title").is_some() || v.get("detail").is_some() {
        let slug = s(v.get("type")).map(|t| t.rsplit('/').next().unwrap_or_default().to_string());
        let message = match (s(v.get("title")), s(v.get("detail"))) {
            (Some(t), Some(d)) if t != d => Some(format!("{t}: {d}")),
            (_, Some(d)) => Some(d),
            (t, None) => t,
        };
        return ErrorBody {
            name: slug,
            message,
            details: details_of(v.get("errors")),
        };
    }
    // Family C without wrapper.
    ErrorBody {
        name: s(v.get("name")),
        message: s(v.get("message")),
        details: details_of(v.get("details")),
    }
}

/// Builds the error of a non-2xx answer.
pub(crate) fn from_status(status: u16, body: &[u8], retry_after: Option<Duration>) -> Error {
    let b = parse_body(body);
    let name = b.name.clone().unwrap_or_default();
    let message = crate::secret::redact(
        &b.message
            .clone()
            .unwrap_or_else(|| format!("HTTP status {status}")),
    );
    let details: Vec<String> = b.details.iter().map(|d| crate::secret::redact(d)).collect();
    let not_found_name = matches!(
        name.as_str(),
        "instanceNotFoundError" | "workspaceNotFoundError" | "notFound" | "not-found"
    );
    match status {
        401 => Error::InvalidKey { message },
        403 => Error::Forbidden { message },
        404 => Error::NotFound { message },
        400 if not_found_name => Error::NotFound { message },
        409 => Error::Conflict { message },
        413 => Error::PayloadTooLarge { message },
        429 if name == "serviceLimitExhausted" => Error::QuotaExhausted { message },
        429 => Error::RateLimited {
            retry_after: retry_after.unwrap_or(Duration::from_secs(1)),
        },
        500..=599 => Error::Server { status, message },
        _ => Error::Validation { message, details },
    }
}

impl postdesk_base::DomainError for Error {
    fn code(&self) -> Code {
        Error::code(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn families() {
        let a = br#"{"error":{"name":"instanceNotFoundError","message":"We could not find the collection you are looking for"}}"#;
        assert_eq!(from_status(400, a, None).code(), "api.notFound");
        let b = br#"{"type":"https://api.postman.com/problems/conflict","status":409,"title":"Conflict","detail":"Deep update operation is already in progress for this collection."}"#;
        assert_eq!(from_status(409, b, None).code(), "api.conflict");
        let c = br#"{"error":{"name":"invalidParamError","message":"limit must be a positive integer"},"statusCode":400}"#;
        assert!(matches!(
            from_status(400, c, None),
            Error::Validation { .. }
        ));
        let c2 = br#"{"name":"badRequest","message":"elementId is required when elementType is provided"}"#;
        let e = from_status(400, c2, None);
        assert!(e.to_string().contains("elementId is required"), "{e}");
        let d = br#"{"error":{"name":"malformedRequestError","message":"Found 2 errors","details":[": must have required property 'item'","info: x"]}}"#;
        match from_status(400, d, None) {
            Error::Validation { details, .. } => assert_eq!(details.len(), 2),
            e => panic!("{e:?}"),
        }
        let q =
            br#"{"error":{"name":"serviceLimitExhausted","message":"Service limit exhausted."}}"#;
        assert_eq!(from_status(429, q, None).code(), "api.quotaExhausted");
        assert_eq!(from_status(429, b"garbage", None).code(), "api.rateLimited");
        assert_eq!(from_status(502, b"", None).code(), "api.server");
        let leak = format!(
            r#"{{"error":{{"name":"x","message":"bad key PMAK-{}-{}"}}}}"#,
            "a".repeat(24),
            "b".repeat(34)
        );
        assert!(!from_status(401, leak.as_bytes(), None)
            .to_string()
            .contains("aaaaaaaa"));
    }
}
