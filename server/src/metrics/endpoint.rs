//! `/metrics` for the processes without a web server (`reducer`, `watcher`): a listener of its
//! own, on `BUTTON_METRICS_ADDR`.

use std::net::SocketAddr;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

/// Serves this process's metrics on `addr` until `shutdown`; the address it listens on.
pub async fn spawn(addr: SocketAddr, shutdown: CancellationToken) -> std::io::Result<SocketAddr> {
    let handle = crate::metrics::install();
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let app = Router::new().route(
        "/metrics",
        get(move || {
            let handle = handle.clone();
            async move {
                match handle {
                    Some(handle) => (StatusCode::OK, handle.render()),
                    None => (
                        StatusCode::SERVICE_UNAVAILABLE,
                        "metrics are not recorded in this process\n".to_owned(),
                    ),
                }
            }
        }),
    );
    info!("metrics on http://{local}/metrics");
    tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(shutdown.cancelled_owned())
            .await;
        if let Err(error) = served {
            warn!(%error, "the metrics listener stopped");
        }
    });
    Ok(local)
}
