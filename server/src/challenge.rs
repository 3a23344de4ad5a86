//! Issuing and checking proof-of-work challenges, statelessly: any web server with the secret
//! verifies a challenge that another one issued.

use app::wire::{Challenge, PressRequest};
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Why a solved challenge was refused, in the order the checks run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ChallengeError {
    /// The id or the signature is not hex of the right length.
    #[error("`{0}` is not in the form the server issues")]
    Malformed(&'static str),
    /// The server did not sign this challenge (or it was altered).
    #[error("the challenge's signature does not match: it was not issued by this game")]
    BadSignature,
    /// The challenge would live longer than this game's challenges do: signed for another set
    /// of rules, or with a leaked secret. Honouring it would outlive the duplicate window.
    #[error(
        "the challenge expires further ahead than this game's challenges live: it was not issued \
         by this game as it runs now; ask for a new one"
    )]
    ExpiresTooLate,
    /// The challenge's lifetime is over.
    #[error("the challenge expired; ask for a new one")]
    Expired,
    /// The phase rose since the challenge was issued, longer ago than the grace: its difficulty
    /// is below the phase's now, so challenges cannot be stockpiled in CALM for CHAOS.
    #[error(
        "the phase rose: this challenge asks for {offered} zero bits, the phase now for \
         {required}; ask for a new one"
    )]
    BelowPhase {
        /// The difficulty of the phase now.
        required: u32,
        /// The challenge's difficulty.
        offered: u32,
    },
    /// The nonce's hash does not begin with enough zero bits.
    #[error("the nonce's hash does not begin with {required} zero bits")]
    InsufficientWork {
        /// The difficulty the challenge asked for.
        required: u32,
    },
}

/// How long after a phase rose a challenge of the phase before is still honoured: a player who
/// solved just as the phase rose is not refused.
pub const PHASE_RISE_GRACE_MS: i64 = 10_000;

/// How far web servers' clocks may differ: a challenge issued by a server whose clock is ahead
/// expires that much later than this server would have set it.
pub const CLOCK_SKEW_MS: i64 = 5_000;

/// What a challenge is checked against when it is redeemed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Redemption {
    /// The server's clock.
    pub now_ms: i64,
    /// How long this game's challenges live (the rules' `challenge_ttl_ms`).
    pub lifetime_ms: i64,
    /// The difficulty of the phase now.
    pub phase_difficulty: u32,
    /// When the phase now began.
    pub phase_since_ms: i64,
}

/// The server's key for signing challenges and checking them.
#[derive(Clone)]
pub struct ChallengeKey {
    mac: HmacSha256,
}

impl std::fmt::Debug for ChallengeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChallengeKey(..)")
    }
}

const CHALLENGE_ID_HEX: usize = 32;
const SIGNATURE_HEX: usize = 64;

impl ChallengeKey {
    /// A key from the server's secret (HMAC takes keys of any length; the error is the crate's).
    pub fn new(secret: &[u8]) -> Result<ChallengeKey, hmac::digest::InvalidLength> {
        Ok(ChallengeKey {
            mac: HmacSha256::new_from_slice(secret)?,
        })
    }

    /// A new challenge with a random id, valid for `ttl_ms` from `now_ms`.
    pub fn issue(&self, difficulty: u32, now_ms: i64, ttl_ms: i64) -> Challenge {
        let challenge_id = format!("{:032x}", rand::random::<u128>());
        self.issue_with_id(challenge_id, difficulty, now_ms.saturating_add(ttl_ms))
    }

    /// A challenge with the given id: for tests and known answers.
    pub fn issue_with_id(
        &self,
        challenge_id: String,
        difficulty: u32,
        expires_at: i64,
    ) -> Challenge {
        let signature = hex::encode(
            self.sign(&challenge_id, difficulty, expires_at)
                .finalize()
                .into_bytes(),
        );
        Challenge {
            challenge_id,
            difficulty,
            expires_at,
            signature,
        }
    }

