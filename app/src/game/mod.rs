//! The game's pure domain: rules, state, events, how an event changes the state, the flair
//! a press earns, the line it gets, and the handle a player is known by.
//!
//! Nothing here does I/O. The reducer on the server and the page in the browser both use these
//! types, and their serde JSON is the API's wire format. `app/GAME.md` is the reference.

mod apply;
mod entropy;
mod event;
mod flair;
mod lines;
mod phase;
mod player;
mod rules;
mod rules_hash;
mod state;

pub use apply::{Applied, Batch, Effect, PressReceipt, apply, apply_batch};
pub use entropy::{MAX_ENTROPY, decay, entropy_after_press};
pub use event::{Event, PressId};
pub use flair::{Flair, FlairSet, is_milestone};
pub use lines::{cooldown_line, press_line};
pub use phase::Phase;
pub use player::{Handle, NotAHandle, NotAPlayer, Player};
pub use rules::{Rules, RulesError, RulesSpec};
pub use rules_hash::{RulesHash, RulesHashError};
pub use state::State;
