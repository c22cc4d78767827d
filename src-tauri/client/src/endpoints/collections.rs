//! Collections: the list, one collection (or its minimal form), a read through an access key with no API key, create, PUT (synchronous or async with task polling), PATCH, delete — each write invalidating exactly the cached reads it makes stale.

use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};
use tokio::time::Instant;

use crate::cache::Fetched;
use crate::cached::Taken;
use crate::client::{parse_json, segment, typed, wrap, Auth, Client, CollectionQuery, Req};
use crate::error::Error;
use crate::model::*;
use crate::secret::AccessToken;

impl Client {
    /// `GET /collections`
    pub async fn get_collections(
        &self,
        q: &CollectionQuery,
        force: bool,
    ) -> Result<Fetched<CollectionList>, Error> {
        let shared = self.get_collections_shared(q, force).await?;
        Ok(shared.map(Arc::unwrap_or_clone))
    }

    /// [`Client::get_collections`] whose list is shared: read into types once per answer, so a
    /// list shown again from the cache costs no re-read (the library's rows of 10,000).
    pub async fn get_collections_shared(
        &self,
        q: &CollectionQuery,
        force: bool,
    ) -> Result<Fetched<Arc<CollectionList>>, Error> {
        let req = Req::new(Method::GET, "/collections")
            .q("workspace", q.workspace.as_ref())
            .q("name", q.name.as_ref())
            .q("limit", q.limit)
            .q("offset", q.offset);
        self.cached_shared(req, force, "collections").await
    }

    /// `GET /collections/{uid}` (`minimal`: `model=minimal`).
    pub async fn get_collection(
        &self,
        uid: &str,
        minimal: bool,
        force: bool,
    ) -> Result<Fetched<Collection>, Error> {
        let req = Req::new(Method::GET, format!("/collections/{}", segment(uid)))
            .q("model", minimal.then_some("minimal"));
        self.cached(req, force, |v| {
            Collection::from_body(v).map_err(Error::BadResponse)
        })
        .await
    }

    /// `GET /collections/{uid}?access_key=PMAT-…` with NO API key (read-only share). Not cached,
    /// not counted against the key's limits.
    pub async fn get_shared_collection(
        &self,
        uid: &str,
        token: &AccessToken,
    ) -> Result<Collection, Error> {
        let mut req = Req::new(Method::GET, format!("/collections/{}", segment(uid)))
            .q("access_key", Some(token.expose()));
        req.auth = Auth::None;
        req.paced = false;
        let v = self.call_json(req).await?;
        Collection::from_body(&v).map_err(Error::BadResponse)
    }

    /// [`Client::get_collection`] (full model) for a caller that keeps the document (the
    /// library's working copy): the `collection` object itself and the answer's size in bytes,
    /// with no copy made. From `keep_below` bytes on, the cache lets go of it, so it is held
    /// once ([`Client::restore_collection`] gives it back), and a fresh answer comes as its body,
    /// unparsed ([`Taken::Body`]: read it with [`collection_of_body`]). A smaller one stays
    /// cached too.
    pub async fn take_collection(
        &self,
        uid: &str,
        force: bool,
        keep_below: usize,
    ) -> Result<Fetched<(Taken, usize)>, Error> {
        let req = Req::new(Method::GET, format!("/collections/{}", segment(uid)));
        self.taken(req, force, keep_below, |taken, bytes| match taken {
            Taken::Parsed(mut v) => Ok((Taken::Parsed(collection_of(&mut v)?), bytes)),
            body => Ok((body, bytes)),
        })
        .await
    }

    /// Gives back, as the cached answer of the read made at `fetched_at_ms`, a collection document
    /// taken with [`Client::take_collection`] and not changed since (`bytes`: its size). Ignored
    /// when a write has invalidated the cache meanwhile, or a newer answer is cached.
    pub fn restore_collection(
        &self,
        uid: &str,
        collection: Value,
        bytes: usize,
        fetched_at_ms: u64,
    ) {
        let key = Self::collection_key(uid);
        if self.inner.cache.any(&key).is_some() {
            return;
        }
        let generation = self.inner.cache.generation();
        self.inner.cache.put_if(
            key,
            (Some(json!({ "collection": collection })), None),
            bytes,
            generation,
            fetched_at_ms,
        );
    }

    fn collection_key(uid: &str) -> String {
        Req::new(Method::GET, format!("/collections/{}", segment(uid))).cache_key("")
    }

    fn invalidate_collection(&self, id: Option<&str>) {
        self.invalidate_element("collections", id);
    }

