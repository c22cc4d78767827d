//! Every UNCONFIRMED choice the sandbox makes, in one place (see
//! shared/postman-api/REFERENCE.md §10). Each item says what was chosen and why; change the
//! behaviour here and the whole sandbox follows.

use crate::error::ApiError;
use serde_json::{json, Value};

/// Not-found status for `GET /collections/{id}` and `GET /environments/{id}`: the spec files it
/// under 400, third-party clients observe 404 with the same body. UNCONFIRMED; REFERENCE
/// recommends 404.
pub const NOT_FOUND_STATUS: u16 = 404;

/// Content-Type of family-A (and family-C) error bodies: `application/json` (what older
/// endpoints are seen to send).
pub const CT_CLASSIC: &str = "application/json";
/// Content-Type of family-B (RFC 7807) bodies: the spec declares `application/problem+json`.
/// UNCONFIRMED whether the gateway really sends it.
pub const CT_PROBLEM: &str = "application/problem+json";

/// Picks the Content-Type of an error body by its family: a top-level `type`+`title` means an
/// RFC 7807 problem.
pub fn error_content_type(body: &Value) -> &'static str {
    if body.get("type").is_some() && body.get("title").is_some() {
        CT_PROBLEM
    } else {
        CT_CLASSIC
    }
}

/// 401 body for a missing or unknown API key: the classic family-A body, the sandbox's
/// documented default (REFERENCE §1.4).
pub fn unauthorized() -> ApiError {
    ApiError::classic(
        401,
        "AuthenticationError",
        "Invalid API Key. Every request requires a valid API Key to be sent.",
    )
}

/// A revoked or expired collection access key (with no API key) opens nothing: the request is
/// treated exactly as one without any credential, i.e. the classic 401. UNCONFIRMED (the real
/// API may send a problem+json 401 variant; the classic body is what newman-style clients see
/// for a bad credential on this endpoint).
pub fn access_key_rejected() -> ApiError {
    unauthorized()
}

/// When both `access_key` and an API key are sent to `GET /collections/{id}`: a valid access key
/// for that very collection opens it; otherwise the API key decides. UNCONFIRMED.
pub const ACCESS_KEY_BEFORE_API_KEY: bool = true;

/// Reads through a collection access key are not attributed to any user: they neither consume
/// nor are refused by per-user limits, and they do not count toward monthly usage.
/// UNCONFIRMED.
pub const ACCESS_KEY_READS_ARE_METERED: bool = false;

/// What counts toward a user's monthly `api_usage` (and the per-minute window): every
/// authenticated request that the limiter lets through, whatever its status (200, 400, 404...).
/// Requests refused with 429 are NOT counted; 401s are not counted (no user can be identified).
/// Injected faults (500/503/429 storm) are not counted either. UNCONFIRMED.
pub const COUNT_REJECTED_429: bool = false;

/// `X-RateLimit-Reset` carries the UTC epoch second at which the current window resets (the
/// 2022 docs' wording); `RateLimit-Reset` and `RateLimit: …reset=N` carry seconds until reset
/// (the IETF draft's meaning). UNCONFIRMED (REFERENCE §8.2).
pub const X_RESET_IS_EPOCH: bool = true;

/// Windows are fixed and per user: a window opens at the user's first request after the
/// previous one closed and lasts `window`. UNCONFIRMED (Postman does not document alignment).
pub const WINDOW_ANCHORED_AT_FIRST_REQUEST: bool = true;

/// On the 10-per-10-seconds endpoints (`GET /collections`, `GET /workspaces`,
/// `GET /workspaces/{id}`) the rate-limit headers (`X-RateLimit-*`, `RateLimit-*`,
/// `RateLimit-Policy`) describe that endpoint's class ("The response headers vary, depending on
/// the API called"); everywhere else they describe the per-user per-minute policy. Both budgets
/// are consumed by a heavy call. UNCONFIRMED.
pub const HEAVY_HEADERS_DESCRIBE_CLASS: bool = true;

/// Body of a per-minute (or per-endpoint) 429: the spec names `rateLimited` but gives no JSON;
/// the historical official example was family A with a "retry at <epoch ms>" message.
/// UNCONFIRMED.
pub fn rate_limited(retry_at_ms: i64) -> ApiError {
    ApiError::classic(
        429,
        "rateLimited",
        &format!("Rate limit exceeded. Please retry at {retry_at_ms}"),
    )
}

