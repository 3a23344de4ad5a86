//! The web server's copy of the live state: one NATS subscription per process, the newest state
//! in a `watch` channel that every SSE client reads (so a slow client skips to the newest state
//! instead of queueing a backlog).

use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use app::game::State;
use futures::StreamExt;
use sqlx::PgPool;
use tokio::sync::{Notify, watch};
use tokio_util::sync::CancellationToken;
use tracing::{debug, warn};

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

/// Starts following the live state; the receiver always holds the newest state known.
pub async fn follow(
    pool: PgPool,
    client: async_nats::Client,
    names: &Names,
    initial: State,
    reconnected: Arc<Notify>,
    shutdown: CancellationToken,
) -> Result<watch::Receiver<LiveState>, String> {
    let (sender, receiver) = watch::channel(LiveState::new(initial));
    reload(&pool, &sender).await;
    let mut states = client
        .subscribe(names.state_subject())
        .await
        .map_err(|e| format!("subscribing to {}: {e}", names.state_subject()))?;
    tokio::spawn(async move {
        let mut every = tokio::time::interval(RELOAD_EVERY);
        loop {
            tokio::select! {
                () = shutdown.cancelled() => break,
                message = states.next() => match message {
                    Some(message) => match serde_json::from_slice::<State>(&message.payload) {
                        Ok(state) => offer(&sender, state),
                        Err(error) => warn!(%error, "undecodable state on the state subject"),
                    },
                    None => break,
                },
                // Whatever was published while disconnected is lost: catch up from PostgreSQL.
                () = reconnected.notified() => reload(&pool, &sender).await,
                _ = every.tick() => reload(&pool, &sender).await,
            }
        }
        debug!("stopped following the live state");
    });
    Ok(receiver)
}

async fn reload(pool: &PgPool, sender: &watch::Sender<LiveState>) {
    match db::current_state(pool).await {
        Ok(Some(state)) => offer(sender, state),
        Ok(None) => {}
        Err(error) => warn!(%error, "could not reload the state from PostgreSQL"),
    }
}

/// Keeps the newer of the held state and `state`.
fn offer(sender: &watch::Sender<LiveState>, state: State) {
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
}
