//! The events stream, `<ns>.events.>`: the one path of a press (and of the watcher's ticks) to
//! the reducer. Created or updated idempotently at start-up; its messages in [`message`], its
//! writers: the web servers' presses ([`presses`]) and operators' commands ([`admin`]), and the
//! watcher's ticks ([`ticks`]).

mod admin;
mod message;
mod presses;
mod ticks;

pub use admin::{AdminPublishError, AdminPublisher};
pub use message::EventMessage;
pub use presses::{PressPublisher, PublishError, Published};
pub use ticks::{TickError, TickPublisher};

use std::time::Duration;

use app::game::PressId;
use async_nats::jetstream::{self, stream};

use super::BusError;
use crate::names::Names;

/// The events stream of one namespace.
#[derive(Clone)]
pub struct EventsStream {
    stream: stream::Stream,
    names: Names,
    duplicate_window: Duration,
}

/// How many times the stream is set up before giving up (others may be creating it too).
const ENSURE_ATTEMPTS: u32 = 5;

/// The duplicate window for challenges that live `challenge_ttl`: twice that, at least 2 min.
pub fn duplicate_window_for(challenge_ttl: Duration) -> Duration {
    (challenge_ttl * 2).max(Duration::from_secs(120))
}

/// Creates `<ns>_EVENTS` on `<ns>.events.>`, file storage, with a duplicate window of at least
/// twice the challenge lifetime so that one challenge can never buy two presses.
///
/// The window only ever grows: a process started with shorter-lived challenges (other rules)
/// keeps the longer window another process set, so two processes never undo each other.
///
/// `replicas` copies are kept on as many nodes of a JetStream cluster: a press JetStream
/// acknowledged is then on a quorum of them, and survives the loss of any one.
pub async fn ensure_events_stream(
    js: &jetstream::Context,
    names: &Names,
    challenge_ttl: Duration,
    replicas: usize,
) -> Result<EventsStream, BusError> {
    // The roles of one game start together, and each ensures the stream: when two create it at
    // once, one is refused ("subjects overlap"); a second look finds it, and updates it.
    let mut attempt = 0;
    let duplicate_window = loop {
        attempt += 1;
        let existing = match js.get_stream(names.events_stream()).await {
            Ok(mut stream) => stream
                .info()
                .await
                .ok()
                .map(|info| info.config.duplicate_window),
            Err(_) => None,
        };
        let wanted = duplicate_window_for(challenge_ttl);
        let duplicate_window = existing.map_or(wanted, |window| window.max(wanted));
        let config = stream::Config {
            name: names.events_stream(),
            subjects: vec![names.events_subjects()],
            storage: stream::StorageType::File,
            retention: stream::RetentionPolicy::Limits,
            duplicate_window,
            num_replicas: replicas,
            ..Default::default()
        };
        match js.create_or_update_stream(config).await {
            Ok(_) => break duplicate_window,
            Err(_) if attempt < ENSURE_ATTEMPTS => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => {
                return Err(BusError::Setup {
                    what: names.events_stream(),
                    message: e.to_string(),
                });
            }
        }
    };
    let stream = js
        .get_stream(names.events_stream())
        .await
        .map_err(|e| BusError::Setup {
            what: names.events_stream(),
            message: e.to_string(),
        })?;
    Ok(EventsStream {
        stream,
        names: names.clone(),
        duplicate_window,
    })
}

impl EventsStream {
    /// The JetStream handle.
    pub fn handle(&self) -> &stream::Stream {
        &self.stream
    }

    /// Whether a press with this id was stored: `Ok(false)` when JetStream has no such message.
    pub async fn has_press(&self, press_id: PressId) -> Result<bool, stream::LastRawMessageError> {
        match self
            .stream
            .get_last_raw_message_by_subject(&self.names.press_subject(press_id))
            .await
        {
            Ok(_) => Ok(true),
            Err(e) if e.kind() == stream::LastRawMessageErrorKind::NoMessageFound => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// The stream's duplicate window: applied events older than it are of no more use.
    pub fn duplicate_window(&self) -> Duration {
        self.duplicate_window
    }

    /// Removes the events up to and including `seq`, which the caller knows are applied and
    /// committed (PostgreSQL is the truth; the stream is the log of what is still to apply).
    pub async fn remove_applied_through(&self, seq: u64) -> Result<u64, stream::PurgeError> {
        self.stream
            .purge()
            .sequence(seq + 1)
            .await
            .map(|purged| purged.purged)
    }

    /// The sequence of the newest event in the stream (0 when empty).
    pub async fn last_sequence(&self) -> Result<u64, stream::InfoError> {
        let mut stream = self.stream.clone();
        stream.info().await.map(|info| info.state.last_sequence)
    }
}