/// Body of a 429 when the monthly quota is used up (seen in third-party fixtures). UNCONFIRMED
/// message.
pub fn service_limit_exhausted() -> ApiError {
    ApiError::classic(
        429,
        "serviceLimitExhausted",
        "Service limit exhausted. Please contact your team admin.",
    )
}

/// An unknown path (or method) under the API: the sandbox answers 404 with a classic body.
/// UNCONFIRMED (the real gateway's body for unknown routes is undocumented).
pub fn route_not_found() -> ApiError {
    ApiError::classic(404, "notFound", "Requested resource not found")
}

/// `GET /collection-updates-tasks/{id}` with an unknown id: undocumented; the sandbox answers
/// the problem+json 404. UNCONFIRMED.
pub fn task_not_found() -> ApiError {
    ApiError::problem(404, "not-found", "Not Found", "Task not found")
}

/// The family-C `invalidParamError` 400 (`{"error":{…},"statusCode":400}`) of the workspace
/// filters.
fn family_c_invalid_param(message: &str) -> ApiError {
    let mut e = ApiError::classic(400, "invalidParamError", message);
    e.body["statusCode"] = json!(400);
    e
}

/// `GET /workspaces` with a cursor that does not decode: undocumented for this endpoint; the
/// sandbox answers the family-C invalidParamError shape used by its other filters. UNCONFIRMED.
pub fn workspace_invalid_cursor() -> ApiError {
    family_c_invalid_param("cursor is invalid")
}

/// `GET /workspaces?limit=` that is not a positive integer: undocumented; same family-C
/// invalidParamError shape. UNCONFIRMED.
pub fn workspace_invalid_limit() -> ApiError {
    family_c_invalid_param("limit must be a positive integer")
}

/// `GET /workspaces?type=`: matches either the `type` or the `visibility` field (both share the
/// 5-value enum in the spec). UNCONFIRMED.
pub const WORKSPACE_TYPE_FILTER_MATCHES_VISIBILITY: bool = true;

/// Visibility rules: a personal workspace is seen by its creator only; a team workspace
/// (visibility team/private/partner) by every member of its team; public ones by everyone.
/// `private` is treated like `team` (the sandbox does not model invitations). UNCONFIRMED.
pub const PRIVATE_WORKSPACES_VISIBLE_TO_TEAM: bool = true;

/// `GET /collections?limit=&offset=` with a non-integer value: the sandbox ignores the
/// parameter (as lenient query parsing usually does). UNCONFIRMED.
pub const IGNORE_BAD_COLLECTION_PAGING: bool = true;

/// Status of an expired access key in `GET /collection-access-keys`: `INACTIVE` (the same as a
/// revoked one, which also carries `deletedAt`). UNCONFIRMED.
pub const EXPIRED_KEY_STATUS: &str = "INACTIVE";

/// `updatedAt` of an access key moves when it is used or revoked. UNCONFIRMED.
pub const ACCESS_KEY_USE_TOUCHES_UPDATED_AT: bool = true;

/// Monthly quota default: the only official figure, the `/me` example's `api_usage.limit`.
pub const DEFAULT_MONTHLY: u64 = 1_000_000;

/// A body larger than the route's cap gets the documented 413 problem (`instance` "/", as in
/// the example).
pub fn payload_too_large() -> ApiError {
    ApiError::new(
        413,
        json!({"type":"https://api.postman.com/problems/payload-too-large","title":"Payload Too Large","detail":"Request size limit exceeded","status":413,"instance":"/"}),
    )
}

/// Bodies that are not JSON at all: the classic malformedRequestError. The exact message is
/// UNCONFIRMED.
pub fn malformed_json() -> ApiError {
    ApiError::classic(
        400,
        "malformedRequestError",
        "The request body is not valid JSON.",
    )
}

/// Injected 503 (a traffic spike per the spec's info text): body UNCONFIRMED, the sandbox uses
/// a problem+json "Service Unavailable".
pub fn service_unavailable() -> ApiError {
    ApiError::problem(
        503,
        "service-unavailable",
        "Service Unavailable",
        "Service Unavailable",
    )
}

