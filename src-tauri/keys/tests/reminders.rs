use super::*;

// ---------- reminders ----------

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
    let (clock, pin) = postdesk_base::SharedClock::pinned(T0);
    let keys = offline_keys(Box::new(saved_list(metas, None)), clock).unwrap();
    Dated { keys, pin }
}

/// The reminders due on `on` (the clock is moved to that day, 10:00 UTC).
fn due(keys: &Dated, on: time::Date) -> Vec<(String, i32)> {
    keys.pin.set_ms(ten_am_ms(on));
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
