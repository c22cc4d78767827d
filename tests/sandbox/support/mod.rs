//! Support code for the postman-sandbox conformance suite.

pub mod openapi;
