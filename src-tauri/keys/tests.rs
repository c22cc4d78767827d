//! Unit tests: an in-memory vault and key list, a real sandbox over loopback for `/me`.

use std::future::Future;
use std::sync::atomic::Ordering;

use super::*;
use postdesk_base::IpcError;
use postdesk_vault::MemoryStore;

const FAKE: &str = "PMAK-0123456789abcdef01234567-0123456789abcdef0123456789abcdef01";
/// Well-formed, but no sandbox user holds it.
const UNKNOWN: &str = "PMAK-000000000000000000000000-0000000000000000000000000000000000";

fn day(y: i32, m: u8, d: u8) -> time::Date {
    time::Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), d).unwrap()
}

fn today() -> time::Date {
    day(2026, 11, 23)
}

/// Every test's keys run on a clock pinned on [`today`] at 10:00 UTC.
const T0: &str = "2026-11-23T10:00:00Z";

fn clock() -> postdesk_base::SharedClock {
    postdesk_base::SharedClock::pinned(T0).0
}

async fn bounded<T>(f: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(60), f)
        .await
        .expect("the test took longer than 60 s")
}

struct Env {
    keys: Keys,
    vault: Arc<Vault>,
    store: Arc<MemoryMetaStore>,
    sandbox: postman_sandbox::Sandbox,
}

impl Env {
    async fn new() -> Self {
        Self::with_vault(MemoryStore::default()).await
    }

    async fn with_vault(store: MemoryStore) -> Self {
        let sandbox = postman_sandbox::start(postman_sandbox::Config {
            clock: clock(),
            ..postman_sandbox::Config::default()
        })
        .await
        .unwrap();
        let vault = Arc::new(Vault::new(Box::new(store)));
        let meta = Arc::new(MemoryMetaStore::default());
        let keys = Keys::new(
            vault.clone(),
            Box::new(meta.clone()),
            Some(sandbox.url().to_owned()),
            clock(),
        )
        .unwrap();
        Env {
            keys,
            vault,
            store: meta,
            sandbox,
        }
    }

    fn user_key(&self, i: usize) -> (String, String) {
        let (u, k) = self.sandbox.keys().iter().nth(i).unwrap();
        (u.clone(), k.clone())
    }

