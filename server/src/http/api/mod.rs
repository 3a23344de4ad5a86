//! The `/v1` API: challenges, presses, states, receipts.

mod challenge;
mod press;
mod receipt;
mod states;

pub use challenge::get_challenge;
pub use press::post_press;
pub use receipt::get_receipt;
pub use states::{get_current_state, stream_states};
