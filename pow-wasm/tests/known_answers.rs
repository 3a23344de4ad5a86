//! Known answers, checked against an independent SHA-256 (Python's hashlib; values pasted).

use pow_wasm::{
    Solve, hash, leading_zero_bits, meets_difficulty, solve, solve_lanes, solve_sha2, verify,
};

const CHALLENGE: &str = "00112233445566778899aabbccddeeff";

type Solver = fn(&str, u32, u64, u64) -> Solve;

/// Every solver must give the same answers: `solve` as compiled here, and both it may be.
const SOLVERS: [(&str, Solver); 3] = [
    ("solve", solve),
    ("solve_lanes", solve_lanes),
    ("solve_sha2", solve_sha2),
];

fn hex(digest: [u8; 32]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn hash_is_sha256_of_id_colon_decimal_nonce() {
    // hashlib.sha256(b"abc:0").hexdigest()
    assert_eq!(
        hex(hash("abc", 0)),
        "5f36efce86f68877cee18fda5637abb2a1bb409f4326cc741fdf13200aa26980"
    );
    assert_eq!(
        hex(hash(CHALLENGE, 0)),
        "4c1b85a42e1a1b46afb5d2406d3a43b8a9438d5f5944b6c5f60e85014516a02f"
    );
    assert_eq!(
        hex(hash(CHALLENGE, u64::MAX)),
        "7b7de8949fc22965028a5971d44162bad5fc62dad183bba540fc26daefb1900c"
    );
}

#[test]
fn nonces_found_by_python_have_exactly_their_leading_zero_bits() {
    // (bits, first nonce whose hash has exactly that many leading zero bits), by hashlib.
    for (bits, nonce) in [
        (0, 1),
        (1, 0),
        (7, 233),
        (8, 343),
        (9, 55),
        (12, 2888),
        (16, 140_894),
    ] {
        assert_eq!(
            leading_zero_bits(&hash(CHALLENGE, nonce)),
            bits,
            "nonce {nonce}"
        );
        assert!(
            verify(CHALLENGE, nonce, bits),
            "nonce {nonce} at {bits} bits"
        );
        assert!(
            !verify(CHALLENGE, nonce, bits + 1),
            "nonce {nonce} at {} bits",
            bits + 1
        );
    }
}

#[test]
fn solve_finds_the_first_nonce_python_found() {
    // (bits, first nonce from 0 with at least that many leading zero bits), by hashlib. No nonce
    // below 55 has 7 or 8 bits (the first with exactly 7 is 233, with exactly 8 is 343), so 55,
    // with 9, is the first with at least 7.
    for (name, solve) in SOLVERS {
        for (bits, first) in [
            (7, 55),
            (8, 55),
            (9, 55),
            (12, 2_888),
            (16, 140_894),
            (20, 445_142),
        ] {
            assert_eq!(
                solve(CHALLENGE, bits, 0, 1_000_000),
                Solve::Found {
                    nonce: first,
                    tries: first + 1
                },
                "{name}, {bits} bits"
            );
        }
    }
}

#[test]
fn solve_finds_the_same_nonce_from_across_a_digit_boundary() {
    // 999 -> 1000 and 99_999 -> 100_000 are crossed on the way.
    for (name, solve) in SOLVERS {
        assert_eq!(
            solve(CHALLENGE, 12, 999, 3_000),
            Solve::Found {
                nonce: 2_888,
                tries: 2_888 - 999 + 1
            },
            "{name}"
        );
        assert_eq!(
            solve(CHALLENGE, 16, 99_998, 100_000),
            Solve::Found {
                nonce: 140_894,
                tries: 140_894 - 99_998 + 1
            },
            "{name}"
        );
    }
}

#[test]
fn solve_resumes_where_it_stopped() {
    for (name, solve) in SOLVERS {
        let first = solve(CHALLENGE, 16, 0, 100_000);
        assert_eq!(
            first,
            Solve::NotFound {
                next_nonce: Some(100_000),
                tries: 100_000
            },
            "{name}"
        );
        assert_eq!(
            solve(CHALLENGE, 16, 100_000, 100_000),
            Solve::Found {
                nonce: 140_894,
                tries: 40_895
            },
            "{name}"
        );
    }
}

#[test]
fn split_nonce_ranges_find_the_same_nonce() {
    // Two workers splitting [0, 200_000): the one owning 140_894 finds it.
    for (name, solve) in SOLVERS {
        assert!(
            matches!(solve(CHALLENGE, 16, 0, 100_000), Solve::NotFound { .. }),
            "{name}"
        );
        assert!(
            matches!(
                solve(CHALLENGE, 16, 100_000, 100_000),
                Solve::Found { nonce: 140_894, .. }
            ),
            "{name}"
        );
    }
}

#[test]
fn solve_says_when_the_nonce_space_is_exhausted() {
    for (name, solve) in SOLVERS {
        assert_eq!(
            solve(CHALLENGE, 256, u64::MAX - 1, 10),
            Solve::NotFound {
                next_nonce: None,
                tries: 2
            },
            "{name}"
        );
        assert_eq!(
            solve(CHALLENGE, 256, u64::MAX - 9, 10),
            Solve::NotFound {
                next_nonce: None,
                tries: 10
            },
            "{name}: the last try is u64::MAX"
        );
    }
}

#[test]
fn zero_tries_try_nothing() {
    for (name, solve) in SOLVERS {
        assert_eq!(
            solve(CHALLENGE, 0, 7, 0),
            Solve::NotFound {
                next_nonce: Some(7),
                tries: 0
            },
            "{name}"
        );
    }
}

#[test]
fn zero_bits_accept_any_nonce() {
    assert!(verify(CHALLENGE, 1, 0));
    for (name, solve) in SOLVERS {
        assert_eq!(
            solve(CHALLENGE, 0, 42, 1),
            Solve::Found {
                nonce: 42,
                tries: 1
            },
            "{name}"
        );
    }
}

fn digest_with_first_bytes(bytes: &[u8]) -> [u8; 32] {
    let mut digest = [0xffu8; 32];
    digest[..bytes.len()].copy_from_slice(bytes);
    digest
}

#[test]
fn leading_zero_bits_at_every_boundary() {
    let cases: [(&[u8], u32); 9] = [
        (&[0x80], 0),
        (&[0x40], 1),
        (&[0x01], 7),
        (&[0x00, 0x80], 8),
        (&[0x00, 0x40], 9),
        (&[0x00, 0x00, 0x00, 0x01], 31),
        (&[0x00, 0x00, 0x00, 0x00, 0x80], 32),
        (&[0x00, 0x00, 0x00, 0x00, 0x40], 33),
        (&[0x00; 32], 256),
    ];
    for (prefix, bits) in cases {
        let digest = digest_with_first_bytes(prefix);
        assert_eq!(leading_zero_bits(&digest), bits, "{prefix:02x?}");
        assert!(
            meets_difficulty(&digest, bits),
            "{prefix:02x?} meets {bits}"
        );
        assert!(
            !meets_difficulty(&digest, bits + 1),
            "{prefix:02x?} misses {}",
            bits + 1
        );
    }
}