    async fn mint(&self, user: &str) -> String {
        let v: serde_json::Value = reqwest::Client::new()
            .post(format!("{}/_sandbox/api-keys", self.sandbox.url()))
            .json(&serde_json::json!({ "user": user }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["key"].as_str().unwrap().to_owned()
    }

    async fn reset_sandbox(&self) {
        reqwest::Client::new()
            .post(format!("{}/_sandbox/reset", self.sandbox.url()))
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap();
    }
}

fn unavailable_store() -> MemoryStore {
    let mut s = MemoryStore::default();
    s.unavailable = true;
    s
}

fn req(name: &str, key: &str) -> AddKey {
    AddKey {
        name: name.into(),
        key: key.into(),
        region: KeyRegion::Sandbox,
        expires_on: None,
    }
}

fn format_message(raw: &str) -> String {
    match api_key(Secret::from(raw)) {
        Err(KeysError::Format(m)) => m,
        other => panic!("expected a format error for the paste, got {other:?}"),
    }
}

// ---------- the paste ----------

#[test]
fn a_paste_is_trimmed_of_whitespace_and_quotes() {
    for raw in [
        FAKE.to_owned(),
        format!("  {FAKE}\n"),
        format!("\"{FAKE}\""),
        format!("'{FAKE}'\r\n"),
        format!("\t`{FAKE}`  "),
        format!("“{FAKE}”"),
        format!("\u{FEFF}{FAKE}\u{200B}\u{a0}"),
    ] {
        assert_eq!(
            api_key(Secret::from(raw.as_str()))
                .unwrap()
                .as_secret()
                .expose(),
            FAKE,
            "{raw:?}"
        );
    }
}

#[test]
fn a_bad_paste_gets_a_message_a_person_understands() {
    let m = format_message("PMAT-0123456789abcdef01234567-0123456789abcdef0123456789abcdef01");
    assert!(m.contains("collection access key (PMAT-…)"), "{m}");
    assert!(m.contains("PMAK-"), "{m}");

    assert!(format_message("").contains("Paste a Postman API key"));
    assert!(format_message("hello world").contains("not a Postman API key"));
    assert!(format_message(&format!("x-api-key: {FAKE}")).contains("only the key itself"));
    assert!(format_message(&FAKE.to_lowercase()).contains("capital letters"));
    let m = format_message(&FAKE[..40]);
    assert!(
        m.contains("incomplete") && m.contains("64") && m.contains("40"),
        "{m}"
    );
    let m = format_message(&format!("{FAKE}ab"));
    assert!(m.contains("longer"), "{m}");
    let m = format_message("PMAK-0123456789abcdef0123456z-0123456789abcdef0123456789abcdef01");
    assert!(m.contains("characters a Postman API key never has"), "{m}");
    let m = format_message("PMAK-0123456789abcdef 01234567-0123456789abcdef0123456789abcdef01");
    assert!(m.contains("spaces"), "{m}");
}

#[test]
fn a_huge_paste_is_refused_without_echoing_it() {
    let huge = format!("{}{FAKE}", "secretpart".repeat(100_000));
    let m = format_message(&huge);
    assert!(m.contains("too long"), "{m}");
    assert!(
        !m.contains("secretpart") && !m.contains("0123456789abcdef"),
        "{m}"
    );
    let m = format_message(&"PMAK-".repeat(41));
    assert!(m.len() < 400, "{m}");
}

#[test]
fn no_format_message_contains_the_paste() {
    for raw in [
        "PMAT-0123456789abcdef01234567-0123456789abcdef0123456789abcdef01",
        "PMAK-0123456789abcdef01234567-0123456789abcdef0123456789abcdef",
        "pmak-0123456789abcdef01234567-0123456789abcdef0123456789abcdef01",
        "PMAK-0123456789abcdef01234567_0123456789abcdef0123456789abcdef01",
        "my password 0123456789abcdef",
    ] {
        let m = format_message(raw);
        assert!(!m.contains("0123456789abcdef"), "{raw} → {m}");
    }
}

#[test]
fn add_key_debug_never_prints_the_key() {
    let r = req("Work", &format!(" {FAKE}\n"));
    let d = format!("{r:?} {r:#?}");
    assert!(d.contains("PMAK-…ef01"), "{d}");
    assert!(!d.contains("0123456789abcdef"), "{d}");
    let r = req("Work", "mysecretpassword-hunter2");
    let d = format!("{r:?}");
    assert!(!d.contains("mysecret") && !d.contains("hunter2"), "{d}");
}

#[test]
fn names_and_dates_are_checked() {
    assert_eq!(paste::parse_name("  Work  ").unwrap(), "Work");
    assert!(paste::parse_name("   ").is_err());
    assert!(paste::parse_name(&"x".repeat(81)).is_err());
    let m = paste::parse_name(FAKE).unwrap_err().to_string();
    assert!(m.contains("looks like a key") && !m.contains("0123"), "{m}");

    assert_eq!(paste::parse_date("2027-01-31").unwrap(), day(2027, 1, 31));
    assert_eq!(paste::parse_date(" 2028-02-29 ").unwrap(), day(2028, 2, 29));
    for bad in [
        "2027-1-31",
        "31/01/2027",
        "tomorrow",
        "2027-13-01",
        "",
        "２０２７-01-01",
    ] {
        let m = paste::parse_date(bad).unwrap_err().to_string();
        assert!(m.contains("YYYY-MM-DD"), "{bad}: {m}");
    }
    let m = paste::parse_date("2027-02-30").unwrap_err().to_string();
    assert!(m.contains("not a day of the calendar"), "{m}");
    assert!(paste::parse_date("1999-12-31").is_err());
    assert_eq!(paste::format_date(day(2027, 3, 4)), "2027-03-04");
}

#[test]
fn urgency_and_status_follow_the_date() {
    assert_eq!(urgency(None), "none");
    assert_eq!(urgency(Some(30)), "later");
    assert_eq!(urgency(Some(15)), "later");
    assert_eq!(urgency(Some(14)), "soon");
    assert_eq!(urgency(Some(4)), "soon");
    assert_eq!(urgency(Some(3)), "urgent");
    assert_eq!(urgency(Some(0)), "urgent");
    assert_eq!(urgency(Some(-1)), "expired");
    let meta = KeyMeta {
        id: "k-1".into(),
        name: "n".into(),
        region: KeyRegion::Us,
        last4: "ef01".into(),
        added_at: 0,
        expires_on: Some("2026-11-22".into()),
        last_verified_at: None,
        owner: None,
        status: KeyStatus::Valid,
        month_used: None,
        month_limit: None,
        reminders_sent: vec![],
    };
    assert_eq!(meta.status_on(today()), KeyStatus::Expired);
    assert_eq!(meta.days_left(today()), Some(-1));
    assert_eq!(meta.status_on(day(2026, 11, 22)), KeyStatus::Valid);
    let view = KeyView::of(&meta, true, today());
    assert_eq!(view.masked, "PMAK-…ef01");
    assert_eq!(view.urgency, "expired");
    assert!(view.active);
}

#[test]
fn serde_shapes_are_what_the_ui_expects() {
    assert_eq!(serde_json::to_value(KeyRegion::Eu).unwrap(), "eu");
    assert_eq!(
        serde_json::to_value(KeyStatus::Unverified).unwrap(),
        "unverified"
    );
    let r: AddKey = serde_json::from_value(serde_json::json!({
        "name": "Work", "key": FAKE, "region": "sandbox", "expiresOn": "2027-01-01"
    }))
    .unwrap();
    assert_eq!(r.region, KeyRegion::Sandbox);
    assert_eq!(r.expires_on.as_deref(), Some("2027-01-01"));
    let r: AddKey =
        serde_json::from_value(serde_json::json!({"name": "", "key": FAKE, "region": "us"}))
            .unwrap();
    assert_eq!(r.expires_on, None);
}

// ---------- add ----------

#[tokio::test]
async fn adding_a_valid_key_fills_the_owner_from_me_and_activates_it() {
    bounded(async {
        let env = Env::new().await;
        let (user, key) = env.user_key(0);
        let view = env
            .keys
            .add(req("  Work ", &format!("\"{key}\"\n")))
            .await
            .unwrap();
        assert_eq!(view.name, "Work");
        assert_eq!(view.status, KeyStatus::Valid);
        assert!(view.active);
        assert_eq!(view.last4, &key[key.len() - 4..]);
        assert_eq!(view.masked, format!("PMAK-…{}", view.last4));
        let owner = view.owner.clone().unwrap();
        assert_eq!(owner.username.as_deref(), Some(user.as_str()));
        assert!(!owner.user_id.is_empty());
        assert!(view.month_limit.is_some() && view.month_used.is_some());
        assert!(view.last_verified_at.is_some());
        assert!(view.id.starts_with("k-"));
        // The secret is in the vault under the id, and only there.
        assert_eq!(env.vault.read(&view.id).unwrap().expose(), key);
        let saved = env.store.load().unwrap();
        assert_eq!(saved.keys.len(), 1);
        assert_eq!(saved.active.as_deref(), Some(view.id.as_str()));
        assert!(!serde_json::to_string(&saved).unwrap().contains(&key[5..29]));
        let (meta, api) = env.keys.active().unwrap().unwrap();
        assert_eq!(meta.id, view.id);
        assert_eq!(api, ApiKey::new(&key).unwrap());
        assert_eq!(env.keys.list(), vec![view]);
    })
    .await
}

#[tokio::test]
async fn a_second_key_is_not_made_active_and_an_empty_name_gets_a_default() {
    bounded(async {
        let env = Env::new().await;
        let first = env.keys.add(req("A", &env.user_key(0).1)).await.unwrap();
        let second = env.keys.add(req("", &env.user_key(1).1)).await.unwrap();
        assert!(!second.active);
        assert_eq!(second.name, format!("Key …{}", second.last4));
        let list = env.keys.list();
        assert_eq!(
            list.iter().map(|k| k.id.as_str()).collect::<Vec<_>>(),
            [first.id.as_str(), second.id.as_str()]
        );
        assert!(list[0].active && !list[1].active);
    })
    .await
}

#[tokio::test]
async fn a_refused_key_is_not_saved() {
    bounded(async {
        let env = Env::new().await;
        let err = env.keys.add(req("X", UNKNOWN)).await.unwrap_err();
        let ipc = IpcError::from(err);
        assert_eq!(ipc.code, "api.invalidKey");
        assert!(ipc.message.contains("Nothing was saved"), "{}", ipc.message);
        assert!(!ipc.message.contains("000000000000"), "{}", ipc.message);
        assert!(env.keys.list().is_empty());
        assert_eq!(env.store.load().unwrap(), KeysFile::default());
    })
    .await
}

#[tokio::test]
async fn garbage_and_access_keys_are_refused_before_any_call() {
    bounded(async {
        let env = Env::new().await;
        let err = env.keys.add(req("X", "hello")).await.unwrap_err();
        assert_eq!(err.code(), "keys.format");
        let err = env
            .keys
            .add(req(
                "X",
                "PMAT-0123456789abcdef01234567-0123456789abcdef0123456789abcdef01",
            ))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("collection access key"));
        let mut bad_date = req("X", &env.user_key(0).1);
        bad_date.expires_on = Some("next week".into());
        let err = env.keys.add(bad_date).await.unwrap_err();
        assert!(err.to_string().contains("YYYY-MM-DD"));
        assert!(env.keys.list().is_empty());
    })
    .await
}

#[tokio::test]
async fn an_unreachable_postman_saves_the_key_as_unverified() {
    bounded(async {
        let vault = Arc::new(Vault::new(Box::<MemoryStore>::default()));
        let keys = Keys::new(
            vault.clone(),
            Box::<MemoryMetaStore>::default(),
            Some("http://127.0.0.1:9".into()),
            clock(),
        )
        .unwrap()
        .with_timeout(Duration::from_secs(2));
        let view = keys.add(req("Offline", FAKE)).await.unwrap();
        assert_eq!(view.status, KeyStatus::Unverified);
        assert_eq!(view.owner, None);
        assert_eq!(view.last_verified_at, None);
        assert!(view.active);
        assert_eq!(vault.read(&view.id).unwrap().expose(), FAKE);
        // Verifying while still offline says so and changes nothing.
        let err = keys.verify(&view.id).await.unwrap_err();
        assert!(err.code().as_str().starts_with("net."), "{}", err.code());
        assert!(err.to_string().contains("could not be checked"), "{err}");
        assert_eq!(keys.list()[0].status, KeyStatus::Unverified);
    })
    .await
}

#[tokio::test]
async fn the_same_key_twice_is_a_duplicate() {
    bounded(async {
        let env = Env::new().await;
        let key = env.user_key(0).1;
        env.keys.add(req("A", &key)).await.unwrap();
        let err = env
            .keys
            .add(req("B", &format!(" '{key}' ")))
            .await
            .unwrap_err();
        assert!(matches!(err, KeysError::Duplicate), "{err:?}");
        assert_eq!(err.code(), "keys.duplicate");
        assert_eq!(env.keys.list().len(), 1);
    })
    .await
}

#[tokio::test]
async fn the_same_account_with_the_same_last4_is_a_duplicate() {
    bounded(async {
        let env = Env::new().await;
        let view = env.keys.add(req("A", &env.user_key(0).1)).await.unwrap();
        // Another key of the same account whose last four characters match (as when the
        // secret cannot be read back).
        let mut other = env.keys.meta(&view.id).unwrap();
        other.id = "k-other".into();
        assert!(same_key_of_owner(
            &env.keys.meta(&view.id).unwrap(),
            &other,
            None
        ));
        assert!(!same_key_of_owner(
            &env.keys.meta(&view.id).unwrap(),
            &other,
            Some(&view.id)
        ));
        other.owner.as_mut().unwrap().user_id = "someone-else".into();
        assert!(!same_key_of_owner(
            &env.keys.meta(&view.id).unwrap(),
            &other,
            None
        ));
    })
    .await
}

#[tokio::test]
async fn sandbox_keys_without_a_keychain_live_for_this_session_only() {
    bounded(async {
        let env = Env::with_vault(unavailable_store()).await;
        let key = env.user_key(0).1;
        let view = env.keys.add(req("S", &key)).await.unwrap();
        assert_eq!(view.status, KeyStatus::Valid);
        assert!(view.active);
        let (_, api) = env.keys.active().unwrap().unwrap();
        assert_eq!(api, ApiKey::new(&key).unwrap());
        // Not written anywhere.
        assert_eq!(env.store.load().unwrap(), KeysFile::default());
        env.keys.verify(&view.id).await.unwrap();
        env.keys.delete(&view.id).unwrap();
        assert!(env.keys.list().is_empty());
        assert!(env.keys.session().is_empty());
    })
    .await
}

#[tokio::test]
async fn real_keys_without_a_keychain_are_refused_before_any_call() {
    bounded(async {
        let vault = Arc::new(Vault::new(Box::new(unavailable_store())));
        let keys = Keys::new(vault, Box::<MemoryMetaStore>::default(), None, clock()).unwrap();
        let mut r = req("Work", FAKE);
        r.region = KeyRegion::Us;
        let err = keys.add(r).await.unwrap_err();
        assert_eq!(err.code(), "vault.unavailable");
        assert!(err.to_string().contains("restart Postdesk"), "{err}");
        assert!(keys.list().is_empty());
        // A sandbox key with no sandbox running.
        let err = keys.add(req("S", FAKE)).await.unwrap_err();
        assert_eq!(err.code(), "sandbox.notRunning");
    })
    .await
}

#[tokio::test]
async fn a_list_that_does_not_save_leaves_nothing_behind() {
    bounded(async {
        let env = Env::new().await;
        env.store.fail_saves.store(true, Ordering::SeqCst);
        let err = env
            .keys
            .add(req("A", &env.user_key(0).1))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "keys.store");
        assert!(env.keys.list().is_empty());
        env.store.fail_saves.store(false, Ordering::SeqCst);
        // Nothing was left in the vault either: the same key adds fine now.
        let view = env.keys.add(req("A", &env.user_key(0).1)).await.unwrap();
        env.store.fail_saves.store(true, Ordering::SeqCst);
        assert!(env.keys.delete(&view.id).is_err());
        assert!(env.vault.read(&view.id).is_ok(), "the secret was put back");
        assert_eq!(env.keys.list().len(), 1);
        assert!(env.keys.rename(&view.id, "B").is_err());
        assert_eq!(env.keys.list()[0].name, "A");
    })
    .await
}

