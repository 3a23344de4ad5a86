//! Moments: the game's records and turning points, derived by the reducer from the events it
//! applies (GAME.md, "Moments"), and stored with the batch that caused them.

use serde::{Deserialize, Serialize};

use super::{Phase, Player, PressId};

/// One moment of the game.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moment {
    /// The stream sequence of the event that made it (with `kind`, its identity).
    pub seq: u64,
    /// When it happened (the time of that event, as the rules applied it).
    pub at_ms: i64,
    /// What happened.
    pub kind: MomentKind,
    /// The press it belongs to, when a press made it.
    pub press_id: Option<PressId>,
    /// Who pressed it, when that press came with a player.
    pub player: Option<Player>,
}

/// What a moment was.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MomentKind {
    /// A press took the phase up to `phase`; it was press number `counter`.
    Tip {
        /// The phase it rose to.
        phase: Phase,
        /// The press's number.
        counter: u64,
    },
    /// Press number 1,000, 10,000, 100,000, 1,000,000, …
    Milestone {
        /// The press's number.
        counter: u64,
    },
    /// The first press of a UTC day.
    FirstPressOfDay {
        /// The press's number.
        counter: u64,
    },
    /// CHAOS lasted longer than ever before.
    LongestChaos {
        /// How long it lasted.
        ms: i64,
    },
    /// The button went from CALM to CHAOS faster than ever before.
    FastestClimb {
        /// From the press that took it out of CALM to the one that tipped it into CHAOS.
        ms: i64,
    },
    /// A minute with more presses than any before it.
    BusiestMinute {
        /// The minute's start.
        minute_ms: i64,
        /// Its presses.
        presses: u64,
    },
}

impl MomentKind {
    /// The kind's name, as on the wire and in PostgreSQL.
    pub fn name(&self) -> &'static str {
        match self {
            MomentKind::Tip { .. } => "tip",
            MomentKind::Milestone { .. } => "milestone",
            MomentKind::FirstPressOfDay { .. } => "first_press_of_day",
            MomentKind::LongestChaos { .. } => "longest_chaos",
            MomentKind::FastestClimb { .. } => "fastest_climb",
            MomentKind::BusiestMinute { .. } => "busiest_minute",
        }
    }

    /// The number it is ranked by among moments of its kind (see [`super::Board`]).
    pub fn value(&self) -> i64 {
        let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        match *self {
            MomentKind::Tip { counter, .. }
            | MomentKind::Milestone { counter }
            | MomentKind::FirstPressOfDay { counter } => count(counter),
            MomentKind::LongestChaos { ms } | MomentKind::FastestClimb { ms } => ms,
            MomentKind::BusiestMinute { presses, .. } => count(presses),
        }
    }
}
