//! Monitors: the list (cursor pages), one monitor, create, update (pause/resume), delete, run
//! now (sync or async), and the run history. Every call is in the monitors' own 10-per-10-s
//! bucket ([`crate::headers::heavy_class`]); a run and a create are writes, so they are never
//! retried (a retried run would be a second run).

use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;

use crate::cache::Fetched;
use crate::client::{parse_json, segment, typed, Client, Req};
use crate::error::Error;
use crate::monitor::*;

/// How long a synchronous run may take: the API answers 202 after 300 s, so a little more.
pub const SYNC_RUN_TIMEOUT: Duration = Duration::from_secs(330);

fn page(v: &Value) -> Result<MonitorPage, Error> {
    Ok(MonitorPage {
        monitors: typed(v, "monitors")?,
        next_cursor: crate::model::cursor(v, "nextCursor"),
    })
}

impl Client {
    /// `GET /monitors?workspace=&cursor=` (one page of up to 25).
    pub async fn get_monitors(
        &self,
        workspace: Option<&str>,
        cursor: Option<&str>,
        force: bool,
    ) -> Result<Fetched<MonitorPage>, Error> {
        let req = Req::new(Method::GET, "/monitors")
            .q("workspace", workspace)
            .q("cursor", cursor);
        self.cached(req, force, page).await
    }

    /// Every monitor of a workspace, following cursors (one call per 25).
    pub async fn get_all_monitors(
        &self,
        workspace: Option<&str>,
        force: bool,
    ) -> Result<Vec<MonitorSummary>, Error> {
        super::every_page(400, |cursor| async move {
            let p = self
                .get_monitors(workspace, cursor.as_deref(), force)
                .await?
                .data;
            Ok((p.monitors, p.next_cursor))
        })
        .await
    }

    /// `GET /monitors/{id}` (ID or UID).
    pub async fn get_monitor(&self, id: &str, force: bool) -> Result<Fetched<Monitor>, Error> {
        let req = Req::new(Method::GET, format!("/monitors/{}", segment(id)));
        self.cached(req, force, |v| typed(v, "monitor")).await
    }

    fn invalidate_monitors(&self) {
        self.inner.cache.invalidate("/monitors", None);
    }

    /// `POST /monitors?workspace=` with `{"monitor": fields}` (`name`, `collection` and
    /// `schedule` are required).
    pub async fn create_monitor(
        &self,
        workspace: Option<&str>,
        fields: &MonitorFields,
    ) -> Result<MonitorRef, Error> {
        let req = Req::new(Method::POST, "/monitors")
            .q("workspace", workspace)
            .body(json!({"monitor": fields}));
        self.write(req, Self::invalidate_monitors, |v| typed(v, "monitor"))
            .await
    }

    /// `PUT /monitors/{id}`: changes only the fields set (`collection` and `environment`
    /// cannot change). Pause: `active: Some(false)`.
    pub async fn update_monitor(
        &self,
        id: &str,
        fields: &MonitorFields,
    ) -> Result<MonitorRef, Error> {
        let req = Req::new(Method::PUT, format!("/monitors/{}", segment(id)))
            .body(json!({"monitor": fields}));
        self.write(req, Self::invalidate_monitors, |v| typed(v, "monitor"))
            .await
    }

    /// `DELETE /monitors/{id}` (its run history goes with it).
    pub async fn delete_monitor(&self, id: &str) -> Result<MonitorRef, Error> {
        let req = Req::new(Method::DELETE, format!("/monitors/{}", segment(id)));
        self.write(req, Self::invalidate_monitors, |v| typed(v, "monitor"))
            .await
    }

    /// `POST /monitors/{id}/run` (`?async=true` when `wait` is false): the finished run, or
    /// that it started (async, or a 202 after 300 s), to be read later from `lastRun`.
    pub async fn run_monitor(&self, id: &str, wait: bool) -> Result<RunAnswer, Error> {
        let mut req = Req::new(Method::POST, format!("/monitors/{}/run", segment(id)))
            .q("async", (!wait).then_some("true"));
        if wait {
            req.timeout = Some(SYNC_RUN_TIMEOUT);
        }
        let r = self.call(req).await;
        self.invalidate_monitors();
        let r = r?;
        let v = parse_json(&r.body)?;
        let run = v
            .get("run")
            .filter(|r| r.is_object())
            .ok_or_else(|| Error::BadResponse("the answer has no \"run\" object".into()))?;
        let finished = r.status == 200 && run.get("executions").is_some();
        if finished {
            let run: MonitorRun = serde_json::from_value(run.clone())
                .map_err(|e| Error::BadResponse(format!("a run that does not read: {e}")))?;
            Ok(RunAnswer::Finished { run })
        } else {
            Ok(RunAnswer::Started {
                info: typed(run, "info")?,
            })
        }
    }

    /// `GET /monitors/{id}/executions?cursor=`: one page of the run history, newest first.
    /// Not in the spec (the official MCP server uses it); the monitor's bare ID only.
    pub async fn get_monitor_executions(
        &self,
        id: &str,
        cursor: Option<&str>,
        force: bool,
    ) -> Result<Fetched<(Vec<MonitorExecution>, Option<String>)>, Error> {
        let req = Req::new(Method::GET, format!("/monitors/{}/executions", segment(id)))
            .q("cursor", cursor);
        self.cached(req, force, |v| {
            Ok((
                typed(v, "executions")?,
                crate::model::cursor(v, "nextCursor"),
            ))
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_cursor_is_the_last_page() {
        let v = json!({"monitors": [{"id": "a", "name": "A", "owner": 12, "active": false}],
            "meta": {"nextCursor": "", "limit": 25}});
        let p = page(&v).unwrap();
        assert_eq!(p.next_cursor, None);
        assert_eq!(p.monitors[0].owner, Some(12));
        assert_eq!(p.monitors[0].active, Some(false));
        let more = json!({"monitors": [], "meta": {"nextCursor": "abc"}});
        assert_eq!(page(&more).unwrap().next_cursor.as_deref(), Some("abc"));
    }

    #[test]
    fn the_spec_example_run_reads_with_null_header_values() {
        let v = json!({"info": {"jobId": "j", "status": "success"},
            "stats": {"assertions": {"total": 5, "failed": 0}, "requests": {"total": 3}},
            "executions": [{"id": 1, "item": {"name": "Sample POST Request"},
                "request": {"method": "POST", "headers": {"Postman-Token": null, "A": "b"}},
                "response": {"code": 200, "responseTime": 49, "headers": {"Server": null}}}],
            "failures": []});
        let run: MonitorRun = serde_json::from_value(v).unwrap();
        assert_eq!(run.executions[0].response.as_ref().unwrap().code, Some(200));
        let h = run.executions[0]
            .request
            .as_ref()
            .unwrap()
            .headers
            .clone()
            .unwrap();
        assert_eq!(h.get("Postman-Token"), Some(&None));
        assert_eq!(run.stats.unwrap().requests.unwrap().failed, None);
    }

    #[test]
    fn an_update_sends_only_what_it_names() {
        let f = MonitorFields {
            active: Some(false),
            ..MonitorFields::default()
        };
        assert_eq!(serde_json::to_value(&f).unwrap(), json!({"active": false}));
    }
}
