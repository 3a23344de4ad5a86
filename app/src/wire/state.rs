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
}
