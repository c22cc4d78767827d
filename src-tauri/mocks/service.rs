//! [`Mocks`]: the mock servers of an account as Postdesk shows them, the call logs it keeps,
//! and the collections it serves itself.
//!
//! # Calls per task
//! - the list of a workspace: 1 `GET /mocks`, plus the workspace's collection and environment
//!   lists for their names (cached; shared with the Collections and Environments views), plus
//!   1 `GET …/server-responses` per mock that has one active (cached). `force` asks again.
//! - create: 1 (`POST /mocks`); with delay or matching options on the built-in sandbox, 1 more
//!   (`/_sandbox/`, not counted). Edit: 1 (`PUT`). Public/private: 1. Delete: 2 (the name is
//!   checked on the server first).
//! - try it: 1 call to the mock URL (it counts in `mock_usage`, not in the API's calls) and
//!   1 `GET …/call-logs?limit=1` to name the example that answered (plus the mock, cached).
//! - switch to errors: 1 `GET …/server-responses`, 1 `POST` the first time (Postdesk's error
//!   response is then reused), 1 `PUT /mocks/{id}`; back to the examples: 1 `PUT`.
//! - refresh the call log: 1 per 100 calls, stopping at the first page with a call already
//!   kept; open, filter and export it: 0 (the local database).
//! - run a collection locally: the collection (and environment) once, from the cache when
//!   fresh; then nothing, whatever it serves.

mod calls;

use crate::error::MocksError;
use crate::local::{log_id, LocalServer};
use crate::store::{CallStore, LOCAL_ACCOUNT};
use crate::views::*;
use postdesk_base::clock::next_month_start_ms;
use postdesk_base::SharedClock;
use postdesk_monitors::{History, HistoryError};
use postman_client::{
    Client, CollectionQuery, Mock, MockCall, MockConfigChange, MockFields, ServerResponse,
    ServerResponseFields,
};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock};

/// The history file in the data folder (the monitors' and the activity log's too).
pub const HISTORY_FILE: &str = "history.db";
/// Pages a refresh of the call log reads at most (100 calls each).
pub const REFRESH_PAGES: usize = 50;
/// The name of the server response "Switch to errors" makes (and reuses).
pub const ERROR_RESPONSE_PREFIX: &str = "Postdesk: ";

struct Running {
    server: LocalServer,
    info: LocalMock,
}

/// The mocks domain.
pub struct Mocks {
    path: PathBuf,
    history: OnceLock<Arc<History>>,
    clock: SharedClock,
    local: tokio::sync::Mutex<BTreeMap<String, Running>>,
}

