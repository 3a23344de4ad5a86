//! How often this web server hands a new state to its live clients.
//!
//! Every state sent costs one delivery per client (an SSE frame and a socket write each). A
//! client only ever needs the newest state, so with many clients the states are sent less often,
//! keeping deliveries under a budget per second; with few, every state goes out at once.

use std::time::Duration;

use tokio::time::Instant;

/// The longest a state waits to be sent, however many clients there are.
pub const MAX_INTERVAL: Duration = Duration::from_millis(500);

/// When the next state may go out.
#[derive(Debug, Clone)]
pub struct Pace {
    deliveries_per_second: u64,
    next: Option<Instant>,
}

impl Pace {
    /// At most `deliveries_per_second` deliveries, all clients together.
    pub fn new(deliveries_per_second: u64) -> Pace {
        Pace {
            deliveries_per_second: deliveries_per_second.max(1),
            next: None,
        }
    }

    /// The gap after a state sent to `clients` clients.
    pub fn interval(&self, clients: usize) -> Duration {
        let seconds = clients as f64 / self.deliveries_per_second as f64;
        Duration::from_secs_f64(seconds.min(MAX_INTERVAL.as_secs_f64()))
    }

    /// When a state known at `now` may be sent.
    pub fn due(&self, now: Instant) -> Instant {
        self.next.map_or(now, |next| next.max(now))
    }

    /// A state was sent at `now` to `clients` clients.
    pub fn sent(&mut self, now: Instant, clients: usize) {
        self.next = Some(now + self.interval(clients));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_clients_get_every_state_at_once() {
        let mut pace = Pace::new(100_000);
        let now = Instant::now();
        assert_eq!(pace.due(now), now);
        pace.sent(now, 1);
        assert_eq!(pace.interval(1), Duration::from_micros(10));
        assert!(pace.due(now) <= now + Duration::from_micros(10));
    }

    #[test]
    fn many_clients_keep_deliveries_under_the_budget() {
        let mut pace = Pace::new(100_000);
        let now = Instant::now();
        pace.sent(now, 10_000);
        // 10,000 clients at 100,000 deliveries/s: ten states a second.
        assert_eq!(pace.due(now), now + Duration::from_millis(100));
        // Later than that, a state goes out when it comes.
        let later = now + Duration::from_millis(150);
        assert_eq!(pace.due(later), later);
    }

    #[test]
    fn the_wait_is_capped() {
        let pace = Pace::new(1_000);
        assert_eq!(pace.interval(1_000_000), MAX_INTERVAL);
        assert_eq!(Pace::new(0).interval(1), MAX_INTERVAL);
    }
}
