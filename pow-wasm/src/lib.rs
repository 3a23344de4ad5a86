//! The Button's proof of work, one implementation for both sides.
//!
//! A challenge is solved by a `nonce` such that `SHA-256("{challenge_id}:{nonce}")` begins with at
//! least `bits` zero bits. The server calls [`verify`] natively; the browser's Web Worker calls
//! [`solve`] compiled to WASM, a slice of the nonce space at a time, so it can report progress and
//! several workers can share the search.
//!
//! Two SHA-256s: [`verify`], [`hash`] and the native [`solve`] use the `sha2` crate (the CPU's SHA
//! instructions where it has them); in WASM, [`solve`] is [`solve_lanes`], a single-block SHA-256
//! of four nonces at once in WASM SIMD lanes. The tests hold the two to each other.

mod lanes;
mod message;
mod search;
mod sha256;
mod solve;
mod work;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use solve::{Solve, solve, solve_lanes, solve_sha2};
pub use work::{hash, leading_zero_bits, meets_difficulty, verify};
