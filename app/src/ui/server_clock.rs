//! The server's clock as the page estimates it: countdowns follow the server, not the device.
#![cfg_attr(not(feature = "hydrate"), allow(dead_code))]

/// How much a new sample moves the estimate (the rest is the old estimate).
const WEIGHT: f64 = 0.25;

/// The estimated `server time − local time`, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ClockOffset {
    offset_ms: Option<f64>,
}

impl ClockOffset {
    /// Adds a sample: the server said `server_ms` in an answer to a request sent at local
    /// `sent_ms` and received at local `received_ms` (it is assumed to be said half-way).
    pub fn sample(self, server_ms: i64, sent_ms: f64, received_ms: f64) -> ClockOffset {
        let midpoint = sent_ms + (received_ms - sent_ms).max(0.0) / 2.0;
        let measured = server_ms as f64 - midpoint;
        ClockOffset {
            offset_ms: Some(match self.offset_ms {
                None => measured,
                Some(old) => old + WEIGHT * (measured - old),
            }),
        }
    }

    /// The server's time now, given the local time now.
    pub fn server_now(self, local_ms: f64) -> i64 {
        (local_ms + self.offset_ms.unwrap_or(0.0)).round() as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_sample_is_taken_whole_and_corrected_for_half_the_round_trip() {
        let clock = ClockOffset::default().sample(10_100, 1_000.0, 1_200.0);
        assert_eq!(clock.server_now(1_100.0), 10_100);
        assert_eq!(clock.server_now(2_000.0), 11_000);
    }

    #[test]
    fn later_samples_are_smoothed() {
        let clock = ClockOffset::default()
            .sample(10_000, 0.0, 0.0)
            .sample(10_400, 0.0, 0.0);
        assert_eq!(clock.server_now(0.0), 10_100);
    }

    #[test]
    fn without_samples_the_local_clock_is_used() {
        assert_eq!(ClockOffset::default().server_now(1_234.4), 1_234);
    }
}
