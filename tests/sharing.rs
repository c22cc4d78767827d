//! Sharing (issue 7) against the in-process sandbox over loopback, with the real Secret Service
//! (run through scripts/with-keyring.sh): mint → verify → keep → link works without an API
//! key → revoke → link refused, token gone from the keychain; bad pastes; 20 keys revoked under
//! a small limit with 0 × 429. Every wait is bounded.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use postdesk_base::IpcError;
use postdesk_sharing::{AccessKeyStatus, RevokeProgress, ShareText, Sharing};
use postman_client::Client;
use postman_sandbox::{Limits, Sandbox};
use serde_json::json;

mod common;
#[path = "common/keychain.rs"]
mod keychain;
use common::{bounded, mint_access_key, tmpdir, SCHEMA};
use keychain::os_vault;

/// A sandbox with `limits`, a client acting as Taylor (one try a call), and sharing over the
/// scratch folder `dir` (returned too) and the OS keychain.
async fn setup(dir: &str, limits: Limits) -> (Sandbox, Client, PathBuf, Sharing) {
    let sb = common::sandbox(limits, Duration::from_millis(500)).await;
    let c = common::client(&sb, 1);
    let dir = tmpdir(dir);
    let sharing = Sharing::new(os_vault(), &dir, sb.clock());
    (sb, c, dir, sharing)
}

async fn new_collection(c: &Client, name: &str) -> String {
    let made = bounded(
        10,
        c.create_collection(
            None,
            json!({"info": {"name": name, "schema": SCHEMA}, "item": [{"name": "ping", "request": "https://echo.test/ping"}]}),
        ),
    )
    .await
    .expect("created");
    made.uid.expect("uid")
}

/// A GET without any API key, as a colleague or a CI job would make it.
async fn fetch(url: &str) -> u16 {
    bounded(10, reqwest::Client::new().get(url).send())
        .await
        .expect("call")
        .status()
        .as_u16()
}

#[tokio::test]
async fn share_verify_copy_revoke_and_the_link_stops_working() {
    let (sb, c, dir, sharing) = setup("flow", Limits::lifted()).await;
    let uid = new_collection(&c, "Shared <orders>").await;

    let view = bounded(20, sharing.mint_in_sandbox(&c, &uid))
        .await
        .unwrap();
    assert!(view.key.kept);
    assert_eq!(view.key.status, AccessKeyStatus::Active);
    assert_eq!(view.key.collection_name.as_deref(), Some("Shared <orders>"));
    assert_eq!(view.key.days_left, Some(59));
    assert!(view.texts.link_masked.contains("access_key=PMAT-…"));
    assert!(view.texts.newman_masked.starts_with("newman run \""));
    // The link (for the clipboard only) works with no API key at all.
    let link = sharing
        .share_text(&c, &view.key.id, &uid, ShareText::Link)
        .unwrap()
        .expose()
        .to_owned();
    assert!(link.starts_with(&format!("{}/collections/{uid}?access_key=PMAT-", sb.url())));
    assert!(!view
        .texts
        .link_masked
        .contains(link.split("access_key=").nth(1).unwrap()));
    assert_eq!(fetch(&link).await, 200);
    let curl = sharing
        .share_text(&c, &view.key.id, &uid, ShareText::Curl)
        .unwrap();
    assert_eq!(curl.expose(), format!("curl -sS \"{link}\""));
    // Kept across a restart (the id list is a file; the token is in the keychain).
    let sharing = Sharing::new(os_vault(), &dir, sb.clock());
    let page = bounded(10, sharing.page(&c, Some(&uid), None, true))
        .await
        .unwrap();
    let row = page
        .rows
        .iter()
        .find(|r| r.id == view.key.id)
        .expect("listed");
    assert!(row.kept);
    let kept_file = std::fs::read_to_string(dir.join(postdesk_sharing::KEPT_FILE)).unwrap();
    assert!(!kept_file.contains("PMAT-"), "no token in the kept list");

    // Revoke: the link stops working, the row is inactive, the kept token is gone.
    let log: Arc<Mutex<Vec<RevokeProgress>>> = Arc::default();
    let l = log.clone();
    let results = bounded(
        20,
        sharing.revoke(
            &c,
            &[view.key.id.clone(), view.key.id.clone()],
            &mut move |p| l.lock().unwrap().push(p),
        ),
    )
    .await;
    assert_eq!(results.len(), 1, "a key is revoked once");
    assert!(results[0].ok, "{:?}", results[0]);
    assert_eq!(
        log.lock().unwrap().last().map(|p| (p.done, p.total)),
        Some((1, 1))
    );
    assert!(
        fetch(&link).await >= 400,
        "the link is refused after the revoke"
    );
    let page = bounded(10, sharing.page(&c, Some(&uid), None, true))
        .await
        .unwrap();
    if let Some(row) = page.rows.iter().find(|r| r.id == view.key.id) {
        assert_eq!(row.status, AccessKeyStatus::Inactive);
        assert!(!row.kept);
    }
    let err = IpcError::from(
        sharing
            .share_text(&c, &view.key.id, &uid, ShareText::Link)
            .unwrap_err(),
    );
    assert_eq!(err.code, "sharing.notKept");
}