// ---------- verify, mark_invalid ----------

#[tokio::test]
async fn a_revoked_key_verifies_as_invalid() {
    bounded(async {
        let env = Env::new().await;
        let (user, _) = env.user_key(0);
        let minted = env.mint(&user).await;
        let view = env.keys.add(req("M", &minted)).await.unwrap();
        let again = env.keys.verify(&view.id).await.unwrap();
        assert_eq!(again.status, KeyStatus::Valid);
        env.reset_sandbox().await; // minted keys are gone: Postman answers 401
        let after = env.keys.verify(&view.id).await.unwrap();
        assert_eq!(after.status, KeyStatus::Invalid);
        assert!(after.last_verified_at >= again.last_verified_at);
        assert_eq!(after.owner, again.owner, "the last known owner is kept");
        assert_eq!(env.store.load().unwrap().keys[0].status, KeyStatus::Invalid);
    })
    .await
}

#[tokio::test]
async fn mark_invalid_and_unknown_ids() {
    bounded(async {
        let env = Env::new().await;
        let view = env.keys.add(req("A", &env.user_key(0).1)).await.unwrap();
        env.keys.mark_invalid(&view.id).unwrap();
        assert_eq!(env.keys.list()[0].status, KeyStatus::Invalid);
        // A verify that succeeds makes it valid again.
        let v = env.keys.verify(&view.id).await.unwrap();
        assert_eq!(v.status, KeyStatus::Valid);
        for err in [
            env.keys.mark_invalid("k-nope").unwrap_err(),
            env.keys.rename("k-nope", "x").unwrap_err(),
            env.keys.set_expiry("k-nope", None).unwrap_err(),
            env.keys.set_active(Some("k-nope")).unwrap_err(),
            env.keys.delete("k-nope").unwrap_err(),
            env.keys.mark_reminded("k-nope", 3).unwrap_err(),
            env.keys.verify("k-nope").await.unwrap_err(),
        ] {
            assert_eq!(err.code(), "keys.notFound", "{err}");
        }
    })
    .await
}

