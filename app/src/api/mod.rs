//! The HTTP API's wire types, shared by the server and the browser.

mod challenge;

pub use challenge::{Challenge, PressRequest};
