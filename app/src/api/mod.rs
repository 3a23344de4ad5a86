//! The HTTP API's wire types, shared by the server and the browser.

mod challenge;
mod error;
mod press;
mod receipt;
mod state;

pub use challenge::{Challenge, PressRequest};
pub use error::{ErrorBody, ErrorCode};
pub use press::PressAccepted;
pub use receipt::Receipt;
pub use state::CurrentState;
