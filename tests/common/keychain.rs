//! The OS keychain for the tests that use the real Secret Service (run through
//! scripts/with-keyring.sh). Needs only the vault crate, so its own tests include it too.
#![allow(dead_code)] // each test target uses its own subset

use std::sync::Arc;

use postdesk_vault::Vault;

/// The OS vault, which must be usable: a clear failure otherwise.
pub fn os_vault() -> Arc<Vault> {
    let vault = Vault::os();
    let status = vault.status();
    assert!(
        status.available,
        "no usable Secret Service ({:?}): run the tests through scripts/with-keyring.sh",
        status.error
    );
    Arc::new(vault)
}
