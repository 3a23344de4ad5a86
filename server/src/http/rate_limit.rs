//! Per-IP rate limiting of the API with `tower_governor`, keyed by the same client IP the game
//! uses (so `X-Forwarded-For` counts only from trusted proxies).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use axum::response::IntoResponse;
use governor::middleware::NoOpMiddleware;
use ipnet::IpNet;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::KeyExtractor;
use tower_governor::{GovernorError, GovernorLayer};

use super::error::ApiError;
use crate::client_key::client_ip;

/// Keys requests by the client's IP.
#[derive(Clone, Debug)]
pub struct ClientIpKey {
    trusted: Arc<Vec<IpNet>>,
}

impl KeyExtractor for ClientIpKey {
    type Key = IpAddr;

    fn extract<T>(&self, req: &Request<T>) -> Result<Self::Key, GovernorError> {
        let peer = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| *addr)
            .ok_or(GovernorError::UnableToExtractKey)?;
        Ok(client_ip(peer, req.headers(), &self.trusted))
    }
}

/// The layer: `per_second` sustained, `burst` at once, per client IP; 429 `rate_limited` beyond.
pub fn layer(
    per_second: u64,
    burst: u32,
    trusted: Vec<IpNet>,
) -> Option<GovernorLayer<ClientIpKey, NoOpMiddleware, Body>> {
    let period = Duration::from_nanos(1_000_000_000 / per_second.max(1));
    let config = GovernorConfigBuilder::default()
        .period(period)
        .burst_size(burst)
        .key_extractor(ClientIpKey {
            trusted: Arc::new(trusted),
        })
        .finish()?;
    Some(
        GovernorLayer::new(config).error_handler(|error| match error {
            GovernorError::TooManyRequests { wait_time, .. } => {
                metrics::counter!("button_rate_limited_total").increment(1);
                ApiError::RateLimited {
                    retry_after_s: wait_time,
                }
                .into_response()
            }
            other => ApiError::Internal(format!("rate limiter: {other}")).into_response(),
        }),
    )
}
