use super::*;

// ---------- rotation ----------

#[tokio::test]
async fn rotation_to_a_key_of_the_same_account_retires_the_old_one() {
    Env::run(|env| async move {
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
    Env::run(|env| async move {
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
        let keys =
            keys_over(&env.vault, &env.store, Some(url)).with_timeout(Duration::from_secs(2));
        let err = keys.rotate(&old.id, req("New", &fresh)).await.unwrap_err();
        assert!(err.to_string().contains("nothing was changed"), "{err}");
        assert_eq!(env.store.load().unwrap(), before);
        assert!(env.vault.read(&old.id).is_ok());
    })
    .await
}
