//! Proof-of-work challenges as they travel: issued by `GET /v1/challenge`, solved and sent back
//! with `POST /v1/events/press`.

use serde::{Deserialize, Serialize};

/// A signed challenge. Nothing is stored on the server: the signature is the proof that it issued it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    /// A random 128-bit id, 32 lowercase hex digits.
    pub challenge_id: String,
    /// Leading zero bits the solution's hash must have.
    pub difficulty: u32,
    /// Milliseconds since the Unix epoch after which the challenge is refused.
    pub expires_at: i64,
    /// Hex HMAC-SHA256 of `"{challenge_id}:{difficulty}:{expires_at}"` under the server's secret.
    pub signature: String,
}

/// A press: the challenge as it was issued, and the nonce that solves it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PressRequest {
    /// As issued.
    pub challenge_id: String,
    /// As issued.
    pub difficulty: u32,
    /// As issued.
    pub expires_at: i64,
    /// As issued.
    pub signature: String,
    /// The nonce such that `SHA-256("{challenge_id}:{nonce}")` has `difficulty` leading zero bits.
    pub nonce: u64,
}

impl PressRequest {
    /// The press that answers `challenge` with `nonce`.
    pub fn new(challenge: Challenge, nonce: u64) -> PressRequest {
        PressRequest {
            challenge_id: challenge.challenge_id,
            difficulty: challenge.difficulty,
            expires_at: challenge.expires_at,
            signature: challenge.signature,
            nonce,
        }
    }
}
