//! The reducer's view of the events stream: a consumer delivering from the seq that must come
//! next. Whatever does not continue it exactly is never applied: a batch is split into the run
//! that does, the redeliveries before it, and the first seq past a hole.

use std::time::Duration;

use async_nats::jetstream::{self, consumer::pull};
use futures::StreamExt;
use tracing::warn;

use super::{ReducerConfig, ReducerError};
use crate::metrics;

/// How long the reducer waits with nothing delivered before it asks the stream whether events
/// are waiting (deliveries lost on a dropped link would otherwise wait for `ack_wait`).
const IDLE_CHECK: Duration = Duration::from_secs(1);

/// How long nothing is delivered before the reducer, with a tally to write, calls the stream
/// quiet (and writes it before it is due): players see the leaderboards of a quiet game at once.
const QUIET: Duration = Duration::from_millis(100);

/// What one read of the events gave.
pub(super) enum Read {
    /// Events, in the order they came, and whether a backlog waits behind them (more than a
    /// batch: the reducer is catching up, and throughput comes before each press's latency).
    Batch(Vec<jetstream::Message>, bool),
    /// Nothing came for [`IDLE_CHECK`] ([`QUIET`] with a tally to write).
    Idle,
    /// Deliveries may have been lost (a reconnect, a failing stream): read again.
    Suspect(String),
}

/// The contiguous run of a batch from the next expected seq, and what came beside it.
pub(super) struct InOrder {
    /// Events `next_seq, next_seq + 1, …` with no hole, in seq order.
    pub(super) run: Vec<(u64, jetstream::Message)>,
    /// The newest event of the batch already applied (a redelivery), when the run is empty.
    pub(super) stale: Option<jetstream::Message>,
    /// The first seq past a hole: the events from the hole on were not taken.
    pub(super) gap: Option<u64>,
}

/// The reducer's view of the events stream: a consumer delivering from `next_seq`, the seq
/// that must come next. Whatever does not continue it exactly is never applied.
pub(super) struct Reader {
    messages: pull::Stream,
    pub(super) next_seq: u64,
}

impl Reader {
    pub(super) async fn open(
        config: &ReducerConfig,
        next_seq: u64,
    ) -> Result<Reader, ReducerError> {
        let consumer = recreate_consumer(config, next_seq).await?;
        let messages = consumer
            .stream()
            // Pulls as big as the biggest batch: the next one arrives while this one commits.
            .max_messages_per_batch(config.backlog_batch_size)
            .heartbeat(Duration::from_secs(5))
            .messages()
            .await
            .map_err(|e| ReducerError::Consumer(e.to_string()))?;
        Ok(Reader { messages, next_seq })
    }

    /// Starts delivering again from `next_seq`: what was in flight is delivered anew.
    pub(super) async fn reopen(
        &mut self,
        config: &ReducerConfig,
        why: &str,
    ) -> Result<(), ReducerError> {
        warn!(
            next_seq = self.next_seq,
            why, "reading the events again from the next expected seq"
        );
        metrics::reducer_reread();
        *self = Reader::open(config, self.next_seq).await?;
        Ok(())
    }

    /// The next batch: waits for one message (at most [`IDLE_CHECK`], or [`QUIET`] when
    /// `tally_waits`), then takes what arrives within the batch wait, up to the batch size, or
    /// up to the backlog batch size when more than a batch waits behind the first (the stream
    /// says how many).
    pub(super) async fn next_batch(&mut self, config: &ReducerConfig, tally_waits: bool) -> Read {
        let idle = if tally_waits { QUIET } else { IDLE_CHECK };
        let first = match tokio::time::timeout(idle, self.messages.next()).await {
            Err(_) => return Read::Idle,
            Ok(None) => return Read::Suspect("the message stream ended".into()),
            Ok(Some(Err(error))) => return Read::Suspect(format!("reading events: {error}")),
            Ok(Some(Ok(message))) => message,
        };
        let waiting = first.info().map_or(0, |info| info.pending);
        let backlog = waiting >= config.batch_size as u64;
        let max = if backlog {
            config.backlog_batch_size
        } else {
            config.batch_size
        };
        let mut batch = Vec::with_capacity(max);
        batch.push(first);
        let fill = tokio::time::sleep(config.batch_wait);
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
        Read::Batch(batch, backlog)
    }

    /// Splits a batch into the run that continues `next_seq` (and advances it), the newest
    /// redelivery, and the first seq past a hole.
    pub(super) fn in_order(&mut self, batch: Vec<jetstream::Message>) -> InOrder {
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
    delete_consumer(stream, &name).await?;
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

/// How many times a consumer's delete is tried (a stream whose leader just moved may not answer
/// the first time), 200 ms apart.
const DELETE_ATTEMPTS: u32 = 5;

/// Deletes the durable consumer `name` (absent is fine: the first time, or already gone). Created
/// again while the old one still exists, it would be refused ("deliver policy can not be
/// updated"), so a delete that failed is tried again, and then said.
async fn delete_consumer(
    stream: &jetstream::stream::Stream,
    name: &str,
) -> Result<(), ReducerError> {
    use async_nats::jetstream::ErrorCode;
    use async_nats::jetstream::stream::ConsumerErrorKind;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let error = match stream.delete_consumer(name).await {
            Ok(_) => return Ok(()),
            Err(error) => error,
        };
        if let ConsumerErrorKind::JetStream(e) = error.kind()
            && e.error_code() == ErrorCode::CONSUMER_NOT_FOUND
        {
            return Ok(());
        }
        if attempt >= DELETE_ATTEMPTS {
            return Err(ReducerError::Consumer(format!("deleting {name}: {error}")));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