/// Injected 500: the documented classic `serverError`.
pub fn server_error() -> ApiError {
    ApiError::classic(500, "serverError", "An error has occurred on the server.")
}

/// `POST /collections?workspace=` / `POST /environments?workspace=` naming a workspace that does
/// not exist or is not visible: undocumented; the sandbox answers the documented
/// workspace-not-found body of `PUT /workspaces` (404). Without `workspace`, the object goes to
/// the user's oldest personal workspace (the spec's description of the fallback).
/// UNCONFIRMED.
pub fn post_unknown_workspace() -> ApiError {
    ApiError::classic(
        404,
        "instanceNotFoundError",
        "The specified workspace does not exist.",
    )
}

/// `GET /collection-access-keys`: `deletedAt` is present only on revoked keys (the spec's
/// example of active keys has no such field; the schema marks it nullable). UNCONFIRMED.
pub const DELETED_AT_ONLY_WHEN_REVOKED: bool = true;

/// `GET /workspaces?limit=`: on the last page `meta.nextCursor` is `""` (as `prevCursor` is on
/// the first page of access keys). UNCONFIRMED (could be absent or null).
pub const LAST_PAGE_CURSOR_IS_EMPTY_STRING: bool = true;

/// 411 Length Required ("A missing Content-Length may get 411"): NOT enforced; chunked bodies
/// are accepted and capped as they stream in (→ 413 past the cap). UNCONFIRMED.
pub const LENGTH_REQUIRED_ENFORCED: bool = false;

/// API keys: a user may hold several valid keys (minted through `/_sandbox/api-keys`); every
/// key of a user shares that user's limits and monthly usage ("applied at a per-user basis").
pub const LIMITS_PER_USER_NOT_PER_KEY: bool = true;

/// `POST /monitors` naming a collection the caller cannot see (or that does not exist), and a
/// run of a monitor whose collection is gone: undocumented; the monitors' 404 family.
/// UNCONFIRMED.
pub fn monitor_collection_not_found() -> ApiError {
    ApiError::classic(
        404,
        "instanceNotFoundError",
        "The specified collection does not exist.",
    )
}

/// `POST /monitors` naming an environment the caller cannot see. UNCONFIRMED.
pub fn monitor_environment_not_found() -> ApiError {
    ApiError::classic(
        404,
        "instanceNotFoundError",
        "The specified environment does not exist.",
    )
}

/// `PUT /monitors/{id}` with an empty `monitor`: the mocks' documented "at least one
/// parameter" answer, in the monitors' family A. UNCONFIRMED.
pub fn monitor_update_empty() -> ApiError {
    ApiError::new(
        400,
        serde_json::json!({"error": {"name": "paramMissingError",
            "message": "At least one parameter must be provided."}}),
    )
}

// --- Mock servers (REFERENCE-monitors-mocks.md §4, §6). The choices are made where they act
// (`mocks/`, `routes/mocks.rs`); this is their list.
//
// - Where a mock serves: `http://127.0.0.1:{port}/_mock/{mockId}` (its `mockUrl`); the real
//   service's host `{mockId}.mock.pstmn.io` would need DNS set-up on the user's machine.
// - `POST /mocks` without `?workspace=`: the caller's personal workspace, as the description
//   says (not the "Missing parameter, workspaceId" example); an unknown or unseen collection or
//   environment: 400 `invalidParamsError` naming it; no `name`: the collection's name.
// - `PUT /mocks/{id}` naming a server response the mock does not have: 400
//   `invalidParamsError` (`serverResponseId`); extra `config` keys are ignored (§6 #18).
// - Call-log headers are lists of `{key, value}` (§6 #4), credentials masked `********`; a
//   call's bodies are kept up to 256 KB each; at most 1,000 calls per mock (they live in the
//   state file), 30 days back.
// - Private-mock refusal: 401 `invalidCredentialsError`; unknown or deactivated mock: 404
//   `mockNotFoundError`; rate 120 a minute per mock (429 `rateLimitError`), quota per owner
//   (429 `usageLimitError`); `OPTIONS` answers 200 with CORS headers, uncounted (§6 #3, #14,
//   #21).
