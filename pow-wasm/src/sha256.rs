//! SHA-256 of one 64-byte block (FIPS 180-4), for several messages at once, one per lane.
//!
//! Only what the solver needs: a single block from the standard initial hash value. The server
//! never runs this; it verifies with the `sha2` crate, and the tests hold the two to each other.

use crate::lanes::Lanes;

/// The round constants.
const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// The initial hash value.
const IV: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// The round constants, the same in every lane. Kept in memory: loaded, each costs V8 one
/// instruction; as `v128.const`, three.
pub(crate) struct RoundConstants([Lanes; 64]);

impl RoundConstants {
    pub(crate) fn new() -> Self {
        // Opaque to the optimizer, which would otherwise fold them back into constants.
        core::hint::black_box(Self(K.map(Lanes::splat)))
    }
}

/// The working variables `a..h` part-way through the rounds, and `b ^ c` (kept from the round
/// before, so `Maj` costs three operations instead of four).
#[derive(Clone, Copy)]
pub(crate) struct Midstate {
    vars: [Lanes; 8],
    b_xor_c: Lanes,
}

impl Midstate {
    /// Before the first round.
    pub(crate) fn new() -> Self {
        let vars = IV.map(Lanes::splat);
        Self {
            vars,
            b_xor_c: vars[1] ^ vars[2],
        }
    }

    /// Runs rounds `from..from + words.len()` (at most up to the 16th), whose message words are
    /// the same in every lane: done once for many nonces.
    pub(crate) fn advance(&mut self, from: usize, words: &[u32]) {
        for (word, k) in words.iter().zip(K.iter().take(16).skip(from)) {
            round(self, Lanes::splat(word.wrapping_add(*k)));
        }
    }
}

/// The digest of each lane's block, as eight big-endian words: the rounds after the first
/// `done` (done in `mid`; at most 16), with the message words `w` (those before `done` are only
/// read by the schedule).
#[inline(always)]
pub(crate) fn finish(
    mid: &Midstate,
    done: usize,
    w: &[Lanes; 16],
    k: &RoundConstants,
) -> [Lanes; 8] {
    let mut state = *mid;
    let mut w = *w;

    // Fully unrolled, so every word and variable stays in a register (a WASM local) rather than
    // an array in memory.
    macro_rules! first_sixteen {
        ($($t:literal)*) => {$(
            if $t >= done {
                round(&mut state, w[$t] + k.0[$t]);
            }
        )*};
    }
    macro_rules! scheduled {
        ($($t:literal)*) => {$(
            w[$t % 16] = small_sigma1(w[($t - 2) % 16])
                + w[($t - 7) % 16]
                + small_sigma0(w[($t - 15) % 16])
                + w[$t % 16];
            round(&mut state, w[$t % 16] + k.0[$t]);
        )*};
    }
    first_sixteen!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15);
    scheduled!(
        16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31
        32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47
        48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63
    );

    let mut digest = state.vars;
    for (word, iv) in digest.iter_mut().zip(IV) {
        *word = *word + Lanes::splat(iv);
    }
    digest
}

/// One round; `kw` is the round constant plus the message word.
#[inline(always)]
fn round(state: &mut Midstate, kw: Lanes) {
    let [a, b, c, d, e, f, g, h] = state.vars;
    // Ch(e, f, g) = (e & f) ^ (!e & g), written with one operation fewer.
    let ch = g ^ (e & (f ^ g));
    let t1 = h + big_sigma1(e) + ch + kw;
    // Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)); this round's a ^ b is the next round's b ^ c.
    let a_xor_b = a ^ b;
    let maj = b ^ (a_xor_b & state.b_xor_c);
    state.b_xor_c = a_xor_b;
    let t2 = big_sigma0(a) + maj;
    state.vars = [t1 + t2, a, b, c, d + t1, e, f, g];
}

#[inline(always)]
fn big_sigma0(x: Lanes) -> Lanes {
    x.rotr::<2>() ^ x.rotr::<13>() ^ x.rotr::<22>()
}

#[inline(always)]
fn big_sigma1(x: Lanes) -> Lanes {
    x.rotr::<6>() ^ x.rotr::<11>() ^ x.rotr::<25>()
}

#[inline(always)]
fn small_sigma0(x: Lanes) -> Lanes {
    x.rotr::<7>() ^ x.rotr::<18>() ^ x.shr::<3>()
}

#[inline(always)]
fn small_sigma1(x: Lanes) -> Lanes {
    x.rotr::<17>() ^ x.rotr::<19>() ^ x.shr::<10>()
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    use super::*;
    use crate::lanes::LANES;

    /// One message per lane, 0 to 55 bytes long, the first `shared` bytes the same in all.
    fn messages(shared: usize) -> [Vec<u8>; LANES] {
        core::array::from_fn(|lane| {
            let len = shared + (lane * 17 + 3) % (56 - shared);
            (0..len)
                .map(|i| {
                    if i < shared {
                        i as u8
                    } else {
                        (i * 31 + lane * 7) as u8
                    }
                })
                .collect()
        })
    }

    fn padded(message: &[u8]) -> [u8; 64] {
        let mut block = [0u8; 64];
        block[..message.len()].copy_from_slice(message);
        block[message.len()] = 0x80;
        block[56..].copy_from_slice(&(8 * message.len() as u64).to_be_bytes());
        block
    }

    fn words(messages: &[Vec<u8>; LANES]) -> [Lanes; 16] {
        let blocks = messages.each_ref().map(|m| padded(m));
        core::array::from_fn(|j| {
            Lanes::from_array(core::array::from_fn(|lane| {
                let b = &blocks[lane][4 * j..];
                u32::from_be_bytes([b[0], b[1], b[2], b[3]])
            }))
        })
    }

    fn expected(message: &[u8]) -> [u32; 8] {
        let digest = Sha256::digest(message);
        core::array::from_fn(|j| u32::from_be_bytes([0, 1, 2, 3].map(|i| digest[4 * j + i])))
    }

    fn lane(digest: &[[u32; LANES]; 8], lane: usize) -> [u32; 8] {
        core::array::from_fn(|j| digest[j][lane])
    }

    #[test]
    fn each_lane_is_the_sha256_of_its_own_message() {
        let messages = messages(0);
        let digest = finish(
            &Midstate::new(),
            0,
            &words(&messages),
            &RoundConstants::new(),
        )
        .map(Lanes::to_array);
        for (i, message) in messages.iter().enumerate() {
            assert_eq!(lane(&digest, i), expected(message), "lane {i}");
        }
    }

    #[test]
    fn rounds_done_ahead_on_shared_words_give_the_same_digest() {
        // Every lane's first 40 bytes are the same: their ten words' rounds can be done once.
        let messages = messages(40);
        let w = words(&messages);
        let shared: Vec<u32> = w[..10].iter().map(|word| word.to_array()[0]).collect();
        for ahead in 0..=10 {
            let mut mid = Midstate::new();
            mid.advance(0, &shared[..ahead.min(4)]);
            mid.advance(ahead.min(4), &shared[ahead.min(4)..ahead]);
            let digest = finish(&mid, ahead, &w, &RoundConstants::new()).map(Lanes::to_array);
            for (i, message) in messages.iter().enumerate() {
                assert_eq!(
                    lane(&digest, i),
                    expected(message),
                    "{ahead} ahead, lane {i}"
                );
            }
        }
    }
}
