//! One run of events, in the reducer's steps: decode → apply → commit (with the tally when it is
//! due) → ack → publish.

use std::collections::HashSet;

use app::game::{Batch, Command, Records, Rulebook, State, apply_batch};
use async_nats::jetstream;
use sqlx::{Connection, PgConnection};
use tracing::{debug, error, info, warn};

use super::{ReducerConfig, ReducerError};
use app::wire::{FeedEntry, MomentEntry, Notice, Receipt};

use crate::bus::{EventMessage, FEED_PER_STATE, ReceiptsMessage, StateMessage, ViewerReceipt};
use crate::db::{self, DbError, NewAdminAction, NewPress};
use crate::metrics;

/// One run of events, in the reducer's steps: decode → apply → commit → ack → publish. Gives
/// the committed state and records: the new ones, or the same when nothing was committed. The
/// run's presses go into `tally`, which the commit writes (and empties) when it is due: with
/// every batch, except while a `backlog` waits.
pub(super) async fn reduce(
    conn: &mut PgConnection,
    config: &ReducerConfig,
    rules: &mut Rulebook,
    (state, records): (State, Records),
    tally: &mut db::Tally,
    run: &[(u64, jetstream::Message)],
    backlog: bool,
) -> Result<(State, Records), ReducerError> {
    let mut events = decode(run);
    learn_new_rules(conn, rules, &events).await?;
    let rules = &*rules;
    let batch = loop {
        let batch = apply(state, records, rules, &events);
        let presses = new_presses(&batch);
        // The tally is only changed once the commit went through: a refused commit (below) is
        // applied again without the refused presses.
        // Summed across batches only while a backlog waits: then it spares PostgreSQL the
        // same rows again and again. Live, it goes with every batch: written every few seconds
        // it is one large write that holds up every press behind it (in the soak at 2,000/s
        // by 20,000 players, 202 → state p99 went from 235 ms to 1.1 s).
        let due = batch.changed && (!backlog || tally.is_due(config.tally_every));
        let with_tally = due.then(|| {
            let mut whole = tally.clone();
            whole.add(&presses);
            whole
        });
        match commit(conn, &batch, &presses, with_tally.as_ref()).await {
            Ok(()) => {
                match with_tally {
                    Some(written) => {
                        metrics::tally_written(written.presses());
                        *tally = db::Tally::default();
                    }
                    None => tally.add(&presses),
                }
                break batch;
            }
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
        return Ok((state, records));
    }
    publish(config, &batch).await;
    Ok((batch.state, batch.memory.records))
}

/// Rules an operator's command names are stored (by the admin API) before the command is sent:
/// the book reads them when a run names rules it does not have yet.
async fn learn_new_rules(
    conn: &mut PgConnection,
    rules: &mut Rulebook,
    events: &[(u64, EventMessage)],
) -> Result<(), ReducerError> {
    let unknown = events.iter().any(|(_, message)| {
        matches!(message, EventMessage::Admin { command: Command::Rules { rules_hash }, .. }
            if rules.get(*rules_hash).is_none())
    });
    if unknown {
        *rules = db::rulebook(conn, rules.first().clone()).await?;
    }
    Ok(())
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
    records: Records,
    rules: &Rulebook,
    events: &'a [(u64, EventMessage)],
) -> Batch<&'a EventMessage> {
    apply_batch(
        state,
        records,
        rules,
        events
            .iter()
            .map(|(seq, message)| (*seq, message.event(), message)),
    )
}

/// The presses a batch counted, as `presses` stores them.
fn new_presses(batch: &Batch<&EventMessage>) -> Vec<NewPress> {
    batch
        .presses
        .iter()
        .filter_map(|(receipt, message)| match message {
            EventMessage::Press {
                challenge_id,
                client_key,
                player,
                country,
                at_ms,
                ..
            } => Some(NewPress {
                receipt: *receipt,
                challenge_id: challenge_id.clone(),
                client_key: client_key.clone(),
                player: *player,
                country: *country,
                received_at_ms: *at_ms,
            }),
            // The rules count presses only.
            EventMessage::Tick { .. } | EventMessage::Admin { .. } => None,
        })
        .collect()
}