/// Runs blocking call log work on tokio's blocking pool (a task that failed: `Task`).
async fn blocking<T: Send + 'static, E: Into<MocksError> + Send + 'static>(
    f: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, MocksError> {
    postdesk_base::tasks::blocking(f, MocksError::Task).await
}

/// What a create or an edit sends for `input`; options only to the sandbox (Postman's API
/// cannot set them).
fn mock_fields(client: &Client, input: &MockInput) -> Result<MockFields, MocksError> {
    if input.options.is_some() && !client.is_sandbox() {
        return Err(MocksError::OptionsNotSettable);
    }
    Ok(MockFields {
        collection: input.collection.clone(),
        // The API has no documented way to remove an environment: an edit sends one only
        // when it names one.
        environment: input.environment.clone().filter(|e| !e.is_empty()),
        name: Some(input.name.trim().to_owned()).filter(|n| !n.is_empty()),
        private: Some(input.private),
        ..MockFields::default()
    })
}

/// The first instant of the UTC month `ms` falls in.
fn month_start(ms: i64) -> i64 {
    // Every month is at most 31 days: 32 days before the next month's start is in the month
    // before this one.
    next_month_start_ms(next_month_start_ms(ms) - 32 * 86_400_000)
}

/// May the API key go to this mock URL? Postman's mock service over https, or this computer.
fn trusted_mock_url(url: &str) -> bool {
    let Ok(u) = reqwest_url(url) else {
        return false;
    };
    match (u.scheme(), u.host_str()) {
        ("https", Some(h)) => h.ends_with(".mock.pstmn.io"),
        ("http", Some(h)) => h == "127.0.0.1" || h == "localhost" || h == "[::1]",
        _ => false,
    }
}

fn reqwest_url(url: &str) -> Result<url::Url, ()> {
    url::Url::parse(url).map_err(|_| ())
}

fn options_value(o: &MockOptions) -> Value {
    let delay = if o.delay_ms == 0 {
        Value::Null
    } else {
        json!({"type": "fixed", "duration": o.delay_ms.min(180_000)})
    };
    json!({"delay": delay, "matchBody": o.match_body, "matchQueryParams": o.match_query_params,
        "matchWildcards": o.match_wildcards, "matchHeader": !o.match_headers.is_empty(),
        "headers": o.match_headers})
}

impl Mocks {
    /// Keeps the call logs in `data_dir/history.db` (opened on first use).
    pub fn new(data_dir: &std::path::Path, clock: SharedClock) -> Mocks {
        Mocks {
            path: data_dir.join(HISTORY_FILE),
            history: OnceLock::new(),
            clock,
            local: tokio::sync::Mutex::new(BTreeMap::new()),
        }
    }

    /// Uses `history`, already open (the app opens it at start).
    pub fn with_history(self, history: Arc<History>) -> Mocks {
        let _ = self.history.set(history);
        self
    }

    async fn store(&self) -> Result<CallStore, MocksError> {
        if let Some(h) = self.history.get() {
            return Ok(CallStore::new(h.clone()));
        }
        let path = self.path.clone();
        let h = blocking(move || History::open(&path).map(Arc::new)).await?;
        Ok(CallStore::new(self.history.get_or_init(|| h).clone()))
    }

    /// A workspace's mocks with their collection and environment names, access, active error
    /// and this month's calls (see the module docs for the calls).
    pub async fn list(
        &self,
        client: &Client,
        workspace: Option<&str>,
        force: bool,
    ) -> Result<MockList, MocksError> {
        let mocks = client.get_mocks(workspace, force).await?;
        let source = mocks.freshness();
        let q = CollectionQuery {
            workspace: workspace.map(str::to_owned),
            ..CollectionQuery::default()
        };
        // Names are a nicety: a list that fails to load leaves them out.
        let collections: HashMap<String, String> = match client.get_collections(&q, false).await {
            Ok(c) => c
                .data
                .collections
                .into_iter()
                .filter_map(|c| Some((c.uid?, c.name)))
                .collect(),
            Err(_) => HashMap::new(),
        };
        let environments: HashMap<String, String> =
            match client.get_environments(workspace, false).await {
                Ok(e) => e
                    .data
                    .into_iter()
                    .filter_map(|e| Some((e.uid?, e.name)))
                    .collect(),
                Err(_) => HashMap::new(),
            };
        let store = self.store().await?;
        let account = client.account().to_owned();
        let since = month_start(self.clock.now_ms());
        let mut rows = Vec::with_capacity(mocks.data.len());
        for m in mocks.data {
            let active_error = match m.server_response_id() {
                None => None,
                Some(sr) => Some(active_error(client, &m.id, sr, force).await),
            };
            let (s, a, id) = (store.clone(), account.clone(), m.id.clone());
            let (access, calls) = blocking(move || -> Result<_, HistoryError> {
                Ok((s.access(&a, &id)?, s.count_since(&a, &id, since)?))
            })
            .await?;
            rows.push(row(
                m,
                &collections,
                &environments,
                access,
                calls,
                active_error,
            ));
        }
        Ok(MockList {
            rows,
            source,
            options_settable: client.is_sandbox(),
        })
    }

    /// Creates a mock of `input.collection`; its row.
    pub async fn create(
        &self,
        client: &Client,
        workspace: Option<&str>,
        input: &MockInput,
    ) -> Result<String, MocksError> {
        let fields = mock_fields(client, input)?;
        let m = client.create_mock(workspace, &fields).await?;
        self.remember_access(client, &m.id, input.private).await?;
        if let Some(o) = &input.options {
            client
                .sandbox_set_mock_config(&m.id, options_value(o))
                .await?;
        }
        Ok(m.id)
    }

    /// Changes a mock's name, collection, environment, access and (sandbox) options.
    pub async fn update(
        &self,
        client: &Client,
        id: &str,
        input: &MockInput,
    ) -> Result<(), MocksError> {
        let fields = mock_fields(client, input)?;
        client.update_mock(id, &fields).await?;
        self.remember_access(client, id, input.private).await?;
        if let Some(o) = &input.options {
            client.sandbox_set_mock_config(id, options_value(o)).await?;
        }
        Ok(())
    }

    async fn remember_access(
        &self,
        client: &Client,
        id: &str,
        private: bool,
    ) -> Result<(), MocksError> {
        let store = self.store().await?;
        let (a, id) = (client.account().to_owned(), id.to_owned());
        blocking(move || store.set_access(&a, &id, private)).await
    }

    /// Public (anyone with the URL) or private (an API key of someone who sees it).
    pub async fn set_public(
        &self,
        client: &Client,
        id: &str,
        public: bool,
    ) -> Result<(), MocksError> {
        match client.set_mock_public(id, public).await {
            Ok(_) => {}
            // It was so already (set elsewhere): now Postdesk knows.
            Err(postman_client::Error::Validation { message, .. })
                if message.contains("already") => {}
            Err(e) => return Err(e.into()),
        }
        self.remember_access(client, id, !public).await
    }

    /// Deletes only when `confirm_name` is the mock's name (read from the server); its kept
    /// call log goes too.
    pub async fn delete(
        &self,
        client: &Client,
        id: &str,
        confirm_name: &str,
    ) -> Result<(), MocksError> {
        let m = client.get_mock(id, true).await?.data;
        if m.name != confirm_name {
            return Err(MocksError::NameMismatch);
        }
        client.delete_mock(id).await?;
        let store = self.store().await?;
        let (a, id) = (client.account().to_owned(), m.id);
        blocking(move || store.forget(&a, &id)).await
    }

    /// Sends `req` to the mock (the API key added unless Postdesk knows it is public) and
    /// names what answered from the call log (which it keeps).
    pub async fn try_call(
        &self,
        client: &Client,
        id: &str,
        req: &TryRequest,
    ) -> Result<TryResult, MocksError> {
        let m = client.get_mock(id, false).await?.data;
        let url = m.mock_url.clone().unwrap_or_default();
        if !trusted_mock_url(&url) {
            return Err(MocksError::UntrustedUrl(url));
        }
        let store = self.store().await?;
        let (s, a, mid) = (store.clone(), client.account().to_owned(), m.id.clone());
        let access = blocking(move || s.access(&a, &mid)).await?;
        let call = MockCall {
            method: req.method.clone(),
            path: req.path.clone(),
            headers: req.headers.clone(),
            body: req.body.clone().filter(|b| !b.is_empty()),
            with_key: access != Access::Public,
        };
        let answer = client.send_to_mock(&url, &call).await?;
        let answered_by = match self.refresh_calls_pages(client, &m.id, 1).await {
            Ok(_) => {
                let f = CallFilter {
                    limit: Some(1),
                    ..CallFilter::default()
                };
                let (s, a, mid) = (store, client.account().to_owned(), m.id.clone());
                blocking(move || s.calls(&a, &mid, &f))
                    .await?
                    .into_iter()
                    .next()
                    .and_then(|c| c.response_name)
            }
            Err(_) => None,
        };
        Ok(TryResult {
            status: answer.status,
            headers: answer.headers,
            body: String::from_utf8_lossy(&answer.body).into_owned(),
            truncated: answer.truncated,
            elapsed_ms: answer.elapsed_ms,
            answered_by,
        })
    }

    /// "Switch to errors": `Some(status)` (500–599) makes every call answer that status (a
    /// server response Postdesk creates once and reuses); `None` goes back to the examples.
    pub async fn set_errors(
        &self,
        client: &Client,
        id: &str,
        status: Option<u16>,
    ) -> Result<(), MocksError> {
        let m = client.get_mock(id, false).await?.data;
        let collection = m.collection.clone().unwrap_or_default();
        let server_response_id = match status {
            None => None,
            Some(code) => {
                let code = code.clamp(500, 599);
                let existing = client.get_server_responses(&m.id, true).await?.data;
                let mine = existing.into_iter().find(|r| {
                    r.status_code == Some(code) && r.name.starts_with(ERROR_RESPONSE_PREFIX)
                });
                let sr = match mine {
                    Some(r) => r,
                    None => {
                        client
                            .create_server_response(&m.id, &error_response(code))
                            .await?
                    }
                };
                Some(sr.id)
            }
        };
        let fields = MockFields {
            collection,
            config: Some(MockConfigChange { server_response_id }),
            ..MockFields::default()
        };
        client.update_mock(&m.id, &fields).await?;
        Ok(())
    }

    /// Serves a collection of the account on `127.0.0.1:<port>` (any free port when none).
    pub async fn local_start(
        &self,
        client: &Client,
        start: &LocalStart,
    ) -> Result<LocalMock, MocksError> {
        let collection = client
            .get_collection(&start.collection, false, false)
            .await?;
        let environment = match start.environment.as_deref().filter(|e| !e.is_empty()) {
            Some(e) => Some(client.get_environment_json(e, false).await?.data),
            None => None,
        };
        let engine = Arc::new(postman_matching::Mock::new(
            &collection.data.raw,
            environment.as_ref().and_then(|e| e.get("values")),
        ));
        let options = start.options.clone().unwrap_or_else(MockOptions::standard);
        let store = self.store().await.ok();
        let port = start.port.unwrap_or(0);
        let server = LocalServer::start(
            engine.clone(),
            options.clone(),
            port,
            store,
            self.clock.clone(),
        )
        .await
        .map_err(|e| {
            MocksError::LocalStart(if e.kind() == std::io::ErrorKind::AddrInUse {
                format!(
                    "port {port} is in use; choose another, or leave it empty for any free port."
                )
            } else {
                e.to_string()
            })
        })?;
        let info = LocalMock {
            id: log_id(server.port),
            collection_uid: start.collection.clone(),
            collection_name: collection.data.info.name.clone(),
            environment_uid: start.environment.clone().filter(|e| !e.is_empty()),
            url: format!("http://127.0.0.1:{}", server.port),
            port: server.port,
            examples: engine.example_count().min(u32::MAX as usize) as u32,
            options,
            calls: 0,
        };
        self.local.lock().await.insert(
            info.id.clone(),
            Running {
                server,
                info: info.clone(),
            },
        );
        Ok(info)
    }

    pub async fn local_stop(&self, id: &str) -> Result<(), MocksError> {
        let running = self.local.lock().await.remove(id);
        match running {
            Some(r) => {
                r.server.stop().await;
                Ok(())
            }
            None => Err(MocksError::LocalNotRunning(id.to_owned())),
        }
    }

    /// The URL of the local mock `id`, if it runs.
    pub async fn local_url(&self, id: &str) -> Option<String> {
        self.local.lock().await.get(id).map(|r| r.info.url.clone())
    }

    /// The local mocks running now.
    pub async fn local_list(&self) -> Vec<LocalMock> {
        self.local
            .lock()
            .await
            .values()
            .map(|r| LocalMock {
                calls: r.server.calls.load(Ordering::Relaxed),
                ..r.info.clone()
            })
            .collect()
    }

    /// Stops every local mock (the app quits, or the account changes).
    pub async fn local_stop_all(&self) {
        let all = std::mem::take(&mut *self.local.lock().await);
        for (_, r) in all {
            r.server.stop().await;
        }
    }
}

/// Local mocks are kept under their own account, whoever is signed in.
fn account_of(account: &str, id: &str) -> String {
    if id.starts_with("local-") {
        LOCAL_ACCOUNT.to_owned()
    } else {
        account.to_owned()
    }
}

fn error_response(code: u16) -> ServerResponseFields {
    let reason = match code {
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Server Error",
    };
    ServerResponseFields {
        name: Some(format!("{ERROR_RESPONSE_PREFIX}{code} {reason}")),
        status_code: Some(code),
        headers: Some(vec![postman_client::HeaderPair {
            key: "Content-Type".into(),
            value: "application/json".into(),
        }]),
        language: Some("json".into()),
        body: Some(
            json!({"error": {"name": "serverError", "message": format!("{code} {reason} (switched on in Postdesk)")}})
                .to_string(),
        ),
    }
}

async fn active_error(client: &Client, mock: &str, sr: &str, force: bool) -> ActiveError {
    let found: Option<ServerResponse> = match client.get_server_responses(mock, force).await {
        Ok(list) => list.data.into_iter().find(|r| r.id == sr),
        Err(_) => None,
    };
    ActiveError {
        id: sr.to_owned(),
        name: found.as_ref().map(|r| r.name.clone()),
        status: found.and_then(|r| r.status_code),
    }
}

fn row(
    m: Mock,
    collections: &HashMap<String, String>,
    environments: &HashMap<String, String>,
    access: Access,
    calls_this_month: u32,
    active_error: Option<ActiveError>,
) -> MockRow {
    let config = m.config.clone().unwrap_or_default();
    MockRow {
        collection_name: m
            .collection
            .as_ref()
            .and_then(|c| collections.get(c).cloned()),
        environment_name: m
            .environment
            .as_ref()
            .and_then(|e| environments.get(e).cloned()),
        id: m.id,
        uid: m.uid,
        name: m.name,
        collection_uid: m.collection,
        environment_uid: m.environment,
        url: m.mock_url,
        access,
        active_error,
        calls_this_month,
        deactivated: m.deactivated.unwrap_or(false),
        delay_ms: config.delay_ms(),
        match_body: config.match_body.unwrap_or(false),
        match_query_params: config.match_query_params.unwrap_or(true),
        match_wildcards: config.match_wildcards.unwrap_or(true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use postdesk_base::clock::parse_rfc3339;

    #[test]
    fn the_month_starts_on_the_first_at_midnight_utc() {
        let t = parse_rfc3339("2026-03-01T00:00:00Z").unwrap();
        assert_eq!(month_start(t), t);
        assert_eq!(month_start(t + 1), t);
        assert_eq!(
            month_start(t - 1),
            parse_rfc3339("2026-02-01T00:00:00Z").unwrap()
        );
        let dec = parse_rfc3339("2026-12-31T23:59:59Z").unwrap();
        assert_eq!(
            month_start(dec),
            parse_rfc3339("2026-12-01T00:00:00Z").unwrap()
        );
    }

    #[test]
    fn the_key_goes_only_to_postmans_mocks_or_this_computer() {
        assert!(trusted_mock_url("https://e3d9.mock.pstmn.io"));
        assert!(trusted_mock_url("http://127.0.0.1:4000/_mock/x"));
        assert!(!trusted_mock_url("http://e3d9.mock.pstmn.io"));
        assert!(!trusted_mock_url("https://mock.pstmn.io.evil.example"));
        assert!(!trusted_mock_url("https://evil.example/?.mock.pstmn.io"));
        assert!(!trusted_mock_url("not a url"));
    }

    #[test]
    fn local_mocks_have_their_own_account() {
        assert_eq!(account_of("acct", "local-4000"), LOCAL_ACCOUNT);
        assert_eq!(account_of("acct", "e3d9"), "acct");
    }
}
