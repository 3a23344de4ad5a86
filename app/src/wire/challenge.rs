//! `GET /v1/challenge`: a proof-of-work challenge as it travels, issued signed; solved, it comes
//! back inside a press (`press.rs`).

use serde::{Deserialize, Serialize};

/// A signed challenge. Nothing is stored on the server: the signature is the proof that it issued it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    /// A random 128-bit id, 32 lowercase hex digits.
    #[cfg_attr(feature = "ssr", schema(pattern = "^[0-9a-f]{32}$"))]
    pub challenge_id: String,
    /// Leading zero bits the solution's hash must have.
    #[cfg_attr(feature = "ssr", schema(maximum = 32))]
    pub difficulty: u32,
    /// Milliseconds since the Unix epoch after which the challenge is refused.
    pub expires_at: i64,
    /// Hex HMAC-SHA256 of `"{challenge_id}:{difficulty}:{expires_at}"` under the server's secret.
    #[cfg_attr(feature = "ssr", schema(pattern = "^[0-9a-f]{64}$"))]
    pub signature: String,
}
