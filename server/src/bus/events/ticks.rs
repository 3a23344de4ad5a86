//! The watcher's ticks on the events stream (`<ns>.events.tick`): at most one per state, by
//! message id, so watchers on many machines never tick twice for the same state.

use async_nats::jetstream::{self, context::PublishError, message::PublishMessage as Publish};

use super::EventMessage;
use crate::names::Names;

/// Why a tick was not sent.
#[derive(Debug, thiserror::Error)]
pub enum TickError {
    /// It could not be encoded.
    #[error("encoding a tick: {0}")]
    Encode(#[from] serde_json::Error),
    /// JetStream did not take it (or did not answer).
    #[error("publishing a tick: {0}")]
    Publish(#[from] PublishError),
}

/// Publishes ticks.
#[derive(Clone)]
pub struct TickPublisher {
    js: jetstream::Context,
    subject: String,
}

impl TickPublisher {
    /// A publisher on the namespace's tick subject.
    pub fn new(js: jetstream::Context, names: &Names) -> TickPublisher {
        TickPublisher {
            js,
            subject: names.tick_subject(),
        }
    }

    /// Publishes a tick for the state `state_id`, at `at_ms`: `true` if it is new, `false` if
    /// this state had its tick already.
    pub async fn publish(&self, state_id: u64, at_ms: i64) -> Result<bool, TickError> {
        let payload = serde_json::to_vec(&EventMessage::Tick { at_ms })?;
        let ack = self
            .js
            .send_publish(
                self.subject.clone(),
                Publish::build()
                    .payload(payload.into())
                    .message_id(format!("tick-{state_id}")),
            )
            .await?
            .await?;
        Ok(!ack.duplicate)
    }
}
