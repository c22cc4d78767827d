//! Workspaces: one page, every page (following cursors), one workspace, create, delete.

use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use crate::cache::Fetched;
use crate::client::{segment, typed, Client, Req, WorkspaceQuery};
use crate::error::Error;
use crate::model::*;

impl Client {
    /// `GET /workspaces` (one page; pass `next_cursor` back for the next).
    pub async fn get_workspaces(
        &self,
        q: &WorkspaceQuery,
        force: bool,
    ) -> Result<Fetched<WorkspacePage>, Error> {
        let req = Req::new(Method::GET, "/workspaces")
            .q("type", q.kind.as_ref())
            .q("cursor", q.cursor.as_ref())
            .q("limit", q.limit.map(|l| l.clamp(1, 100)));
        self.cached(req, force, |v| {
            Ok(WorkspacePage {
                workspaces: typed(v, "workspaces")?,
                next_cursor: cursor(v, "nextCursor"),
            })
        })
        .await
    }

    /// Every workspace, following cursors (pages of 100).
    pub async fn get_all_workspaces(
        &self,
        kind: Option<&str>,
        force: bool,
    ) -> Result<Vec<WorkspaceSummary>, Error> {
        Ok(self.get_all_workspaces_dated(kind, force).await?.0)
    }

    /// [`Client::get_all_workspaces`] and where the list comes from (its oldest page).
    pub async fn get_all_workspaces_dated(
        &self,
        kind: Option<&str>,
        force: bool,
    ) -> Result<(Vec<WorkspaceSummary>, crate::Freshness), Error> {
        let source = std::sync::Mutex::new(None::<crate::Freshness>);
        let all = super::every_page(1000, |cursor| {
            let source = &source;
            async move {
                let q = WorkspaceQuery {
                    kind: kind.map(str::to_string),
                    cursor,
                    limit: Some(100),
                };
                let page = self.get_workspaces(&q, force).await?;
                let mut seen = source.lock().unwrap_or_else(|e| e.into_inner());
                let this = page.freshness();
                *seen = Some(match seen.take() {
                    Some(before) => before.and(this),
                    None => this,
                });
                Ok((page.data.workspaces, page.data.next_cursor))
            }
        })
        .await?;
        let source = source.into_inner().unwrap_or_else(|e| e.into_inner());
        Ok((
            all,
            source.unwrap_or(crate::Freshness {
                fetched_at: self.now_ms() as f64,
                from_cache: false,
                failure: None,
            }),
        ))
    }

    /// `GET /workspaces/{id}`
    pub async fn get_workspace(&self, id: &str, force: bool) -> Result<Fetched<Workspace>, Error> {
        let req = Req::new(Method::GET, format!("/workspaces/{}", segment(id)));
        self.cached(req, force, |v| {
            let w = v.get("workspace").unwrap_or(v);
            Workspace::deserialize(w).map_err(|e| Error::BadResponse(format!("workspace: {e}")))
        })
        .await
    }

    /// `POST /workspaces` (`kind`: personal, team, private, public, partner).
    pub async fn create_workspace(
        &self,
        name: &str,
        kind: &str,
        description: Option<&str>,
    ) -> Result<ElementRef, Error> {
        let body = json!({"workspace": {"name": name, "type": kind, "description": description.unwrap_or("")}});
        let v = self
            .call_json(Req::new(Method::POST, "/workspaces").body(body))
            .await?;
        self.inner.cache.invalidate("/workspaces", None);
        typed(&v, "workspace")
    }

    /// `DELETE /workspaces/{id}` (removes what only lives in it).
    pub async fn delete_workspace(&self, id: &str) -> Result<(), Error> {
        let r = self
            .call(Req::new(
                Method::DELETE,
                format!("/workspaces/{}", segment(id)),
            ))
            .await;
        let c = &self.inner.cache;
        c.invalidate("/workspaces", None);
        c.invalidate("/collections", None);
        c.invalidate("/environments", None);
        c.invalidate("/collection-access-keys", None);
        r.map(|_| ())
    }
}
