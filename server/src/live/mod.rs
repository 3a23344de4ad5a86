//! The web server's copy of the live state: one NATS subscription per process, the newest state
//! in a `watch` channel that every SSE client reads (so a slow client skips to the newest state
//! instead of queueing a backlog), handed over at a [`Pace`] that keeps the fan-out affordable.

mod pace;
mod streams;

use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use app::game::State;
use sqlx::PgPool;
use tokio::sync::{Notify, watch};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tracing::{debug, warn};

pub use self::pace::{MAX_INTERVAL, Pace};
pub use self::streams::{LiveStreams, StreamRefused, StreamSlot};
use crate::names::Names;
use crate::{bus, db};

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
) -> Result<watch::Receiver<LiveState>, async_nats::SubscribeError> {
    let (sender, receiver) = watch::channel(LiveState::new(initial));
    if let Some(state) = reload(&pool).await {
        offer(&sender, state);
    }
    let mut states = bus::StateSubscription::follow(&client, names).await?;
    tokio::spawn(async move {
        let mut every = tokio::time::interval(RELOAD_EVERY);
        // The newest state not sent yet: it waits for its turn.
        let mut waiting: Option<State> = None;
        loop {
            let arrived = tokio::select! {
                () = shutdown.cancelled() => break,
                message = states.next() => match message {
                    Some(decoded) => match decoded {
                        Ok(state) => {
                            let newest = waiting.as_ref().map_or(sender.borrow().state.id, |w| w.id);
                            if state.id == newest + 1 {
                                Some(state)
                            } else if state.id > newest + 1 {
                                // A jump (states lost on the way) or an id PostgreSQL never
                                // wrote: PostgreSQL says what the state is.
                                debug!(newest, arrived = state.id, "a jump in the live states: reloading");
                                confirm(&sender, &mut waiting, &pool).await;
                                None
                            } else {
                                None
                            }
                        }
                        Err(error) => {
                            warn!(%error, "undecodable state on the state subject");
                            None
                        }
                    },
                    None => break,
                },
                // Whatever was published while disconnected is lost: catch up from PostgreSQL.
                () = reconnected.notified() => { confirm(&sender, &mut waiting, &pool).await; None }
                _ = every.tick() => { confirm(&sender, &mut waiting, &pool).await; None }
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

/// Reloads the newest committed state and makes it the truth: newer than what this server
/// holds, it waits for its turn as any other; the same id with other contents, or an older id
/// (a state from NATS that PostgreSQL never wrote), replaces what is held at once. The reload
/// starts after every state held arrived, and the reducer commits before it publishes, so a
/// genuine state is never newer than PostgreSQL's.
async fn confirm(sender: &watch::Sender<LiveState>, waiting: &mut Option<State>, pool: &PgPool) {
    let Some(truth) = reload(pool).await else {
        return;
    };
    if waiting
        .as_ref()
        .is_some_and(|w| w.id > truth.id || (w.id == truth.id && *w != truth))
    {
        warn!(
            waiting = waiting.as_ref().map(|w| w.id),
            truth = truth.id,
            "a live state PostgreSQL does not confirm was dropped"
        );
        *waiting = None;
    }
    let held = sender.borrow().state;
    if held.id > truth.id || (held.id == truth.id && held != truth) {
        warn!(
            held = held.id,
            truth = truth.id,
            "a live state PostgreSQL does not confirm was replaced"
        );
        sender.send_replace(LiveState::new(truth));
        crate::metrics::state_seen(&truth);
    } else if truth.id > held.id && waiting.as_ref().is_none_or(|w| truth.id > w.id) {
        *waiting = Some(truth);
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
