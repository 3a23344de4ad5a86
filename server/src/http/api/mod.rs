//! The `/v1` API: challenges, presses, states, receipts.

pub mod challenge;
pub mod press;
pub mod receipt;
pub mod states;
