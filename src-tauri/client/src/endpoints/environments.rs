//! Environments: the list, one environment (typed, or as the server sent it), create, PUT, JSON-patch, delete.

use reqwest::Method;
use serde::Serialize;
use serde_json::{json, Value};

use crate::cache::Fetched;
use crate::client::{segment, typed, Client, Req};
use crate::error::Error;
use crate::model::*;

impl Client {
    /// `GET /environments?workspace=`
    pub async fn get_environments(
        &self,
        workspace: Option<&str>,
        force: bool,
    ) -> Result<Fetched<Vec<EnvironmentSummary>>, Error> {
        let req = Req::new(Method::GET, "/environments").q("workspace", workspace);
        self.cached(req, force, |v| typed(v, "environments")).await
    }

    /// `GET /environments/{id}` as the server sent it (variables keep every field, e.g. a
    /// vault secret's `source`).
    pub async fn get_environment_json(
        &self,
        id: &str,
        force: bool,
    ) -> Result<Fetched<Value>, Error> {
        let req = Req::new(Method::GET, format!("/environments/{}", segment(id)));
        self.cached(req, force, |v| {
            v.get("environment")
                .filter(|e| e.is_object())
                .cloned()
                .ok_or_else(|| {
                    Error::BadResponse("the answer has no \"environment\" object".into())
                })
        })
        .await
    }

    /// `GET /environments/{id}`
    pub async fn get_environment(
        &self,
        id: &str,
        force: bool,
    ) -> Result<Fetched<Environment>, Error> {
        let req = Req::new(Method::GET, format!("/environments/{}", segment(id)));
        self.cached(req, force, |v| typed(v, "environment")).await
    }

    fn invalidate_environment(&self, id: Option<&str>) {
        self.invalidate_element("environments", id);
    }

    /// `POST /environments?workspace=` with `{"environment":{name, values}}`.
    pub async fn create_environment(
        &self,
        workspace: Option<&str>,
        name: &str,
        values: &[EnvVar],
    ) -> Result<ElementRef, Error> {
        let body = json!({"environment": {"name": name, "values": values}});
        let v = self
            .call_json(
                Req::new(Method::POST, "/environments")
                    .q("workspace", workspace)
                    .body(body),
            )
            .await?;
        self.invalidate_environment(None);
        typed(&v, "environment")
    }

    /// `PUT /environments/{id}`: replaces name and every variable.
    pub async fn put_environment<V: Serialize + ?Sized>(
        &self,
        id: &str,
        name: &str,
        values: &V,
    ) -> Result<ElementRef, Error> {
        let body = json!({"environment": {"name": name, "values": values}});
        let req = Req::new(Method::PUT, format!("/environments/{}", segment(id))).body(body);
        let forget = |c: &Self| c.invalidate_environment(Some(id));
        self.write(req, forget, |v| typed(v, "environment")).await
    }

    /// `PATCH /environments/{id}` with JSON-patch operations; returns the full environment.
    pub async fn patch_environment(&self, id: &str, ops: &[PatchOp]) -> Result<Environment, Error> {
        let body = serde_json::to_value(ops).map_err(|e| Error::BadResponse(e.to_string()))?;
        let req = Req::new(Method::PATCH, format!("/environments/{}", segment(id))).body(body);
        let forget = |c: &Self| c.invalidate_environment(Some(id));
        self.write(req, forget, |v| typed(v, "environment")).await
    }

    /// `DELETE /environments/{id}`
    pub async fn delete_environment(&self, id: &str) -> Result<ElementRef, Error> {
        let req = Req::new(Method::DELETE, format!("/environments/{}", segment(id)));
        let forget = |c: &Self| c.invalidate_environment(Some(id));
        self.write(req, forget, |v| typed(v, "environment")).await
    }
}
