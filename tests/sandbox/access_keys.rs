//! Collection access keys: listing (masking, states, cursor pages), revoking, using a key
//! without an API key, expiry and its extension on use.

#[path = "util/mod.rs"]
mod util;

use serde_json::{json, Value};
use util::*;

fn data(r: &Resp) -> Vec<Value> {
    r.json["data"].as_array().cloned().unwrap_or_default()
}

/// The listed key `id` of a `data` list (panics if it is not listed).
fn listed(r: &Resp, id: &str) -> Value {
    let found = data(r).into_iter().find(|x| x["id"] == id);
    found.unwrap_or_else(|| panic!("key {id} is listed in {}", r.text))
}

/// `GET /collection-access-keys?collectionId={uid}`.
async fn keys_of(sb: &postman_sandbox::Sandbox, k: &str, uid: &str) -> Resp {
    get(
        sb,
        &format!("/collection-access-keys?collectionId={uid}"),
        k,
    )
    .await
}

#[tokio::test]
async fn list_is_masked_paged_by_ten_and_has_every_state() {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let r = get(&sb, "/collection-access-keys", &k).await;
    assert_eq!(r.status, 200);
    let first = data(&r);
    assert_eq!(first.len(), 10);
    let next = r.json["meta"]["nextCursor"].as_str().unwrap().to_string();
    assert!(!next.is_empty());
    assert_eq!(r.json["meta"]["prevCursor"], "");
    for key in &first {
        let t = key["token"].as_str().unwrap();
        assert_eq!(t.len(), 5 + 22 + 4);
        assert!(t.starts_with(&format!("PMAT-{}", "*".repeat(22))));
        let fields = "id status teamId userId collectionId expiresAfter lastUsedAt createdAt";
        assert_fields(key, &format!("{fields} updatedAt"));
    }
    let r2 = get(&sb, &format!("/collection-access-keys?cursor={next}"), &k).await;
    assert_eq!(r2.status, 200);
    let second = data(&r2);
    assert!(!second.is_empty());
    assert!(!r2.json["meta"]["prevCursor"].as_str().unwrap().is_empty());
    let all: Vec<Value> = first.iter().chain(second.iter()).cloned().collect();
    // Personal and team keys: some are Sam's (same team), none are Alex's.
    let user = get(&sb, "/me", &k).await.json["user"].clone();
    let (me, team) = (&user["id"], &user["teamId"]);
    assert!(all.iter().any(|x| x["userId"] != *me));
    assert!(all
        .iter()
        .all(|x| x["userId"] == *me || x["teamId"] == *team));
    // States: never used (""), used, revoked (INACTIVE + deletedAt), expired (INACTIVE).
    let some = |state: fn(&Value) -> bool| all.iter().any(state);
    assert!(some(|x| x["lastUsedAt"] == "" && x["status"] == "ACTIVE"));
    assert!(some(|x| x["lastUsedAt"] != "" && x["status"] == "ACTIVE"));
    assert!(some(
        |x| x["status"] == "INACTIVE" && x.get("deletedAt").is_some()
    ));
    assert!(some(
        |x| x["status"] == "INACTIVE" && x.get("deletedAt").is_none()
    ));
    // Invalid cursor.
    let r = get(&sb, "/collection-access-keys?cursor=garbage!", &k).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json,
        json!({"type":"https://api.postman.com/problems/bad-request","title":"Malformed request","detail":"Invalid cursor","status":400})
    );
    // Filter by collection UID.
    let uid = all[0]["collectionId"].as_str().unwrap();
    let r = keys_of(&sb, &k, uid).await;
    assert!(data(&r).iter().all(|x| x["collectionId"] == uid));
    assert!(!data(&r).is_empty());
    sb.shutdown().await;
}

async fn mint(sb: &postman_sandbox::Sandbox, uid: &str) -> (String, String) {
    let (id, token) = mint_access_key(sb, uid).await;
    assert!(token.starts_with("PMAT-") && token.len() == 31);
    let crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    assert!(token[5..].chars().all(|c| crockford.contains(c)));
    (id, token)
}

#[tokio::test]
async fn a_key_opens_its_collection_without_an_api_key_and_use_extends_expiry() {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let uid = first_collection_uid(&sb, &k).await;
    let (id, token) = mint(&sb, &uid).await;
    let before = listed(&keys_of(&sb, &k, &uid).await, &id);
    assert_eq!(before["lastUsedAt"], "");
    assert_eq!(before["token"].as_str().unwrap()[27..], token[27..]);

    advance_secs(&sb, 86_400 * 10).await;
    let r = get_shared(&sb, &uid, &token).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["collection"]["info"]["uid"], uid.as_str());
    let after = listed(&keys_of(&sb, &k, &uid).await, &id);
    assert_ne!(after["lastUsedAt"], "");
    let ms = |v: &Value| chrono_ms(v.as_str().unwrap());
    assert_eq!(
        ms(&after["expiresAfter"]) - ms(&after["lastUsedAt"]),
        60 * 86_400_000
    );
    assert!(ms(&after["expiresAfter"]) > ms(&before["expiresAfter"]));
    // The key opens only its own collection.
    let other = get(&sb, "/collections", &k)
        .await
        .string("/collections/1/uid");
    let r = get_shared(&sb, &other, &token).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json, auth_error());
    // No credential at all.
    let r = send(client().get(format!("{}/collections/{uid}", sb.url()))).await;
    assert_eq!(r.status, 401);
    sb.shutdown().await;
}

