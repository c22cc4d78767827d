//! Collection access keys: one page, every page, the share link, the sandbox's mint, revoke.

use reqwest::Method;
use serde_json::{json, Value};

use crate::cache::Fetched;
use crate::client::{segment, typed, Auth, Client, Req};
use crate::error::Error;
use crate::model::*;
use crate::region::Region;
use crate::secret::AccessToken;

impl Client {
    /// `GET /collection-access-keys?collectionId=&cursor=` (one page).
    pub async fn get_access_keys(
        &self,
        collection_uid: Option<&str>,
        cursor_: Option<&str>,
        force: bool,
    ) -> Result<Fetched<AccessKeyPage>, Error> {
        let req = Req::new(Method::GET, "/collection-access-keys")
            .q("collectionId", collection_uid)
            .q("cursor", cursor_);
        self.cached(req, force, |v| {
            Ok(AccessKeyPage {
                keys: typed(v, "data")?,
                next_cursor: cursor(v, "nextCursor"),
                prev_cursor: cursor(v, "prevCursor"),
            })
        })
        .await
    }

    /// Every access key, following cursors.
    pub async fn get_all_access_keys(
        &self,
        collection_uid: Option<&str>,
        force: bool,
    ) -> Result<Vec<AccessKeyInfo>, Error> {
        super::every_page(10_000, |cursor| async move {
            let page = self
                .get_access_keys(collection_uid, cursor.as_deref(), force)
                .await?;
            Ok((page.data.keys, page.data.next_cursor))
        })
        .await
    }

    /// The read-only share link of a collection: `{base}/collections/{uid}?access_key=PMAT-…`.
    /// It carries the token: give it to the clipboard, never to a log or a view.
    pub fn share_link(&self, uid: &str, token: &AccessToken) -> String {
        let mut u = self.inner.base.clone();
        let base_path = u.path().trim_end_matches('/').to_string();
        u.set_path(&format!("{base_path}/collections/{}", segment(uid)));
        u.query_pairs_mut()
            .append_pair("access_key", token.expose());
        u.to_string()
    }

    /// Whether this client talks to a sandbox (`/_sandbox/` endpoints exist there).
    pub fn is_sandbox(&self) -> bool {
        matches!(self.inner.cfg.region, Region::Sandbox(_))
    }

    /// Sandbox only: mints a collection access key through `POST /_sandbox/access-keys` (what
    /// Postman's Share → Via API dialog does; the public API cannot). Returns the token, checked:
    /// a secret the caller keeps in the keychain and never shows.
    pub async fn sandbox_mint_access_key(&self, uid: &str) -> Result<AccessToken, Error> {
        if !self.is_sandbox() {
            return Err(Error::BadResponse(
                "only the sandbox can mint access keys; use Postman's Share dialog".into(),
            ));
        }
        let mut req =
            Req::new(Method::POST, "/_sandbox/access-keys").body(json!({"collection": uid}));
        req.paced = false;
        req.auth = Auth::SandboxAdmin;
        let v = self.call_json(req).await?;
        self.inner.cache.invalidate("/collection-access-keys", None);
        let raw = v
            .get("token")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::BadResponse("the sandbox answered without a token".into()))?;
        AccessToken::new(raw)
    }

    /// `DELETE /collection-access-keys/{id}` (204).
    pub async fn delete_access_key(&self, id: &str) -> Result<(), Error> {
        let r = self
            .call(Req::new(
                Method::DELETE,
                format!("/collection-access-keys/{}", segment(id)),
            ))
            .await;
        self.inner.cache.invalidate("/collection-access-keys", None);
        r.map(|_| ())
    }
}
