//! The reducer: the single writer. Pulls events in batches, applies the rules, commits one state
//! per batch to PostgreSQL, acks only after the commit, then publishes the state.
//!
//! Its position in the stream is PostgreSQL's `last_applied_seq`, not the consumer's ack state:
//! each time it becomes the writer it recreates the consumer from `last_applied_seq + 1`, so
//! events come in stream order even after a crash between commit and ack (those are skipped as
//! already applied) or before the commit (those come again, in order).
//!
//! It takes events only in order and with no hole: it knows the seq that must come next, and a
//! batch that skips one (deliveries lost on a dropped link), a reconnect, or a stream that holds
//! events while none come, makes it read again from that seq. So a press is never acknowledged
//! (ack all) past, nor applied without, the ones before it.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use app::game::{Batch, Rules, State, apply_batch};
use async_nats::jetstream::{self, consumer::pull};
use futures::StreamExt;
use sqlx::{Connection, PgConnection};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tracing::{debug, error, info, warn};

use crate::bus::{BusError, EventMessage, EventsStream, StatePublisher};
use crate::clock::now_ms;
use crate::db::{self, DbError, NewPress};
use crate::metrics;
use crate::names::Names;
use crate::retention::Retention;

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
    /// Where committed states go.
    pub states: StatePublisher,
    /// Notified each time the NATS connection is (re-)established: deliveries in flight when it
    /// dropped are lost, so the reducer reads on from where it is.
    pub reconnected: Arc<Notify>,
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

/// How long the reducer waits with nothing delivered before it asks the stream whether events
/// are waiting (deliveries lost on a dropped link would otherwise wait for `ack_wait`).
const IDLE_CHECK: Duration = Duration::from_secs(1);

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

    let mut reader = Reader::open(config, state.last_applied_seq + 1).await?;
    let mut retention = Retention::new(config.events.duplicate_window());
    loop {
        remove_old_events(config, &mut retention).await;
        let read = tokio::select! {
            () = shutdown.cancelled() => return Ok(()),
            () = config.reconnected.notified() => Read::Suspect("NATS reconnected".into()),
            read = reader.next_batch(config.batch_size, config.batch_wait) => read,
        };
        let batch = match read {
            Read::Batch(batch) => batch,
            Read::Idle => {
                if config
                    .events
                    .last_sequence()
                    .await
                    .map_err(|e| ReducerError::Consumer(e.to_string()))?
                    >= reader.next_seq
                {
                    reader
                        .reopen(config, "events wait in the stream but none came")
                        .await?;
                }
                continue;
            }
            Read::Suspect(why) => {
                reader.reopen(config, &why).await?;
                continue;
            }
        };
        let InOrder { run, stale, gap } = reader.in_order(batch);
        if !run.is_empty() {
            let committed_before = state.id;
            state = reduce(&mut conn, config, &rules, state, &run).await?;
            if state.id > committed_before {
                retention.committed(state.last_applied_seq, now_ms());
            }
        } else if let Some(stale) = stale {
            // Redeliveries of events already applied (an ack that was lost): acknowledged
            // again, so JetStream stops sending them.
            if let Err(error) = stale.ack().await {
                warn!(%error, "could not acknowledge redelivered events");
            }
        }
        if let Some(found) = gap {
            let why = format!("expected seq {} but seq {found} came", reader.next_seq);
            reader.reopen(config, &why).await?;
        }
    }
}

/// Removes from the stream the events committed more than a duplicate window ago (about every
/// 30 s). Best effort: a failure only leaves them for the next time.
async fn remove_old_events(config: &ReducerConfig, retention: &mut Retention) {
    let Some(through) = retention.due(tokio::time::Instant::now(), now_ms()) else {
        return;
    };
    match config.events.remove_applied_through(through).await {
        Ok(removed) => {
            metrics::events_removed(removed);
            debug!(
                through,
                removed, "applied events past the duplicate window removed"
            );
        }
        Err(error) => warn!(%error, through, "could not remove applied events"),
    }
}

/// What one read of the events gave.
enum Read {
    /// Events, in the order they came.
    Batch(Vec<jetstream::Message>),
    /// Nothing came for [`IDLE_CHECK`].
    Idle,
    /// Deliveries may have been lost (a reconnect, a failing stream): read again.
    Suspect(String),
}

/// The contiguous run of a batch from the next expected seq, and what came beside it.
struct InOrder {
    /// Events `next_seq, next_seq + 1, …` with no hole, in seq order.
    run: Vec<(u64, jetstream::Message)>,
    /// The newest event of the batch already applied (a redelivery), when the run is empty.
    stale: Option<jetstream::Message>,
    /// The first seq past a hole: the events from the hole on were not taken.
    gap: Option<u64>,
}