// ---------- rename, expiry, active, delete ----------

#[tokio::test]
async fn rename_and_expiry_are_validated() {
    bounded(async {
        let env = Env::new().await;
        let view = env.keys.add(req("A", &env.user_key(0).1)).await.unwrap();
        assert_eq!(env.keys.rename(&view.id, "  Team  ").unwrap().name, "Team");
        assert_eq!(
            env.keys.rename(&view.id, " ").unwrap_err().code(),
            "keys.format"
        );
        let err = env.keys.rename(&view.id, &env.user_key(0).1).unwrap_err();
        assert!(err.to_string().contains("looks like a key"));
        assert_eq!(env.keys.list()[0].name, "Team");

        let v = env
            .keys
            .set_expiry(&view.id, Some("2099-01-02".into()))
            .unwrap();
        assert_eq!(v.expires_on.as_deref(), Some("2099-01-02"));
        assert_eq!(v.urgency, "later");
        let err = env
            .keys
            .set_expiry(&view.id, Some("2099-02-30".into()))
            .unwrap_err();
        assert_eq!(err.code(), "keys.format");
        assert_eq!(env.keys.list()[0].expires_on.as_deref(), Some("2099-01-02"));
        let v = env.keys.set_expiry(&view.id, Some(" ".into())).unwrap();
        assert_eq!(v.expires_on, None);
        assert_eq!(v.urgency, "none");
        // Past dates are accepted and show as expired, whatever /me said.
        env.keys
            .set_expiry(&view.id, Some("2026-11-20".into()))
            .unwrap();
        let v = &env.keys.list()[0];
        assert_eq!(v.status, KeyStatus::Expired);
        assert_eq!(v.days_left, Some(-3));
        assert_eq!(v.urgency, "expired");
    })
    .await
}

