//! The answer to an accepted press.

use serde::{Deserialize, Serialize};

use crate::game::PressId;

/// `202 Accepted`: JetStream has stored the press; it will be applied exactly once.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PressAccepted {
    /// The press's id, for its receipt at `/v1/presses/{press_id}`.
    pub press_id: PressId,
    /// When the server accepted it (milliseconds since the Unix epoch).
    pub timestamp_ms: i64,
}
