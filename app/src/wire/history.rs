//! The game's history as charts draw it (`GET /v1/history?range=…`): per-minute aggregates
//! added up into a few hundred points.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::game::{MINUTE_MS, Phase};

/// How far back a chart looks.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HistoryRange {
    /// The last hour.
    #[default]
    #[serde(rename = "1h")]
    Hour,
    /// The last 24 hours.
    #[serde(rename = "24h")]
    Day,
    /// The last 7 days.
    #[serde(rename = "7d")]
    Week,
    /// Since the first press.
    #[serde(rename = "all")]
    All,
}

/// Not the name of a range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no range is called {0:?}; the ranges are: 1h, 24h, 7d, all")]
pub struct NotARange(pub String);

/// The most points a chart gets: a bucket is the smallest of [`BUCKET_MINUTES`] that keeps
/// the range within it.
pub const MAX_POINTS: i64 = 300;

/// The bucket sizes charts use, in minutes: round numbers a reader can take in.
pub const BUCKET_MINUTES: [i64; 12] = [1, 2, 5, 10, 15, 30, 60, 120, 360, 720, 1_440, 10_080];

impl HistoryRange {
    /// Every range, shortest first.
    pub const ALL: [HistoryRange; 4] = [
        HistoryRange::Hour,
        HistoryRange::Day,
        HistoryRange::Week,
        HistoryRange::All,
    ];

    /// Its name in the API: `1h`, `24h`, `7d`, `all`.
    pub fn as_str(self) -> &'static str {
        match self {
            HistoryRange::Hour => "1h",
            HistoryRange::Day => "24h",
            HistoryRange::Week => "7d",
            HistoryRange::All => "all",
        }
    }

    /// How far back it looks, or `None` for all of it.
    pub fn span_ms(self) -> Option<i64> {
        match self {
            HistoryRange::Hour => Some(60 * MINUTE_MS),
            HistoryRange::Day => Some(24 * 60 * MINUTE_MS),
            HistoryRange::Week => Some(7 * 24 * 60 * MINUTE_MS),
            HistoryRange::All => None,
        }
    }
}

impl fmt::Display for HistoryRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for HistoryRange {
    type Err = NotARange;

    fn from_str(name: &str) -> Result<HistoryRange, NotARange> {
        HistoryRange::ALL
            .into_iter()
            .find(|r| r.as_str() == name)
            .ok_or_else(|| NotARange(name.to_owned()))
    }
}

/// The bucket for a chart over `span_ms`: the smallest round size that keeps it within
/// [`MAX_POINTS`] points.
pub fn bucket_ms(span_ms: i64) -> i64 {
    let span_ms = span_ms.max(1);
    BUCKET_MINUTES
        .into_iter()
        .map(|minutes| minutes * MINUTE_MS)
        .find(|bucket| points(span_ms, *bucket) <= MAX_POINTS)
        .unwrap_or_else(|| points(points(span_ms, MAX_POINTS), MINUTE_MS) * MINUTE_MS)
}

/// How many buckets of `bucket_ms` cover `span_ms` (both positive).
pub fn points(span_ms: i64, bucket_ms: i64) -> i64 {
    span_ms.saturating_add(bucket_ms - 1) / bucket_ms
}

/// A chart's data: one point per bucket, oldest first, with no bucket missing.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// The range asked for.
    pub range: HistoryRange,
    /// Each point's width.
    pub bucket_ms: i64,
    /// The first point's start.
    pub from_ms: i64,
    /// The end of the last point (now, when it was read).
    pub to_ms: i64,
    /// The points, oldest first.
    pub points: Vec<HistoryPoint>,
}

/// One bucket of time.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct HistoryPoint {
    /// Its start.
    pub at_ms: i64,
    /// Presses counted in it.
    pub presses: u64,
    /// The most distinct players in one of its minutes.
    pub players: u64,
    /// The highest entropy a press left in it.
    pub peak_entropy: f64,
    /// Milliseconds spent in each phase, CALM first (CALM is the rest of the bucket, up to now).
    pub phase_ms: [i64; Phase::COUNT],
}

impl HistoryPoint {
    /// The phase it spent the most time in.
    pub fn main_phase(&self) -> Phase {
        Phase::ALL
            .into_iter()
            .rev()
            .max_by_key(|p| self.phase_ms[p.index()])
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_named_in_one_spelling() {
        for range in HistoryRange::ALL {
            assert_eq!(range.as_str().parse::<HistoryRange>(), Ok(range));
            assert_eq!(
                serde_json::to_value(range).ok(),
                Some(serde_json::Value::from(range.as_str()))
            );
        }
        assert!("2h".parse::<HistoryRange>().is_err());
    }

    #[test]
    fn every_range_has_a_few_hundred_points_at_most_in_round_buckets() {
        assert_eq!(bucket_ms(60 * MINUTE_MS), MINUTE_MS);
        assert_eq!(bucket_ms(24 * 60 * MINUTE_MS), 5 * MINUTE_MS);
        assert_eq!(bucket_ms(7 * 24 * 60 * MINUTE_MS), 60 * MINUTE_MS);
        let ten_years = 3_653 * 24 * 60 * MINUTE_MS;
        assert!(ten_years / bucket_ms(ten_years) <= MAX_POINTS);
        assert_eq!(bucket_ms(ten_years) % MINUTE_MS, 0);
    }

    #[test]
    fn a_point_is_drawn_in_the_phase_it_spent_most_time_in() {
        let point = HistoryPoint {
            phase_ms: [20_000, 0, 40_000, 0],
            ..HistoryPoint::default()
        };
        assert_eq!(point.main_phase(), Phase::Hot);
        assert_eq!(HistoryPoint::default().main_phase(), Phase::Calm);
    }
}
