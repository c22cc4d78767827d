//! The typed calls, one module per resource of the Postman API. Each is an `impl Client`
//! block over the transport in [`crate::client`] (pacing, attempts, cache, activity).

mod access_keys;
mod collections;
mod environments;
mod me;
mod mocks;
mod monitors;
mod workspaces;

pub use collections::collection_of_body;
pub use mocks::{MockAnswer, MockCall, MOCK_ANSWER_MAX, MOCK_CALL_TIMEOUT};

impl crate::Client {
    /// Sends the write `req` and reads its answer with `read`, after `forget` has dropped the
    /// cached answers the write makes stale, whatever came back: a write whose answer was lost
    /// or refused may still have been made.
    async fn write<T>(
        &self,
        req: crate::client::Req,
        forget: impl FnOnce(&Self),
        read: impl FnOnce(&serde_json::Value) -> Result<T, crate::Error>,
    ) -> Result<T, crate::Error> {
        let v = self.call_json(req).await;
        forget(self);
        read(&v?)
    }

    /// A collection or an environment (`resource`: `collections`, `environments`) changed:
    /// its lists and the workspaces that list it are stale, and so is the element itself
    /// (`id`, bare or a uid, which contains the bare id: both forms go).
    fn invalidate_element(&self, resource: &str, id: Option<&str>) {
        let c = &self.inner.cache;
        c.invalidate(&format!("/{resource}?"), None);
        c.invalidate("/workspaces/", None);
        if let Some(id) = id {
            let bare = id.get(id.len().saturating_sub(36)..).unwrap_or(id);
            c.invalidate(&format!("/{resource}/"), Some(bare));
        }
    }
}

/// Every item of a cursor-paged list: `page(cursor)` answers one page's items and the next
/// cursor; it stops when there is none, when a cursor repeats (a server that loops), or after
/// `max_pages`.
async fn every_page<T, F, Fut>(max_pages: usize, mut page: F) -> Result<Vec<T>, crate::Error>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<(Vec<T>, Option<String>), crate::Error>>,
{
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..max_pages {
        let (items, next) = page(cursor.clone()).await?;
        out.extend(items);
        match next {
            Some(c) if Some(&c) != cursor.as_ref() => cursor = Some(c),
            _ => break,
        }
    }
    Ok(out)
}