/// A token minted through the sandbox's own endpoint (what Postman's Share dialog does), as
/// the text a person would paste.
async fn mint_raw(sb: &Sandbox, uid: &str) -> String {
    mint_access_key(sb, uid).await["token"]
        .as_str()
        .expect("a minted token")
        .to_owned()
}

#[tokio::test]
async fn bad_pastes_get_clear_errors_and_keep_nothing() {
    let (sb, c, _, sharing) = setup("paste", Limits::lifted()).await;
    let uid = new_collection(&c, "Paste target").await;
    let other = new_collection(&c, "Other").await;

    for (paste, code) in [
        ("not a token".to_owned(), "sharing.badToken"),
        ("x".repeat(100_000), "sharing.badToken"),
        (format!("PMAT-{}", "0".repeat(26)), "sharing.refused"),
    ] {
        let err = IpcError::from(
            bounded(10, sharing.add_token(&c, &uid, paste.as_str().into()))
                .await
                .unwrap_err(),
        );
        assert_eq!(err.code, code, "{}", err.message);
        assert!(
            !err.message.contains(&paste[..paste.len().min(30)]) || paste.len() < 12,
            "the paste is not echoed"
        );
    }
    // A real token of another collection is refused for this one.
    let minted = mint_raw(&sb, &other).await;
    let err = IpcError::from(
        bounded(10, sharing.add_token(&c, &uid, minted.as_str().into()))
            .await
            .unwrap_err(),
    );
    assert_eq!(err.code, "sharing.refused", "{}", err.message);
    assert!(!err.message.contains(&minted));
    // And accepted (with surrounding whitespace) for its own.
    let ok = bounded(
        10,
        sharing.add_token(&c, &other, format!("  {minted}\n").into()),
    )
    .await
    .unwrap();
    assert!(ok.key.kept);
    assert!(
        !serde_json::to_string(&ok).unwrap().contains(&minted),
        "the token never goes back to the UI"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoking_20_keys_under_a_small_limit_never_hits_429() {
    let eight_a_second = Limits {
        per_minute: 8,
        window: Duration::from_millis(1_000),
        ..Limits::lifted()
    };
    let (sb, c, _, sharing) = setup("many", eight_a_second).await;
    let uid = new_collection(&c, "Many keys").await;
    let mut ids = Vec::new();
    for _ in 0..20 {
        let v = mint_access_key(&sb, &uid).await;
        ids.push(v["id"].as_str().unwrap().to_owned());
    }
    let before = c.activity().len();
    let done = Arc::new(Mutex::new(0u32));
    let d = done.clone();
    let t0 = std::time::Instant::now();
    let results = bounded(
        60,
        sharing.revoke(&c, &ids, &mut move |p| *d.lock().unwrap() = p.done),
    )
    .await;
    let elapsed = t0.elapsed();
    assert!(results.iter().all(|r| r.ok), "{results:?}");
    assert_eq!(*done.lock().unwrap(), 20);
    let entries = c.activity().entries();
    let statuses: Vec<Option<u16>> = entries[before..].iter().map(|e| e.status).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == Some(429)).count(),
        0,
        "{statuses:?}"
    );
    assert_eq!(statuses.len(), 20, "one DELETE per key, no retries");
    println!("revoked 20 keys at 8 per second in {elapsed:?}");
    let page = bounded(10, sharing.page(&c, Some(&uid), None, true))
        .await
        .unwrap();
    assert!(
        page.rows
            .iter()
            .all(|r| r.status == AccessKeyStatus::Inactive),
        "{:?}",
        page.rows
    );
}

