//! How long the events stream keeps what the reducer applied: PostgreSQL is the truth, so an
//! applied event is only of use to the stream for its duplicate window (a challenge redeemed
//! twice is caught there). Past it, the reducer removes it. An event not yet committed is never
//! removed, however old: only committed seqs are ever noted here.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

/// How often the reducer removes what is past the window.
pub const REMOVE_EVERY: Duration = Duration::from_secs(30);

/// Committed seqs by when they were committed, about one a second.
#[derive(Debug)]
pub struct Retention {
    window_ms: i64,
    committed: VecDeque<(u64, i64)>,
    next_removal: Instant,
}

impl Retention {
    /// Keeps applied events for `window`.
    pub fn new(window: Duration) -> Retention {
        Retention {
            window_ms: i64::try_from(window.as_millis()).unwrap_or(i64::MAX),
            committed: VecDeque::new(),
            next_removal: Instant::now() + REMOVE_EVERY,
        }
    }

    /// Notes that every event up to `seq` is committed in PostgreSQL as of `at_ms`.
    pub fn committed(&mut self, seq: u64, at_ms: i64) {
        match self.committed.back_mut() {
            // One note a second is enough: the newest seq of that second wins.
            Some((last_seq, last_at)) if at_ms - *last_at < 1_000 => *last_seq = seq.max(*last_seq),
            _ => self.committed.push_back((seq, at_ms)),
        }
    }

    /// The seq up to which events may go at `now_ms` (committed more than a window ago), once
    /// per [`REMOVE_EVERY`]; `None` when there is nothing to remove or it is not time yet.
    pub fn due(&mut self, now: Instant, now_ms: i64) -> Option<u64> {
        if now < self.next_removal {
            return None;
        }
        self.next_removal = now + REMOVE_EVERY;
        let horizon = now_ms.saturating_sub(self.window_ms);
        let mut through = None;
        while let Some(&(seq, at)) = self.committed.front() {
            if at > horizon {
                break;
            }
            through = Some(seq);
            self.committed.pop_front();
        }
        through
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_was_committed_more_than_a_window_ago_goes() {
        let mut retention = Retention::new(Duration::from_secs(120));
        let start = Instant::now();
        retention.committed(10, 0);
        retention.committed(15, 500); // the same second: one note, seq 15
        retention.committed(40, 60_000);
        retention.committed(90, 125_000);
        // Not before its time.
        assert_eq!(retention.due(start, 200_000), None);
        let later = start + REMOVE_EVERY;
        // At 181 s: committed at or before 61 s may go (seq 40), not what came at 125 s.
        assert_eq!(retention.due(later, 181_000), Some(40));
        // Nothing more until it too is past the window.
        assert_eq!(retention.due(later + REMOVE_EVERY, 200_000), None);
        assert_eq!(retention.due(later + REMOVE_EVERY * 2, 245_000), Some(90));
        assert_eq!(retention.due(later + REMOVE_EVERY * 3, 999_999), None);
    }
}
