//! The web server's copy of the live state: one NATS subscription per process, the newest state
//! in a `watch` channel that every SSE client reads (so a slow client skips to the newest state
//! instead of queueing a backlog), handed over at a [`Pace`] that keeps the fan-out affordable.

mod pace;
mod streams;

use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use app::game::State;
use futures::StreamExt;
use sqlx::PgPool;
use tokio::sync::{Notify, watch};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tracing::{debug, warn};

pub use self::pace::{MAX_INTERVAL, Pace};
pub use self::streams::{LiveStreams, StreamRefused, StreamSlot};
use crate::db;
use crate::names::Names;

/// How often the state is reloaded from PostgreSQL even without news: states are published
/// best effort, PostgreSQL is the truth.
const RELOAD_EVERY: Duration = Duration::from_secs(5);

/// The newest state, and its JSON, encoded once for every client that streams it.
#[derive(Debug, Clone)]
pub struct LiveState {
    /// The state.
    pub state: State,
    /// `state` as the wire's JSON.
    pub json: Arc<str>,
}

impl LiveState {
    /// Encodes `state` once.
    pub fn new(state: State) -> LiveState {
        let json = serde_json::to_string(&state).unwrap_or_default();
        LiveState {
            state,
            json: json.into(),
        }
    }
}

impl Deref for LiveState {
    type Target = State;

    fn deref(&self) -> &State {
        &self.state
    }
}

/// Starts following the live state; the receiver holds the newest state sent to clients.
pub async fn follow(
    pool: PgPool,
    client: async_nats::Client,
    names: &Names,
    initial: State,
    mut pace: Pace,
    reconnected: Arc<Notify>,
    shutdown: CancellationToken,
) -> Result<watch::Receiver<LiveState>, String> {
    let (sender, receiver) = watch::channel(LiveState::new(initial));
    if let Some(state) = reload(&pool).await {
        offer(&sender, state);
    }
    let mut states = client
        .subscribe(names.state_subject())
        .await
        .map_err(|e| format!("subscribing to {}: {e}", names.state_subject()))?;
    tokio::spawn(async move {
        let mut every = tokio::time::interval(RELOAD_EVERY);
        // The newest state not sent yet: it waits for its turn.
        let mut waiting: Option<State> = None;
        loop {
            let arrived = tokio::select! {
                () = shutdown.cancelled() => break,
                message = states.next() => match message {
                    Some(message) => match serde_json::from_slice::<State>(&message.payload) {
                        Ok(state) => Some(state),
                        Err(error) => {
                            warn!(%error, "undecodable state on the state subject");
                            None
                        }
                    },
                    None => break,
                },
                // Whatever was published while disconnected is lost: catch up from PostgreSQL.
                () = reconnected.notified() => reload(&pool).await,
                _ = every.tick() => reload(&pool).await,
                () = tokio::time::sleep_until(pace.due(Instant::now())), if waiting.is_some() => None,
            };
            if let Some(state) = arrived
                && waiting.as_ref().is_none_or(|w| state.id > w.id)
            {
                waiting = Some(state);
            }
            let now = Instant::now();
            if pace.due(now) <= now
                && let Some(state) = waiting.take()
                && offer(&sender, state)
            {
                // Receivers: the live clients, and a few of the server's own.
                pace.sent(now, sender.receiver_count());
            }
        }
        debug!("stopped following the live state");
    });
    Ok(receiver)
}

async fn reload(pool: &PgPool) -> Option<State> {
    match db::current_state(pool).await {
        Ok(state) => state,
        Err(error) => {
            warn!(%error, "could not reload the state from PostgreSQL");
            None
        }
    }
}

/// Keeps the newer of the held state and `state`; whether `state` was newer.
fn offer(sender: &watch::Sender<LiveState>, state: State) -> bool {
    let newer = sender.send_if_modified(|held| {
        if state.id > held.state.id {
            *held = LiveState::new(state);
            true
        } else {
            false
        }
    });
    if newer {
        crate::metrics::state_seen(&state);
    }
    newer
}
