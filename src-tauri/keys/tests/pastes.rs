use super::*;

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
    let m = format_message(ACCESS_KEY);
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
        ACCESS_KEY,
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
        last4: "ef01".into(),
        ..meta_expiring("k-1", "2026-11-22", 0)
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
