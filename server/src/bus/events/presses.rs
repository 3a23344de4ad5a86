//! Publishing presses to JetStream, answering only once the stream has stored them.

use std::time::Duration;

use app::game::{Country, Player, PressId};
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

/// JetStream did not confirm the press. The caller branches on which: only in the first case
/// may it tell the player that nothing was taken.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// Nothing left this server (not connected, or the stream said no): the press was not taken.
    #[error("JetStream did not take the press: {0}")]
    Unavailable(String),
    /// The press left this server but no answer came back in time: it may be stored (and then
    /// it will be applied, once), or not. Only its receipt can tell.
    #[error("JetStream did not confirm the press in time: {0}")]
    Unconfirmed(String),
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
    /// Nothing is sent while the connection is down, so a press refused as `Unavailable` is not
    /// stored later behind the player's back. When an attempt's outcome is unknown (the broker
    /// died after the message left, or the link went silent), the same message id is sent again
    /// once connected: a duplicate then means the earlier attempt was stored. If the deadline
    /// passes with the outcome still unknown, the answer says so (`Unconfirmed`).
    /// The press `press_id`, accepted at `at_ms` from the network `client_key` in `country` for
    /// `player`, which solved `challenge_id`, its receipt for `viewer` (only presses go through
    /// here: ticks have their own publisher).
    pub async fn publish(
        &self,
        press_id: PressId,
        challenge_id: &str,
        (client_key, country): (String, Option<Country>),
        (player, viewer): (Option<Player>, Option<String>),
        at_ms: i64,
    ) -> Result<Published, PublishError> {
        let message = EventMessage::Press {
            press_id,
            challenge_id: challenge_id.to_owned(),
            client_key,
            player,
            country,
            at_ms,
            viewer,
        };
        let payload = serde_json::to_vec(&message)
            .map_err(|e| PublishError::Unavailable(format!("encoding the press: {e}")))?;
        let subject = self.names.press_subject(press_id);
        let give_up = Instant::now() + self.deadline;
        let mut retried = false;
        // Whether an attempt may have reached the stream without its answer reaching us.
        let mut maybe_stored = false;
        let gave_up = |maybe_stored: bool, why: &str| {
            if maybe_stored {
                PublishError::Unconfirmed(why.to_owned())
            } else {
                PublishError::Unavailable(why.to_owned())
            }
        };
        loop {
            if self.client.connection_state() != ConnectionState::Connected {
                if !retried {
                    return Err(PublishError::Unavailable("not connected to NATS".into()));
                }
                if !self.wait_until_connected(give_up).await {
                    return Err(gave_up(maybe_stored, "NATS did not come back in time"));
                }
            }
            let mut sent = false;
            let attempt = async {
                let ack = self
                    .js
                    .send_publish(
                        subject.clone(),
                        Publish::build()
                            .payload(payload.clone().into())
                            .message_id(challenge_id),
                    )
                    .await
                    .map_err(async_nats::Error::from)?;
                // Handed to the connection: from here the stream may store it.
                sent = true;
                ack.await.map_err(|error| {
                    // No stream took the subject: definitely not stored.
                    if error.kind() == jetstream::context::PublishErrorKind::StreamNotFound {
                        sent = false;
                    }
                    async_nats::Error::from(error)
                })
            };
            let remaining = give_up.saturating_duration_since(Instant::now());
            let outcome = timeout(ATTEMPT_TIMEOUT.min(remaining), attempt).await;
            maybe_stored |= sent;
            match outcome {
                Ok(Ok(ack)) if ack.duplicate && maybe_stored => {
                    // An earlier, unanswered attempt of ours was stored, or another press with
                    // this challenge was: the stored message's subject names its press. The read
                    // back keeps to the deadline too: a JetStream request that the link swallows
                    // waits for the connection's request timeout (10 s), past the request's own.
                    let remaining = give_up.saturating_duration_since(Instant::now());
                    let stored = timeout(remaining, self.stored_subject(ack.sequence)).await;
                    return match stored.ok().flatten() {
                        Some(stored) if stored == subject => {
                            Ok(Published::Stored { seq: ack.sequence })
                        }
                        Some(_) => Ok(Published::Duplicate),
                        None => Err(PublishError::Unconfirmed(
                            "a duplicate whose press could not be read back".into(),
                        )),
                    };
                }
                Ok(Ok(ack)) if ack.duplicate => return Ok(Published::Duplicate),
                Ok(Ok(ack)) => return Ok(Published::Stored { seq: ack.sequence }),
                Ok(Err(error)) => warn!(%error, %press_id, "publishing a press failed; retrying"),
                Err(_) => warn!(%press_id, "no ack from JetStream in time; retrying"),
            }
            retried = true;
            if Instant::now() >= give_up {
                return Err(gave_up(
                    maybe_stored,
                    "JetStream did not acknowledge the press in time",
                ));
            }
            sleep(Duration::from_millis(50)).await;
        }
    }

    /// The subject of the event stored at `seq`, if it can be read.
    async fn stored_subject(&self, seq: u64) -> Option<String> {
        let stream = self
            .js
            .get_stream_no_info(self.names.events_stream())
            .await
            .ok()?;
        match stream.get_raw_message(seq).await {
            Ok(message) => Some(message.subject.to_string()),
            Err(error) => {
                warn!(%error, seq, "reading back a duplicate press failed");
                None
            }
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
