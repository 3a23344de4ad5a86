//! Events: what the reducer applies to the state, in stream order.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Player, RulesHash};

/// Identifies one accepted press: given by the web server with the 202, kept in every receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(value_type = String, format = Uuid))]
#[serde(transparent)]
pub struct PressId(pub Uuid);

impl fmt::Display for PressId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for PressId {
    type Err = uuid::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(PressId)
    }
}

/// One event of the game, as the reducer applies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// A player's accepted press, at the time the web server took it.
    Press {
        /// The press's id.
        press_id: PressId,
        /// When the web server accepted it.
        at_ms: i64,
        /// Who pressed, when the press came with a player token (GAME.md, "Players").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player: Option<Player>,
    },
    /// The watcher's nudge, so that a phase comes down while nobody presses.
    Tick {
        /// When the watcher sent it.
        at_ms: i64,
    },
    /// An operator's command (GAME.md, "Operators"), applied in stream order like a press.
    Admin {
        /// When the web server took it.
        at_ms: i64,
        /// What the operator asked for.
        command: Command,
    },
}

/// What an operator can ask of the game. Each is an event: it takes effect at its place in the
/// stream, exactly once, and every state after it shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// Presses are refused until `Resume`; the game calms down meanwhile.
    Pause,
    /// Presses are taken again.
    Resume,
    /// The counter, the phase and the entropy start again; the season number goes up.
    NewSeason,
    /// The rules with this hash apply from here on (they are stored before the command is sent).
    Rules {
        /// The new rules' hash.
        rules_hash: RulesHash,
    },
}

impl Event {
    /// When the event happened, by the clock of whoever sent it.
    pub fn at_ms(&self) -> i64 {
        match self {
            Event::Press { at_ms, .. } | Event::Tick { at_ms } | Event::Admin { at_ms, .. } => {
                *at_ms
            }
        }
    }
}
