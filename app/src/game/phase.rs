//! The four phases of the button.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How hot the button is: `CALM` < `WARM` < `HOT` < `CHAOS`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Phase {
    /// Nobody, or almost nobody, is pressing.
    #[default]
    Calm = 0,
    /// A steady trickle of presses.
    Warm = 1,
    /// A crowd is pressing.
    Hot = 2,
    /// Everyone is pressing at once.
    Chaos = 3,
}

impl Phase {
    /// How many phases there are: the length of every per-phase array in the rules.
    pub const COUNT: usize = 4;

    /// Every phase, from the coolest up.
    pub const ALL: [Phase; Phase::COUNT] = [Phase::Calm, Phase::Warm, Phase::Hot, Phase::Chaos];

    /// The phase's position, used to index the per-phase arrays of the rules.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The phase at `index`, if there is one.
    pub const fn from_index(index: usize) -> Option<Phase> {
        match index {
            0 => Some(Phase::Calm),
            1 => Some(Phase::Warm),
            2 => Some(Phase::Hot),
            3 => Some(Phase::Chaos),
            _ => None,
        }
    }

    /// The phase one step cooler, or `None` for `CALM`.
    pub const fn cooler(self) -> Option<Phase> {
        match self {
            Phase::Calm => None,
            Phase::Warm => Some(Phase::Calm),
            Phase::Hot => Some(Phase::Warm),
            Phase::Chaos => Some(Phase::Hot),
        }
    }

    /// The name players and the wire format use: `"CALM"`, `"WARM"`, `"HOT"`, `"CHAOS"`.
    pub const fn name(self) -> &'static str {
        match self {
            Phase::Calm => "CALM",
            Phase::Warm => "WARM",
            Phase::Hot => "HOT",
            Phase::Chaos => "CHAOS",
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_are_ordered_by_heat_and_index() {
        for (i, phase) in Phase::ALL.into_iter().enumerate() {
            assert_eq!(phase.index(), i);
            assert_eq!(Phase::from_index(i), Some(phase));
        }
        assert!(Phase::Calm < Phase::Warm && Phase::Warm < Phase::Hot && Phase::Hot < Phase::Chaos);
        assert_eq!(Phase::from_index(4), None);
    }

    #[test]
    fn cooler_steps_down_one_phase_and_stops_at_calm() {
        assert_eq!(Phase::Chaos.cooler(), Some(Phase::Hot));
        assert_eq!(Phase::Hot.cooler(), Some(Phase::Warm));
        assert_eq!(Phase::Warm.cooler(), Some(Phase::Calm));
        assert_eq!(Phase::Calm.cooler(), None);
    }
}
