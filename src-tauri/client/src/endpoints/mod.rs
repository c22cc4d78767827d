//! The typed calls, one module per resource of the Postman API. Each is an `impl Client`
//! block over the transport in [`crate::client`] (pacing, attempts, cache, activity).

mod access_keys;
mod collections;
mod environments;
mod me;
mod workspaces;
