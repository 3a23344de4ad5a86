//! `GET /v1/players/{handle}`: what a player did, under the handle everyone sees.

use serde::{Deserialize, Serialize};

use super::FeedEntry;
use crate::game::Flair;

/// A player's record: presses, tips, the shelf of flair, the newest presses.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerProfile {
    /// The handle (GAME.md, "Players").
    pub handle: String,
    /// Presses applied.
    pub presses: u64,
    /// Presses that took the phase up.
    pub tips: u64,
    /// When the first one was applied (milliseconds since the Unix epoch).
    pub first_press_at_ms: i64,
    /// When the newest one was applied.
    pub last_press_at_ms: i64,
    /// How many of each kind of flair the presses earned, in the game's order; kinds never
    /// earned are left out.
    pub shelf: Vec<ShelfItem>,
    /// The newest presses, newest first (at most [`PlayerProfile::RECENT`]).
    pub recent: Vec<FeedEntry>,
}

impl PlayerProfile {
    /// How many presses `recent` holds at most.
    pub const RECENT: usize = 10;

    /// How many of `flair` the player earned.
    pub fn count(&self, flair: Flair) -> u64 {
        self.shelf
            .iter()
            .find(|item| item.flair == flair)
            .map_or(0, |item| item.count)
    }
}

/// One kind of flair on a shelf, and how many.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShelfItem {
    /// The kind.
    pub flair: Flair,
    /// How many presses earned it.
    pub count: u64,
}
