//! Collection access keys: listing (masking, states, cursor pages), revoking, using a key
//! without an API key, expiry and its extension on use.

#[path = "util/mod.rs"]
mod util;

use serde_json::{json, Value};
use util::*;

fn data(r: &Resp) -> Vec<Value> {
    r.json["data"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn list_is_masked_paged_by_ten_and_has_every_state() {
    let sb = sandbox().await;
    let k = key(&sb, TAYLOR);
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
        for f in [
            "id",
            "status",
            "teamId",
            "userId",
            "collectionId",
            "expiresAfter",
            "lastUsedAt",
            "createdAt",
            "updatedAt",
        ] {
            assert!(key.get(f).is_some(), "{f}");
        }
    }
    let r2 = get(&sb, &format!("/collection-access-keys?cursor={next}"), &k).await;
    assert_eq!(r2.status, 200);
    let second = data(&r2);
    assert!(!second.is_empty());
    assert!(!r2.json["meta"]["prevCursor"].as_str().unwrap().is_empty());
    let all: Vec<Value> = first.iter().chain(second.iter()).cloned().collect();
    // Personal and team keys: some are Sam's (same team), none are Alex's.
    let me = get(&sb, "/me", &k).await.json["user"]["id"].clone();
    assert!(all.iter().any(|x| x["userId"] != me));
    let team = get(&sb, "/me", &k).await.json["user"]["teamId"].clone();
    assert!(all.iter().all(|x| x["userId"] == me || x["teamId"] == team));
    // States: never used (""), used, revoked (INACTIVE + deletedAt), expired (INACTIVE).
    assert!(all
        .iter()
        .any(|x| x["lastUsedAt"] == "" && x["status"] == "ACTIVE"));
    assert!(all
        .iter()
        .any(|x| x["lastUsedAt"] != "" && x["status"] == "ACTIVE"));
    assert!(all
        .iter()
        .any(|x| x["status"] == "INACTIVE" && x.get("deletedAt").is_some()));
    assert!(all
        .iter()
        .any(|x| x["status"] == "INACTIVE" && x.get("deletedAt").is_none()));
    // Invalid cursor.
    let r = get(&sb, "/collection-access-keys?cursor=garbage!", &k).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json,
        json!({"type":"https://api.postman.com/problems/bad-request","title":"Malformed request","detail":"Invalid cursor","status":400})
    );
    // Filter by collection UID.
    let uid = all[0]["collectionId"].as_str().unwrap();
    let r = get(
        &sb,
        &format!("/collection-access-keys?collectionId={uid}"),
        &k,
    )
    .await;
    assert!(data(&r).iter().all(|x| x["collectionId"] == uid));
    assert!(!data(&r).is_empty());
    sb.shutdown().await;
}

