//! The crowd, as every page shows it: how many are watching across all web servers (each says
//! its own count over NATS, see `bus::Presence`), and how many presses were applied in the last
//! minute (from the live counter this server follows). Sent to clients only when it changes, as
//! one frame encoded once for every stream.

use std::collections::VecDeque;
use std::sync::Arc;

use app::wire::Crowd;
use app::wire::routes::CROWD_EVENT;
use bytes::Bytes;
use sqlx::PgPool;
use tokio::sync::watch;
use tokio::time::{Instant, MissedTickBehavior, interval};
use tokio_util::sync::CancellationToken;
use tracing::{debug, warn};

use super::frame::frame;
use super::{LiveState, LiveStreams};
use crate::bus::{PRESENCE_EVERY, Presence};
use crate::clock::now_ms;
use crate::db;
use crate::names::Names;

/// The window of "presses in the last minute".
const MINUTE_MS: i64 = 60_000;

/// The crowd now, and its `event: crowd` frame for the live streams.
#[derive(Debug, Clone)]
pub struct CrowdNow {
    pub crowd: Crowd,
    pub frame: Bytes,
}

impl CrowdNow {
    fn new(crowd: Crowd) -> CrowdNow {
        CrowdNow {
            crowd,
            frame: frame(
                CROWD_EVENT,
                None,
                &serde_json::to_string(&crowd).unwrap_or_default(),
            ),
        }
    }
}

/// Starts following the crowd; the receiver holds the newest.
pub async fn follow(
    client: &async_nats::Client,
    names: &Names,
    pool: &PgPool,
    live: watch::Receiver<LiveState>,
    streams: Arc<LiveStreams>,
    shutdown: CancellationToken,
) -> Result<watch::Receiver<CrowdNow>, async_nats::SubscribeError> {
    let server = uuid::Builder::from_random_bytes(rand::random()).into_uuid();
    let mut presence = Presence::join(client, names, server.to_string()).await?;
    let mut minute = LastMinute::new(now_ms(), counter_a_minute_ago(pool).await);
    let (sender, receiver) = watch::channel(CrowdNow::new(Crowd::default()));
    tokio::spawn(async move {
        let mut every = interval(PRESENCE_EVERY);
        every.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                () = shutdown.cancelled() => break,
                heard = presence.hear() => if !heard { break },
                _ = every.tick() => {
                    let own = u64::from(streams.open_now());
                    presence.say(own).await;
                    let now = now_ms();
                    let counter = live.borrow().state.counter;
                    let crowd = Crowd {
                        watching: own.saturating_add(presence.others(Instant::now())),
                        presses_last_minute: minute.presses(now, counter),
                    };
                    sender.send_if_modified(|held| {
                        let changed = held.crowd != crowd;
                        if changed {
                            *held = CrowdNow::new(crowd);
                        }
                        changed
                    });
                }
            }
        }
        debug!("stopped following the crowd");
    });
    Ok(receiver)
}

/// The committed counter as it was a minute ago (0 if unknown), so that a server that just
/// started counts the last minute at once.
async fn counter_a_minute_ago(pool: &PgPool) -> u64 {
    match db::counter_at(pool, now_ms() - MINUTE_MS).await {
        Ok(counter) => counter,
        Err(error) => {
            warn!(%error, "could not read the counter of a minute ago");
            0
        }
    }
}

/// The counter as it was over the last minute, sampled each second.
#[derive(Debug)]
struct LastMinute {
    /// (when, counter), oldest first; the first is at or before a minute ago once known.
    samples: VecDeque<(i64, u64)>,
}

impl LastMinute {
    fn new(now_ms: i64, counter_a_minute_ago: u64) -> LastMinute {
        LastMinute {
            samples: VecDeque::from([(now_ms - MINUTE_MS, counter_a_minute_ago)]),
        }
    }

    /// Notes `counter` at `now_ms`; the presses applied since a minute ago.
    fn presses(&mut self, now_ms: i64, counter: u64) -> u64 {
        let since = now_ms - MINUTE_MS;
        // A new season started the counter again: what came before it is of another count, and
        // the season's presses all fall in the last minute until it is a minute old.
        if self.samples.iter().any(|(_, c)| *c > counter) {
            self.samples.retain(|(_, c)| *c <= counter);
            if self.samples.front().is_none_or(|(at, _)| *at > since) {
                self.samples.push_front((since, 0));
            }
        }
        self.samples.push_back((now_ms, counter));
        while self.samples.get(1).is_some_and(|(at, _)| *at <= since) {
            self.samples.pop_front();
        }
        let base = self.samples.front().map_or(counter, |(_, c)| *c);
        counter.saturating_sub(base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crowd_is_encoded_once_as_its_event() {
        let now = CrowdNow::new(Crowd {
            watching: 3,
            presses_last_minute: 12,
        });
        assert_eq!(
            &now.frame[..],
            b"event: crowd\ndata: {\"watching\":3,\"presses_last_minute\":12}\n\n"
        );
    }

    #[test]
    fn the_last_minute_counts_the_presses_since_a_minute_ago() {
        let mut minute = LastMinute::new(100_000, 40);
        // At start, the minute reaches back to the stored counter of a minute ago.
        assert_eq!(minute.presses(100_000, 50), 10);
        assert_eq!(minute.presses(130_000, 70), 30);
        // 60 s after start: the first sample (50) is a minute old.
        assert_eq!(minute.presses(160_000, 75), 25);
        // Nobody pressed for a minute: none in the last minute.
        assert_eq!(minute.presses(221_000, 75), 0);
        assert!(minute.samples.len() <= 3, "old samples are dropped");
    }

    #[test]
    fn a_new_season_counts_its_own_presses_not_a_negative_minute() {
        let mut minute = LastMinute::new(100_000, 900);
        assert_eq!(minute.presses(100_000, 1_000), 100);
        // The season starts again; 7 presses since.
        assert_eq!(minute.presses(110_000, 7), 7);
        assert_eq!(minute.presses(120_000, 12), 12);
        // A minute after, only what came in that minute.
        assert_eq!(minute.presses(171_000, 20), 13);
    }
}
