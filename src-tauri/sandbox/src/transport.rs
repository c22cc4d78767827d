//! The transport: our own accept loop and per-connection HTTP/1 serving (hyper), so that a
//! fault can act on the TCP connection itself. The application is any tower service (the axum
//! router of `routes`); each request carries the [`Conn`] of its connection as an extension,
//! through which a handler resets the connection ([`Conn::reset`]) or a response aborts it
//! halfway ([`truncated`]).

use crate::shared::stopped;
use axum::body::Body;
use axum::response::Response;
use bytes::Bytes;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper::Request;
use hyper_util::service::TowerToHyperService;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tower::{Service, ServiceExt};

/// The connection a request came on (a request extension).
#[derive(Clone)]
pub struct Conn {
    reset: Arc<Notify>,
}

impl Conn {
    /// Closes the connection with a TCP RST; the request never gets an answer.
    pub async fn reset(&self) -> Infallible {
        self.reset.notify_one();
        std::future::pending().await
    }
}

/// A response body cut in half, then failing, so that hyper aborts the connection. Its size
/// hint (and so `content-length`) is the whole body's.
pub fn truncated(body: Bytes) -> Body {
    let len = body.len() as u64;
    let half = body.slice(..body.len() / 2);
    Body::new(Truncated {
        len,
        data: if half.is_empty() { None } else { Some(half) },
        fail: true,
        pause: Box::pin(tokio::time::sleep(Duration::from_millis(50))),
    })
}

struct Truncated {
    data: Option<Bytes>,
    fail: bool,
    len: u64,
    /// Before failing, wait a moment so the headers and the first half are really sent.
    pause: Pin<Box<tokio::time::Sleep>>,
}

impl hyper::body::Body for Truncated {
    type Data = Bytes;
    type Error = std::io::Error;
    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        if let Some(d) = self.data.take() {
            return Poll::Ready(Some(Ok(Frame::data(d))));
        }
        if self.fail {
            if self.pause.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            self.fail = false;
            return Poll::Ready(Some(Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionAborted,
                "injected truncation",
            ))));
        }
        Poll::Ready(None)
    }
    fn is_end_stream(&self) -> bool {
        self.data.is_none() && !self.fail
    }
    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.len)
    }
}

/// The body of an answer to HEAD: never sent, only its length declared (hyper writes the
/// `content-length` of a body it does not send from its size hint).
pub fn head_body(len: u64) -> Body {
    Body::new(Declared(len))
}

struct Declared(u64);

impl hyper::body::Body for Declared {
    type Data = Bytes;
    type Error = Infallible;
    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(None)
    }
    fn is_end_stream(&self) -> bool {
        self.0 == 0
    }
    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.0)
    }
}

/// What the transport serves: a cloneable tower service of the whole application.
pub trait App:
    Service<Request<Incoming>, Response = Response, Error = Infallible, Future: Send + 'static>
    + Clone
    + Send
    + Sync
    + 'static
{
}

impl<T> App for T where
    T: Service<Request<Incoming>, Response = Response, Error = Infallible, Future: Send + 'static>
        + Clone
        + Send
        + Sync
        + 'static
{
}

/// Serves one connection; a reset closes the socket with SO_LINGER 0 (a real RST).
async fn serve_conn(app: impl App, stream: TcpStream, mut stop: watch::Receiver<bool>) {
    let _ = stream.set_nodelay(true);
    let dup = match stream.into_std().and_then(|s| Ok((s.try_clone()?, s))) {
        Ok((dup, s)) => match TcpStream::from_std(s) {
            Ok(s) => (dup, s),
            Err(_) => return,
        },
        Err(_) => return,
    };
    let (dup, stream) = dup;
    let conn = Conn {
        reset: Arc::new(Notify::new()),
    };
    let reset = conn.reset.clone();
    let svc = TowerToHyperService::new(app.map_request(move |mut req: Request<Incoming>| {
        req.extensions_mut().insert(conn.clone());
        req
    }));
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(hyper_util::rt::TokioIo::new(stream), svc);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = reset.notified() => {
            let _ = socket2::SockRef::from(&dup).set_linger(Some(Duration::ZERO));
            // Closing the last descriptor of a socket with SO_LINGER 0 sends a RST.
            drop(dup);
        }
        _ = stopped(&mut stop) => {
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(Duration::from_secs(5), conn.as_mut()).await;
        }
    }
}

/// The accept loop; returns when `stop` flips, after open connections wind down.
pub async fn serve(app: impl App, listener: TcpListener, mut stop: watch::Receiver<bool>) {
    let mut conns = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            acc = listener.accept() => {
                if let Ok((stream, _)) = acc {
                    conns.spawn(serve_conn(app.clone(), stream, stop.clone()));
                }
                while conns.try_join_next().is_some() {}
            }
            _ = stopped(&mut stop) => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(6), async {
        while conns.join_next().await.is_some() {}
    })
    .await;
    conns.abort_all();
}