#[tokio::test]
async fn active_key_switches_and_delete_removes_the_keychain_entry() {
    bounded(async {
        let env = Env::new().await;
        let a = env.keys.add(req("A", &env.user_key(0).1)).await.unwrap();
        let b = env.keys.add(req("B", &env.user_key(1).1)).await.unwrap();
        env.keys.set_active(Some(&b.id)).unwrap();
        assert_eq!(env.keys.active().unwrap().unwrap().0.id, b.id);
        assert_eq!(
            env.store.load().unwrap().active.as_deref(),
            Some(b.id.as_str())
        );
        env.keys.set_active(None).unwrap();
        assert!(env.keys.active().unwrap().is_none());
        assert!(env.keys.list().iter().all(|k| !k.active));

        env.keys.set_active(Some(&a.id)).unwrap();
        env.keys.delete(&a.id).unwrap();
        assert_eq!(env.vault.read(&a.id).unwrap_err(), VaultError::Missing);
        assert!(env.keys.active().unwrap().is_none(), "back to the sandbox");
        assert_eq!(env.keys.list().len(), 1);
        assert_eq!(env.store.load().unwrap().keys.len(), 1);
        assert_eq!(env.store.load().unwrap().active, None);
        // A key whose keychain entry went missing can still be deleted.
        env.vault.remove(&b.id).unwrap();
        let err = env
            .keys
            .set_active(Some(&b.id))
            .and_then(|_| env.keys.active().map(|_| ()));
        assert_eq!(err.unwrap_err().code(), "vault.missing");
        env.keys.delete(&b.id).unwrap();
        assert!(env.keys.list().is_empty());
    })
    .await
}

#[test]
fn a_dangling_active_id_is_dropped_on_load() {
    let store = MemoryMetaStore::default();
    store
        .save(&KeysFile {
            keys: vec![],
            active: Some("k-gone".into()),
        })
        .unwrap();
    let keys = Keys::new(
        Arc::new(Vault::new(Box::<MemoryStore>::default())),
        Box::new(store),
        None,
        clock(),
    )
    .unwrap();
    assert!(keys.active().unwrap().is_none());
}

// ---------- reminders ----------

fn meta_expiring(id: &str, expires_on: &str, added_at: i64) -> KeyMeta {
    KeyMeta {
        id: id.into(),
        name: format!("name {id}"),
        region: KeyRegion::Us,
        last4: "abcd".into(),
        added_at,
        expires_on: Some(expires_on.into()),
        last_verified_at: None,
        owner: None,
        status: KeyStatus::Valid,
        month_used: None,
        month_limit: None,
        reminders_sent: vec![],
    }
}

/// Keys on a clock the test moves from day to day.
struct Dated {
    keys: Keys,
    pin: Arc<postdesk_base::PinnedClock>,
}

impl std::ops::Deref for Dated {
    type Target = Keys;
    fn deref(&self) -> &Keys {
        &self.keys
    }
}

fn keys_with(metas: Vec<KeyMeta>) -> Dated {
    let store = MemoryMetaStore::default();
    store
        .save(&KeysFile {
            keys: metas,
            active: None,
        })
        .unwrap();
    let (clock, pin) = postdesk_base::SharedClock::pinned(T0);
    let keys = Keys::new(
        Arc::new(Vault::new(Box::<MemoryStore>::default())),
        Box::new(store),
        None,
        clock,
    )
    .unwrap();
    Dated { keys, pin }
}

/// The reminders due on `on` (the clock is moved to that day, 10:00 UTC).
fn due(keys: &Dated, on: time::Date) -> Vec<(String, i32)> {
    keys.pin
        .set_ms(on.midnight().assume_utc().unix_timestamp() * 1000 + 36_000_000);
    keys.due_reminders()
        .into_iter()
        .map(|r| (r.key_id, r.days))
        .collect()
}

