//! The API's errors: `{"error": code, "message": text}`, with a stable code per failure (and,
//! for a press that may have counted, the `press_id` whose receipt tells).

use serde::{Deserialize, Serialize};

use crate::game::PressId;

/// Every error code the API answers with. The codes are an API: clients switch on them.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the body is not a well-formed press.
    InvalidBody,
    /// 400: the query string is not one this route takes.
    InvalidQuery,
    /// 403: the challenge was not signed by this game.
    BadSignature,
    /// 410: the challenge's lifetime is over.
    Expired,
    /// 403: the nonce's hash has too few leading zero bits.
    InsufficientWork,
    /// 429: this player pressed within the phase's cooldown.
    Cooldown,
    /// 429: too many requests from this address.
    RateLimited,
    /// 409: this challenge already bought a press.
    ChallengeUsed,
    /// 404: no such thing (or a path parameter that cannot name one).
    NotFound,
    /// 408: the request took longer than the server allows.
    Timeout,
    /// 413: the body is larger than any valid request.
    TooLarge,
    /// 503: the press left for the stream but was not confirmed in time; it may still count.
    /// The body's `press_id` names the receipt that tells.
    Unconfirmed,
    /// 503: a service the game needs is unavailable; nothing was taken.
    Unavailable,
    /// 503: an operator paused the game; the message says why. Nothing was taken.
    Paused,
    /// 401: an admin route without the right bearer token.
    Unauthorized,
    /// 500: something broke on the server.
    Internal,
}

impl ErrorCode {
    /// The code as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidBody => "invalid_body",
            ErrorCode::InvalidQuery => "invalid_query",
            ErrorCode::BadSignature => "bad_signature",
            ErrorCode::Expired => "expired",
            ErrorCode::InsufficientWork => "insufficient_work",
            ErrorCode::Cooldown => "cooldown",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::ChallengeUsed => "challenge_used",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Timeout => "timeout",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::Unconfirmed => "unconfirmed",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::Paused => "paused",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Internal => "internal",
        }
    }
}

/// The body of every error response.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// What went wrong, for programs.
    pub error: ErrorCode,
    /// What went wrong, for people.
    pub message: String,
    /// With `unconfirmed`: the press whose receipt tells whether it counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub press_id: Option<PressId>,
}
