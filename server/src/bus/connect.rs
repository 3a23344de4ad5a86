//! Connecting to NATS, with reconnects that never give up.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_nats::{Client, ConnectOptions, Event};
use tokio::sync::Notify;
use tracing::{info, warn};

/// What went wrong with NATS.
#[derive(Debug, thiserror::Error)]
pub enum BusError {
    /// The first connection failed.
    #[error("connecting to NATS at {url}: {source}")]
    Connect {
        /// Where.
        url: String,
        /// Why.
        source: async_nats::ConnectError,
    },
    /// JetStream refused to set up a stream, bucket or consumer.
    #[error("setting up JetStream {what}: {message}")]
    Setup {
        /// The stream, bucket or consumer.
        what: String,
        /// The server's answer.
        message: String,
    },
}

/// Connects to `url`; `reconnected` is notified each time the connection is re-established
/// (not the first time), so that listeners can catch up on what they missed.
pub async fn connect(url: &str, name: &str, reconnected: Arc<Notify>) -> Result<Client, BusError> {
    let first = Arc::new(AtomicBool::new(true));
    ConnectOptions::new()
        .name(name)
        .connection_timeout(Duration::from_secs(5))
        .max_reconnects(None)
        // Come back quickly after a broker restart: 100 ms, 200 ms, … at most 1 s apart.
        .reconnect_delay_callback(|attempts| {
            Duration::from_millis((attempts as u64 * 100).min(1_000))
        })
        .event_callback(move |event| {
            let reconnected = reconnected.clone();
            let first = first.clone();
            async move {
                match event {
                    Event::Connected => {
                        info!("NATS connected");
                        if !first.swap(false, Ordering::SeqCst) {
                            reconnected.notify_one();
                        }
                    }
                    Event::Disconnected => warn!("NATS disconnected; reconnecting"),
                    other => info!(event = %other, "NATS event"),
                }
            }
        })
        .connect(url)
        .await
        .map_err(|source| BusError::Connect {
            url: url.to_owned(),
            source,
        })
}
