//! `GET /v1/states/current`: the state and the server's clock.

use serde::{Deserialize, Serialize};

use crate::game::State;

/// The latest committed state, with the server's time so clients can correct their clocks.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CurrentState {
    /// GAME.md's fields.
    #[serde(flatten)]
    pub state: State,
    /// The server's clock when it answered (milliseconds since the Unix epoch).
    pub server_time_ms: i64,
    /// The crowd right now.
    #[serde(flatten)]
    pub crowd: Crowd,
}

/// The crowd: how many are watching, how many pressed lately (the `crowd` event of the live
/// stream, and part of the current state).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Crowd {
    /// Live clients across all web servers (a dead server's stop counting within seconds).
    #[serde(default)]
    pub watching: u64,
    /// Presses applied in the last minute.
    #[serde(default)]
    pub presses_last_minute: u64,
}
