//! The reducer: the single writer. Pulls events in batches, applies the rules, commits one state
//! per batch to PostgreSQL, acks only after the commit, then publishes the state.
//!
//! Its position in the stream is PostgreSQL's `last_applied_seq`, not the consumer's ack state:
//! each time it becomes the writer it recreates the consumer from `last_applied_seq + 1`, so
//! events come in stream order even after a crash between commit and ack (those are skipped as
//! already applied) or before the commit (those come again, in order).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use app::game::{Rules, State, apply_batch};
use async_nats::jetstream::{self, AckKind, consumer::pull};
use futures::StreamExt;
use sqlx::{Connection, PgConnection};
use tokio_util::sync::CancellationToken;
use tracing::{debug, error, info, warn};

use crate::bus::{BusError, EventMessage, EventsStream};
use crate::db::{self, DbError, NewPress};
use crate::metrics;
use crate::names::Names;

/// Undecodable events terminated since the process started.
static POISON_MESSAGES: AtomicU64 = AtomicU64::new(0);

/// How many undecodable events this process has terminated.
pub fn poison_messages() -> u64 {
    POISON_MESSAGES.load(Ordering::Relaxed)
}

/// Why the reducer stopped being the writer (it starts over).
#[derive(Debug, thiserror::Error)]
pub enum ReducerError {
    /// PostgreSQL failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// NATS failed.
    #[error(transparent)]
    Bus(#[from] BusError),
    /// The consumer could not be set up or read.
    #[error("JetStream consumer: {0}")]
    Consumer(String),
}

impl From<sqlx::Error> for ReducerError {
    fn from(e: sqlx::Error) -> Self {
        ReducerError::Db(DbError::Sqlx(e))
    }
}

/// What the reducer needs.
#[derive(Clone)]
pub struct ReducerConfig {
    /// PostgreSQL URL (the reducer holds one connection of its own for the lock).
    pub database_url: String,
    /// NATS connection.
    pub client: async_nats::Client,
    /// The events stream.
    pub events: EventsStream,
    /// The namespace's names.
    pub names: Names,
    /// The rules to install and apply.
    pub rules: Rules,
    /// The most events per transaction.
    pub batch_size: usize,
    /// How long to wait to fill a batch once one event is in.
    pub batch_wait: Duration,
}

/// Runs the reducer until `shutdown`: waits for the writer lock (a hot standby meanwhile), then
/// reduces. After any failure it lets go and starts over.
pub async fn run(config: ReducerConfig, shutdown: CancellationToken) {
    while !shutdown.is_cancelled() {
        match reduce_while_writer(&config, &shutdown).await {
            Ok(()) => break,
            Err(error) => {
                error!(%error, "reducer failed; starting over");
                tokio::select! {
                    () = shutdown.cancelled() => break,
                    () = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
            }
        }
    }
    info!("reducer stopped");
}

async fn reduce_while_writer(
    config: &ReducerConfig,
    shutdown: &CancellationToken,
) -> Result<(), ReducerError> {
    let mut conn = PgConnection::connect(&config.database_url).await?;
    info!("waiting for the reducer lock (hot standby while another reducer holds it)");
    let lock = sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(config.names.reducer_lock_key())
        .execute(&mut conn);
    tokio::select! {
        () = shutdown.cancelled() => return Ok(()),
        locked = lock => { locked?; }
    }
    info!("reducer lock taken: this reducer is the single writer");

    db::install_rules(&mut conn, &config.rules).await?;
    let rules = db::load_rules(&mut conn, config.rules.hash()).await?;
    let mut state = db::current_state(&mut conn)
        .await?
        .unwrap_or_else(|| State::initial(&rules));
    info!(
        state_id = state.id,
        last_applied_seq = state.last_applied_seq,
        counter = state.counter,
        "resuming"
    );

    let consumer = recreate_consumer(config, state.last_applied_seq + 1).await?;
    let mut messages = consumer
        .stream()
        .max_messages_per_batch(config.batch_size)
        .heartbeat(Duration::from_secs(5))
        .messages()
        .await
        .map_err(|e| ReducerError::Consumer(e.to_string()))?;

    loop {
        let batch = tokio::select! {
            () = shutdown.cancelled() => return Ok(()),
            batch = next_batch(&mut messages, config.batch_size, config.batch_wait) => batch,
        };
        let Some(batch) = batch else {
            return Err(ReducerError::Consumer("the message stream ended".into()));
        };
        state = commit_batch(&mut conn, config, &rules, state, batch).await?;
    }
}

/// Deletes and creates the durable consumer so that it delivers from `start_sequence`.
async fn recreate_consumer(
    config: &ReducerConfig,
    start_sequence: u64,
) -> Result<jetstream::consumer::Consumer<pull::Config>, ReducerError> {
    let name = config.names.reducer_consumer();
    let stream = config.events.handle();
    // Absent the first time: that is fine.
    let _ = stream.delete_consumer(&name).await;
    stream
        .create_consumer(pull::Config {
            durable_name: Some(name.clone()),
            deliver_policy: if start_sequence <= 1 {
                jetstream::consumer::DeliverPolicy::All
            } else {
                jetstream::consumer::DeliverPolicy::ByStartSequence { start_sequence }
            },
            // One ack per batch, on its newest event: it acknowledges every event before it.
            ack_policy: jetstream::consumer::AckPolicy::All,
            ack_wait: Duration::from_secs(30),
            max_ack_pending: 20_000,
            filter_subject: config.names.events_subjects(),
            ..Default::default()
        })
        .await
        .map_err(|e| ReducerError::Consumer(format!("creating {name}: {e}")))
}

/// The next batch: waits for one message, then takes what arrives within `wait`, up to `max`.
/// `None` when the message stream has ended.
async fn next_batch(
    messages: &mut pull::Stream,
    max: usize,
    wait: Duration,
) -> Option<Vec<jetstream::Message>> {
    let mut batch = Vec::with_capacity(max);
    // Errors here are heartbeats missed while NATS is away: keep going, never stop on one.
    while batch.is_empty() {
        match messages.next().await? {
            Ok(message) => batch.push(message),
            Err(error) => {
                warn!(%error, "waiting for events");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    let fill = tokio::time::sleep(wait);
    tokio::pin!(fill);
    while batch.len() < max {
        tokio::select! {
            () = &mut fill => break,
            next = messages.next() => match next {
                Some(Ok(message)) => batch.push(message),
                Some(Err(error)) => { warn!(%error, "reading events"); break; }
                None => break,
            },
        }
    }
    Some(batch)
}

/// Applies a batch in one transaction; acks after the commit; publishes the new state.
async fn commit_batch(
    conn: &mut PgConnection,
    config: &ReducerConfig,
    rules: &Rules,
    state: State,
    batch: Vec<jetstream::Message>,
) -> Result<State, ReducerError> {
    let pending = batch
        .last()
        .and_then(|m| m.info().ok())
        .map(|info| info.pending);
    let mut events = Vec::with_capacity(batch.len());
    // The newest decodable event: acking it acknowledges the whole batch.
    let mut newest: Option<(u64, jetstream::Message)> = None;
    for message in batch {
        let seq = message.info().map(|info| info.stream_sequence);
        match (
            seq,
            serde_json::from_slice::<EventMessage>(&message.payload),
        ) {
            (Ok(seq), Ok(event)) => {
                events.push((seq, event));
                if newest.as_ref().is_none_or(|(newest, _)| seq > *newest) {
                    newest = Some((seq, message));
                }
            }
            (seq, decoded) => {
                // A poison message must never block the stream.
                let total = POISON_MESSAGES.fetch_add(1, Ordering::Relaxed) + 1;
                metrics::poison_message();
                error!(seq = ?seq.ok(), subject = %message.subject, decode_error = ?decoded.err(),
                       poison_total = total, "undecodable event terminated");
                if let Err(error) = message.ack_with(AckKind::Term).await {
                    warn!(%error, "could not terminate a poison message");
                }
            }
        }
    }
    events.sort_by_key(|(seq, _)| *seq);

    let applied = {
        let rule_events: Vec<_> = events.iter().map(|(seq, m)| (*seq, m.event())).collect();
        apply_batch(state, rules, rule_events.iter().map(|(seq, e)| (*seq, e)))
    };

    if applied.changed {
        let by_seq: HashMap<u64, &EventMessage> = events.iter().map(|(s, m)| (*s, m)).collect();
        let presses: Vec<NewPress> = applied
            .presses
            .iter()
            .filter_map(|receipt| match by_seq.get(&receipt.seq) {
                Some(EventMessage::Press {
                    challenge_id,
                    client_key,
                    at_ms,
                    ..
                }) => Some(NewPress {
                    receipt: *receipt,
                    challenge_id: challenge_id.clone(),
                    client_key: client_key.clone(),
                    received_at_ms: *at_ms,
                }),
                _ => None,
            })
            .collect();
        let started = std::time::Instant::now();
        let mut tx = conn.begin().await?;
        db::insert_state(&mut *tx, &applied.state).await?;
        db::insert_presses(&mut *tx, applied.state.id, &presses).await?;
        tx.commit().await?;
        metrics::batch_committed(events.len(), started.elapsed().as_secs_f64());
        for press in &presses {
            let r = press.receipt;
            debug!(press_id = %r.press_id, seq = r.seq, counter = r.counter, phase = %r.phase,
                   tipped = r.tipped, state_id = applied.state.id, "press applied");
        }
    }

    // Only now: a crash before this point redelivers the batch, and the commit skips it. The
    // consumer acks all: acking the newest event acknowledges the whole batch in one message.
    if let Some((_, message)) = newest
        && let Err(error) = message.ack().await
    {
        warn!(%error, "ack failed; the batch will be skipped as applied when redelivered");
    }

    if let Some(pending) = pending {
        metrics::reducer_lag(pending);
    }
    if !applied.changed {
        return Ok(state);
    }
    publish_state(config, &applied.state).await;
    Ok(applied.state)
}

/// Best effort: PostgreSQL is the truth, and web servers reload from it after a reconnect.
async fn publish_state(config: &ReducerConfig, state: &State) {
    match serde_json::to_vec(state) {
        Ok(payload) => {
            if let Err(error) = config
                .client
                .publish(config.names.state_subject(), payload.into())
                .await
            {
                warn!(%error, state_id = state.id, "could not publish the state");
            }
        }
        Err(error) => warn!(%error, "could not encode the state"),
    }
}
