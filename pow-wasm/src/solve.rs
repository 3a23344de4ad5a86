//! A resumable search for a nonce.

use sha2::{Digest, Sha256};

use crate::lanes::LANES;
use crate::search::LaneSearch;
use crate::{meets_difficulty, verify};

/// Where one slice of the search ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Solve {
    /// `nonce` solves the challenge; `tries` hashes were computed in this slice.
    Found {
        /// The solving nonce.
        nonce: u64,
        /// Hashes computed in this call.
        tries: u64,
    },
    /// No nonce in the slice solves it; resume from `next_nonce` (`None`: no nonces left).
    NotFound {
        /// The first nonce not tried yet.
        next_nonce: Option<u64>,
        /// Hashes computed in this call.
        tries: u64,
    },
}

/// Tries at most `max_tries` nonces from `start_nonce` upwards; finds the smallest that solves.
///
/// `tries` counts the nonces up to and including the solving one. Runs whichever solver is
/// fastest where it is compiled: [`solve_lanes`] in WASM (the browser's Web Worker, with SIMD),
/// [`solve_sha2`] natively (the `sha2` crate uses the CPU's SHA instructions where it has them).
pub fn solve(challenge_id: &str, bits: u32, start_nonce: u64, max_tries: u64) -> Solve {
    if cfg!(target_arch = "wasm32") {
        solve_lanes(challenge_id, bits, start_nonce, max_tries)
    } else {
        solve_sha2(challenge_id, bits, start_nonce, max_tries)
    }
}

/// [`solve`] for WASM: hashes four consecutive nonces at once with a single-block SHA-256
/// (WASM SIMD vectors in the browser, plain arrays elsewhere), with the same answers as
/// [`solve_sha2`].
///
/// `"{challenge_id}:{nonce}"` must fit one block: ids longer than 34 bytes take [`solve_sha2`],
/// and so do groups of nonces that cross a digit-count boundary (9 to 10, 99 to 100, ...) or the
/// end of the slice. Natively it is slower than [`solve_sha2`] with SHA instructions; it is
/// public for the tests and benchmarks.
pub fn solve_lanes(challenge_id: &str, bits: u32, start_nonce: u64, max_tries: u64) -> Solve {
    let Some(mut lanes) = LaneSearch::new(challenge_id, bits) else {
        return solve_sha2(challenge_id, bits, start_nonce, max_tries);
    };
    let group = LANES as u64;
    // The largest nonce with as many digits as the current one: a group must not pass it.
    let mut same_digits_until = last_with_digits_of(start_nonce);
    // The next nonce to try; `None` once `u64::MAX` has been tried.
    let mut next = Some(start_nonce);
    let mut tries = 0;
    while let Some(nonce) = next.filter(|_| tries < max_tries) {
        if nonce > same_digits_until {
            same_digits_until = last_with_digits_of(nonce);
        }
        // A whole group of lanes whose nonces have the same number of digits, or one nonce.
        let last = nonce.checked_add(group - 1);
        match last.filter(|&last| max_tries - tries >= group && last <= same_digits_until) {
            Some(last) => {
                if let Some(lane) = lanes.first_solution(nonce) {
                    let lane = lane as u64;
                    return Solve::Found {
                        nonce: nonce + lane,
                        tries: tries + lane + 1,
                    };
                }
                tries += group;
                next = last.checked_add(1);
            }
            None => {
                tries += 1;
                if verify(challenge_id, nonce, bits) {
                    return Solve::Found { nonce, tries };
                }
                next = nonce.checked_add(1);
            }
        }
    }
    Solve::NotFound {
        next_nonce: next,
        tries,
    }
}

/// The straightforward solver, one `sha2` hash per nonce (what the server's [`verify`] computes):
/// [`solve`] natively, and the reference [`solve_lanes`] is held to.
pub fn solve_sha2(challenge_id: &str, bits: u32, start_nonce: u64, max_tries: u64) -> Solve {
    // The prefix is hashed once; each try only adds the digits of its nonce.
    let mut prefix = Sha256::new();
    prefix.update(challenge_id.as_bytes());
    prefix.update(b":");
    let mut digits = itoa::Buffer::new();

    let mut nonce = start_nonce;
    for tries in 1..=max_tries {
        let mut hasher = prefix.clone();
        hasher.update(digits.format(nonce).as_bytes());
        if meets_difficulty(&hasher.finalize().into(), bits) {
            return Solve::Found { nonce, tries };
        }
        match nonce.checked_add(1) {
            Some(next) => nonce = next,
            None => {
                return Solve::NotFound {
                    next_nonce: None,
                    tries,
                };
            }
        }
    }
    Solve::NotFound {
        next_nonce: Some(nonce),
        tries: max_tries,
    }
}

/// The largest number with as many decimal digits as `n` (9, 99, ..., `u64::MAX`).
fn last_with_digits_of(n: u64) -> u64 {
    let digits = n.checked_ilog10().map_or(1, |log| log + 1);
    10u64
        .checked_pow(digits)
        .map_or(u64::MAX, |power| power - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_number_with_as_many_digits() {
        for (n, last) in [
            (0, 9),
            (9, 9),
            (10, 99),
            (99, 99),
            (100, 999),
            (10u64.pow(19) - 1, 10u64.pow(19) - 1),
            (10u64.pow(19), u64::MAX),
            (u64::MAX, u64::MAX),
        ] {
            assert_eq!(last_with_digits_of(n), last, "{n}");
        }
    }
}
