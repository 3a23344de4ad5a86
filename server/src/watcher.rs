//! The watcher: ticks so that a phase comes down while nobody presses.
//!
//! It only makes a calm-down visible sooner; the rules step the phase down on any later event
//! anyway. Ticks carry `Nats-Msg-Id = tick-<state id>`, so two watchers never double a tick.

use std::time::Duration;

use anyhow::Context;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use tracing::{debug, info, warn};

use crate::bus::TickPublisher;
use crate::clock::now_ms;
use crate::db;

/// What the watcher needs.
#[derive(Clone)]
pub struct WatcherConfig {
    /// Where the current state is read.
    pub pool: PgPool,
    /// Where ticks go.
    pub ticks: TickPublisher,
    /// How often to look.
    pub interval: Duration,
}

/// Looks at the state every `interval` until `shutdown`.
pub async fn run(config: WatcherConfig, shutdown: CancellationToken) {
    let mut every = tokio::time::interval(config.interval);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            _ = every.tick() => {}
        }
        if let Err(error) = watch_once(&config).await {
            warn!(
                error = format!("{error:#}"),
                "watcher could not check the state"
            );
        }
    }
    info!("watcher stopped");
}

/// One look: a tick if the calm-down of the current phase has passed.
pub async fn watch_once(config: &WatcherConfig) -> anyhow::Result<bool> {
    let Some(state) = db::current_state(&config.pool)
        .await
        .context("reading the current state")?
    else {
        return Ok(false);
    };
    let now = now_ms();
    let due = state.calm_down_at_ms.is_some_and(|at| at <= now);
    if !due {
        return Ok(false);
    }
    let fresh = config
        .ticks
        .publish(state.id, now)
        .await
        .context("sending a tick")?;
    debug!(state_id = state.id, duplicate = !fresh, "tick sent");
    Ok(fresh)
}