/// Kept tokens are each account's own: another account's key is not marked kept and its link
/// cannot be copied; it is back with its account. Tokens kept before accounts were told apart
/// move (keychain entry and list) to the first account that uses sharing.
#[tokio::test]
async fn kept_tokens_are_each_accounts_own() {
    use postdesk_base::Account;
    let (sb, c, dir, sharing) = setup("accounts", Limits::lifted()).await;
    let (taylor, sam) = (
        Account::new("sandbox", "1", "taylor-lee"),
        Account::new("sandbox", "2", "sam-rivera"),
    );
    sharing.set_account(taylor.clone()).unwrap();
    let uid = new_collection(&c, "Shared by Taylor").await;
    let view = bounded(20, sharing.mint_in_sandbox(&c, &uid))
        .await
        .unwrap();
    assert!(kept_for(&sharing, &c, &uid, &view.key.id).await);

    sharing.set_account(sam).unwrap();
    assert!(
        !kept_for(&sharing, &c, &uid, &view.key.id).await,
        "Sam does not see Taylor's kept token"
    );
    let refused = sharing.share_text(&c, &view.key.id, &uid, ShareText::Link);
    assert!(matches!(
        refused,
        Err(postdesk_sharing::SharingError::NotKept)
    ));

    sharing.set_account(taylor.clone()).unwrap();
    assert!(kept_for(&sharing, &c, &uid, &view.key.id).await);
    let link = sharing
        .share_text(&c, &view.key.id, &uid, ShareText::Link)
        .unwrap();
    assert_eq!(fetch(link.expose()).await, 200);

    // As an earlier version kept it: one list, the entry named after the key alone.
    let vault = os_vault();
    let token = link
        .expose()
        .split("access_key=")
        .nth(1)
        .unwrap()
        .to_owned();
    let legacy = format!("access-token:{}", view.key.id);
    vault
        .store(&legacy, &postdesk_base::Secret::from(token.as_str()))
        .unwrap();
    let kept_file = dir.join(postdesk_sharing::KEPT_FILE);
    std::fs::write(&kept_file, serde_json::to_vec(&[&view.key.id]).unwrap()).unwrap();
    let upgraded = Sharing::new(os_vault(), &dir, sb.clock());
    upgraded.set_account(taylor.clone()).unwrap();
    assert!(
        kept_for(&upgraded, &c, &uid, &view.key.id).await,
        "the first account took the old token"
    );
    let again = upgraded
        .share_text(&c, &view.key.id, &uid, ShareText::Link)
        .unwrap();
    assert_eq!(again.expose(), link.expose());
    assert!(
        matches!(
            vault.read(&legacy),
            Err(postdesk_vault::VaultError::Missing)
        ),
        "the old entry is gone"
    );
    let file = std::fs::read_to_string(&kept_file).unwrap();
    assert!(file.contains(&taylor.slug()), "{file}");
    // Clean up the keychain entry this test made.
    bounded(
        20,
        upgraded.revoke(&c, std::slice::from_ref(&view.key.id), &mut |_| {}),
    )
    .await;
}

/// Whether `s` marks the token of `key_id` (a key of `uid`) as kept.
async fn kept_for(s: &Sharing, c: &Client, uid: &str, key_id: &str) -> bool {
    let page = bounded(10, s.page(c, Some(uid), None, true)).await.unwrap();
    page.rows
        .iter()
        .find(|r| r.id == key_id)
        .expect("listed")
        .kept
}
