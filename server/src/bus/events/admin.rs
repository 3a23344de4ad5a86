//! Publishing the operators' commands to the events stream (`<ns>.events.admin`), so that the
//! reducer applies each in order with the presses, exactly once.

use std::time::Duration;

use app::game::Command;
use async_nats::jetstream::{self, message::PublishMessage as Publish};

use super::EventMessage;
use crate::names::Names;

/// Why a command may not have been taken.
#[derive(Debug, thiserror::Error)]
pub enum AdminPublishError {
    /// It could not be encoded.
    #[error("encoding the command: {0}")]
    Encode(#[from] serde_json::Error),
    /// JetStream refused it, or nothing left this server: it was not taken.
    #[error("JetStream did not take the command: {0}")]
    Unavailable(String),
    /// It left, but no answer came in time: it may still be applied. `GET /v1/admin/status`
    /// tells (its audit names the action).
    #[error("JetStream did not confirm the command in time: {0}")]
    Unconfirmed(String),
}

/// Publishes operators' commands, with `Nats-Msg-Id = admin-<action_id>`.
#[derive(Clone)]
pub struct AdminPublisher {
    js: jetstream::Context,
    subject: String,
    deadline: Duration,
}

impl AdminPublisher {
    /// A publisher that waits `deadline` for JetStream to store a command.
    pub fn new(js: jetstream::Context, names: &Names, deadline: Duration) -> AdminPublisher {
        AdminPublisher {
            js,
            subject: names.admin_subject(),
            deadline,
        }
    }

    /// Publishes the command `action_id`, asked at `at_ms` by the token named `by`, and waits
    /// until JetStream stored it: its stream sequence.
    pub async fn publish(
        &self,
        action_id: uuid::Uuid,
        command: Command,
        (by, message): (String, Option<String>),
        at_ms: i64,
    ) -> Result<u64, AdminPublishError> {
        let payload = serde_json::to_vec(&EventMessage::Admin {
            action_id,
            command,
            by,
            message,
            at_ms,
        })?;
        let sent = self
            .js
            .send_publish(
                self.subject.clone(),
                Publish::build()
                    .payload(payload.into())
                    .message_id(format!("admin-{action_id}")),
            )
            .await
            .map_err(|e| AdminPublishError::Unavailable(e.to_string()))?;
        match tokio::time::timeout(self.deadline, sent).await {
            Ok(Ok(ack)) => Ok(ack.sequence),
            Ok(Err(e)) => Err(AdminPublishError::Unconfirmed(e.to_string())),
            Err(_) => Err(AdminPublishError::Unconfirmed(format!(
                "no answer within {} ms",
                self.deadline.as_millis()
            ))),
        }
    }
}
