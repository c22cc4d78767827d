use super::*;

// ---------- secrets never leak ----------

#[tokio::test]
async fn errors_and_debug_output_never_carry_the_secret() {
    Env::run(|env| async move {
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
    let err = offline_keys(Box::new(JsonFileStore::new(&path)), clock())
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
    Env::run(|env| async move {
        let log = Arc::new(ActivityLog::new(100));
        let url = env.sandbox.url().to_owned();
        let keys = keys_over(&env.vault, &env.store, Some(url)).with_activity(log.clone());
        let key = env.user_key(0).1;
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
    Env::run(|env| async move {
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