#[test]
fn each_reminder_is_given_once_and_only_the_most_urgent() {
    // Expires 2026-12-07: 14 days after today().
    let keys = keys_with(vec![meta_expiring("k-a", "2026-12-07", 1)]);
    assert_eq!(due(&keys, day(2026, 11, 22)), vec![]); // 15 days out
    due(&keys, today());
    let r = keys.due_reminders();
    assert_eq!(
        r,
        vec![Reminder {
            key_id: "k-a".into(),
            name: "name k-a".into(),
            days: 14,
            days_left: 14,
            expires_on: "2026-12-07".into()
        }]
    );
    keys.mark_reminded("k-a", 14).unwrap();
    assert_eq!(due(&keys, today()), vec![]);
    assert_eq!(due(&keys, day(2026, 12, 3)), vec![]); // 4 days out: nothing new
    assert_eq!(due(&keys, day(2026, 12, 4)), vec![("k-a".into(), 3)]);
    keys.mark_reminded("k-a", 3).unwrap();
    assert_eq!(due(&keys, day(2026, 12, 5)), vec![]);
    // The app was not opened on the day before: the 0-day one is due on the day itself.
    assert_eq!(due(&keys, day(2026, 12, 7)), vec![("k-a".into(), 0)]);
    keys.mark_reminded("k-a", 0).unwrap();
    assert_eq!(due(&keys, day(2026, 12, 7)), vec![]);
    assert_eq!(due(&keys, day(2027, 1, 7)), vec![]);
    assert_eq!(keys.lock().keys[0].reminders_sent, vec![14, 3, 1, 0]);
}

#[test]
fn an_expiry_two_days_out_gives_the_three_day_reminder() {
    let keys = keys_with(vec![
        meta_expiring("k-two", "2026-11-25", 1),
        meta_expiring("k-far", "2027-06-01", 2),
        meta_expiring("k-one", "2026-11-24", 3),
        meta_expiring("k-today", "2026-11-23", 4),
    ]);
    assert_eq!(
        due(&keys, today()),
        vec![
            ("k-two".into(), 3),
            ("k-one".into(), 1),
            ("k-today".into(), 0)
        ]
    );
    keys.mark_reminded("k-two", 3).unwrap();
    // Marking the 3-day one also retires the 14-day one (never shown after a later one).
    assert_eq!(keys.meta("k-two").unwrap().reminders_sent, vec![14, 3]);
    assert_eq!(due(&keys, today()).len(), 2);
    assert_eq!(
        due(&keys, day(2026, 11, 24)),
        vec![
            ("k-two".into(), 1),
            ("k-one".into(), 0),
            ("k-today".into(), 0)
        ]
    );
    assert_eq!(
        keys.mark_reminded("k-two", 5).unwrap_err().code(),
        "keys.format"
    );
}

#[test]
fn a_new_expiry_date_starts_the_reminders_over() {
    let keys = keys_with(vec![meta_expiring("k-a", "2026-11-25", 1)]);
    keys.mark_reminded("k-a", 3).unwrap();
    assert_eq!(due(&keys, today()), vec![]);
    keys.set_expiry("k-a", Some("2026-11-25".into())).unwrap();
    assert_eq!(due(&keys, today()), vec![], "the same date keeps them");
    keys.set_expiry("k-a", Some("2026-12-01".into())).unwrap();
    assert_eq!(keys.meta("k-a").unwrap().reminders_sent, Vec::<i32>::new());
    assert_eq!(due(&keys, today()), vec![("k-a".into(), 14)]);
    keys.set_expiry("k-a", None).unwrap();
    assert_eq!(due(&keys, today()), vec![]);
}

#[test]
fn a_key_expiring_today_is_due_today_and_expired_tomorrow() {
    let keys = keys_with(vec![
        meta_expiring("k-today", "2026-11-23", 1),
        meta_expiring("k-leap", "2028-02-29", 2),
        meta_expiring("k-eve", "2028-12-31", 3),
    ]);
    let view = |keys: &Dated, id: &str| keys.list().into_iter().find(|k| k.id == id).unwrap();
    due(&keys, today());
    let v = view(&keys, "k-today");
    assert_eq!(
        (v.days_left, v.status, v.urgency.as_str()),
        (Some(0), KeyStatus::Valid, "urgent")
    );
    let r = &keys.due_reminders()[0];
    assert_eq!((r.key_id.as_str(), r.days, r.days_left), ("k-today", 0, 0));
    due(&keys, day(2026, 11, 24));
    let v = view(&keys, "k-today");
    assert_eq!(
        (v.days_left, v.status, v.urgency.as_str()),
        (Some(-1), KeyStatus::Expired, "expired")
    );
    // 29 February: the day before is 1 day out, the day itself is today, 1 March is past.
    due(&keys, day(2028, 2, 28));
    assert_eq!(view(&keys, "k-leap").days_left, Some(1));
    due(&keys, day(2028, 2, 29));
    assert_eq!(view(&keys, "k-leap").days_left, Some(0));
    assert_eq!(view(&keys, "k-leap").status, KeyStatus::Valid);
    due(&keys, day(2028, 3, 1));
    assert_eq!(view(&keys, "k-leap").status, KeyStatus::Expired);
    // 31 December → 1 January: counted across the year.
    due(&keys, day(2028, 12, 17));
    assert_eq!(view(&keys, "k-eve").days_left, Some(14));
    assert!(due(&keys, day(2028, 12, 17)).contains(&("k-eve".into(), 14)));
    due(&keys, day(2029, 1, 1));
    assert_eq!(view(&keys, "k-eve").days_left, Some(-1));
    assert_eq!(view(&keys, "k-eve").status, KeyStatus::Expired);
}

