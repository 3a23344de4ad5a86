//! The Button: the game's domain (pure rules, shared by server and browser) and its Leptos UI.
//!
//! # Layout
//!
//! - [`game`]: the pure domain, free of I/O: rules, state, events, and how an event changes the
//!   state (`app/GAME.md` is its reference).
//! - [`wire`]: the HTTP API's types as they travel, its paths and the live stream's event name,
//!   the same on both sides of the wire.
//! - `ui`: the Leptos page: the button, the press from challenge to receipt, the live state.
//! - [`state_source`]: how the server hands the newest state to the page it renders; `shell`:
//!   the HTML document around it.

pub mod game;
mod shell;
pub mod state_source;
mod ui;
pub mod wire;

pub use shell::shell;
pub use ui::App;