/// The reducer's view of the events stream: a consumer delivering from `next_seq`, the seq
/// that must come next. Whatever does not continue it exactly is never applied.
struct Reader {
    messages: pull::Stream,
    next_seq: u64,
}

impl Reader {
    async fn open(config: &ReducerConfig, next_seq: u64) -> Result<Reader, ReducerError> {
        let consumer = recreate_consumer(config, next_seq).await?;
        let messages = consumer
            .stream()
            .max_messages_per_batch(config.batch_size)
            .heartbeat(Duration::from_secs(5))
            .messages()
            .await
            .map_err(|e| ReducerError::Consumer(e.to_string()))?;
        Ok(Reader { messages, next_seq })
    }

    /// Starts delivering again from `next_seq`: what was in flight is delivered anew.
    async fn reopen(&mut self, config: &ReducerConfig, why: &str) -> Result<(), ReducerError> {
        warn!(
            next_seq = self.next_seq,
            why, "reading the events again from the next expected seq"
        );
        metrics::reducer_reread();
        *self = Reader::open(config, self.next_seq).await?;
        Ok(())
    }

    /// The next batch: waits for one message (at most [`IDLE_CHECK`]), then takes what
    /// arrives within `wait`, up to `max`.
    async fn next_batch(&mut self, max: usize, wait: Duration) -> Read {
        let first = match tokio::time::timeout(IDLE_CHECK, self.messages.next()).await {
            Err(_) => return Read::Idle,
            Ok(None) => return Read::Suspect("the message stream ended".into()),
            Ok(Some(Err(error))) => return Read::Suspect(format!("reading events: {error}")),
            Ok(Some(Ok(message))) => message,
        };
        let mut batch = Vec::with_capacity(max);
        batch.push(first);
        let fill = tokio::time::sleep(wait);
        tokio::pin!(fill);
        while batch.len() < max {
            tokio::select! {
                () = &mut fill => break,
                next = self.messages.next() => match next {
                    Some(Ok(message)) => batch.push(message),
                    // The batch so far is whole; the trouble shows again on the next read.
                    Some(Err(_)) | None => break,
                },
            }
        }
        Read::Batch(batch)
    }

    /// Splits a batch into the run that continues `next_seq` (and advances it), the newest
    /// redelivery, and the first seq past a hole.
    fn in_order(&mut self, batch: Vec<jetstream::Message>) -> InOrder {
        let mut numbered: Vec<(u64, jetstream::Message)> = Vec::with_capacity(batch.len());
        for message in batch {
            match message.info() {
                Ok(info) => numbered.push((info.stream_sequence, message)),
                // Not a stream delivery at all: it cannot be placed, so it is not taken.
                Err(error) => {
                    warn!(%error, subject = %message.subject, "a delivery without stream info")
                }
            }
        }
        numbered.sort_by_key(|(seq, _)| *seq);
        let mut in_order = InOrder {
            run: Vec::with_capacity(numbered.len()),
            stale: None,
            gap: None,
        };
        for (seq, message) in numbered {
            if seq < self.next_seq {
                in_order.stale = Some(message);
            } else if seq == self.next_seq {
                in_order.run.push((seq, message));
                self.next_seq += 1;
            } else {
                in_order.gap = Some(seq);
                break;
            }
        }
        if !in_order.run.is_empty() {
            in_order.stale = None;
        }
        in_order
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
            // Safe because the reducer only ever takes events in order, with no hole.
            ack_policy: jetstream::consumer::AckPolicy::All,
            ack_wait: Duration::from_secs(30),
            max_ack_pending: 20_000,
            filter_subject: config.names.events_subjects(),
            ..Default::default()
        })
        .await
        .map_err(|e| ReducerError::Consumer(format!("creating {name}: {e}")))
}

/// One run of events, in the reducer's steps: decode → apply → commit → ack → publish.
async fn reduce(
    conn: &mut PgConnection,
    config: &ReducerConfig,
    rules: &Rules,
    state: State,
    run: &[(u64, jetstream::Message)],
) -> Result<State, ReducerError> {
    let mut events = decode(run);
    let batch = loop {
        let batch = apply(state, rules, &events);
        match commit(conn, &batch).await {
            Ok(()) => break batch,
            // A press whose challenge already bought one (past JetStream's duplicate window,
            // a clock skew, a changed rules file): never counted twice, never retried forever.
            Err(error) if is_used_challenge(&error) => {
                if skip_used_challenges(conn, &mut events).await? == 0 {
                    return Err(error);
                }
            }
            Err(error) => return Err(error),
        }
    };
    ack(run).await;
    // Time alone moved (ticks while calm, redeliveries): nothing was committed, and the state
    // stays the committed one.
    if !batch.changed {
        return Ok(state);
    }
    publish(config, &batch.state).await;
    Ok(batch.state)
}