#[test]
fn the_day_turns_at_midnight_utc_on_the_keys_clock() {
    let keys = keys_with(vec![meta_expiring("k-a", "2029-01-01", 1)]);
    let at = |iso: &str| postdesk_base::clock::parse_rfc3339(iso).unwrap();
    keys.pin.set_ms(at("2028-12-31T23:59:59Z"));
    assert_eq!(keys.list()[0].days_left, Some(1));
    keys.pin.advance(Duration::from_secs(1));
    assert_eq!(keys.list()[0].days_left, Some(0));
}

// ---------- rotation ----------

#[tokio::test]
async fn rotation_to_a_key_of_the_same_account_retires_the_old_one() {
    bounded(async {
        let env = Env::new().await;
        let (user, key) = env.user_key(0);
        let old = env.keys.add(req("Work", &key)).await.unwrap();
        let other = env
            .keys
            .add(req("Other", &env.user_key(1).1))
            .await
            .unwrap();
        let fresh = env.mint(&user).await;
        let mut r = req("", &fresh);
        r.expires_on = Some("2027-02-01".into());
        let rot = env.keys.rotate(&old.id, r).await.unwrap();
        assert_eq!(rot.retired_name, "Work");
        assert_eq!(rot.delete_in_postman_url, POSTMAN_API_KEYS_URL);
        assert_eq!(rot.new_key.name, "Work", "an empty name keeps the old one");
        assert!(rot.new_key.active);
        assert_eq!(rot.new_key.owner, old.owner);
        assert_eq!(rot.new_key.expires_on.as_deref(), Some("2027-02-01"));
        assert_eq!(env.vault.read(&old.id).unwrap_err(), VaultError::Missing);
        assert_eq!(env.vault.read(&rot.new_key.id).unwrap().expose(), fresh);
        let ids: Vec<String> = env.keys.list().into_iter().map(|k| k.id).collect();
        assert_eq!(ids, vec![other.id.clone(), rot.new_key.id.clone()]);
        let saved = env.store.load().unwrap();
        assert!(saved.keys.iter().all(|k| k.id != old.id));
        assert_eq!(saved.active, Some(rot.new_key.id.clone()));
        assert_eq!(
            env.keys.active().unwrap().unwrap().1,
            ApiKey::new(&fresh).unwrap()
        );

        // Rotating a key that is not active leaves the active one alone.
        let fresh2 = env.mint(&env.user_key(1).0).await;
        let rot2 = env
            .keys
            .rotate(&other.id, req("Other 2", &fresh2))
            .await
            .unwrap();
        assert!(!rot2.new_key.active);
        assert_eq!(env.keys.active().unwrap().unwrap().0.id, rot.new_key.id);
    })
    .await
}

#[tokio::test]
async fn rotation_to_another_account_changes_nothing() {
    bounded(async {
        let env = Env::new().await;
        let old = env.keys.add(req("Work", &env.user_key(0).1)).await.unwrap();
        let before = env.store.load().unwrap();
        let (other_user, _) = env.user_key(1);
        let foreign = env.mint(&other_user).await;
        let err = env
            .keys
            .rotate(&old.id, req("New", &foreign))
            .await
            .unwrap_err();
        assert!(matches!(err, KeysError::WrongUser { .. }), "{err:?}");
        assert_eq!(err.code(), "keys.wrongUser");
        let msg = err.to_string();
        assert!(
            msg.contains(&other_user) && msg.contains("nothing was changed"),
            "{msg}"
        );
        assert!(!msg.contains(&foreign[5..20]), "{msg}");
        assert_eq!(env.store.load().unwrap(), before);
        assert_eq!(env.keys.list().len(), 1);
        assert!(env.vault.read(&old.id).is_ok());

        // Refused and duplicate replacements change nothing either.
        let err = env
            .keys
            .rotate(&old.id, req("New", UNKNOWN))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "api.invalidKey");
        let err = env
            .keys
            .rotate(&old.id, req("New", &env.user_key(0).1))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "keys.duplicate");
        assert_eq!(env.store.load().unwrap(), before);
        let err = env
            .keys
            .rotate("k-nope", req("New", &foreign))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "keys.notFound");
    })
    .await
}

#[tokio::test]
async fn rotation_needs_postman_to_be_reachable() {
    bounded(async {
        let env = Env::new().await;
        let (user, key) = env.user_key(0);
        let old = env.keys.add(req("Work", &key)).await.unwrap();
        let fresh = env.mint(&user).await;
        let before = env.store.load().unwrap();
        let url = env.sandbox.url().to_owned();
        env.sandbox.shutdown().await;
        let keys = Keys::new(
            env.vault.clone(),
            Box::new(env.store.clone()),
            Some(url),
            clock(),
        )
        .unwrap()
        .with_timeout(Duration::from_secs(2));
        let err = keys.rotate(&old.id, req("New", &fresh)).await.unwrap_err();
        assert!(err.to_string().contains("nothing was changed"), "{err}");
        assert_eq!(env.store.load().unwrap(), before);
        assert!(env.vault.read(&old.id).is_ok());
    })
    .await
}

// ---------- secrets never leak ----------

