//! The Button's proof of work, one implementation for both sides.
//!
//! A challenge is solved by a `nonce` such that `SHA-256("{challenge_id}:{nonce}")` begins with at
//! least `bits` zero bits. The server calls [`verify`] natively; the browser's Web Worker calls
//! [`solve`] compiled to WASM, a slice of the nonce space at a time, so it can report progress and
//! several workers can share the search.

mod solve;
mod work;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use solve::{Solve, solve};
pub use work::{hash, leading_zero_bits, meets_difficulty, verify};
