//! Leaderboards (GAME.md, "Leaderboards"): players ranked by what their presses earned, and
//! the record moments ranked by their measure.

use std::fmt;
use std::str::FromStr;

use super::{Flair, Phase, PressReceipt, utc_date};

/// One leaderboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Board {
    /// Players by presses counted.
    Presses,
    /// Players by presses that took the phase up.
    Tips,
    /// Players by tips into one phase (WARM, HOT or CHAOS).
    TipsInto(Phase),
    /// Players by presses that earned one of the kinds of flair in [`Board::FLAIR`].
    Flair(Flair),
    /// The longest CHAOS moments.
    LongestChaos,
    /// The fastest climbs from CALM to CHAOS.
    FastestClimb,
    /// The busiest minutes.
    BusiestMinute,
}

/// Not the name of a board; says which names there are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no board is called {0:?}; the boards are: {names}", names = Board::names().join(", "))]
pub struct NotABoard(pub String);

impl Board {
    /// The kinds of flair with a board of their own. Not the phases' (every press earns one:
    /// their boards would be the presses board again, cut by phase, at the cost of a second score
    /// to keep for every press) nor Tipper (the tips board).
    pub const FLAIR: [Flair; 2] = [Flair::Milestone, Flair::Rekindler];

    /// Every board, players' first.
    pub fn all() -> impl Iterator<Item = Board> {
        [Board::Presses, Board::Tips]
            .into_iter()
            .chain([Phase::Warm, Phase::Hot, Phase::Chaos].map(Board::TipsInto))
            .chain(Board::FLAIR.map(Board::Flair))
            .chain([
                Board::LongestChaos,
                Board::FastestClimb,
                Board::BusiestMinute,
            ])
    }

    /// Every board's name.
    pub fn names() -> Vec<String> {
        Board::all().map(|b| b.to_string()).collect()
    }

    /// The players' boards one press adds one to.
    pub fn scored_by(receipt: &PressReceipt) -> impl Iterator<Item = Board> + use<> {
        let tips = receipt
            .tipped
            .then_some([Board::Tips, Board::TipsInto(receipt.phase)]);
        std::iter::once(Board::Presses)
            .chain(tips.into_iter().flatten())
            .chain(
                receipt
                    .flair
                    .iter()
                    .filter(|kind| Board::FLAIR.contains(kind))
                    .map(Board::Flair),
            )
    }

    /// The kind of moment the board ranks, for the moments' boards.
    pub fn moment_kind(self) -> Option<&'static str> {
        match self {
            Board::LongestChaos => Some("longest_chaos"),
            Board::FastestClimb => Some("fastest_climb"),
            Board::BusiestMinute => Some("busiest_minute"),
            Board::Presses | Board::Tips | Board::TipsInto(_) | Board::Flair(_) => None,
        }
    }

    /// Whether the smallest measure ranks first (the fastest climb).
    pub fn lowest_first(self) -> bool {
        self == Board::FastestClimb
    }
}

impl fmt::Display for Board {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Board::Presses => f.write_str("presses"),
            Board::Tips => f.write_str("tips"),
            Board::TipsInto(phase) => write!(f, "tips_{}", phase.name().to_ascii_lowercase()),
            Board::Flair(flair) => write!(f, "flair_{}", flair.as_str()),
            Board::LongestChaos | Board::FastestClimb | Board::BusiestMinute => {
                f.write_str(self.moment_kind().unwrap_or_default())
            }
        }
    }
}

impl FromStr for Board {
    type Err = NotABoard;

    fn from_str(name: &str) -> Result<Board, NotABoard> {
        Board::all()
            .find(|b| b.to_string() == name)
            .ok_or_else(|| NotABoard(name.to_owned()))
    }
}

/// The time a leaderboard covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// The current UTC day.
    Today,
    /// Since the game began.
    All,
}

/// Not the name of a period.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no period is called {0:?}; the periods are: today, all")]
pub struct NotAPeriod(pub String);

impl Period {
    /// The key the scores of the period are stored under at `now_ms`: `all`, or the UTC date.
    pub fn key(self, now_ms: i64) -> String {
        match self {
            Period::Today => utc_date(now_ms),
            Period::All => "all".to_owned(),
        }
    }

    /// Its name in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Today => "today",
            Period::All => "all",
        }
    }
}

impl FromStr for Period {
    type Err = NotAPeriod;

    fn from_str(name: &str) -> Result<Period, NotAPeriod> {
        match name {
            "today" => Ok(Period::Today),
            "all" => Ok(Period::All),
            _ => Err(NotAPeriod(name.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::{FlairSet, PressId};

    #[test]
    fn every_board_is_named_in_one_spelling() {
        let names = Board::names();
        assert_eq!(names.len(), 10);
        for board in Board::all() {
            assert_eq!(board.to_string().parse::<Board>(), Ok(board));
        }
        assert!(names.contains(&"tips_chaos".to_owned()));
        assert!(names.contains(&"flair_rekindler".to_owned()));
        assert!(
            "tips_calm".parse::<Board>().is_err(),
            "nobody tips into CALM"
        );
        let error = "TIPS".parse::<Board>().err().map(|e| e.to_string());
        assert!(error.is_some_and(|e| e.contains("presses, tips")));
    }

    #[test]
    fn the_moments_boards_rank_moments_of_their_own_kind() {
        use crate::game::MomentKind;
        let kinds = [
            (Board::LongestChaos, MomentKind::LongestChaos { ms: 1 }),
            (Board::FastestClimb, MomentKind::FastestClimb { ms: 1 }),
            (
                Board::BusiestMinute,
                MomentKind::BusiestMinute {
                    minute_ms: 0,
                    presses: 1,
                },
            ),
        ];
        for (board, kind) in kinds {
            assert_eq!(board.moment_kind(), Some(kind.name()));
        }
        assert_eq!(Board::Presses.moment_kind(), None);
    }

    #[test]
    fn a_tip_into_hot_scores_presses_tips_and_tips_into_hot() {
        let receipt = PressReceipt {
            press_id: PressId(uuid::Uuid::nil()),
            seq: 3,
            counter: 3,
            phase: Phase::Hot,
            tipped: true,
            applied_at_ms: 0,
            flair: [Flair::Hot, Flair::Tipper, Flair::Rekindler]
                .into_iter()
                .collect::<FlairSet>(),
        };
        let boards: Vec<Board> = Board::scored_by(&receipt).collect();
        assert_eq!(
            boards,
            [
                Board::Presses,
                Board::Tips,
                Board::TipsInto(Phase::Hot),
                Board::Flair(Flair::Rekindler)
            ]
        );
    }
}
