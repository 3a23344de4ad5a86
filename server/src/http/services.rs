//! The services of one web server: everything a handler needs (the rules, the challenge key,
//! the press publisher, the cooldowns, PostgreSQL, the live state, the limits), wired once by
//! `roles::serve`.

use app::game::Rules;
use ipnet::IpNet;
use sqlx::PgPool;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::bus::{Cooldowns, EventsStream, PressPublisher};
use crate::challenge::ChallengeKey;
use crate::client_key::ClientKeys;
use crate::live::{LiveState, LiveStreams};
use crate::player_key::PlayerKeys;

/// Shared by every request of one web server.
pub struct Services {
    /// The rules in force.
    pub rules: Rules,
    /// Signs and checks challenges.
    pub challenges: ChallengeKey,
    /// Turns client IPs into salted keys.
    pub client_keys: ClientKeys,
    /// Turns player tokens into players.
    pub player_keys: PlayerKeys,
    /// Tells the country of a client address.
    pub geo: crate::geo::Geo,
    /// The fewest presses a country needs in a day to be named on the countries panel.
    pub country_k: u64,
    /// How much work a challenge asks for, beyond its phase's.
    pub difficulty: crate::difficulty::DifficultyPolicy,
    /// Each network's recent presses on this server, for the difficulty.
    pub network_presses: crate::difficulty::NetworkPresses,
    /// Publishes presses to JetStream.
    pub publisher: PressPublisher,
    /// The admin API's tokens (none: no admin routes).
    pub admin_tokens: crate::admin_token::AdminTokens,
    /// Publishes operators' commands to JetStream.
    pub admin: crate::bus::AdminPublisher,
    /// Per-player cooldowns, shared by all web servers.
    pub cooldowns: Cooldowns,
    /// The events stream (for pending receipts and the reducer's lag).
    pub events: EventsStream,
    /// PostgreSQL.
    pub pool: PgPool,
    /// The newest state this server knows.
    pub live: watch::Receiver<LiveState>,
    /// The crowd: watching across all web servers, presses in the last minute.
    pub crowd: watch::Receiver<crate::live::crowd::CrowdNow>,
    /// The live streams this server holds, per client and in all.
    pub live_streams: std::sync::Arc<LiveStreams>,
    /// The live streams here whose pages wait for their presses' receipts.
    pub viewers: std::sync::Arc<crate::live::viewers::Viewers>,
    /// How long a request (all but the live stream) may take.
    pub request_timeout: std::time::Duration,
    /// Peers whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpNet>,
    /// Requests per second per client IP on `/v1`.
    pub rate_limit_per_second: u64,
    /// Burst per client IP on `/v1`.
    pub rate_limit_burst: u32,
    /// The newest health checks, shared by every probe.
    pub health: crate::http::health::HealthCache,
    /// The NATS connection (for health).
    pub nats: async_nats::Client,
    /// Renders `/metrics` (`None` if this process could not install its recorder).
    pub metrics: Option<metrics_exporter_prometheus::PrometheusHandle>,
    /// Cancelled when the server shuts down: ends the SSE streams.
    pub shutdown: CancellationToken,
}

impl Services {
    /// The time since the newest state this server knows, minute by minute, as the next event
    /// will count it: what the charts add to the stored minutes to be right up to `now_ms`.
    pub fn time_since_commit(
        &self,
        now_ms: i64,
    ) -> std::collections::BTreeMap<i64, app::game::Minute> {
        let state = self.live.borrow().state;
        app::game::time_since(&state, &self.rules, now_ms)
    }
}
