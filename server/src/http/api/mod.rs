//! The `/v1` API, a file per resource, named as its routes are: `/v1/challenge`,
//! `/v1/events/press`, `/v1/presses/{press_id}` (a press's receipt), `/v1/players/{handle}`,
//! `/v1/states/…`; and `memory` for the game's memory: `/v1/history`, `/v1/moments`,
//! `/v1/leaderboard`; and `admin` for the operators: `/v1/admin/…`.

pub mod admin;
pub mod challenge;
pub mod events;
pub mod memory;
pub mod players;
pub mod presses;
pub mod states;
