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
use tokio_util::sync::CancellationToken;
use tower_governor::governor::{GovernorConfigBuilder, SharedRateLimiter};
use tower_governor::key_extractor::KeyExtractor;
use tower_governor::{GovernorError, GovernorLayer};

use super::error::ApiError;
use crate::client_key::{client_ip, player_address};

/// Forgets the players whose quota is whole again: they are the same as never seen.
fn prune(limiter: &SharedRateLimiter<IpAddr, NoOpMiddleware>) {
    limiter.retain_recent();
    limiter.shrink_to_fit();
    metrics::gauge!("button_rate_limited_players").set(limiter.len() as f64);
}

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
        Ok(player_address(client_ip(
            peer,
            req.headers(),
            &self.trusted,
        )))
    }
}

/// How often the limiter forgets players whose quota is whole again.
const PRUNE_EVERY: Duration = Duration::from_secs(30);

/// The layer: `per_second` sustained, `burst` at once, per player (an IPv4 address, an IPv6
/// /64); 429 `rate_limited` beyond. Its memory of players is pruned until `shutdown`.
pub fn layer(
    per_second: u64,
    burst: u32,
    trusted: Vec<IpNet>,
    shutdown: CancellationToken,
) -> Option<GovernorLayer<ClientIpKey, NoOpMiddleware, Body>> {
    let period = Duration::from_nanos(1_000_000_000 / per_second.max(1));
    let config = GovernorConfigBuilder::default()
        .period(period)
        .burst_size(burst)
        .key_extractor(ClientIpKey {
            trusted: Arc::new(trusted),
        })
        .finish()?;
    let limiter = config.limiter().clone();
    // Outside a runtime (building the router for its OpenAPI description) there is no traffic.
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        runtime.spawn(async move {
            let mut every = tokio::time::interval(PRUNE_EVERY);
            loop {
                tokio::select! {
                    () = shutdown.cancelled() => break,
                    _ = every.tick() => prune(&limiter),
                }
            }
        });
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn players_whose_quota_is_whole_again_are_forgotten() {
        let config = GovernorConfigBuilder::default()
            .period(Duration::from_millis(1))
            .burst_size(2)
            .key_extractor(ClientIpKey {
                trusted: Arc::new(Vec::new()),
            })
            .finish()
            .expect("a valid quota");
        let limiter = config.limiter();
        for n in 0..50u8 {
            let _ = limiter.check_key(&IpAddr::from([198, 51, 100, n]));
        }
        assert_eq!(limiter.len(), 50);
        std::thread::sleep(Duration::from_millis(20));
        prune(limiter);
        assert_eq!(limiter.len(), 0, "no memory kept for players at rest");
    }
}
