//! The game's pure domain: rules, state, events, how an event changes the state, the flair
//! a press earns, the line it gets, the handle a player is known by, and the game's memory
//! (per-minute history, moments, records, leaderboards).
//!
//! Nothing here does I/O. The reducer on the server and the page in the browser both use these
//! types, and their serde JSON is the API's wire format. `app/GAME.md` is the reference.

mod apply;
mod board;
mod country;
mod entropy;
mod event;
mod flair;
mod lines;
mod memory;
mod minute;
mod moment;
mod phase;
mod player;
mod rules;
mod rules_hash;
mod state;

pub use apply::{Applied, Batch, CalmDown, CalmDowns, Effect, PressReceipt, apply, apply_batch};
pub use board::{Board, NotABoard, NotAPeriod, Period};
pub use country::{Country, NotACountry};
pub use entropy::{MAX_ENTROPY, decay, entropy_after_press};
pub use event::{Command, Event, PressId};
pub use flair::{Flair, FlairSet, is_milestone};
pub use lines::{cooldown_line, press_line};
pub use memory::{BUSIEST_MINUTE_FLOOR, Memory, Records, time_since};
pub use minute::{DAY_MS, MINUTE_MS, Minute, civil_date, day_of, minute_of, utc_date};
pub use moment::{Moment, MomentKind};
pub use phase::Phase;
pub use player::{Handle, NotAHandle, NotAPlayer, Player};
pub use rules::{Rulebook, Rules, RulesError, RulesSpec};
pub use rules_hash::{RulesHash, RulesHashError};
pub use state::State;
