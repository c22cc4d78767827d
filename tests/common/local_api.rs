//! A local API for monitors to call (the sandbox sends a monitor's requests for real to
//! loopback hosts): `/ok` (200 JSON), `/broken` (500), `/slow` (answers after 800 ms). It
//! counts every hit.
#![allow(dead_code)]

use axum::routing::get as route_get;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub struct Target {
    pub url: String,
    pub hits: Arc<AtomicUsize>,
}

impl Target {
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

pub async fn target() -> Target {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let count = move || {
        h.fetch_add(1, Ordering::SeqCst);
    };
    let (c1, c2, c3) = (count.clone(), count.clone(), count);
    let app = axum::Router::new()
        .route(
            "/ok",
            route_get(move || async move {
                c1();
                (
                    [("content-type", "application/json")],
                    r#"{"ok":true,"n":3}"#,
                )
            }),
        )
        .route(
            "/broken",
            route_get(move || async move {
                c2();
                (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "down")
            }),
        )
        .route(
            "/slow",
            route_get(move || async move {
                c3();
                tokio::time::sleep(Duration::from_millis(800)).await;
                "late"
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Target { url, hits }
}
