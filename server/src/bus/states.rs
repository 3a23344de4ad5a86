//! The `<ns>.state` subject: the reducer publishes every committed state with the newest few
//! presses it counted (the live feed), web servers follow. Core NATS, best effort: PostgreSQL is
//! the truth, and a web server reloads from it on a gap.

use app::game::State;
use app::wire::{FeedEntry, MomentEntry, Notice};
use async_nats::{Client, Subscriber};
use futures::StreamExt;
use serde::{Deserialize, Serialize};

use crate::names::Names;

/// A committed state as published: the state's own fields, and the newest presses of its batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateMessage {
    /// The state.
    #[serde(flatten)]
    pub state: State,
    /// The newest few presses of the batch, newest first (none for a state without presses,
    /// and from a reducer older than the feed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub feed: Vec<FeedEntry>,
    /// The moments the batch made, oldest first (usually none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub moments: Vec<MomentEntry>,
    /// The newest operator's command of the batch, as players are told of it (usually none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<Notice>,
}

/// How many of a batch's presses go to the feed: the newest few, whatever the batch's size, so
/// the feed stays cheap at thousands of presses a second.
pub const FEED_PER_STATE: usize = 5;

/// Why a state was not published.
#[derive(Debug, thiserror::Error)]
pub enum StatePublishError {
    /// It could not be encoded.
    #[error("encoding the state: {0}")]
    Encode(#[from] serde_json::Error),
    /// NATS did not take it.
    #[error("publishing the state: {0}")]
    Publish(#[from] async_nats::PublishError),
}

/// Publishes committed states (the reducer's).
#[derive(Clone)]
pub struct StatePublisher {
    client: Client,
    subject: String,
}

impl StatePublisher {
    /// A publisher on the namespace's state subject.
    pub fn new(client: Client, names: &Names) -> StatePublisher {
        StatePublisher {
            client,
            subject: names.state_subject(),
        }
    }

    /// Publishes `message`.
    pub async fn publish(&self, message: &StateMessage) -> Result<(), StatePublishError> {
        let payload = serde_json::to_vec(message)?;
        self.client
            .publish(self.subject.clone(), payload.into())
            .await?;
        Ok(())
    }
}

/// The states as they are published (a web server's).
pub struct StateSubscription {
    subscriber: Subscriber,
}

impl StateSubscription {
    /// Follows the namespace's state subject.
    pub async fn follow(
        client: &Client,
        names: &Names,
    ) -> Result<StateSubscription, async_nats::SubscribeError> {
        Ok(StateSubscription {
            subscriber: client.subscribe(names.state_subject()).await?,
        })
    }

    /// The next state (or why it could not be read); `None` once the subscription ends.
    pub async fn next(&mut self) -> Option<Result<StateMessage, serde_json::Error>> {
        let message = self.subscriber.next().await?;
        Some(serde_json::from_slice(&message.payload))
    }
}
