//! The one SHA-256 block of `"{challenge_id}:{nonce}"`, as message words, counted up in place
//! from one nonce to the next: no formatting per nonce, only the last digit (and its carries).

use core::ops::Range;

/// The most digits a nonce has (`u64::MAX` has 20).
const MAX_DIGITS: usize = 20;

/// The most message bytes one block holds: 64, less the `0x80` pad and the 8-byte length.
const ONE_BLOCK: usize = 55;

/// A nonce's padded block, `"{challenge_id}:{nonce}"` then `0x80`, zeros and the bit length.
pub(crate) struct Message {
    /// `"{challenge_id}:"`, then zeros.
    prefix: [u8; 64],
    prefix_len: usize,
    nonce: u64,
    /// How many digits `nonce` has.
    digits: usize,
    /// The block as sixteen big-endian words.
    words: [u32; 16],
}

impl Message {
    /// The block of `nonce`; `None` when the id leaves no room in one block for every nonce.
    pub(crate) fn new(challenge_id: &str, nonce: u64) -> Option<Self> {
        let id = challenge_id.as_bytes();
        let prefix_len = id.len() + 1;
        if prefix_len + MAX_DIGITS > ONE_BLOCK {
            return None;
        }
        let mut prefix = [0u8; 64];
        prefix[..id.len()].copy_from_slice(id);
        prefix[id.len()] = b':';
        let mut message = Self {
            prefix,
            prefix_len,
            nonce,
            digits: 0,
            words: [0; 16],
        };
        message.set(nonce);
        Some(message)
    }

    /// The nonce whose block this is.
    pub(crate) fn nonce(&self) -> u64 {
        self.nonce
    }

    /// How many digits the nonce has.
    pub(crate) fn digits(&self) -> usize {
        self.digits
    }

    /// The block as sixteen big-endian words.
    pub(crate) fn words(&self) -> &[u32; 16] {
        &self.words
    }

    /// The words that hold only `"{challenge_id}:"`: the same for every nonce.
    pub(crate) fn prefix_words(&self) -> &[u32] {
        &self.words[..self.prefix_len / 4]
    }

    /// The words that hold digits; the others are the same for every nonce of as many digits.
    pub(crate) fn digit_words(&self) -> Range<usize> {
        self.prefix_len / 4..(self.prefix_len + self.digits).div_ceil(4)
    }

    /// Lays the block out for `nonce`.
    pub(crate) fn set(&mut self, nonce: u64) {
        let mut block = self.prefix;
        let mut buffer = itoa::Buffer::new();
        let digits = buffer.format(nonce).as_bytes();
        let len = self.prefix_len + digits.len();
        for (byte, digit) in block[self.prefix_len..len].iter_mut().zip(digits) {
            *byte = *digit;
        }
        block[len] = 0x80;
        block[56..].copy_from_slice(&(8 * len as u64).to_be_bytes());
        for (word, bytes) in self.words.iter_mut().zip(block.chunks_exact(4)) {
            *word = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        }
        self.nonce = nonce;
        self.digits = digits.len();
    }

    /// Moves on to the next nonce (`u64::MAX` has none: it stays).
    #[inline]
    pub(crate) fn increment(&mut self) {
        let Some(next) = self.nonce.checked_add(1) else {
            return;
        };
        self.nonce = next;
        // Add one to the last digit; a 9 becomes 0 and carries to the digit before.
        let mut at = self.prefix_len + self.digits;
        while at > self.prefix_len {
            at -= 1;
            let shift = 8 * (3 - at % 4) as u32;
            let word = &mut self.words[at / 4];
            if (*word >> shift) & 0xff < u32::from(b'9') {
                *word += 1 << shift;
                return;
            }
            *word -= 9 << shift;
        }
        // All nines: one digit more, and the padding moves.
        self.set(next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected_words(id: &str, nonce: u64) -> [u32; 16] {
        let text = format!("{id}:{nonce}");
        let mut block = [0u8; 64];
        block[..text.len()].copy_from_slice(text.as_bytes());
        block[text.len()] = 0x80;
        block[56..].copy_from_slice(&(8 * text.len() as u64).to_be_bytes());
        core::array::from_fn(|j| u32::from_be_bytes([0, 1, 2, 3].map(|i| block[4 * j + i])))
    }

    #[test]
    fn counting_up_gives_the_block_of_each_nonce() {
        let starts = [
            0,
            7,
            95,
            998,
            99_996,
            999_999_997,
            10u64.pow(19) - 3,
            u64::MAX - 5,
        ];
        for id in ["", "abc", "00112233445566778899aabbccddeeff", "é✓"] {
            for start in starts {
                let Some(mut message) = Message::new(id, start) else {
                    panic!("{id:?} fits");
                };
                for nonce in start..=start.saturating_add(5) {
                    assert_eq!(message.nonce(), nonce);
                    assert_eq!(message.digits(), nonce.to_string().len());
                    assert_eq!(
                        *message.words(),
                        expected_words(id, nonce),
                        "{id:?} {nonce}"
                    );
                    message.increment();
                }
            }
        }
    }

    #[test]
    fn the_digit_words_are_those_that_differ_between_nonces() {
        let id = "00112233445566778899aabbccddeeff";
        let Some(mut message) = Message::new(id, 1_234_567) else {
            panic!("fits");
        };
        // 33 bytes of prefix, 7 digits: bytes 33 to 39, words 8 and 9.
        assert_eq!(message.digit_words(), 8..10);
        assert_eq!(message.prefix_words().len(), 8);
        message.set(1_000_000_000);
        assert_eq!(message.digit_words(), 8..11);
    }

    #[test]
    fn ids_too_long_for_one_block_are_refused() {
        assert!(Message::new(&"a".repeat(34), 0).is_some());
        assert!(Message::new(&"a".repeat(35), 0).is_none());
    }
}
