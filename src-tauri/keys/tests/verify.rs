use super::*;

// ---------- verify, mark_invalid ----------

#[tokio::test]
async fn a_revoked_key_verifies_as_invalid() {
    Env::run(|env| async move {
        let (user, _) = env.user_key(0);
        let minted = env.mint(&user).await;
        let view = env.keys.add(req("M", &minted)).await.unwrap();
        let again = env.keys.verify(&view.id).await.unwrap();
        assert_eq!(again.status, KeyStatus::Valid);
        admin::reset(&env.sandbox).await; // minted keys are gone: Postman answers 401
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
    Env::run(|env| async move {
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
    Env::run(|env| async move {
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
    Env::run(|env| async move {
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
    let store = saved_list(vec![], Some("k-gone"));
    let keys = offline_keys(Box::new(store), clock()).unwrap();
    assert!(keys.active().unwrap().is_none());
}
