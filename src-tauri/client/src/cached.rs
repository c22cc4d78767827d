//! The cached reads over the transport: a fresh entry answers with no call, identical reads
//! share one fetch, a network failure falls back to the last entry. [`Client::cached`] reads
//! an answer into a type on each read, [`Client::cached_shared`] once per answer, and
//! [`Client::taken`] hands a large answer over instead of keeping it.

use crate::cache::{Entry, Fetched, Typed};
use crate::client::{parse_json, parse_typed, Client, Req};
use crate::error::Error;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::Arc;
use tokio::time::Instant;

/// An answer as [`Client::take_collection`] hands it over: parsed (from the cache, or a small
/// answer, which stays cached), or, from its `keep_below` on, the body as received, unparsed, for
/// the caller to read as it needs (the library reads a large collection's outline first).
pub enum Taken {
    Parsed(Value),
    Body(Vec<u8>),
}

impl Client {
    /// A cached read: fresh cache → 0 calls; otherwise fetch, store, and on a network failure
    /// fall back to the last cached value (with why in `failure`).
    pub(crate) async fn cached<T>(
        &self,
        req: Req,
        force: bool,
        parse: impl Fn(&Value) -> Result<T, Error>,
    ) -> Result<Fetched<T>, Error> {
        self.read_through(
            req,
            force,
            |e| e.value.and_then(|v| parse(&v).ok()),
            |body, store| {
                let v = parse_json(&body)?;
                let data = parse(&v)?;
                store(Some(v), None);
                Ok(data)
            },
        )
        .await
    }

    /// [`Client::cached`] whose answer is shared: read into `T` once per answer, straight from
    /// the body (no `Value` in between, none kept: 10,000 collections are no longer made twice,
    /// freed twice and held twice), and every read of that answer gets the same `Arc` (no copy, no
    /// re-read). `what` names the answer in the error of one that has another shape.
    pub(crate) async fn cached_shared<T: DeserializeOwned + Send + Sync + 'static>(
        &self,
        req: Req,
        force: bool,
        what: &'static str,
    ) -> Result<Fetched<Arc<T>>, Error> {
        self.read_through(
            req,
            force,
            |e| e.typed(|v| T::deserialize(v)),
            |body, store| {
                let data = Arc::new(parse_typed::<T>(&body, what)?);
                let typed: Typed = data.clone();
                store(None, Some(typed));
                Ok(data)
            },
        )
        .await
    }

    /// [`Client::cached`] for a caller that keeps the answer it reads (the library's working copy
    /// of a collection): `parse` gets the answer itself and its size. An answer of `keep_below`
    /// bytes or more is handed over, not copied: the cache lets go of it (the caller may give it
    /// back, see [`Client::restore_collection`]), so a 20 MB document is held once. A smaller one
    /// is copied and stays cached, as with [`Client::cached`].
    pub(crate) async fn taken<T>(
        &self,
        req: Req,
        force: bool,
        keep_below: usize,
        parse: impl Fn(Taken, usize) -> Result<T, Error>,
    ) -> Result<Fetched<T>, Error> {
        let key = req.cache_key("");
        self.read_through(
            req,
            force,
            |e| {
                let (bytes, value) = (e.bytes, e.value?);
                if bytes >= keep_below {
                    self.inner.cache.remove_this(&key, &value);
                }
                let v = Arc::try_unwrap(value).unwrap_or_else(|shared| (*shared).clone());
                parse(Taken::Parsed(v), bytes).ok()
            },
            |body, store| {
                let bytes = body.len();
                if bytes >= keep_below {
                    return parse(Taken::Body(body), bytes);
                }
                let v = parse_json(&body)?;
                store(Some(v.clone()), None);
                parse(Taken::Parsed(v), bytes)
            },
        )
        .await
    }

    /// The read behind [`Client::cached`] and [`Client::taken`]: a fresh entry answers with no
    /// call (`from_entry`; `None` when it does not parse); else identical reads share one fetch
    /// (single flight), whose body goes to `from_answer` with a `store` that caches its parsed
    /// answer unless a write invalidated the cache meanwhile; on a network failure the last entry
    /// answers, however old, with why in `failure`.
    async fn read_through<T>(
        &self,
        req: Req,
        force: bool,
        from_entry: impl Fn(Entry) -> Option<T>,
        from_answer: impl FnOnce(
            Vec<u8>,
            &mut dyn FnMut(Option<Value>, Option<Typed>),
        ) -> Result<T, Error>,
    ) -> Result<Fetched<T>, Error> {
        let key = req.cache_key("");
        let hit = |e: Entry, failure: Option<String>| {
            let fetched_at = e.at_ms;
            from_entry(e).map(|data| Fetched {
                data,
                fetched_at,
                from_cache: true,
                failure,
            })
        };
        if !force {
            if let Some(f) = self
                .inner
                .cache
                .fresh(&key, self.now_ms())
                .and_then(|e| hit(e, None))
            {
                return Ok(f);
            }
        }
        // Single flight: identical reads wait for the one in progress and share its answer.
        let asked = Instant::now();
        let gate = self.inner.cache.gate(&key);
        let _turn = gate.lock().await;
        let shared = self.inner.cache.any(&key).filter(|e| {
            e.at >= asked || (!force && e.is_fresh(self.inner.cfg.cache_ttl, self.now_ms()))
        });
        if let Some(f) = shared.and_then(|e| hit(e, None)) {
            return Ok(f);
        }
        let generation = self.inner.cache.generation();
        match self.call(req).await {
            Ok(r) => {
                let (at_ms, bytes) = (self.now_ms(), r.body.len());
                let data = from_answer(r.body, &mut |kept, typed| {
                    self.inner
                        .cache
                        .put_if(key.clone(), (kept, typed), bytes, generation, at_ms);
                })?;
                Ok(Fetched {
                    data,
                    fetched_at: at_ms,
                    from_cache: false,
                    failure: None,
                })
            }
            Err(e) if e.is_transient() => self
                .inner
                .cache
                .any(&key)
                .and_then(|c| hit(c, Some(e.to_string())))
                .ok_or(e),
            Err(e) => {
                if matches!(e, Error::NotFound { .. }) {
                    self.inner.cache.remove(&key);
                }
                Err(e)
            }
        }
    }
}
