//! `GET /me`: who the key belongs to, and the account's monthly usage.

use reqwest::Method;

use crate::cache::Fetched;
use crate::client::{Client, Req};
use crate::error::Error;
use crate::model::Me;

impl Client {
    /// `GET /me`
    pub async fn get_me(&self, force: bool) -> Result<Fetched<Me>, Error> {
        self.cached(Req::new(Method::GET, "/me"), force, |v| {
            serde_json::from_value(v.clone()).map_err(|e| Error::BadResponse(format!("/me: {e}")))
        })
        .await
    }
}
