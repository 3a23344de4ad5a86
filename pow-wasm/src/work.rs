//! The work itself: hashing a nonce, counting leading zero bits, verifying.

use sha2::{Digest, Sha256};

/// `SHA-256("{challenge_id}:{nonce}")`, the nonce written in decimal.
pub fn hash(challenge_id: &str, nonce: u64) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(challenge_id.as_bytes());
    hasher.update(b":");
    hasher.update(itoa::Buffer::new().format(nonce).as_bytes());
    hasher.finalize().into()
}

/// How many zero bits `digest` begins with (0 to 256).
#[inline]
pub fn leading_zero_bits(digest: &[u8; 32]) -> u32 {
    let mut bits = 0;
    for &byte in digest {
        if byte != 0 {
            return bits + byte.leading_zeros();
        }
        bits += 8;
    }
    bits
}

/// Whether `digest` begins with at least `bits` zero bits.
#[inline]
pub fn meets_difficulty(digest: &[u8; 32], bits: u32) -> bool {
    leading_zero_bits(digest) >= bits
}

/// Whether `nonce` solves `challenge_id` at `bits` of difficulty.
pub fn verify(challenge_id: &str, nonce: u64, bits: u32) -> bool {
    meets_difficulty(&hash(challenge_id, nonce), bits)
}
