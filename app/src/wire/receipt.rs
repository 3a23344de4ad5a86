//! The receipt of a press: `GET /v1/presses/{press_id}`.

use serde::{Deserialize, Serialize};

use crate::game::{Flair, Phase, PressId};

/// Where a press is: accepted and waiting for the reducer, or applied.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Receipt {
    /// Stored in JetStream; the reducer has not applied it yet.
    Pending {
        /// The press.
        press_id: PressId,
    },
    /// Applied and committed.
    Applied {
        /// The press.
        press_id: PressId,
        /// Its place in the total order of events.
        seq: u64,
        /// The committed state that contains it.
        state_id: u64,
        /// The counter's value with this press counted: "your press #12,345".
        counter: u64,
        /// The phase right after it.
        phase: Phase,
        /// Whether it took the phase up.
        tipped: bool,
        /// When it was applied (state time).
        applied_at_ms: i64,
        /// What it earned (GAME.md, "Flair"); empty for presses applied before flair existed.
        #[serde(default)]
        flair: Vec<Flair>,
        /// The handle of the player who pressed; none for an anonymous press.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        handle: Option<String>,
        /// The line it got (GAME.md, "Lines").
        #[serde(default)]
        line: String,
    },
}

impl Receipt {
    /// The receipt of a press the rules just applied into the state `state_id`, pressed by the
    /// player known as `handle` (none: anonymous).
    pub fn applied(
        press: &crate::game::PressReceipt,
        state_id: u64,
        handle: Option<String>,
    ) -> Receipt {
        Receipt::Applied {
            press_id: press.press_id,
            seq: press.seq,
            state_id,
            counter: press.counter,
            phase: press.phase,
            tipped: press.tipped,
            applied_at_ms: press.applied_at_ms,
            flair: press.flair.iter().collect(),
            handle,
            line: crate::game::press_line(press.press_id, press.phase, press.flair).to_owned(),
        }
    }
}