#[tokio::test]
async fn errors_and_debug_output_never_carry_the_secret() {
    bounded(async {
        let env = Env::new().await;
        let key = env.user_key(0).1;
        let view = env.keys.add(req("A", &key)).await.unwrap();
        let dup = env.keys.add(req("B", &key)).await.unwrap_err();
        let meta = env.keys.meta(&view.id).unwrap();
        let all = format!(
            "{view:?} {meta:?} {dup:?} {dup} {:?} {:?}",
            env.keys.list(),
            env.keys.active().unwrap()
        );
        assert!(
            !all.contains(&key[5..29]) && !all.contains(&key[30..]),
            "{all}"
        );
        assert!(!serde_json::to_string(&view).unwrap().contains(&key[30..]));
    })
    .await
}

// ---------- the key list file ----------

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("postdesk-keys-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_json_file_store_round_trips_atomically() {
    let dir = temp_dir("roundtrip");
    let store = JsonFileStore::new(dir.join("nested").join(KEYS_FILE));
    assert_eq!(
        store.load().unwrap(),
        KeysFile::default(),
        "missing = empty"
    );
    let file = KeysFile {
        keys: vec![meta_expiring("k-a", "2027-01-01", 5)],
        active: Some("k-a".into()),
    };
    store.save(&file).unwrap();
    assert_eq!(store.load().unwrap(), file);
    let text = std::fs::read_to_string(store.path()).unwrap();
    assert!(text.contains("\"expiresOn\": \"2027-01-01\""), "{text}");
    assert!(text.contains("\"remindersSent\""), "{text}");
    let mut file2 = file.clone();
    file2.active = None;
    store.save(&file2).unwrap();
    assert_eq!(store.load().unwrap(), file2);
    let names: Vec<String> = std::fs::read_dir(dir.join("nested"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec![KEYS_FILE.to_owned()], "no temp file is left");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_damaged_key_list_is_a_clear_error_and_is_left_untouched() {
    let dir = temp_dir("corrupt");
    let path = dir.join(KEYS_FILE);
    std::fs::write(&path, b"{\"keys\": [oops").unwrap();
    let store = JsonFileStore::new(&path);
    let err = store.load().unwrap_err();
    assert_eq!(err.code(), "keys.store");
    assert!(err.to_string().contains("damaged"), "{err}");
    let err = Keys::new(
        Arc::new(Vault::new(Box::<MemoryStore>::default())),
        Box::new(JsonFileStore::new(&path)),
        None,
        clock(),
    )
    .err()
    .expect("a damaged list is an error");
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), b"{\"keys\": [oops");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_older_or_partial_key_list_still_loads() {
    let f: KeysFile = serde_json::from_str(
        r#"{"keys":[{"id":"k-1","name":"Old","region":"eu","last4":"abcd","addedAt":1,"status":"valid"}]}"#,
    )
    .unwrap();
    assert_eq!(f.active, None);
    assert_eq!(f.keys[0].region, KeyRegion::Eu);
    assert!(f.keys[0].reminders_sent.is_empty());
    assert_eq!(
        serde_json::from_str::<KeysFile>("{}").unwrap(),
        KeysFile::default()
    );
}

#[tokio::test]
async fn verification_calls_go_to_the_shared_activity_log_without_the_key() {
    bounded(async {
        let sandbox = postman_sandbox::start(postman_sandbox::Config {
            clock: clock(),
            ..postman_sandbox::Config::default()
        })
        .await
        .unwrap();
        let log = Arc::new(ActivityLog::new(100));
        let keys = Keys::new(
            Arc::new(Vault::new(Box::<MemoryStore>::default())),
            Box::<MemoryMetaStore>::default(),
            Some(sandbox.url().to_owned()),
            clock(),
        )
        .unwrap()
        .with_activity(log.clone());
        let key = sandbox.keys().values().next().unwrap().clone();
        let view = keys.add(req("Logged", &key)).await.unwrap();
        keys.verify(&view.id).await.unwrap();
        let entries = log.entries();
        assert_eq!(entries.len(), 2);
        assert!(entries
            .iter()
            .all(|e| e.key_name == "Logged" && e.path == "/me"));
        assert!(!format!("{entries:?}").contains(&key[5..29]));
    })
    .await
}

#[tokio::test]
async fn a_rotation_whose_list_does_not_save_changes_nothing() {
    bounded(async {
        let env = Env::new().await;
        let (user, key) = env.user_key(0);
        let old = env.keys.add(req("Work", &key)).await.unwrap();
        let fresh = env.mint(&user).await;
        let before = env.store.load().unwrap();
        env.store.fail_saves.store(true, Ordering::SeqCst);
        let err = env
            .keys
            .rotate(&old.id, req("New", &fresh))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "keys.store");
        env.store.fail_saves.store(false, Ordering::SeqCst);
        assert_eq!(env.store.load().unwrap(), before);
        assert_eq!(env.vault.read(&old.id).unwrap().expose(), key, "put back");
        assert_eq!(env.keys.list().len(), 1);
        assert_eq!(env.keys.active().unwrap().unwrap().0.id, old.id);
        // The replacement was not kept: it can be rotated in now.
        let rot = env.keys.rotate(&old.id, req("New", &fresh)).await.unwrap();
        assert_eq!(env.keys.active().unwrap().unwrap().0.id, rot.new_key.id);
    })
    .await
}
