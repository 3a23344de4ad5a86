//! The HTTP API's wire types and paths, shared by the server and the browser.

mod challenge;
mod error;
mod press;
mod receipt;
pub mod routes;
mod state;

pub use challenge::{Challenge, PressRequest};
pub use error::{ErrorBody, ErrorCode};
pub use press::PressAccepted;
pub use receipt::Receipt;
pub use state::CurrentState;
