//! A resumable search for a nonce.

use sha2::{Digest, Sha256};

use crate::meets_difficulty;

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

/// Tries at most `max_tries` nonces from `start_nonce` upwards.
pub fn solve(challenge_id: &str, bits: u32, start_nonce: u64, max_tries: u64) -> Solve {
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
