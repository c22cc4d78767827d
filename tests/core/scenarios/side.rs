//! Cores started beside the first one, for the states it never reaches: another keychain, a
//! built-in sandbox that cannot start, a data folder that went away, a fresh cache. Each has its
//! own data folder inside the test's scratch folder (recorded as `/home/user/<name>`).

use std::path::Path;

use postdesk_core::Core;

use crate::host::{os_vault, start_with, TestHost};

/// A host whose data lives in `<root>/<name>`.
pub fn host(root: &Path, name: &str) -> TestHost {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).expect("a side folder");
    TestHost::new(dir)
}

/// A core over `host` with `vault`, with or without its built-in sandbox.
pub async fn core(host: &TestHost, vault: postdesk_vault::Vault, builtin_sandbox: bool) -> Core {
    start_with(host, vault, builtin_sandbox)
        .await
        .unwrap_or_else(|e| panic!("a side core starts: {e}"))
}

/// A core in `<root>/<name>` as the desktop starts one: the OS keychain, the built-in sandbox.
pub async fn usual(root: &Path, name: &str) -> (TestHost, Core) {
    let host = host(root, name);
    let core = core(&host, os_vault(), true).await;
    (host, core)
}
