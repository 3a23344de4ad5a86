//! The roles of `the-button`, wired from the settings: `serve`, `reducer`, `watcher`,
//! `migrate`, and `all` of them in one process.

use std::sync::Arc;

use app::game::{Phase, Rules, State};
use async_nats::jetstream;
use leptos::config::LeptosOptions;
use sqlx::PgPool;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

use crate::bus::{self, BusError, Cooldowns, PressPublisher};
use crate::challenge::ChallengeKey;
use crate::client_key::ClientKeys;
use crate::db::{self, DbError};
use crate::http::{AppState, Services, router};
use crate::live;
use crate::names::Names;
use crate::player_key::PlayerKeys;
use crate::reducer::{self, ReducerConfig};
use crate::settings::{Settings, SettingsError};
use crate::watcher::{self, WatcherConfig};

/// Why a role could not start or run.
#[derive(Debug, thiserror::Error)]
pub enum RoleError {
    /// Bad configuration.
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// PostgreSQL.
    #[error(transparent)]
    Db(#[from] DbError),
    /// NATS.
    #[error(transparent)]
    Bus(#[from] BusError),
    /// The rules file.
    #[error("BUTTON_RULES: {0}")]
    Rules(String),
    /// Serving HTTP.
    #[error("serving HTTP: {0}")]
    Http(#[from] std::io::Error),
    /// Anything else at start-up.
    #[error("{0}")]
    Startup(String),
}

/// What every long-running role stands on, made ready once and the same way for `serve`,
/// `reducer` and `watcher`: the rules, the names, the link to NATS (and JetStream), the events
/// stream, and the process's metrics.
struct Foundation {
    rules: Rules,
    names: Names,
    client: async_nats::Client,
    js: jetstream::Context,
    /// Notified when the NATS link comes back after a drop.
    reconnected: Arc<Notify>,
    events: bus::EventsStream,
}

impl Foundation {
    /// Loads the rules, connects as `the-button <role>`, ensures the events stream.
    async fn lay(settings: &Settings, role: &str) -> Result<Foundation, RoleError> {
        let rules = load_rules(settings)?;
        let names = Names::new(&settings.namespace);
        let reconnected = Arc::new(Notify::new());
        let client = bus::connect(
            &settings.nats(),
            &format!("the-button {role}"),
            reconnected.clone(),
        )
        .await?;
        let js = jetstream::new(client.clone());
        let events = bus::ensure_events_stream(
            &js,
            &names,
            ms(rules.challenge_ttl_ms()),
            settings.stream_replicas,
        )
        .await?;
        crate::metrics::install();
        Ok(Foundation {
            rules,
            names,
            client,
            js,
            reconnected,
            events,
        })
    }
}

/// The rules named by `BUTTON_RULES`, or GAME.md's defaults; validated.
pub fn load_rules(settings: &Settings) -> Result<Rules, RoleError> {
    let Some(path) = &settings.rules else {
        return Ok(Rules::default());
    };
    let json = std::fs::read_to_string(path)
        .map_err(|e| RoleError::Rules(format!("reading {}: {e}", path.display())))?;
    Rules::from_json(&json).map_err(|e| RoleError::Rules(format!("{}: {e}", path.display())))
}

/// `migrate`: creates the database if needed, applies the migrations, installs the rules.
pub async fn migrate(settings: &Settings) -> Result<(), RoleError> {
    let rules = load_rules(settings)?;
    db::create_database_if_missing(&settings.database_url).await?;
    let pool = db::connect(&settings.database_url).await?;
    db::migrate(&pool).await?;
    db::install_rules(&pool, &rules).await?;
    info!(rules_hash = %rules.hash(), "migrated; rules installed");
    Ok(())
}

/// The most networks one web server counts the recent presses of (for the difficulty): about
/// 10 MB at most.
const NETWORKS_COUNTED: usize = 100_000;

/// `serve`: the web server (SSR, API, SSE) on `listener` until `shutdown`.
pub async fn serve(
    settings: &Settings,
    leptos_options: LeptosOptions,
    listener: TcpListener,
    shutdown: CancellationToken,
) -> Result<(), RoleError> {
    let (secret, is_dev_secret) =
        settings.pow_secret_or_dev(crate::settings::explicitly_development())?;
    if is_dev_secret {
        warn!(
            "BUTTON_POW_SECRET is not set: using the development secret (never do this in production)"
        );
    }
    let Foundation {
        rules,
        names,
        client,
        js,
        reconnected,
        events,
    } = Foundation::lay(settings, "serve").await?;
    let pool = db::connect(&settings.database_url).await?;
    let longest_cooldown = Phase::ALL
        .iter()
        .map(|p| rules.press_cooldown_ms(*p))
        .max()
        .unwrap_or(0);
    let cooldowns = Cooldowns::ensure(
        &js,
        &names,
        ms(longest_cooldown + 60_000),
        settings.stream_replicas,
    )
    .await?;
    let live_streams = live::LiveStreams::new(
        settings.live_streams_per_client,
        settings.live_streams_total,
    );
    let live = live::follow(
        pool.clone(),
        client.clone(),
        &names,
        State::initial(&rules),
        live::Pace::new(settings.fanout_max_wait()),
        live_streams.clone(),
        reconnected,
        shutdown.clone(),
    )
    .await
    .map_err(|e| RoleError::Startup(format!("subscribing to the live states: {e}")))?;
    let crowd = live::crowd::follow(
        &client,
        &names,
        &pool,
        live.clone(),
        live_streams.clone(),
        shutdown.clone(),
    )
    .await
    .map_err(|e| RoleError::Startup(format!("subscribing to the presence subject: {e}")))?;
    let viewers = live::viewers::Viewers::new();
    live::viewers::follow(&client, &names, viewers.clone(), shutdown.clone())
        .await
        .map_err(|e| RoleError::Startup(format!("subscribing to the receipts: {e}")))?;
    let key_error =
        |e: hmac::digest::InvalidLength| RoleError::Startup(format!("BUTTON_POW_SECRET: {e}"));
    let services = Arc::new(Services {
        challenges: ChallengeKey::new(secret.as_bytes()).map_err(key_error)?,
        client_keys: ClientKeys::new(secret.as_bytes()).map_err(key_error)?,
        player_keys: PlayerKeys::new(secret.as_bytes()).map_err(key_error)?,
        geo: crate::geo::Geo::open(settings.geo_database.as_deref()),
        country_k: settings.country_k,
        difficulty: settings.difficulty_policy()?,
        network_presses: crate::difficulty::NetworkPresses::new(NETWORKS_COUNTED),
        publisher: PressPublisher::new(client.clone(), names.clone(), settings.publish_timeout()),
        admin_tokens: crate::admin_token::AdminTokens::parse(settings.admin_token.as_deref())
            .map_err(|problem| RoleError::Startup(format!("BUTTON_ADMIN_TOKEN: {problem}")))?,
        admin: bus::AdminPublisher::new(js.clone(), &names, settings.publish_timeout()),
        cooldowns,
        events,
        pool,
        live,
        crowd,
        rules,
        live_streams,
        viewers,
        request_timeout: settings.request_timeout(),
        trusted_proxies: settings.trusted_proxies.clone(),
        rate_limit_per_second: settings.rate_limit_per_second,
        rate_limit_burst: settings.rate_limit_burst,
        health: Default::default(),
        nats: client,
        metrics: crate::metrics::install(),
        shutdown: shutdown.clone(),
    });
    let app = router(AppState {
        leptos_options: Arc::new(leptos_options),
        services,
    });
    let addr = listener.local_addr()?;
    info!("serving The Button on http://{addr}");
    crate::http::connections::serve(listener, app, settings.connection_limits(), shutdown).await;
    Ok(())
}

/// `reducer`: the single writer (or its hot standby) until `shutdown`.
pub async fn reducer(settings: &Settings, shutdown: CancellationToken) -> Result<(), RoleError> {
    let foundation = Foundation::lay(settings, "reducer").await?;
    let config = ReducerConfig {
        database_url: settings.database_url.clone(),
        states: bus::StatePublisher::new(foundation.client.clone(), &foundation.names),
        receipts: bus::ReceiptsPublisher::new(foundation.client, &foundation.names),
        reconnected: foundation.reconnected,
        events: foundation.events,
        names: foundation.names,
        rules: foundation.rules,
        batch_size: settings.reducer_batch_size,
        backlog_batch_size: settings.reducer_backlog_batch_size,
        batch_wait: settings.reducer_batch_wait(),
        tally_every: settings.reducer_tally_every(),
    };
    reducer::run(config, shutdown).await;
    Ok(())
}

/// `watcher`: ticks until `shutdown`.
pub async fn watcher(settings: &Settings, shutdown: CancellationToken) -> Result<(), RoleError> {
    let foundation = Foundation::lay(settings, "watcher").await?;
    let pool: PgPool = db::connect(&settings.database_url).await?;
    let config = WatcherConfig {
        pool,
        ticks: bus::TickPublisher::new(foundation.js, &foundation.names),
        interval: settings.watcher_interval(),
    };
    watcher::run(config, shutdown).await;
    Ok(())
}

/// `all`: migrate, then the reducer, the watcher and the web server in one process.
pub async fn all(
    settings: &Settings,
    leptos_options: LeptosOptions,
    listener: TcpListener,
    shutdown: CancellationToken,
) -> Result<(), RoleError> {
    // Before anything starts: a missing secret stops the whole process, not just its web server.
    settings.pow_secret_or_dev(crate::settings::explicitly_development())?;
    migrate(settings).await?;
    let reducer_task = tokio::spawn({
        let (settings, shutdown) = (settings.clone(), shutdown.clone());
        async move { reducer(&settings, shutdown).await }
    });
    let watcher_task = tokio::spawn({
        let (settings, shutdown) = (settings.clone(), shutdown.clone());
        async move { watcher(&settings, shutdown).await }
    });
    let served = serve(settings, leptos_options, listener, shutdown.clone()).await;
    // Whatever ended the web server ends the others too.
    shutdown.cancel();
    for (role, task) in [("reducer", reducer_task), ("watcher", watcher_task)] {
        match task.await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => warn!(%error, role, "role failed"),
            Err(error) => warn!(%error, role, "role panicked"),
        }
    }
    served
}

fn ms(millis: i64) -> std::time::Duration {
    std::time::Duration::from_millis(u64::try_from(millis).unwrap_or(0))
}
