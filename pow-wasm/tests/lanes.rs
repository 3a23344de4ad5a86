//! The Web Worker's solver, `solve_lanes`, against a straightforward reference written here: one
//! `sha2` hash of `"{id}:{nonce}"` per nonce, in order. Natively the lanes are plain arrays; the
//! algorithm is the one WASM SIMD runs (`scripts/check-worker.mjs` checks the WASM itself).

use pow_wasm::{Solve, solve, solve_lanes, solve_sha2};
use proptest::prelude::*;
use sha2::{Digest, Sha256};

/// Leading zero bits, counted here rather than with the crate's own function.
fn zero_bits(digest: &[u8]) -> u32 {
    let mut bits = 0;
    for byte in digest {
        for shift in (0..8).rev() {
            if byte >> shift & 1 == 1 {
                return bits;
            }
            bits += 1;
        }
    }
    bits
}

fn solves(id: &str, nonce: u64, bits: u32) -> bool {
    zero_bits(&Sha256::digest(format!("{id}:{nonce}"))) >= bits
}

/// What a solver must answer: the first solving nonce, trying them one by one.
fn reference(id: &str, bits: u32, start: u64, max_tries: u64) -> Solve {
    let mut nonce = start;
    for tries in 1..=max_tries {
        if solves(id, nonce, bits) {
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

/// Every solving nonce in `[start, end)`, found by resuming after each one, as a worker would.
fn all_solutions(
    solver: fn(&str, u32, u64, u64) -> Solve,
    id: &str,
    bits: u32,
    start: u64,
    end: u64,
) -> Vec<u64> {
    let mut found = Vec::new();
    let mut next = start;
    while next < end {
        match solver(id, bits, next, end - next) {
            Solve::Found { nonce, .. } => {
                found.push(nonce);
                next = nonce + 1;
            }
            Solve::NotFound { .. } => break,
        }
    }
    found
}

fn ids() -> impl Strategy<Value = String> {
    prop_oneof![
        // What the server hands out: 32 lowercase hex characters.
        "[0-9a-f]{32}",
        // Around the most the one-block path takes (34 bytes, then `:` and 20 digits).
        "[0-9a-f]{29,37}",
        Just(String::new()),
        // Anything, multi-byte characters included.
        ".{0,40}",
        // Too long for one block: the sha2 fallback.
        "[a-z]{56,90}",
    ]
}

fn starts() -> impl Strategy<Value = u64> {
    prop_oneof![
        0..2_000u64,
        any::<u64>(),
        // Just below or past a change in the number of digits (9 -> 10, 99 -> 100, ...).
        (1..=19u32, -12i64..12).prop_map(|(k, d)| 10u64.pow(k).wrapping_add_signed(d)),
        // The end of the nonce space.
        (0..40u64).prop_map(|d| u64::MAX - d),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn lanes_answer_as_the_reference_does(
        id in ids(),
        bits in 0..=12u32,
        start in starts(),
        max_tries in 0..=40u64,
    ) {
        let want = reference(&id, bits, start, max_tries);
        prop_assert_eq!(solve_lanes(&id, bits, start, max_tries), want);
        prop_assert_eq!(solve_sha2(&id, bits, start, max_tries), want);
        prop_assert_eq!(solve(&id, bits, start, max_tries), want);
    }
}

#[test]
fn every_solution_in_a_stretch_is_found_in_order() {
    // At 1 to 3 bits most groups of four nonces hold a solution, at every lane position: a lane
    // answering for another, or a wrong word of the hash, shows up here.
    for id in [
        "00112233445566778899aabbccddeeff",
        "",
        "x",
        "0123456789abcdef0123456789abcdef01",
    ] {
        for bits in 1..=3 {
            let want: Vec<u64> = (0..3_000).filter(|&n| solves(id, n, bits)).collect();
            assert!(want.len() > 300, "{id:?}, {bits} bits: too few to tell");
            assert_eq!(
                all_solutions(solve_lanes, id, bits, 0, 3_000),
                want,
                "{id:?}, {bits} bits"
            );
        }
    }
}

#[test]
fn every_solution_around_each_digit_boundary_is_found() {
    let id = "00112233445566778899aabbccddeeff";
    for k in 1..=19 {
        let boundary = 10u64.pow(k);
        let (start, end) = (boundary - 9.min(boundary), boundary + 37);
        for bits in [1, 2] {
            let want: Vec<u64> = (start..end).filter(|&n| solves(id, n, bits)).collect();
            assert_eq!(
                all_solutions(solve_lanes, id, bits, start, end),
                want,
                "around 10^{k}, {bits} bits"
            );
        }
    }
}

#[test]
fn the_last_nonces_are_hashed_right() {
    let id = "00112233445566778899aabbccddeeff";
    let start = u64::MAX - 40;
    for bits in [1, 2] {
        let want: Vec<u64> = (start..=u64::MAX)
            .filter(|&n| solves(id, n, bits))
            .collect();
        let mut got = all_solutions(solve_lanes, id, bits, start, u64::MAX);
        if solves(id, u64::MAX, bits) && got.last() != Some(&u64::MAX) {
            // `all_solutions` stops before u64::MAX; ask for it alone.
            if let Solve::Found { nonce, .. } = solve_lanes(id, bits, u64::MAX, 1) {
                got.push(nonce);
            }
        }
        assert_eq!(got, want, "{bits} bits");
    }
}