    /// Checks a solved challenge: form, signature (in constant time), expiry, the phase's
    /// difficulty, then the work.
    pub fn verify(&self, press: &PressRequest, at: &Redemption) -> Result<(), ChallengeError> {
        let now_ms = at.now_ms;
        if !is_lower_hex(&press.challenge_id, CHALLENGE_ID_HEX) {
            return Err(ChallengeError::Malformed("challenge_id"));
        }
        if !is_lower_hex(&press.signature, SIGNATURE_HEX) {
            return Err(ChallengeError::Malformed("signature"));
        }
        let mut signature = [0u8; SIGNATURE_HEX / 2];
        hex::decode_to_slice(&press.signature, &mut signature)
            .map_err(|_| ChallengeError::Malformed("signature"))?;
        self.sign(&press.challenge_id, press.difficulty, press.expires_at)
            .verify_slice(&signature)
            .map_err(|_| ChallengeError::BadSignature)?;
        if press.expires_at > now_ms.saturating_add(at.lifetime_ms + CLOCK_SKEW_MS) {
            return Err(ChallengeError::ExpiresTooLate);
        }
        if now_ms > press.expires_at {
            return Err(ChallengeError::Expired);
        }
        if press.difficulty < at.phase_difficulty
            && now_ms > at.phase_since_ms.saturating_add(PHASE_RISE_GRACE_MS)
        {
            return Err(ChallengeError::BelowPhase {
                required: at.phase_difficulty,
                offered: press.difficulty,
            });
        }
        if !pow_wasm::verify(&press.challenge_id, press.nonce, press.difficulty) {
            return Err(ChallengeError::InsufficientWork {
                required: press.difficulty,
            });
        }
        Ok(())
    }

    fn sign(&self, challenge_id: &str, difficulty: u32, expires_at: i64) -> HmacSha256 {
        let mut mac = self.mac.clone();
        mac.update(challenge_id.as_bytes());
        mac.update(b":");
        mac.update(itoa::Buffer::new().format(difficulty).as_bytes());
        mac.update(b":");
        mac.update(itoa::Buffer::new().format(expires_at).as_bytes());
        mac
    }
}

