//! When this web server hands a new state to its live clients: as soon as they took the last one.
//!
//! Every state sent costs one delivery per client (an SSE frame and a socket write each). A
//! client only ever needs the newest state, so a state that comes while the clients are still
//! taking the last one waits, and a newer one that comes meanwhile replaces it: the fan-out goes
//! as fast as the sockets take it, never faster (a backlog of wake-ups nobody can write), never
//! slower (a budget that holds states back from clients that could take them).
//!
//! A client "took" a state when its stream asked for it: the web server asks a stream for its
//! next frame only once the last one went into the socket's buffers. A client that stopped
//! reading stops taking, so it cannot hold the others back: a state waits for all but
//! [`SLACK_PERCENT`] % of the clients, and at most [`Pace`]'s `max_wait`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

/// The share of live clients a state does not wait for (the slowest, or those that stopped
/// reading).
pub const SLACK_PERCENT: usize = 1;

/// One state's hand-over to the live clients: how many took it, how many it waits for.
#[derive(Debug)]
pub struct Handover {
    taken: AtomicUsize,
    needed: usize,
    done: Arc<Notify>,
}

impl Handover {
    /// A hand-over nobody waits for (a state sent outside the pace: a correction from PostgreSQL).
    pub fn unpaced() -> Arc<Handover> {
        Arc::new(Handover {
            taken: AtomicUsize::new(0),
            needed: 0,
            done: Arc::new(Notify::new()),
        })
    }

    /// One client took the state.
    pub fn took(&self) {
        let taken = self.taken.fetch_add(1, Ordering::Relaxed) + 1;
        if taken == self.needed {
            self.done.notify_one();
        }
    }

    /// Whether enough clients took the state for the next one to go.
    pub fn is_done(&self) -> bool {
        self.taken.load(Ordering::Relaxed) >= self.needed
    }
}

/// When the next state may go out.
#[derive(Debug)]
pub struct Pace {
    max_wait: Duration,
    done: Arc<Notify>,
    last: Option<(Arc<Handover>, Instant)>,
}

impl Pace {
    /// A new state waits for the clients to take the last one, at most `max_wait`.
    pub fn new(max_wait: Duration) -> Pace {
        Pace {
            max_wait,
            done: Arc::new(Notify::new()),
            last: None,
        }
    }

    /// The hand-over of a state sent at `now` to `clients` live clients.
    pub fn send(&mut self, now: Instant, clients: usize) -> Arc<Handover> {
        let handover = Arc::new(Handover {
            taken: AtomicUsize::new(0),
            needed: clients - clients * SLACK_PERCENT / 100,
            done: self.done.clone(),
        });
        self.last = Some((handover.clone(), now));
        handover
    }

    /// Whether a state may go out at `now`.
    pub fn ready(&self, now: Instant) -> bool {
        self.last
            .as_ref()
            .is_none_or(|(handover, sent)| handover.is_done() || now >= *sent + self.max_wait)
    }

    /// Waits until a state may go out.
    pub async fn wait(&self) {
        let Some((handover, sent)) = &self.last else {
            return;
        };
        let done = self.done.notified();
        if handover.is_done() {
            return;
        }
        tokio::select! {
            () = done => {}
            () = tokio::time::sleep_until(*sent + self.max_wait) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WAIT: Duration = Duration::from_millis(100);

    #[test]
    fn the_first_state_goes_at_once() {
        assert!(Pace::new(WAIT).ready(Instant::now()));
    }

    #[test]
    fn without_clients_every_state_goes_at_once() {
        let mut pace = Pace::new(WAIT);
        let now = Instant::now();
        pace.send(now, 0);
        assert!(pace.ready(now));
    }

    #[test]
    fn the_next_state_goes_once_the_clients_took_the_last() {
        let mut pace = Pace::new(WAIT);
        let now = Instant::now();
        let handover = pace.send(now, 3);
        handover.took();
        handover.took();
        assert!(!pace.ready(now), "one of three clients has not taken it");
        handover.took();
        assert!(pace.ready(now));
    }

    #[test]
    fn a_client_that_stopped_reading_holds_nobody_back() {
        let mut pace = Pace::new(WAIT);
        let now = Instant::now();
        // 1 % of 1,000 clients may lag: 990 taking it is enough.
        let handover = pace.send(now, 1_000);
        for _ in 0..989 {
            handover.took();
        }
        assert!(!pace.ready(now));
        handover.took();
        assert!(pace.ready(now));
        // With fewer clients than it takes for 1 % to be one, everyone counts; then the wait
        // is bounded.
        let handover = pace.send(now, 2);
        handover.took();
        assert!(!pace.ready(now + WAIT - Duration::from_millis(1)));
        assert!(pace.ready(now + WAIT));
    }

    #[tokio::test(start_paused = true)]
    async fn the_wait_ends_when_the_last_client_takes_the_state() {
        let mut pace = Pace::new(Duration::from_secs(60));
        let handover = pace.send(Instant::now(), 2);
        let taker = handover.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(5)).await;
            taker.took();
            taker.took();
        });
        let started = Instant::now();
        pace.wait().await;
        assert!(started.elapsed() < Duration::from_secs(1));
        assert!(pace.ready(Instant::now()));
    }

    #[tokio::test(start_paused = true)]
    async fn the_wait_ends_after_max_wait_however_few_took_it() {
        let mut pace = Pace::new(WAIT);
        let _handover = pace.send(Instant::now(), 5);
        let started = Instant::now();
        pace.wait().await;
        assert_eq!(started.elapsed(), WAIT);
    }
}
