//! The vault against a real Secret Service (gnome-keyring in a private D-Bus session: run
//! through scripts/with-keyring.sh, as scripts/test.sh does), and without one.

use std::process::Command;

use postdesk_base::IpcError;
use postdesk_vault::{Secret, Vault, VaultError};

#[path = "common/keychain.rs"]
mod keychain;
use keychain::os_vault;

const CHILD: &str = "POSTDESK_VAULT_NO_BUS_CHILD";

fn unique(name: &str) -> String {
    format!("test-{name}-{}", std::process::id())
}

#[test]
fn keychain_stores_reads_replaces_and_deletes() {
    if std::env::var_os(CHILD).is_some() {
        return; // this process deliberately has no D-Bus; see the test below
    }
    let vault = os_vault();
    assert_eq!(vault.status().backend, "Secret Service");

    let account = unique("crud");
    let first = "PMAK-aaaaaaaaaaaaaaaaaaaaaaaa-1111111111111111111111111111111111";
    let second = "PMAK-bbbbbbbbbbbbbbbbbbbbbbbb-2222222222222222222222222222222222";
    assert_eq!(vault.read(&account).unwrap_err(), VaultError::Missing);
    vault.store(&account, &Secret::new(first.into())).unwrap();
    assert_eq!(vault.read(&account).unwrap().expose(), first);
    vault.store(&account, &Secret::new(second.into())).unwrap();
    assert_eq!(vault.read(&account).unwrap().expose(), second);
    assert!(vault.remove(&account).unwrap());
    assert_eq!(vault.read(&account).unwrap_err(), VaultError::Missing);
    assert!(
        !vault.remove(&account).unwrap(),
        "deleting a missing entry reports it"
    );
}

#[test]
fn keychain_entries_are_separate_per_account() {
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    let vault = Vault::os();
    let (a, b) = (unique("sep-a"), unique("sep-b"));
    vault.store(&a, &Secret::new("PMAK-a".into())).unwrap();
    vault.store(&b, &Secret::new("PMAK-b".into())).unwrap();
    assert_eq!(vault.read(&a).unwrap().expose(), "PMAK-a");
    assert_eq!(vault.read(&b).unwrap().expose(), "PMAK-b");
    vault.remove(&a).unwrap();
    assert_eq!(vault.read(&b).unwrap().expose(), "PMAK-b");
    vault.remove(&b).unwrap();
}

/// keyring picks its store once per process, so "no Secret Service" runs in a child process
/// of this test binary whose D-Bus address leads nowhere.
#[test]
fn without_a_secret_service_the_error_is_clear_and_nothing_is_kept() {
    if std::env::var_os(CHILD).is_some() {
        let vault = Vault::os();
        let status = vault.status();
        assert!(!status.available);
        let err = vault
            .store(
                "test-no-bus",
                &Secret::new("PMAK-secret-value-not-to-print".into()),
            )
            .unwrap_err();
        let ipc = IpcError::from(err);
        assert_eq!(ipc.code, "vault.unavailable");
        assert!(!ipc.message.contains("secret-value"), "{}", ipc.message);
        // No silent fallback: the value is not readable afterwards either.
        assert!(vault.read("test-no-bus").is_err());
        println!("CHILD-OK {}", ipc.message);
        return;
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "without_a_secret_service_the_error_is_clear_and_nothing_is_kept",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/postdesk-no-bus",
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout
        .lines()
        .find_map(|l| l.split_once("CHILD-OK ").map(|(_, rest)| rest))
        .unwrap_or_else(|| panic!("no result line from the child:\n{stdout}"));
    assert!(line.contains("Secret Service"), "{line}");
    assert!(line.contains("restart Postdesk"), "{line}");
}