async fn mint(sb: &postman_sandbox::Sandbox, uid: &str) -> (String, String) {
    let r = admin(
        sb,
        "POST",
        "/_sandbox/access-keys",
        json!({"collection": uid}),
    )
    .await;
    let token = r.json["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("PMAT-") && token.len() == 31);
    assert!(token[5..]
        .chars()
        .all(|c| "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(c)));
    (r.json["id"].as_str().unwrap().to_string(), token)
}

#[tokio::test]
async fn a_key_opens_its_collection_without_an_api_key_and_use_extends_expiry() {
    let sb = sandbox().await;
    let k = key(&sb, TAYLOR);
    let uid = first_collection_uid(&sb, &k).await;
    let (id, token) = mint(&sb, &uid).await;
    let listed = |r: &Resp| {
        data(r)
            .into_iter()
            .find(|x| x["id"] == id.as_str())
            .unwrap()
    };
    let before = listed(
        &get(
            &sb,
            &format!("/collection-access-keys?collectionId={uid}"),
            &k,
        )
        .await,
    );
    assert_eq!(before["lastUsedAt"], "");
    assert_eq!(before["token"].as_str().unwrap()[27..], token[27..]);

    admin(
        &sb,
        "POST",
        "/_sandbox/clock",
        json!({"advanceSeconds": 86_400 * 10}),
    )
    .await;
    let r = send(client().get(format!("{}/collections/{uid}?access_key={token}", sb.url()))).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["collection"]["info"]["uid"], uid.as_str());
    let after = listed(
        &get(
            &sb,
            &format!("/collection-access-keys?collectionId={uid}"),
            &k,
        )
        .await,
    );
    assert_ne!(after["lastUsedAt"], "");
    let ms = |v: &Value| chrono_ms(v.as_str().unwrap());
    assert_eq!(
        ms(&after["expiresAfter"]) - ms(&after["lastUsedAt"]),
        60 * 86_400_000
    );
    assert!(ms(&after["expiresAfter"]) > ms(&before["expiresAfter"]));
    // The key opens only its own collection.
    let other = get(&sb, "/collections", &k).await.json["collections"][1]["uid"]
        .as_str()
        .unwrap()
        .to_string();
    let r = send(client().get(format!(
        "{}/collections/{other}?access_key={token}",
        sb.url()
    )))
    .await;
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
    let sb = sandbox().await;
    let k = key(&sb, TAYLOR);
    let uid = first_collection_uid(&sb, &k).await;
    let (id, token) = mint(&sb, &uid).await;
    let url = format!("{}/collections/{uid}?access_key={token}", sb.url());
    assert_eq!(send(client().get(&url)).await.status, 200);
    let r = call(
        &sb,
        "DELETE",
        &format!("/collection-access-keys/{id}"),
        Some(&k),
        None,
    )
    .await;
    assert_eq!(r.status, 204);
    assert!(r.text.is_empty());
    let r = send(client().get(&url)).await;
    assert_eq!((r.status, &r.json), (401, &auth_error()));
    let nf = json!({"type":"https://api.postman.com/problems/not-found","title":"Not Found","status":404,"detail":"The key was not found"});
    let r = call(
        &sb,
        "DELETE",
        &format!("/collection-access-keys/{id}"),
        Some(&k),
        None,
    )
    .await;
    assert_eq!((r.status, &r.json), (404, &nf));
    let r = call(
        &sb,
        "DELETE",
        "/collection-access-keys/bm9wZQ",
        Some(&k),
        None,
    )
    .await;
    assert_eq!((r.status, &r.json), (404, &nf));
    // Listed as INACTIVE with deletedAt.
    let r = get(
        &sb,
        &format!("/collection-access-keys?collectionId={uid}"),
        &k,
    )
    .await;
    let x = data(&r)
        .into_iter()
        .find(|x| x["id"] == id.as_str())
        .unwrap();
    assert_eq!(x["status"], "INACTIVE");
    assert!(x["deletedAt"].is_string());
    // Another team cannot revoke Taylor's keys.
    let (id2, _) = mint(&sb, &uid).await;
    let r = call(
        &sb,
        "DELETE",
        &format!("/collection-access-keys/{id2}"),
        Some(&key(&sb, ALEX)),
        None,
    )
    .await;
    assert_eq!(r.status, 404);
    sb.shutdown().await;
}

#[tokio::test]
async fn expiry_after_sixty_idle_days() {
    let sb = sandbox().await;
    let k = key(&sb, TAYLOR);
    // The seeded key expiring in 3 days works now and not after 4 days.
    let keys = admin(&sb, "GET", "/_sandbox/access-keys", json!({})).await;
    let now = chrono_ms(
        admin(&sb, "GET", "/_sandbox/clock", json!({})).await.json["now"]
            .as_str()
            .unwrap(),
    );
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
    let url = format!(
        "{}/collections/{}?access_key={}",
        sb.url(),
        soon["collectionId"].as_str().unwrap(),
        soon["token"].as_str().unwrap()
    );
    // Minted keys: one used (extends), one not.
    let uid = first_collection_uid(&sb, &k).await;
    let (_, idle) = mint(&sb, &uid).await;
    let (_, busy) = mint(&sb, &uid).await;
    let u = |t: &str| format!("{}/collections/{uid}?access_key={t}", sb.url());
    admin(
        &sb,
        "POST",
        "/_sandbox/clock",
        json!({"advanceSeconds": 86_400 * 4}),
    )
    .await;
    assert_eq!(
        send(client().get(&url)).await.status,
        401,
        "expired seeded key"
    );
    admin(
        &sb,
        "POST",
        "/_sandbox/clock",
        json!({"advanceSeconds": 86_400 * 40}),
    )
    .await;
    assert_eq!(send(client().get(u(&busy))).await.status, 200);
    admin(
        &sb,
        "POST",
        "/_sandbox/clock",
        json!({"advanceSeconds": 86_400 * 30}),
    )
    .await;
    assert_eq!(
        send(client().get(u(&idle))).await.status,
        401,
        "idle 74 days"
    );
    assert_eq!(
        send(client().get(u(&busy))).await.status,
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
    let sb = sandbox().await;
    let k = key(&sb, TAYLOR);
    let uid = first_collection_uid(&sb, &k).await;
    let (id, token) = mint(&sb, &uid).await;
    let all = admin(&sb, "GET", "/_sandbox/access-keys", json!({})).await;
    let listed = data(&all)
        .into_iter()
        .find(|x| x["id"] == id.as_str())
        .unwrap();
    assert_ne!(listed["token"], token.as_str());
    assert!(listed["token"]
        .as_str()
        .unwrap()
        .contains("**********************"));
    // Seeded keys show their (seed-derived) token so tests can use them.
    assert!(data(&all)
        .iter()
        .any(|x| !x["token"].as_str().unwrap().contains('*')));
    sb.shutdown().await;
}