/// The events of a run, decoded; undecodable ones are logged, counted and passed over (the
/// run's ack covers them, so a poison message never blocks the stream).
fn decode(run: &[(u64, jetstream::Message)]) -> Vec<(u64, EventMessage)> {
    let mut events = Vec::with_capacity(run.len());
    for (seq, message) in run {
        match serde_json::from_slice::<EventMessage>(&message.payload) {
            Ok(event) => events.push((*seq, event)),
            Err(decode_error) => {
                metrics::poison_message();
                error!(seq, subject = %message.subject, %decode_error,
                       "undecodable event passed over");
            }
        }
    }
    events
}

/// The rules applied to the events: each counted press comes back with its message.
fn apply<'a>(
    state: State,
    rules: &Rules,
    events: &'a [(u64, EventMessage)],
) -> Batch<&'a EventMessage> {
    apply_batch(
        state,
        rules,
        events
            .iter()
            .map(|(seq, message)| (*seq, message.event(), message)),
    )
}

/// Writes the new state and its presses in one transaction (nothing when nothing changed).
async fn commit(conn: &mut PgConnection, batch: &Batch<&EventMessage>) -> Result<(), ReducerError> {
    if !batch.changed {
        return Ok(());
    }
    let presses: Vec<NewPress> = batch
        .presses
        .iter()
        .filter_map(|(receipt, message)| match message {
            EventMessage::Press {
                challenge_id,
                client_key,
                at_ms,
                ..
            } => Some(NewPress {
                receipt: *receipt,
                challenge_id: challenge_id.clone(),
                client_key: client_key.clone(),
                received_at_ms: *at_ms,
            }),
            // The rules count presses only.
            EventMessage::Tick { .. } => None,
        })
        .collect();
    let started = std::time::Instant::now();
    let mut tx = conn.begin().await?;
    db::insert_state(&mut *tx, &batch.state).await?;
    db::insert_presses(&mut *tx, batch.state.id, &presses).await?;
    tx.commit().await?;
    metrics::batch_committed(presses.len(), started.elapsed().as_secs_f64());
    for (r, _) in &batch.presses {
        debug!(press_id = %r.press_id, seq = r.seq, counter = r.counter, phase = %r.phase,
               tipped = r.tipped, state_id = batch.state.id, "press applied");
    }
    Ok(())
}

/// Acknowledges a committed run. Only now: a crash before this point redelivers the run, and
/// the commit skips it as applied. The consumer acks all: acking the newest event acknowledges
/// the whole run in one message.
async fn ack(run: &[(u64, jetstream::Message)]) {
    let Some((_, newest)) = run.last() else {
        return;
    };
    if let Ok(info) = newest.info() {
        metrics::reducer_lag(info.pending);
    }
    if let Err(error) = newest.ack().await {
        warn!(%error, "ack failed; the run will be skipped as applied when redelivered");
    }
}

fn is_used_challenge(error: &ReducerError) -> bool {
    matches!(error, ReducerError::Db(DbError::Sqlx(sqlx::Error::Database(e)))
        if e.constraint() == Some("presses_challenge_id_key"))
}

/// Drops the presses whose challenge is already in `presses`, or came earlier in the run;
/// how many it dropped.
async fn skip_used_challenges(
    conn: &mut PgConnection,
    events: &mut Vec<(u64, EventMessage)>,
) -> Result<usize, ReducerError> {
    let challenges: Vec<&str> = events
        .iter()
        .filter_map(|(_, m)| match m {
            EventMessage::Press { challenge_id, .. } => Some(challenge_id.as_str()),
            EventMessage::Tick { .. } => None,
        })
        .collect();
    let used: HashSet<String> = db::used_challenges(&mut *conn, &challenges)
        .await?
        .into_iter()
        .collect();
    let mut seen = HashSet::new();
    let before = events.len();
    events.retain(|(seq, m)| match m {
        EventMessage::Press {
            challenge_id,
            press_id,
            ..
        } => {
            let fresh = !used.contains(challenge_id) && seen.insert(challenge_id.clone());
            if !fresh {
                metrics::used_challenge_skipped();
                warn!(seq, %press_id, challenge_id, "a press whose challenge was already used: skipped");
            }
            fresh
        }
        EventMessage::Tick { .. } => true,
    });
    Ok(before - events.len())
}

/// Publishes a committed state to the web servers. Best effort: PostgreSQL is the truth, and
/// web servers reload from it after a reconnect.
async fn publish(config: &ReducerConfig, state: &State) {
    if let Err(error) = config.states.publish(state).await {
        warn!(%error, state_id = state.id, "could not publish the state");
    }
}