/// Writes the new state, its presses, what they add to the players and to the game's memory,
/// and the tally when it is due (`tally`, these presses included), in one transaction (nothing
/// when nothing changed).
async fn commit(
    conn: &mut PgConnection,
    batch: &Batch<&EventMessage>,
    presses: &[NewPress],
    tally: Option<&db::Tally>,
) -> Result<(), ReducerError> {
    if !batch.changed {
        return Ok(());
    }
    let actions: Vec<NewAdminAction> = batch
        .commands
        .iter()
        .filter_map(|(seq, at_ms, message)| match message {
            EventMessage::Admin {
                action_id,
                command,
                by,
                message,
                ..
            } => Some(NewAdminAction {
                seq: *seq,
                at_ms: *at_ms,
                action_id: *action_id,
                command: *command,
                by: by.clone(),
                message: message.clone(),
            }),
            EventMessage::Press { .. } | EventMessage::Tick { .. } => None,
        })
        .collect();
    let started = std::time::Instant::now();
    let mut tx = conn.begin().await?;
    db::insert_state(&mut *tx, &batch.state, &batch.memory.records).await?;
    db::insert_presses(&mut *tx, batch.state.id, presses).await?;
    db::add_to_players(&mut tx, presses).await?;
    db::remember(&mut tx, &batch.memory).await?;
    if let Some(tally) = tally {
        db::write_tally(&mut tx, tally, batch.state.last_applied_seq).await?;
    }
    db::record_admin_actions(&mut tx, batch.state.id, batch.state.season, &actions).await?;
    tx.commit().await?;
    for action in &actions {
        info!(seq = action.seq, command = ?action.command, by = %action.by,
              state_id = batch.state.id, "operator's command applied");
    }
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
            EventMessage::Tick { .. } | EventMessage::Admin { .. } => None,
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
        EventMessage::Tick { .. } | EventMessage::Admin { .. } => true,
    });
    Ok(before - events.len())
}

/// Publishes a committed state, with the newest of its presses for the feed, to the web
/// servers. Best effort: PostgreSQL is the truth, and web servers reload from it after a
/// reconnect.
async fn publish(config: &ReducerConfig, batch: &Batch<&EventMessage>) {
    let feed = batch
        .presses
        .iter()
        .rev()
        .take(FEED_PER_STATE)
        .map(|(receipt, message)| {
            let player = match message {
                EventMessage::Press { player, .. } => *player,
                EventMessage::Tick { .. } | EventMessage::Admin { .. } => None,
            };
            FeedEntry::new(receipt, player)
        })
        .collect();
    let message = StateMessage {
        state: batch.state,
        feed,
        moments: batch.memory.moments.iter().map(MomentEntry::from).collect(),
        notice: batch
            .commands
            .last()
            .and_then(|(seq, at_ms, message)| match message {
                EventMessage::Admin {
                    command, message, ..
                } => Some(Notice {
                    seq: *seq,
                    at_ms: *at_ms,
                    season: batch.state.season,
                    command: *command,
                    message: message.clone(),
                }),
                _ => None,
            }),
    };
    if let Err(error) = config.states.publish(&message).await {
        warn!(%error, state_id = batch.state.id, "could not publish the state");
    }
    // Then each press's receipt, for the page waiting for it (if it said where).
    let receipts = batch
        .presses
        .iter()
        .filter_map(|(receipt, message)| match message {
            EventMessage::Press {
                viewer: Some(viewer),
                player,
                ..
            } => Some(ViewerReceipt {
                viewer,
                receipt: Receipt::applied(
                    receipt,
                    batch.state.id,
                    player.map(|p| p.handle().to_string()),
                ),
            }),
            _ => None,
        })
        .collect();
    if let Err(error) = config.receipts.publish(&ReceiptsMessage { receipts }).await {
        warn!(%error, state_id = batch.state.id, "could not publish the receipts");
    }
}
