//! Per-player cooldowns in a JetStream KV bucket, shared by every web server, so a player cannot
//! dodge the cooldown by reaching another one. Reservations are compare-and-set on the key's
//! revision: of two concurrent presses by one player, one wins.

use std::time::Duration;

use async_nats::jetstream::{self, kv};
use bytes::Bytes;

use super::BusError;
use crate::names::Names;
use crate::settings::PRESS_MARGIN_MS;

/// How long a reservation may take in all, lookups and writes. A KV request that the link
/// swallows would otherwise wait for the connection's request timeout (10 s), past the press's
/// request deadline: the player must hear "unavailable, nothing was taken" in time instead.
const RESERVE_TIMEOUT_MS: u64 = 1_000;
/// How long giving a reservation back may take; if it cannot, the cooldown simply runs out.
const RELEASE_TIMEOUT_MS: u64 = 500;
// Both, and the answer, fit in the margin a press's request keeps beyond its publish deadline.
const _: () = assert!(RESERVE_TIMEOUT_MS + RELEASE_TIMEOUT_MS < PRESS_MARGIN_MS);

/// The cooldown bucket.
#[derive(Clone)]
pub struct Cooldowns {
    store: kv::Store,
}

/// Why a player may not press now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CooldownError {
    /// The player pressed less than a cooldown ago.
    #[error("pressed {retry_after_ms} ms too soon")]
    TooSoon {
        /// How long until the player may press again.
        retry_after_ms: i64,
    },
    /// The bucket could not be read or written.
    #[error("cooldown store unavailable: {0}")]
    Unavailable(String),
}

/// `None` when another server wrote the key first (look again); other failures are errors.
fn lost_race_is_none(result: Result<u64, kv::UpdateError>) -> Result<Option<u64>, CooldownError> {
    match result {
        Ok(revision) => Ok(Some(revision)),
        Err(e) if e.kind() == kv::UpdateErrorKind::WrongLastRevision => Ok(None),
        Err(e) => Err(CooldownError::Unavailable(e.to_string())),
    }
}

/// A held reservation; give it back if the press is not taken after all.
#[derive(Debug, Clone)]
pub struct Reservation {
    key: String,
    revision: Option<u64>,
}

impl Cooldowns {
    /// Creates (or opens) `<ns>_cooldowns`, `replicas` copies on a JetStream cluster; entries
    /// older than `keep` are dropped by JetStream.
    pub async fn ensure(
        js: &jetstream::Context,
        names: &Names,
        keep: Duration,
        replicas: usize,
    ) -> Result<Cooldowns, BusError> {
        let bucket = names.cooldown_bucket();
        let setup_error = |e: &dyn std::fmt::Display| BusError::Setup {
            what: bucket.clone(),
            message: e.to_string(),
        };
        // The bucket's stream is created directly (with the settings a KV bucket has): the
        // client's `create_key_value` first asks for account details that nats-server 2.9
        // answers in a form it cannot read.
        js.create_or_update_stream(jetstream::stream::Config {
            name: format!("KV_{bucket}"),
            subjects: vec![format!("$KV.{bucket}.>")],
            max_messages_per_subject: 1,
            max_age: keep.max(Duration::from_secs(60)),
            storage: jetstream::stream::StorageType::File,
            allow_rollup: true,
            deny_delete: true,
            allow_direct: true,
            discard: jetstream::stream::DiscardPolicy::New,
            num_replicas: replicas,
            ..Default::default()
        })
        .await
        .map_err(|e| setup_error(&e))?;
        let store = js
            .get_key_value(&bucket)
            .await
            .map_err(|e| setup_error(&e))?;
        Ok(Cooldowns { store })
    }

    /// Reserves a press for `client_key` at `now_ms` if its last press is at least `cooldown_ms`
    /// old. A zero cooldown reserves nothing.
    pub async fn reserve(
        &self,
        client_key: &str,
        now_ms: i64,
        cooldown_ms: i64,
    ) -> Result<Reservation, CooldownError> {
        let key = format!("c{client_key}");
        if cooldown_ms <= 0 {
            return Ok(Reservation {
                key,
                revision: None,
            });
        }
        let reserving = self.try_reserve(key, now_ms, cooldown_ms);
        match tokio::time::timeout(Duration::from_millis(RESERVE_TIMEOUT_MS), reserving).await {
            Ok(reserved) => reserved,
            // If the write did land, the player waits out one cooldown for a press not taken:
            // the price of answering in time.
            Err(_) => Err(CooldownError::Unavailable(format!(
                "no answer from the cooldown bucket within {RESERVE_TIMEOUT_MS} ms"
            ))),
        }
    }

    async fn try_reserve(
        &self,
        key: String,
        now_ms: i64,
        cooldown_ms: i64,
    ) -> Result<Reservation, CooldownError> {
        let value = Bytes::from(now_ms.to_string());
        let unavailable = |e: &dyn std::fmt::Display| CooldownError::Unavailable(e.to_string());
        // A lost compare-and-set means another server just wrote this key: look again.
        for _ in 0..3 {
            let entry = self
                .store
                .entry(key.clone())
                .await
                .map_err(|e| unavailable(&e))?;
            let written = match entry {
                Some(entry) if entry.operation == kv::Operation::Put => {
                    let last = std::str::from_utf8(&entry.value)
                        .ok()
                        .and_then(|s| s.parse::<i64>().ok())
                        .unwrap_or(i64::MIN);
                    let free_at = last.saturating_add(cooldown_ms);
                    if now_ms < free_at {
                        return Err(CooldownError::TooSoon {
                            retry_after_ms: free_at - now_ms,
                        });
                    }
                    lost_race_is_none(self.store.update(&key, value.clone(), entry.revision).await)?
                }
                Some(entry) => {
                    lost_race_is_none(self.store.update(&key, value.clone(), entry.revision).await)?
                }
                None => match self.store.create(&key, value.clone()).await {
                    Ok(revision) => Some(revision),
                    Err(e) if e.kind() == kv::CreateErrorKind::AlreadyExists => None,
                    Err(e) => return Err(unavailable(&e)),
                },
            };
            if let Some(revision) = written {
                return Ok(Reservation {
                    key,
                    revision: Some(revision),
                });
            }
        }
        Err(CooldownError::TooSoon {
            retry_after_ms: cooldown_ms,
        })
    }

    /// Whether the bucket answers (for readiness).
    pub async fn check(&self) -> Result<(), kv::StatusError> {
        self.store.status().await.map(drop)
    }

    /// Gives a reservation back (the press was not taken). The previous press was older than
    /// the cooldown, so forgetting it is the same as restoring it.
    pub async fn release(&self, reservation: Reservation) {
        let Some(revision) = reservation.revision else {
            return;
        };
        let releasing = self
            .store
            .delete_expect_revision(&reservation.key, Some(revision));
        match tokio::time::timeout(Duration::from_millis(RELEASE_TIMEOUT_MS), releasing).await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::warn!(%error, "could not release a cooldown reservation"),
            Err(_) => tracing::warn!("releasing a cooldown reservation took too long"),
        }
    }
}
