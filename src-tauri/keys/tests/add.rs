use super::*;

// ---------- add ----------

#[tokio::test]
async fn adding_a_valid_key_fills_the_owner_from_me_and_activates_it() {
    Env::run(|env| async move {
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
    Env::run(|env| async move {
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
    Env::run(|env| async move {
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
    Env::run(|env| async move {
        let err = env.keys.add(req("X", "hello")).await.unwrap_err();
        assert_eq!(err.code(), "keys.format");
        let err = env.keys.add(req("X", ACCESS_KEY)).await.unwrap_err();
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
    Env::run(|env| async move {
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
    Env::run(|env| async move {
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
    Env::run_with(unavailable_store(), |env| async move {
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
    Env::run(|env| async move {
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