fn is_lower_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"test secret, not for production";
    const ID: &str = "00112233445566778899aabbccddeeff";
    const NOW: i64 = 1_700_000_000_000;
    /// SHA-256("00112233445566778899aabbccddeeff:140894") begins with exactly 16 zero bits.
    const NONCE_16_BITS: u64 = 140_894;

    fn key() -> ChallengeKey {
        ChallengeKey::new(SECRET).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Redeemed at `now` in a CALM that began long ago, with one-minute challenges.
    fn at(now_ms: i64) -> Redemption {
        Redemption {
            now_ms,
            lifetime_ms: 60_000,
            phase_difficulty: 0,
            phase_since_ms: 0,
        }
    }

    fn solved(difficulty: u32, nonce: u64) -> PressRequest {
        PressRequest::new(
            key().issue_with_id(ID.into(), difficulty, NOW + 60_000),
            nonce,
        )
    }

    #[test]
    fn signature_is_hmac_sha256_of_id_difficulty_and_expiry() {
        // python3 -c 'import hmac,hashlib; print(hmac.new(b"test secret, not for production",
        //   b"00112233445566778899aabbccddeeff:16:1700000060000", hashlib.sha256).hexdigest())'
        let challenge = key().issue_with_id(ID.into(), 16, NOW + 60_000);
        assert_eq!(
            challenge.signature,
            "4246d8d96c3d9b698a58ed992aabbc88a9ba421e71c587de0e4f0c122bd8f847"
        );
    }

    #[test]
    fn issued_challenges_have_random_hex_ids_and_expire_after_the_ttl() {
        let a = key().issue(18, NOW, 60_000);
        let b = key().issue(18, NOW, 60_000);
        assert_ne!(a.challenge_id, b.challenge_id);
        assert!(is_lower_hex(&a.challenge_id, 32));
        assert_eq!((a.difficulty, a.expires_at), (18, NOW + 60_000));
    }

    #[test]
    fn a_solved_challenge_passes() {
        assert_eq!(key().verify(&solved(16, NONCE_16_BITS), &at(NOW)), Ok(()));
    }

    #[test]
    fn another_servers_secret_fails_the_signature() {
        let press = solved(16, NONCE_16_BITS);
        assert_eq!(
            ChallengeKey::new(b"another secret")
                .unwrap_or_else(|e| panic!("{e}"))
                .verify(&press, &at(NOW)),
            Err(ChallengeError::BadSignature)
        );
    }

    #[test]
    fn lowering_the_difficulty_breaks_the_signature() {
        let mut press = solved(16, NONCE_16_BITS);
        press.difficulty = 1;
        assert_eq!(
            key().verify(&press, &at(NOW)),
            Err(ChallengeError::BadSignature)
        );
    }

    #[test]
    fn extending_the_expiry_breaks_the_signature() {
        let mut press = solved(16, NONCE_16_BITS);
        press.expires_at += 1;
        assert_eq!(
            key().verify(&press, &at(NOW)),
            Err(ChallengeError::BadSignature)
        );
    }

    #[test]
    fn a_challenge_is_good_until_its_expiry_and_not_after() {
        let press = solved(16, NONCE_16_BITS);
        assert_eq!(key().verify(&press, &at(NOW + 60_000)), Ok(()));
        assert_eq!(
            key().verify(&press, &at(NOW + 60_001)),
            Err(ChallengeError::Expired)
        );
    }

    #[test]
    fn too_few_zero_bits_is_insufficient_work() {
        assert_eq!(
            key().verify(&solved(17, NONCE_16_BITS), &at(NOW)),
            Err(ChallengeError::InsufficientWork { required: 17 })
        );
    }

    #[test]
    fn checks_run_in_game_md_order() {
        // Forged and expired and unsolved: the signature is checked first.
        let mut press = solved(17, NONCE_16_BITS);
        press.signature = "0".repeat(64);
        assert_eq!(
            key().verify(&press, &at(NOW + 120_000)),
            Err(ChallengeError::BadSignature)
        );
        // Expired and unsolved: expiry before work.
        let press = solved(17, NONCE_16_BITS);
        assert_eq!(
            key().verify(&press, &at(NOW + 120_000)),
            Err(ChallengeError::Expired)
        );
    }

    #[test]
    fn malformed_ids_and_signatures_are_refused_before_any_hashing() {
        let mut press = solved(16, NONCE_16_BITS);
        press.challenge_id = ID.to_uppercase();
        assert_eq!(
            key().verify(&press, &at(NOW)),
            Err(ChallengeError::Malformed("challenge_id"))
        );
        let mut press = solved(16, NONCE_16_BITS);
        press.signature.pop();
        assert_eq!(
            key().verify(&press, &at(NOW)),
            Err(ChallengeError::Malformed("signature"))
        );
        let mut press = solved(16, NONCE_16_BITS);
        press.signature = "g".repeat(64);
        assert_eq!(
            key().verify(&press, &at(NOW)),
            Err(ChallengeError::Malformed("signature"))
        );
    }

    #[test]
    fn a_challenge_that_would_outlive_the_games_lifetime_is_refused() {
        // Signed to expire in a day: it would outlive JetStream's duplicate window.
        let press = PressRequest::new(
            key().issue_with_id(ID.into(), 16, NOW + 86_400_000),
            NONCE_16_BITS,
        );
        assert_eq!(
            key().verify(&press, &at(NOW)),
            Err(ChallengeError::ExpiresTooLate)
        );
        // A server whose clock is a little ahead issued it: still fine.
        let press = PressRequest::new(
            key().issue_with_id(ID.into(), 16, NOW + 60_000 + CLOCK_SKEW_MS),
            NONCE_16_BITS,
        );
        assert_eq!(key().verify(&press, &at(NOW)), Ok(()));
    }

    #[test]
    fn a_challenge_below_the_phase_is_honoured_only_within_the_grace() {
        let press = solved(16, NONCE_16_BITS);
        let risen = |now_ms| Redemption {
            phase_difficulty: 20,
            phase_since_ms: NOW,
            ..at(now_ms)
        };
        // Solved just as the phase rose: honoured.
        assert_eq!(
            key().verify(&press, &risen(NOW + PHASE_RISE_GRACE_MS)),
            Ok(())
        );
        // Stockpiled in CALM for later: refused.
        assert_eq!(
            key().verify(&press, &risen(NOW + PHASE_RISE_GRACE_MS + 1)),
            Err(ChallengeError::BelowPhase {
                required: 20,
                offered: 16
            })
        );
        // More work than the phase asks for is always fine.
        let calmer = Redemption {
            phase_difficulty: 8,
            ..risen(NOW + 30_000)
        };
        assert_eq!(key().verify(&press, &calmer), Ok(()));
    }
}
