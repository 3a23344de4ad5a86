//! The leaderboards as the API carries them (`GET /v1/leaderboard?board=…&period=…`).

use serde::{Deserialize, Serialize};

use super::MomentEntry;

/// One board, top first.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leaderboard {
    /// The board's name (`presses`, `tips`, `tips_chaos`, `flair_rekindler`, `longest_chaos`, …).
    pub board: String,
    /// `today` (the current UTC day) or `all`.
    pub period: String,
    /// The top of the board, best first.
    pub rows: Vec<LeaderboardRow>,
}

impl Leaderboard {
    /// How many rows a board shows.
    pub const LEN: usize = 10;
}

/// One place on a board: a player and their score, or a record moment and its measure.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaderboardRow {
    /// 1 for the top; equal scores share a rank.
    pub rank: u32,
    /// The score: presses, tips or flair for players; milliseconds or presses for moments.
    pub score: i64,
    /// The player, on the players' boards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handle: Option<String>,
    /// The moment, on the moments' boards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moment: Option<MomentEntry>,
}

/// Ranks scores already sorted best first: equal scores share a rank ("1, 2, 2, 4").
pub fn ranks(scores: &[i64]) -> Vec<u32> {
    let mut ranks = Vec::with_capacity(scores.len());
    for (i, score) in scores.iter().enumerate() {
        let rank = match (i.checked_sub(1), ranks.last()) {
            (Some(prev), Some(&rank)) if scores[prev] == *score => rank,
            _ => u32::try_from(i + 1).unwrap_or(u32::MAX),
        };
        ranks.push(rank);
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_scores_share_a_rank() {
        assert_eq!(ranks(&[9, 7, 7, 3]), [1, 2, 2, 4]);
        assert_eq!(ranks(&[]), Vec::<u32>::new());
    }
}
