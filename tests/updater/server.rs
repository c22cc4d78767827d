//! A small update server on 127.0.0.1: HTTP/1.1 over a tokio listener, one answer per
//! connection, routes the test can change while it runs. A route may answer late (a slow
//! server), and a body goes out in chunks (so the download reports progress more than once).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[derive(Clone)]
pub struct Route {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// How long the server waits before it answers.
    pub delay: Duration,
}

impl Route {
    pub fn json(body: &serde_json::Value) -> Route {
        Route::text("application/json", body.to_string().into_bytes())
    }

    pub fn text(content_type: &'static str, body: Vec<u8>) -> Route {
        Route {
            status: 200,
            content_type,
            body,
            delay: Duration::ZERO,
        }
    }

    pub fn late(mut self, by: Duration) -> Route {
        self.delay = by;
        self
    }

    pub fn status(mut self, status: u16) -> Route {
        self.status = status;
        self
    }
}

pub struct Server {
    /// `http://127.0.0.1:<port>`
    pub base: String,
    routes: Arc<Mutex<HashMap<String, Route>>>,
    /// Every path asked for, in order.
    asked: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub async fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let routes: Arc<Mutex<HashMap<String, Route>>> = Arc::default();
        let asked: Arc<Mutex<Vec<String>>> = Arc::default();
        let (r, a) = (routes.clone(), asked.clone());
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let (routes, asked) = (r.clone(), a.clone());
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16_384 {
                        match stream.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let head = String::from_utf8_lossy(&head);
                    let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
                    asked.lock().unwrap().push(path.clone());
                    let route = routes.lock().unwrap().get(&path).cloned();
                    let route = route.unwrap_or_else(|| {
                        Route::text("text/plain", b"not here".to_vec()).status(404)
                    });
                    tokio::time::sleep(route.delay).await;
                    let reason = if route.status == 200 { "OK" } else { "Error" };
                    let head = format!(
                        "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        route.status,
                        route.content_type,
                        route.body.len()
                    );
                    if stream.write_all(head.as_bytes()).await.is_err() {
                        return;
                    }
                    for chunk in route.body.chunks(64 * 1024) {
                        if stream.write_all(chunk).await.is_err() || stream.flush().await.is_err() {
                            return;
                        }
                    }
                    let _ = stream.shutdown().await;
                });
            }
        });
        Server {
            base,
            routes,
            asked,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn route(&self, path: &str, route: Route) {
        self.routes.lock().unwrap().insert(path.to_owned(), route);
    }

    pub fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

/// A loopback address nothing listens on (a server that is down).
pub async fn closed_port() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}/latest.json")
}
