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

//!
//! # Layout
//!
//! - this file: the writer's loop: the lock, the resume from PostgreSQL, each batch read;
//! - `reader`: reading the stream in order, with no hole;
//! - `steps`: one run of events: decode → apply → commit (with the tally when it is due) → ack
//!   → publish;
//! - [`retention`]: how long the stream keeps what was applied.

mod reader;
pub mod retention;
mod steps;

use std::sync::Arc;
use std::time::Duration;

use app::game::{Rules, State};
use sqlx::{Connection, PgConnection};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tracing::{debug, error, info, warn};

use crate::bus::{BusError, EventsStream, ReceiptsPublisher, StatePublisher};
use crate::clock::now_ms;
use crate::db::{self, DbError};
use crate::metrics;
use crate::names::Names;
use reader::{InOrder, Read, Reader};
use retention::Retention;

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
    /// Where the receipts of committed presses go, for the pages waiting for them.
    pub receipts: ReceiptsPublisher,
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
    /// The most events per transaction while more than `batch_size` wait in the stream.
    pub backlog_batch_size: usize,
    /// How long to wait to fill a batch once one event is in.
    pub batch_wait: Duration,
    /// How often, at most, the tally is written while a backlog waits (`db::tally`; live, it
    /// goes with every batch).
    pub tally_every: Duration,
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
    // The rules in force are the ones the state names (an operator may have changed them since
    // the game began); `BUTTON_RULES` only gives a new game its first ones.
    if state.rules_hash != rules.hash() {
        warn!(
            in_force = %state.rules_hash,
            configured = %rules.hash(),
            "the game plays by other rules than BUTTON_RULES names; they stay (change them \
             with `the-button admin rules FILE`)"
        );
    }
    let mut rules = db::rulebook(&mut conn, rules).await?;
    let mut records = db::current_records(&mut conn).await?;
    // What the presses committed since the last written tally add (a crash in between).
    let mut tally = db::untallied(&mut conn).await?;
    info!(
        state_id = state.id,
        last_applied_seq = state.last_applied_seq,
        counter = state.counter,
        untallied = tally.presses(),
        "resuming"
    );

    let mut reader = Reader::open(config, state.last_applied_seq + 1).await?;
    let mut retention = Retention::new(config.events.duplicate_window());
    loop {
        remove_old_events(config, &mut retention).await;
        let read = tokio::select! {
            () = shutdown.cancelled() => return Ok(()),
            () = config.reconnected.notified() => Read::Suspect("NATS reconnected".into()),
            read = reader.next_batch(config, !tally.is_empty()) => read,
        };
        let (batch, backlog) = match read {
            Read::Batch(batch, backlog) => (batch, backlog),
            Read::Idle => {
                // The stream fell quiet: the tally need not wait to be due.
                write_tally(&mut conn, &mut tally, state.last_applied_seq).await?;
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
            (state, records) = steps::reduce(
                &mut conn,
                config,
                &mut rules,
                (state, records),
                &mut tally,
                &run,
                backlog,
            )
            .await?;
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

/// Writes the tally on its own (with nothing else to commit), through the committed state's seq.
async fn write_tally(
    conn: &mut PgConnection,
    tally: &mut db::Tally,
    through_seq: u64,
) -> Result<(), ReducerError> {
    if tally.is_empty() {
        return Ok(());
    }
    let mut tx = conn.begin().await?;
    db::write_tally(&mut tx, tally, through_seq).await?;
    tx.commit().await?;
    metrics::tally_written(tally.presses());
    *tally = db::Tally::default();
    Ok(())
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
