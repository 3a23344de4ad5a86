//! The Button: the game's domain (pure rules, shared by server and browser) and its Leptos UI.

pub mod api;
pub mod game;
mod shell;
mod ui;

pub use shell::shell;
pub use ui::App;
