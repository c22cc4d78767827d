//! The call logs [`Mocks`] keeps: read from the API page by page and kept in the history
//! database, then listed, detailed and exported from there (0 calls).

use super::{account_of, blocking, Mocks, REFRESH_PAGES};
use crate::export;
use crate::store::StoredCall;
use crate::views::{CallDetails, CallFilter, CallRow};
use crate::MocksError;
use postdesk_base::clock::parse_rfc3339;
use postdesk_base::files::{ExportFile, ExportFormat};
use postman_client::{CallLogQuery, Client};

impl Mocks {
    /// Reads the API's call log of the mock (with headers and bodies) and keeps what is new;
    /// how many calls were new.
    pub async fn refresh_calls(&self, client: &Client, id: &str) -> Result<u32, MocksError> {
        let new = self.refresh_calls_pages(client, id, REFRESH_PAGES).await?;
        Ok(new.min(u32::MAX as usize) as u32)
    }

    pub(super) async fn refresh_calls_pages(
        &self,
        client: &Client,
        id: &str,
        pages: usize,
    ) -> Result<usize, MocksError> {
        let store = self.store().await?;
        let account = client.account().to_owned();
        let mut cursor = None;
        let mut new = 0;
        for _ in 0..pages {
            let q = CallLogQuery {
                cursor: cursor.clone(),
                details: true,
                limit: Some(100),
                ..CallLogQuery::default()
            };
            let page = client.get_call_logs(id, &q).await?;
            let calls: Vec<StoredCall> = page.calls.iter().map(stored_call).collect();
            let (s, a, mid) = (store.clone(), account.clone(), id.to_owned());
            let n = calls.len();
            let added = blocking(move || s.record(&a, &mid, &calls)).await?;
            new += added;
            match page.next_cursor {
                // A page with a call already kept: the rest is kept too.
                Some(c) if added == n && Some(&c) != cursor.as_ref() => cursor = Some(c),
                _ => break,
            }
        }
        Ok(new)
    }

    /// The kept calls of a mock (or a local mock: its `local-<port>` id), newest first.
    pub async fn calls(
        &self,
        account: &str,
        id: &str,
        filter: CallFilter,
    ) -> Result<Vec<CallRow>, MocksError> {
        let store = self.store().await?;
        let (a, id) = (account_of(account, id), id.to_owned());
        blocking(move || store.calls(&a, &id, &filter)).await
    }

    pub async fn call_details(
        &self,
        account: &str,
        id: &str,
        call_id: &str,
    ) -> Result<Option<CallDetails>, MocksError> {
        let store = self.store().await?;
        let (a, id, c) = (account_of(account, id), id.to_owned(), call_id.to_owned());
        blocking(move || store.details(&a, &id, &c)).await
    }

    /// The kept call log as a file (`name`: the mock's, for the file name).
    pub async fn export(
        &self,
        account: &str,
        id: &str,
        name: &str,
        format: ExportFormat,
    ) -> Result<ExportFile, MocksError> {
        let store = self.store().await?;
        let (a, mid) = (account_of(account, id), id.to_owned());
        let calls = blocking(move || store.all(&a, &mid)).await?;
        export::file(name, &calls, format).map_err(MocksError::Export)
    }
}

fn pairs(h: &Option<Vec<postman_client::HeaderPair>>) -> Vec<(String, String)> {
    h.iter()
        .flatten()
        .map(|p| (p.key.clone(), p.value.clone()))
        .collect()
}

/// A call as the API's log has it, as Postdesk keeps it.
fn stored_call(c: &postman_client::CallLog) -> StoredCall {
    let req = c.request.clone().unwrap_or_default();
    let resp = c.response.clone().unwrap_or_default();
    let has_details = req.headers.is_some()
        || req.body.is_some()
        || resp.headers.is_some()
        || resp.body.is_some();
    StoredCall {
        row: CallRow {
            id: c.id.clone(),
            served_at: c.served_at.as_deref().and_then(parse_rfc3339).unwrap_or(0),
            method: req.method.to_ascii_uppercase(),
            path: req.path.clone(),
            status: resp.status_code,
            response_type: resp.kind.clone(),
            response_name: Some(c.response_name.clone()).filter(|n| !n.is_empty()),
            has_details,
        },
        details: has_details.then(|| CallDetails {
            request_headers: pairs(&req.headers),
            request_body: req.body.as_ref().and_then(|b| b.data.clone()),
            response_headers: pairs(&resp.headers),
            response_body: resp.body.as_ref().and_then(|b| b.data.clone()),
        }),
    }
}
