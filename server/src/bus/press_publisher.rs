//! Publishing presses to JetStream, answering only once the stream has stored them.

use std::time::Duration;

use async_nats::Client;
use async_nats::connection::State as ConnectionState;
use async_nats::jetstream::{self, message::PublishMessage as Publish};
use tokio::time::{Instant, sleep, timeout};
use tracing::warn;

use super::EventMessage;
use crate::names::Names;

/// What JetStream did with a press.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Published {
    /// Stored at this stream sequence.
    Stored {
        /// The stream sequence.
        seq: u64,
    },
    /// The challenge already bought a press: the message id is in the duplicate window.
    Duplicate,
}

/// The press was not taken.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// NATS or JetStream did not store the press in time.
    #[error("JetStream did not store the press: {0}")]
    Unavailable(String),
}

/// Publishes presses with `Nats-Msg-Id = challenge_id`.
#[derive(Clone)]
pub struct PressPublisher {
    client: Client,
    js: jetstream::Context,
    names: Names,
    deadline: Duration,
}

/// How long one attempt waits for JetStream's ack before trying again.
const ATTEMPT_TIMEOUT: Duration = Duration::from_millis(1_000);

impl PressPublisher {
    /// A publisher that gives up after `deadline`.
    pub fn new(client: Client, names: Names, deadline: Duration) -> PressPublisher {
        PressPublisher {
            js: jetstream::new(client.clone()),
            client,
            names,
            deadline,
        }
    }

    /// Publishes a press and waits for JetStream to store it.
    ///
    /// Nothing is sent while the connection is down, so a press refused with 503 is not stored
    /// later behind the player's back. When an attempt's outcome is unknown (the broker died
    /// after the message left), the same message id is sent again once connected: a duplicate
    /// then means the earlier attempt was stored.
    pub async fn publish(&self, message: &EventMessage) -> Result<Published, PublishError> {
        let EventMessage::Press {
            press_id,
            challenge_id,
            ..
        } = message
        else {
            return Err(PublishError::Unavailable(
                "only presses are published here".into(),
            ));
        };
        let payload = serde_json::to_vec(message)
            .map_err(|e| PublishError::Unavailable(format!("encoding the press: {e}")))?;
        let subject = self.names.press_subject(*press_id);
        let give_up = Instant::now() + self.deadline;
        let mut retried = false;
        loop {
            if self.client.connection_state() != ConnectionState::Connected {
                if !retried {
                    return Err(PublishError::Unavailable("not connected to NATS".into()));
                }
                if !self.wait_until_connected(give_up).await {
                    return Err(PublishError::Unavailable(
                        "NATS did not come back in time".into(),
                    ));
                }
            }
            let attempt = async {
                let ack = self
                    .js
                    .send_publish(
                        subject.clone(),
                        Publish::build()
                            .payload(payload.clone().into())
                            .message_id(challenge_id),
                    )
                    .await?;
                ack.await.map_err(async_nats::Error::from)
            };
            let remaining = give_up.saturating_duration_since(Instant::now());
            match timeout(ATTEMPT_TIMEOUT.min(remaining), attempt).await {
                Ok(Ok(ack)) if ack.duplicate && retried => {
                    // Our earlier, unanswered attempt was stored.
                    return Ok(Published::Stored { seq: ack.sequence });
                }
                Ok(Ok(ack)) if ack.duplicate => return Ok(Published::Duplicate),
                Ok(Ok(ack)) => return Ok(Published::Stored { seq: ack.sequence }),
                Ok(Err(error)) => warn!(%error, %press_id, "publishing a press failed; retrying"),
                Err(_) => warn!(%press_id, "no ack from JetStream in time; retrying"),
            }
            retried = true;
            if Instant::now() >= give_up {
                return Err(PublishError::Unavailable(
                    "JetStream did not acknowledge the press in time".into(),
                ));
            }
            sleep(Duration::from_millis(50)).await;
        }
    }

    async fn wait_until_connected(&self, give_up: Instant) -> bool {
        while Instant::now() < give_up {
            if self.client.connection_state() == ConnectionState::Connected {
                return true;
            }
            sleep(Duration::from_millis(50)).await;
        }
        false
    }
}
