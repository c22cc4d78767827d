//! Support code for the postman-sandbox conformance suite.

pub mod live;
pub mod openapi;
