//! `GET /me`: who the key belongs to, and the account's monthly usage.

use reqwest::Method;
use serde::Deserialize;

use crate::cache::Fetched;
use crate::client::{Client, Req};
use crate::error::Error;
use crate::model::Me;

impl Client {
    /// `GET /me`
    pub async fn get_me(&self, force: bool) -> Result<Fetched<Me>, Error> {
        self.cached(Req::new(Method::GET, "/me"), force, |v| {
            Me::deserialize(v).map_err(|e| Error::BadResponse(format!("/me: {e}")))
        })
        .await
    }
}