fn chrono_ms(s: &str) -> i64 {
    // YYYY-MM-DDTHH:MM:SS.mmmZ → ms (days from civil, UTC).
    let y: i64 = s[0..4].parse().unwrap();
    let m: i64 = s[5..7].parse().unwrap();
    let d: i64 = s[8..10].parse().unwrap();
    let (y2, m2) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let doy = (153 * m2 + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    let h: i64 = s[11..13].parse().unwrap();
    let mi: i64 = s[14..16].parse().unwrap();
    let sec: i64 = s[17..19].parse().unwrap();
    let milli: i64 = s[20..23].parse().unwrap();
    days * 86_400_000 + ((h * 60 + mi) * 60 + sec) * 1000 + milli
}

#[tokio::test]
async fn revoke_then_key_is_dead_and_second_revoke_404s() {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let uid = first_collection_uid(&sb, &k).await;
    let (id, token) = mint(&sb, &uid).await;
    assert_eq!(get_shared(&sb, &uid, &token).await.status, 200);
    let one = format!("/collection-access-keys/{id}");
    let r = delete(&sb, &one, &k).await;
    assert_eq!(r.status, 204);
    assert!(r.text.is_empty());
    let r = get_shared(&sb, &uid, &token).await;
    assert_eq!((r.status, &r.json), (401, &auth_error()));
    let nf = json!({"type":"https://api.postman.com/problems/not-found","title":"Not Found","status":404,"detail":"The key was not found"});
    let r = delete(&sb, &one, &k).await;
    assert_eq!((r.status, &r.json), (404, &nf));
    let r = delete(&sb, "/collection-access-keys/bm9wZQ", &k).await;
    assert_eq!((r.status, &r.json), (404, &nf));
    // Listed as INACTIVE with deletedAt.
    let x = listed(&keys_of(&sb, &k, &uid).await, &id);
    assert_eq!(x["status"], "INACTIVE");
    assert!(x["deletedAt"].is_string());
    // Another team cannot revoke Taylor's keys.
    let (id2, _) = mint(&sb, &uid).await;
    let alex = key(&sb, ALEX);
    let r = delete(&sb, &format!("/collection-access-keys/{id2}"), &alex).await;
    assert_eq!(r.status, 404);
    sb.shutdown().await;
}

#[tokio::test]
async fn expiry_after_sixty_idle_days() {
    let (sb, k) = sandbox_as(TAYLOR).await;
    // The seeded key expiring in 3 days works now and not after 4 days.
    let keys = sandbox_access_keys(&sb).await;
    let now = chrono_ms(sandbox_clock(&sb).await["now"].as_str().unwrap());
    let soon = data(&keys)
        .into_iter()
        .find(|x| {
            let left = chrono_ms(x["expiresAfter"].as_str().unwrap()) - now;
            x["status"] == "ACTIVE"
                && x["lastUsedAt"] == ""
                && left > 2 * 86_400_000
                && left < 4 * 86_400_000
        })
        .expect("a seeded key expiring in 3 days");
    let soon = |f: &str| soon[f].as_str().unwrap().to_owned();
    let (soon_uid, soon_token) = (soon("collectionId"), soon("token"));
    // Minted keys: one used (extends), one not.
    let uid = first_collection_uid(&sb, &k).await;
    let (_, idle) = mint(&sb, &uid).await;
    let (_, busy) = mint(&sb, &uid).await;
    advance_secs(&sb, 86_400 * 4).await;
    let r = get_shared(&sb, &soon_uid, &soon_token).await;
    assert_eq!(r.status, 401, "expired seeded key");
    advance_secs(&sb, 86_400 * 40).await;
    assert_eq!(get_shared(&sb, &uid, &busy).await.status, 200);
    advance_secs(&sb, 86_400 * 30).await;
    assert_eq!(
        get_shared(&sb, &uid, &idle).await.status,
        401,
        "idle 74 days"
    );
    assert_eq!(
        get_shared(&sb, &uid, &busy).await.status,
        200,
        "used 30 days ago"
    );
    // The seeded expired key is listed INACTIVE without deletedAt.
    let r = get(&sb, "/collection-access-keys", &k).await;
    assert!(data(&r).iter().any(|x| x["status"] == "INACTIVE"));
    sb.shutdown().await;
}

#[tokio::test]
async fn a_minted_token_is_shown_once() {
    let (sb, k) = sandbox_as(TAYLOR).await;
    let uid = first_collection_uid(&sb, &k).await;
    let (id, token) = mint(&sb, &uid).await;
    let all = sandbox_access_keys(&sb).await;
    let masked = listed(&all, &id)["token"].as_str().unwrap().to_owned();
    assert_ne!(masked, token);
    assert!(masked.contains("**********************"));
    // Seeded keys show their (seed-derived) token so tests can use them.
    assert!(data(&all)
        .iter()
        .any(|x| !x["token"].as_str().unwrap().contains('*')));
    sb.shutdown().await;
}
