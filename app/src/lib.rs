//! The Button: the game's domain (pure rules, shared by server and browser) and its Leptos UI.

pub mod api;
pub mod game;
mod shell;
pub mod state_source;
mod ui;

pub use shell::shell;
pub use ui::App;
