//! Hashing groups of consecutive nonces for one challenge, one nonce per lane.

use crate::lanes::{LANES, Lanes};
use crate::leading_zero_bits;
use crate::message::Message;
use crate::sha256::{self, Midstate, RoundConstants};

/// The state of a search, kept from one group to the next.
pub(crate) struct LaneSearch {
    bits: u32,
    /// The block of the next nonce to hash.
    message: Message,
    /// The rounds whose message words hold only `"{challenge_id}:"`, done once.
    mid: Midstate,
    prefix_rounds: usize,
    k: RoundConstants,
    /// The message words, in every lane: right for those without digits, for `shared_digits`.
    shared: [Lanes; 16],
    shared_digits: usize,
}

impl LaneSearch {
    /// `None` when `"{challenge_id}:{nonce}"` may not fit in one block.
    pub(crate) fn new(challenge_id: &str, bits: u32) -> Option<Self> {
        let message = Message::new(challenge_id, 0)?;
        let mut mid = Midstate::new();
        mid.advance(0, message.prefix_words());
        Some(Self {
            bits,
            prefix_rounds: message.prefix_words().len(),
            shared: message.words().map(Lanes::splat),
            shared_digits: message.digits(),
            message,
            mid,
            k: RoundConstants::new(),
        })
    }

    /// The first lane whose nonce, from `first` on, solves the challenge. All [`LANES`] nonces
    /// must have as many digits as `first`.
    pub(crate) fn first_solution(&mut self, first: u64) -> Option<usize> {
        if self.message.nonce() != first {
            self.message.set(first);
        }
        if self.message.digits() != self.shared_digits {
            self.shared = self.message.words().map(Lanes::splat);
            self.shared_digits = self.message.digits();
        }
        // Each lane's words, then the words with digits gathered lane by lane.
        let blocks: [[u32; 16]; LANES] = core::array::from_fn(|_| {
            let words = *self.message.words();
            self.message.increment();
            words
        });
        let mut w = self.shared;
        for j in self.message.digit_words() {
            w[j] = Lanes::from_array(core::array::from_fn(|lane| blocks[lane][j]));
        }
        let digest = sha256::finish(&self.mid, self.prefix_rounds, &w, &self.k);
        first_meeting(&digest, self.bits)
    }
}

/// The first lane whose digest begins with at least `bits` zero bits.
#[inline]
fn first_meeting(digest: &[Lanes; 8], bits: u32) -> Option<usize> {
    // Most lanes fail on the first word; the others are read only when needed.
    let first_word = digest[0].to_array();
    let needed = bits.min(32);
    (0..LANES).find(|&lane| {
        first_word[lane].leading_zeros() >= needed
            && (bits <= 32 || lane_zero_bits(digest, lane) >= bits)
    })
}

/// How many zero bits one lane's digest begins with.
fn lane_zero_bits(digest: &[Lanes; 8], lane: usize) -> u32 {
    let mut bytes = [0u8; 32];
    for (chunk, word) in bytes.chunks_exact_mut(4).zip(digest) {
        chunk.copy_from_slice(&word.to_array()[lane].to_be_bytes());
    }
    leading_zero_bits(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lane_meets_the_difficulty_with_zero_bits_past_the_first_word() {
        // Lane by lane: 0 zero bits, 31, 48 (two words), 256 (all zero).
        let lanes = |words: [u32; LANES]| Lanes::from_array(words);
        let mut digest = [lanes([u32::MAX, 0, 0, 0]); 8];
        digest[0] = lanes([u32::MAX, 1, 0, 0]);
        digest[1] = lanes([0, 0, 0x0000_ffff, 0]);
        for (bits, lane) in [
            (0, Some(0)),
            (1, Some(1)),
            (31, Some(1)),
            (32, Some(2)),
            (33, Some(2)),
            (48, Some(2)),
            (49, Some(3)),
            (256, Some(3)),
        ] {
            assert_eq!(first_meeting(&digest, bits), lane, "{bits} bits");
        }
        digest[7] = lanes([0, 0, 0, 1]);
        assert_eq!(first_meeting(&digest, 256), None);
        assert_eq!(first_meeting(&digest, 255), Some(3));
    }
}
