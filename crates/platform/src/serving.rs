//! Accepting connections (plain TCP, or TLS from [`crate::tls`]) and serving HTTP/1.1 on each
//! with a bounded time for the request head: a caller that sends its headers slowly (or not
//! at all) has its connection closed after [`crate::edges::EdgeSettings::header_read_timeout`]
//! instead of holding it open (the bodies have their own deadlines, [`crate::edges`]). A TLS
//! handshake gets the same time. On shutdown no new connection is accepted and the open ones
//! finish their requests (at most 30 s).

use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use hyper_util::service::TowerToHyperService;
use tokio_rustls::TlsAcceptor;

use crate::Platform;

/// How long open connections may take to finish after a shutdown.
pub const DRAIN_TIME: Duration = Duration::from_secs(30);

/// Serves the platform on `listener` (over TLS when `tls` is given) until `shutdown` resolves.
pub async fn serve_connections(
    platform: Arc<Platform>,
    listener: tokio::net::TcpListener,
    tls: Option<TlsAcceptor>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let head_time = platform.edge_settings().header_read_timeout();
    let app = crate::routes::router(platform);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let (tcp, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors and the like: keep serving the open connections.
                log::warn!("accepting a connection failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        // The caller's address, as `axum::serve` records it (per-address rate limits).
        let service = TowerToHyperService::new(
            app.clone()
                .layer(axum::Extension(axum::extract::ConnectInfo(peer))),
        );
        let watcher = graceful.watcher();
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                None => serve_one(tcp, service, head_time, watcher, peer).await,
                Some(acceptor) => {
                    match tokio::time::timeout(head_time, acceptor.accept(tcp)).await {
                        Ok(Ok(stream)) => {
                            serve_one(stream, service, head_time, watcher, peer).await;
                        }
                        Ok(Err(e)) => log::debug!("TLS handshake with {peer} failed: {e}"),
                        Err(_) => log::debug!("TLS handshake with {peer} timed out"),
                    }
                }
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN_TIME) => log::warn!("connections still open after {DRAIN_TIME:?}: closed"),
    }
    Ok(())
}

/// One connection: HTTP/1.1 with a bounded time for each request head.
async fn serve_one<I>(
    io: I,
    service: TowerToHyperService<axum::Router>,
    head_time: Duration,
    watcher: Watcher,
    peer: std::net::SocketAddr,
) where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(head_time);
    let connection = builder.serve_connection(TokioIo::new(io), service);
    if let Err(e) = watcher.watch(connection).await {
        log::debug!("connection from {peer} ended: {e}");
    }
}