    /// `POST /collections?workspace=` with `{"collection": …}` (the v2.1 document; wrapped
    /// automatically when it is not).
    pub async fn create_collection(
        &self,
        workspace: Option<&str>,
        collection: Value,
    ) -> Result<ElementRef, Error> {
        let body = wrap("collection", collection);
        let req = Req::new(Method::POST, "/collections")
            .q("workspace", workspace)
            .body(body);
        let v = self.call_json(req).await?;
        self.invalidate_collection(None);
        typed(&v, "collection")
    }

    /// `PUT /collections/{uid}` (synchronous full replace).
    pub async fn put_collection(&self, uid: &str, collection: Value) -> Result<ElementRef, Error> {
        let req = Req::new(Method::PUT, format!("/collections/{}", segment(uid)))
            .body(wrap("collection", collection));
        let forget = |c: &Self| c.invalidate_collection(Some(uid));
        self.write(req, forget, |v| typed(v, "collection")).await
    }

    /// `PUT /collections/{uid}` with `Prefer: respond-async`: returns the task (202).
    pub async fn put_collection_async(
        &self,
        uid: &str,
        collection: Value,
    ) -> Result<UpdateTask, Error> {
        let mut req = Req::new(Method::PUT, format!("/collections/{}", segment(uid)))
            .body(wrap("collection", collection));
        req.headers.push(("prefer", "respond-async"));
        let r = self.call(req).await;
        self.invalidate_collection(Some(uid));
        let r = r?;
        let v = parse_json(&r.body)?;
        if r.status == 200 && v.get("task").is_none() {
            // Served synchronously.
            let c: ElementRef = typed(&v, "collection")?;
            return Ok(UpdateTask {
                id: c.id.0,
                status: TaskStatus::Successful,
            });
        }
        UpdateTask::from_body(&v).map_err(Error::BadResponse)
    }

    /// `GET /collection-updates-tasks/{id}`
    pub async fn get_update_task(&self, task_id: &str) -> Result<UpdateTask, Error> {
        let v = self
            .call_json(Req::new(
                Method::GET,
                format!("/collection-updates-tasks/{}", segment(task_id)),
            ))
            .await?;
        UpdateTask::from_body(&v).map_err(Error::BadResponse)
    }

    /// Async PUT, then polls the task every `poll` until it is no longer in progress (or
    /// `max_wait` passes: `Timeout`).
    pub async fn put_collection_and_wait(
        &self,
        uid: &str,
        collection: Value,
        poll: Duration,
        max_wait: Duration,
    ) -> Result<UpdateTask, Error> {
        let task = self.put_collection_async(uid, collection).await?;
        if task.status != TaskStatus::InProgress {
            return Ok(task);
        }
        let deadline = Instant::now() + max_wait;
        loop {
            tokio::time::sleep(poll).await;
            let t = self.get_update_task(&task.id).await?;
            if t.status != TaskStatus::InProgress {
                self.invalidate_collection(Some(uid));
                return Ok(t);
            }
            if Instant::now() >= deadline {
                return Err(Error::Timeout);
            }
        }
    }

    /// `PATCH /collections/{uid}` with `{"collection": {info?, variable?, auth?, events?}}`.
    pub async fn patch_collection(&self, uid: &str, patch: Value) -> Result<ElementRef, Error> {
        let req = Req::new(Method::PATCH, format!("/collections/{}", segment(uid)))
            .body(wrap("collection", patch));
        let forget = |c: &Self| c.invalidate_collection(Some(uid));
        self.write(req, forget, |v| typed(v, "collection")).await
    }

    /// `DELETE /collections/{uid}`
    pub async fn delete_collection(&self, uid: &str) -> Result<ElementRef, Error> {
        let req = Req::new(Method::DELETE, format!("/collections/{}", segment(uid)));
        let forget = |c: &Self| {
            c.invalidate_collection(Some(uid));
            c.inner.cache.invalidate("/collection-access-keys", None);
        };
        self.write(req, forget, |v| typed(v, "collection")).await
    }
}

/// The `collection` object of a `GET /collections/{uid}` answer, taken out of it.
fn collection_of(v: &mut Value) -> Result<Value, Error> {
    match v.get_mut("collection").map(Value::take) {
        Some(c @ Value::Object(_)) => Ok(c),
        Some(_) => Err(Error::BadResponse("\"collection\" is not an object".into())),
        None => Err(Error::BadResponse(
            "the answer has no \"collection\" object".into(),
        )),
    }
}

/// The `collection` object of a `GET /collections/{uid}` body ([`Taken::Body`]), with the errors
/// a parsed answer would have.
pub fn collection_of_body(body: &[u8]) -> Result<Value, Error> {
    collection_of(&mut parse_json(body)?)
}
