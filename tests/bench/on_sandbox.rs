//! The library benchmarks' one set-up: an in-process sandbox, its user's key, a client on it.

use std::time::Duration;

use postman_client::{ApiKey, Client, ClientConfig, Region};
use postman_sandbox::{start, Config, Sandbox};

/// The sandbox `config` starts, taylor-lee's key, and a client with that key (2-minute timeout).
pub async fn client_on(config: Config) -> (Sandbox, String, Client) {
    let sb = start(config).await.expect("sandbox");
    let key = sb.keys().get("taylor-lee").cloned().expect("user");
    let mut cfg = ClientConfig::new(
        Region::Sandbox(sb.url().to_string()),
        "bench",
        Some(ApiKey::new(&key).expect("key")),
    );
    cfg.timeout = Duration::from_secs(120);
    let client = Client::new(cfg).expect("client");
    (sb, key, client)
}
