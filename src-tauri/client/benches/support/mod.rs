//! What the client's benchmarks share.

use postman_sandbox::Sandbox;
use serde_json::Value;

/// A `/_sandbox/` call (set-up the real API has no route for; no limit counts it).
pub async fn admin(sb: &Sandbox, method: reqwest::Method, path: &str, body: Value) -> Value {
    reqwest::Client::new()
        .request(method, format!("{}{path}", sb.url()))
        .header("x-sandbox-token", sb.admin_token().expose())
        .json(&body)
        .send()
        .await
        .expect("admin call")
        .json()
        .await
        .expect("admin json")
}
