//! The `<ns>.presence` subject: every web server says, each second, how many live clients it
//! holds; every web server adds up what it heard lately. Core NATS, best effort: a server that
//! stops saying (killed, cut off) stops counting once its word is [`PRESENCE_TTL`] old.

use std::collections::HashMap;
use std::time::Duration;

use async_nats::{Client, Subscriber};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use crate::names::Names;

/// How often a web server says how many it holds.
pub const PRESENCE_EVERY: Duration = Duration::from_secs(1);

/// How long a server's word counts: a few missed seconds, then it is gone.
pub const PRESENCE_TTL: Duration = Duration::from_secs(4);

/// What one web server says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceMessage {
    /// The web server (a random id per process).
    pub server: String,
    /// Its live clients now.
    pub watching: u64,
}

/// One web server's side of presence: it says its own count, and hears everyone's.
pub struct Presence {
    client: Client,
    subject: String,
    server: String,
    subscriber: Subscriber,
    heard: HashMap<String, (u64, Instant)>,
}

/// How many servers' words are kept at most: a forged flood of ids cannot grow the map.
const MAX_SERVERS: usize = 1_024;

impl Presence {
    /// Joins the namespace's presence subject as `server`.
    pub async fn join(
        client: &Client,
        names: &Names,
        server: String,
    ) -> Result<Presence, async_nats::SubscribeError> {
        let subject = names.presence_subject();
        Ok(Presence {
            subscriber: client.subscribe(subject.clone()).await?,
            client: client.clone(),
            subject,
            server,
            heard: HashMap::new(),
        })
    }

    /// Says that this server holds `watching` live clients (best effort: a lost word only
    /// makes it count a little less for a moment).
    pub async fn say(&self, watching: u64) {
        let message = PresenceMessage {
            server: self.server.clone(),
            watching,
        };
        if let Ok(payload) = serde_json::to_vec(&message)
            && let Err(error) = self
                .client
                .publish(self.subject.clone(), payload.into())
                .await
        {
            tracing::debug!(%error, "could not say this server's presence");
        }
    }

    /// Waits for the next word from another server and notes it; `false` once the
    /// subscription has ended.
    pub async fn hear(&mut self) -> bool {
        let Some(message) = self.subscriber.next().await else {
            return false;
        };
        match serde_json::from_slice::<PresenceMessage>(&message.payload) {
            Ok(word) if word.server != self.server => {
                let now = Instant::now();
                self.forget_old(now);
                if self.heard.len() < MAX_SERVERS || self.heard.contains_key(&word.server) {
                    self.heard.insert(word.server, (word.watching, now));
                }
            }
            Ok(_) => {}
            Err(error) => tracing::debug!(%error, "undecodable presence message"),
        }
        true
    }

    /// The live clients of the other servers heard from within [`PRESENCE_TTL`].
    pub fn others(&mut self, now: Instant) -> u64 {
        self.forget_old(now);
        self.heard
            .values()
            .fold(0, |sum, (watching, _)| sum.saturating_add(*watching))
    }

    fn forget_old(&mut self, now: Instant) {
        self.heard
            .retain(|_, (_, at)| now.saturating_duration_since(*at) < PRESENCE_TTL);
    }
}
