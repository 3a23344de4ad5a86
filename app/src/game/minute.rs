//! One minute of the game, added up by the reducer as it applies events (GAME.md, "History"):
//! what the charts are drawn from, so that they never read the presses themselves.

use serde::{Deserialize, Serialize};

use super::Phase;

/// A minute's length.
pub const MINUTE_MS: i64 = 60_000;

/// A day's length (UTC days: "today" is the same for every player).
pub const DAY_MS: i64 = 86_400_000;

/// The start of the minute that `at_ms` falls in.
pub fn minute_of(at_ms: i64) -> i64 {
    at_ms.div_euclid(MINUTE_MS) * MINUTE_MS
}

/// The start of the UTC day that `at_ms` falls in.
pub fn day_of(at_ms: i64) -> i64 {
    at_ms.div_euclid(DAY_MS) * DAY_MS
}

/// The UTC calendar date of `at_ms` as `YYYY-MM-DD`: the name of a day in the leaderboards.
pub fn utc_date(at_ms: i64) -> String {
    let (year, month, day) = civil_date(at_ms.div_euclid(DAY_MS));
    format!("{year:04}-{month:02}-{day:02}")
}

/// The year, month and day of the `days`-th day after 1970-01-01 (Howard Hinnant's
/// days-to-civil).
pub fn civil_date(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// What happened in one minute: presses counted, the highest entropy a press left, and the time
/// spent in each phase above CALM (CALM is the rest of the minute: the game is CALM when nobody
/// keeps it up, and a quiet week adds no rows).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Minute {
    /// Presses counted in the minute.
    pub presses: u64,
    /// The highest entropy right after a press of the minute (0 when none).
    pub peak_entropy: f64,
    /// Milliseconds spent in each phase, by [`Phase::index`]; CALM's entry stays 0.
    pub phase_ms: [i64; Phase::COUNT],
}

impl Minute {
    /// Adds another count of the same minute (two batches, or a row and a batch).
    pub fn add(&mut self, other: &Minute) {
        self.presses += other.presses;
        self.peak_entropy = self.peak_entropy.max(other.peak_entropy);
        for (mine, theirs) in self.phase_ms.iter_mut().zip(other.phase_ms) {
            *mine += theirs;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_and_days_start_on_their_boundaries() {
        assert_eq!(minute_of(0), 0);
        assert_eq!(minute_of(59_999), 0);
        assert_eq!(minute_of(60_000), 60_000);
        assert_eq!(minute_of(-1), -60_000);
        assert_eq!(day_of(DAY_MS + 5), DAY_MS);
    }

    #[test]
    fn days_are_named_by_their_utc_date() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(951_782_400_000), "2000-02-29");
        assert_eq!(utc_date(1_764_669_845_123), "2025-12-02");
        assert_eq!(utc_date(-1), "1969-12-31");
    }

    #[test]
    fn adding_sums_counts_and_keeps_the_higher_peak() {
        let mut a = Minute {
            presses: 2,
            peak_entropy: 0.3,
            phase_ms: [0, 1_000, 0, 0],
        };
        a.add(&Minute {
            presses: 1,
            peak_entropy: 0.2,
            phase_ms: [0, 500, 200, 0],
        });
        assert_eq!(a.presses, 3);
        assert_eq!(a.peak_entropy, 0.3);
        assert_eq!(a.phase_ms, [0, 1_500, 200, 0]);
    }
}
