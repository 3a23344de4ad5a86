//! The WASM face of the proof of work, called from the browser's Web Worker.

use wasm_bindgen::prelude::wasm_bindgen;

use crate::Solve;

/// One slice of the search, as JavaScript sees it.
#[wasm_bindgen]
#[derive(Debug, Clone, Copy)]
pub struct SolveStep {
    /// Whether `nonce` solves the challenge.
    pub found: bool,
    /// The solving nonce when `found`, else the nonce to resume from.
    pub nonce: u64,
    /// Hashes computed in this slice, for the hash rate.
    pub tries: u64,
    /// No nonces are left to try.
    pub exhausted: bool,
}

/// Tries at most `max_tries` nonces from `start_nonce` upwards.
#[wasm_bindgen(js_name = solve)]
pub fn solve_js(challenge_id: &str, bits: u32, start_nonce: u64, max_tries: u64) -> SolveStep {
    match crate::solve(challenge_id, bits, start_nonce, max_tries) {
        Solve::Found { nonce, tries } => SolveStep {
            found: true,
            nonce,
            tries,
            exhausted: false,
        },
        Solve::NotFound { next_nonce, tries } => SolveStep {
            found: false,
            nonce: next_nonce.unwrap_or(u64::MAX),
            tries,
            exhausted: next_nonce.is_none(),
        },
    }
}

/// Whether `nonce` solves `challenge_id` at `bits` of difficulty.
#[wasm_bindgen(js_name = verify)]
pub fn verify_js(challenge_id: &str, nonce: u64, bits: u32) -> bool {
    crate::verify(challenge_id, nonce, bits)
}
