//! The one global state, written only by the reducer.

use serde::{Deserialize, Serialize};

use super::{Phase, PressId, Rules, RulesHash, decay};

/// The state of the button after the events up to `last_applied_seq`.
///
/// Its JSON is the wire format of `/v1/states/*`: field names are an API.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// Version of the state: +1 for every committed change.
    pub id: u64,
    /// Stream sequence of the last event applied (0 before any).
    pub last_applied_seq: u64,
    /// Presses applied, ever.
    pub counter: u64,
    /// The current phase.
    pub phase: Phase,
    /// Entropy as of `updated_at_ms`.
    pub entropy: f64,
    /// So clients can animate the decay.
    pub entropy_half_life_ms: i64,
    /// When the current phase began.
    pub phase_since_ms: i64,
    /// Time of the last press.
    pub last_press_at_ms: Option<i64>,
    /// When the phase steps down if nobody presses (`None` in `CALM`).
    pub calm_down_at_ms: Option<i64>,
    /// Player cooldown in the current phase.
    pub cooldown_ms: i64,
    /// Proof-of-work bits asked for new challenges in the current phase.
    pub difficulty: u32,
    /// End of the current reveal window.
    pub reveal_until_ms: Option<i64>,
    /// The press that last took the phase up.
    pub tipped_by: Option<PressId>,
    /// Time of the last event applied.
    pub updated_at_ms: i64,
    /// The season: 1 for the game's first, one more with every new season (GAME.md, "Operators").
    #[serde(default = "first_season")]
    pub season: u32,
    /// Whether an operator paused the game: presses are refused until it resumes.
    #[serde(default)]
    pub paused: bool,
    /// Hash of the rules this state was computed with.
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "a2cdb30bf26a2f4ac31f642a1fee21fd605a43e379da31dee159edc54b11ee20"))]
    pub rules_hash: RulesHash,
}

impl State {
    /// The state before any event: CALM, nothing pressed, times zero or unset.
    pub fn initial(rules: &Rules) -> State {
        State {
            id: 0,
            last_applied_seq: 0,
            counter: 0,
            phase: Phase::Calm,
            entropy: 0.0,
            entropy_half_life_ms: rules.entropy_half_life_ms(),
            phase_since_ms: 0,
            last_press_at_ms: None,
            calm_down_at_ms: None,
            cooldown_ms: rules.press_cooldown_ms(Phase::Calm),
            difficulty: rules.pow_difficulty_bits(Phase::Calm),
            reveal_until_ms: None,
            tipped_by: None,
            updated_at_ms: 0,
            season: 1,
            paused: false,
            rules_hash: rules.hash(),
        }
    }

    /// The first state of a new season at `now_ms`: the counter, the phase and the entropy
    /// start again; what lasts across seasons (versions, the stream position, the pause, the
    /// rules) stays.
    pub fn next_season(&self, rules: &Rules, now_ms: i64) -> State {
        State {
            id: self.id,
            last_applied_seq: self.last_applied_seq,
            phase_since_ms: now_ms,
            updated_at_ms: now_ms,
            season: self.season.saturating_add(1),
            paused: self.paused,
            ..State::initial(rules)
        }
    }

    /// Entropy as it has decayed by `now_ms`, for display between updates.
    pub fn entropy_at(&self, now_ms: i64) -> f64 {
        decay(
            self.entropy,
            now_ms.saturating_sub(self.updated_at_ms),
            self.entropy_half_life_ms.max(1),
        )
    }

    /// Whether the reveal window of the last phase rise is open at `now_ms`.
    pub fn is_revealing(&self, now_ms: i64) -> bool {
        self.tipped_by.is_some() && self.reveal_until_ms.is_some_and(|until| now_ms < until)
    }
}

fn first_season() -> u32 {
    1
}
