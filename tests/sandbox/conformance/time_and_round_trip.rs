//! Time-driven limits and key expiry; GET/PUT round trips.

use super::*;

const DAY_SECONDS: u64 = 24 * 3600;

/// Time-driven rules, with the sandbox clock (`/_sandbox/clock`): rate-limit windows reopen,
/// monthly usage resets with the month, and collection access keys expire after 60 days of
/// inactivity, each use extending them by another 60 days (REFERENCE §6.1, §8).
#[tokio::test]
async fn time_driven_limits_and_key_expiry() {
    // Mid-month start, so "advance 20 days" stays within the month and "advance 40" leaves it.
    let start = Config {
        limits: Limits {
            per_minute: 2,
            monthly: 4,
            ..Limits::lifted()
        },
        clock: postdesk_base::SharedClock::pinned("2026-01-10T00:00:00Z").0,
        ..Config::default()
    };
    let live = Live::with_config(start).await;
    let me = || live.get("/me");
    for _ in 0..2 {
        let r = me().await;
        live.check_status(&r, 200, "within the window");
    }
    let r = me().await;
    live.expect_decl(&r, "/me", 429, Decl::Component("common429Error"));
    live.advance_secs(61).await;
    let r = me().await;
    live.check_status(&r, 200, "the per-minute window reopens after 60 s");
    let r = me().await;
    live.check_status(&r, 200, "second request of the new window");
    live.advance_secs(61).await;
    // 4 calls counted this month: the monthly quota is used up.
    let r = me().await;
    if live.expect_decl(&r, "/me", 429, Decl::Component("common429Error")) {
        live.expect_error_name(&r, "serviceLimitExhausted");
    }
    live.advance_secs(40 * DAY_SECONDS).await;
    let r = me().await;
    live.check_status(&r, 200, "monthly usage resets in the next month");
    live.finish("time_driven_limits_and_key_expiry (limits)")
        .await;

    // Access keys: 60 days of inactivity.
    let live = Live::start().await;
    let ws = first_workspace(&live).await;
    let (_, uid) = create_collection(&live, &ws, "Expiring share").await;
    let mint = || live.mint_access_key(&uid);
    let used = mint().await["token"].as_str().unwrap().to_string();
    let idle = mint().await;
    let idle_id = idle["id"].as_str().unwrap().to_string();
    let idle = idle["token"].as_str().unwrap().to_string();
    live.advance_secs(50 * DAY_SECONDS).await;
    let r = live.get_shared(&uid, &used).await;
    live.check_status(&r, 200, "a key works within 60 days");
    live.advance_secs(20 * DAY_SECONDS).await; // day 70: `idle` expired at day 60; `used` lives on
    let r = live.get_shared(&uid, &idle).await;
    live.expect(&r, "/collections/{collectionId}", 401);
    let r = live.get_shared(&uid, &used).await;
    live.check_status(&r, 200, "each use extends a key by 60 days");
    let r = live.get("/collection-access-keys").await;
    if live.expect(&r, "/collection-access-keys", 200) {
        let k = r.body["data"]
            .as_array()
            .and_then(|a| a.iter().find(|k| k["id"] == json!(idle_id)).cloned());
        live.check(
            k.is_some_and(|k| k["status"] == json!("INACTIVE")),
            &r,
            "an expired key is listed as INACTIVE",
        );
    }
    // Last use at day 70 → valid until day 130.
    live.advance_secs(59 * DAY_SECONDS).await; // day 129
    let r = live.get_shared(&uid, &used).await;
    live.check_status(&r, 200, "still valid 59 days after its last use");
    live.advance_secs(61 * DAY_SECONDS).await; // day 190: 61 days after the last use (day 129)
    let r = live.get_shared(&uid, &used).await;
    live.expect(&r, "/collections/{collectionId}", 401);
    live.finish("time_driven_limits_and_key_expiry (access keys)")
        .await;
}

/// Clients round-trip `GET /collections/{uid}` into `PUT` (REFERENCE §11): for every seeded
/// collection the user owns, PUTting back what GET returned succeeds and changes nothing but
/// timestamps.
#[tokio::test]
async fn get_put_round_trip_is_lossless() {
    fn without_times(v: &Value) -> Value {
        match v {
            Value::Object(m) => Value::Object(
                m.iter()
                    .filter(|(k, _)| k.as_str() != "updatedAt" && k.as_str() != "lastUpdatedBy")
                    .map(|(k, v)| (k.clone(), without_times(v)))
                    .collect(),
            ),
            Value::Array(a) => Value::Array(a.iter().map(without_times).collect()),
            other => other.clone(),
        }
    }
    let live = Live::start().await;
    let me = live.get("/me").await;
    let me_id = me.body["user"]["id"].to_string();
    let r = live.get("/collections").await;
    assert_eq!(r.status, 200, "{}", r.text);
    let mut checked = 0;
    for c in r.items("collections") {
        if c["owner"].as_str() != Some(me_id.as_str()) {
            continue;
        }
        let uid = c["uid"].as_str().unwrap_or_default();
        let path = format!("/collections/{uid}");
        let before = live.get(&path).await;
        let put = live
            .call(
                "PUT",
                &path,
                Body::Json(json!({"collection": before.body["collection"].clone()})),
            )
            .await;
        if !live.expect(&put, "/collections/{collectionId}", 200) {
            continue;
        }
        let after = live.get(&path).await;
        live.check(
            without_times(&after.body) == without_times(&before.body),
            &after,
            "GET → PUT → GET changes nothing but updatedAt/lastUpdatedBy",
        );
        checked += 1;
    }
    live.check(
        checked >= 3,
        &Resp::empty(),
        "round-tripped at least 3 seeded collections",
    );
    live.finish("get_put_round_trip_is_lossless").await;
}
