//! Connecting to NATS, with reconnects that never give up: signed in (user and password, a
//! token, or a credentials file) and over TLS when configured. A credential never appears in a
//! log or an error.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use std::path::PathBuf;

use async_nats::{Client, ConnectOptions, Event, ServerAddr};

use crate::settings::redacted_url;
use tokio::sync::Notify;
use tracing::{info, warn};

/// What went wrong with NATS.
#[derive(Debug, thiserror::Error)]
pub enum BusError {
    /// The first connection failed.
    #[error("connecting to NATS at {url}: {source}")]
    Connect {
        /// Where, without credentials.
        url: String,
        /// Why.
        source: async_nats::ConnectError,
    },
    /// `NATS_URL` names a server that is not a URL.
    #[error("NATS_URL: {url} is not a NATS server URL: {source}")]
    Url {
        /// The URL, without credentials.
        url: String,
        /// Why.
        source: std::io::Error,
    },
    /// The credentials file could not be read.
    #[error("reading the NATS credentials file {path}: {source}")]
    Credentials {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
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

/// How to reach NATS (from the settings: `NATS_URL`, `BUTTON_NATS_*`).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct NatsConfig {
    /// Server URL(s), comma-separated.
    pub url: String,
    /// User, with `password`.
    pub user: Option<String>,
    /// Password.
    pub password: Option<String>,
    /// Token.
    pub token: Option<String>,
    /// Credentials file.
    pub creds_file: Option<PathBuf>,
    /// Require TLS.
    pub tls_required: bool,
    /// A CA certificate (PEM) to trust.
    pub tls_ca_file: Option<PathBuf>,
    /// A client certificate (PEM).
    pub tls_cert_file: Option<PathBuf>,
    /// Its key (PEM).
    pub tls_key_file: Option<PathBuf>,
}

impl std::fmt::Debug for NatsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NatsConfig")
            .field("url", &redacted_url(&self.url))
            .field("user", &self.user)
            .field("tls_required", &self.tls_required)
            .finish_non_exhaustive()
    }
}

/// Every server of `url`, comma-separated (the client parses one URL per address, not a list:
/// given `a,b` whole, it refuses it).
pub fn server_addrs(url: &str) -> Result<Vec<ServerAddr>, BusError> {
    url.split(',')
        .map(str::trim)
        .filter(|one| !one.is_empty())
        .map(|one| {
            one.parse::<ServerAddr>().map_err(|source| BusError::Url {
                url: redacted_url(one),
                source,
            })
        })
        .collect()
}

/// Connects as `config` says, to whichever of its servers answers; `reconnected` is notified each
/// time the connection is re-established (not the first time), so that listeners can catch up on
/// what they missed.
pub async fn connect(
    config: &NatsConfig,
    name: &str,
    reconnected: Arc<Notify>,
) -> Result<Client, BusError> {
    let servers = server_addrs(&config.url)?;
    let first = Arc::new(AtomicBool::new(true));
    let mut options = ConnectOptions::new();
    if let (Some(user), Some(password)) = (&config.user, &config.password) {
        options = options.user_and_password(user.clone(), password.clone());
    }
    if let Some(token) = &config.token {
        options = options.token(token.clone());
    }
    if let Some(path) = &config.creds_file {
        options = options
            .credentials_file(path)
            .await
            .map_err(|source| BusError::Credentials {
                path: path.display().to_string(),
                source,
            })?;
    }
    if config.tls_required {
        options = options.require_tls(true);
    }
    if let Some(ca) = &config.tls_ca_file {
        options = options.add_root_certificates(ca.clone());
    }
    if let (Some(cert), Some(key)) = (&config.tls_cert_file, &config.tls_key_file) {
        options = options.add_client_certificate(cert.clone(), key.clone());
    }
    options
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
        .connect(servers)
        .await
        .map_err(|source| BusError::Connect {
            url: redacted_url(&config.url),
            source,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seed_of_a_comma_separated_url_is_a_server() {
        let servers = server_addrs("nats://a:4222, nats://b:4223,tls://c").expect("three URLs");
        assert_eq!(servers.len(), 3);
        assert_eq!(servers[1].port(), 4223);
        assert!(matches!(
            server_addrs("nats://a:4222,nats://b:port"),
            Err(BusError::Url { .. })
        ));
    }
}
