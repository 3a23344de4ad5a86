//! Events: what the reducer applies to the state, in stream order.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Player;

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
}

impl Event {
    /// When the event happened, by the clock of whoever sent it.
    pub fn at_ms(&self) -> i64 {
        match self {
            Event::Press { at_ms, .. } | Event::Tick { at_ms } => *at_ms,
        }
    }
}
