//! With a proxy configured in the environment (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY pointing at a
//! dead port), calls to a loopback sandbox still go straight to it: its traffic never leaves
//! this computer. (Its own test binary: the environment is the process's.)

#[path = "support.rs"]
mod support;

use support::*;

#[tokio::test]
async fn a_proxy_in_the_environment_is_not_used_for_the_sandbox() {
    for var in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        // SAFETY of the test: set before any client or thread reads the environment.
        std::env::set_var(var, "http://127.0.0.1:9");
    }
    std::env::remove_var("NO_PROXY");
    std::env::remove_var("no_proxy");
    let (sb, c) = sandbox_and_taylor().await;
    let me = bounded(10, c.get_me(true))
        .await
        .expect("straight to the sandbox");
    assert_eq!(me.data.user.username.as_deref(), Some(TAYLOR));
    sb.shutdown().await;
}
