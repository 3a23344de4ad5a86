//! `POST /v1/events/press`: a press as it is sent (the challenge as it was issued, and the nonce
//! that solves it) and the answer to an accepted one.

use serde::{Deserialize, Serialize};

use super::Challenge;
use crate::game::PressId;

/// `202 Accepted`: JetStream has stored the press; it will be applied exactly once.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PressAccepted {
    /// The press's id, for its receipt at `/v1/presses/{press_id}`.
    pub press_id: PressId,
    /// When the server accepted it (milliseconds since the Unix epoch).
    pub timestamp_ms: i64,
    /// The handle of the player whose token came with the press (GAME.md, "Players"); none for
    /// an anonymous press.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handle: Option<String>,
    /// The challenge for this client's next press, issued with the answer: the page solves it
    /// while the cooldown counts down, and its next press is one request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_challenge: Option<Challenge>,
}

/// A press: the challenge as it was issued, and the nonce that solves it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PressRequest {
    /// As issued.
    #[cfg_attr(feature = "ssr", schema(pattern = "^[0-9a-f]{32}$"))]
    pub challenge_id: String,
    /// As issued.
    #[cfg_attr(feature = "ssr", schema(maximum = 32))]
    pub difficulty: u32,
    /// As issued.
    pub expires_at: i64,
    /// As issued.
    #[cfg_attr(feature = "ssr", schema(pattern = "^[0-9a-f]{64}$"))]
    pub signature: String,
    /// The nonce such that `SHA-256("{challenge_id}:{nonce}")` has `difficulty` leading zero bits:
    /// a JSON number, or the same number as a decimal string (JavaScript's numbers are exact
    /// only up to 2^53, and older clients send strings).
    #[serde(deserialize_with = "nonce::deserialize")]
    #[cfg_attr(feature = "ssr", schema(schema_with = nonce::schema))]
    pub nonce: u64,
    /// The player's own random token, kept in the browser: the server keeps only its keyed hash,
    /// and the player is known by the handle derived from it. Without one the press counts as
    /// anonymous.
    #[serde(
        default,
        deserialize_with = "player_token::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "ssr", schema(pattern = "^[A-Za-z0-9_-]{16,128}$"))]
    pub player_token: Option<String>,
    /// The page's live stream (`/v1/states/stream?viewer=…`, a random id the page made): the
    /// press's receipt is pushed there (`event: receipt`) once it is applied, whichever web
    /// server holds the stream.
    #[serde(
        default,
        deserialize_with = "viewer::deserialize_optional",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "ssr", schema(pattern = "^[0-9a-f]{32}$"))]
    pub viewer: Option<String>,
}

/// A viewer: the random id of one page's live stream, 32 lowercase hex digits.
pub mod viewer {
    use serde::{Deserialize, Deserializer, de::Error};

    /// Whether `viewer` is one.
    pub fn is_valid(viewer: &str) -> bool {
        viewer.len() == 32
            && viewer
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    }

    /// An optional viewer, refused unless well-formed.
    pub fn deserialize_optional<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<String>, D::Error> {
        let Some(viewer) = Option::<String>::deserialize(deserializer)? else {
            return Ok(None);
        };
        if !is_valid(&viewer) {
            return Err(D::Error::custom("viewer: 32 lowercase hex digits"));
        }
        Ok(Some(viewer))
    }
}

/// A player token: 16 to 128 URL-safe characters (the page makes 32 random hex digits).
mod player_token {
    use serde::{Deserialize, Deserializer, de::Error};

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<String>, D::Error> {
        let Some(token) = Option::<String>::deserialize(deserializer)? else {
            return Ok(None);
        };
        let url_safe = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
        if !(16..=128).contains(&token.len()) || !token.bytes().all(url_safe) {
            return Err(D::Error::custom(
                "player_token: 16 to 128 characters of A-Z, a-z, 0-9, '-' and '_'",
            ));
        }
        Ok(Some(token))
    }
}

/// The nonce on the wire: a `u64` as a JSON number or a decimal string.
mod nonce {
    use serde::{Deserialize, Deserializer, de::Error};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Wire {
        Number(u64),
        Text(String),
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
        match Wire::deserialize(deserializer) {
            Ok(Wire::Number(n)) => Ok(n),
            Ok(Wire::Text(text)) => {
                if text.is_empty() || text.len() > 20 || !text.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(D::Error::custom("nonce: not a decimal number"));
                }
                text.parse()
                    .map_err(|_| D::Error::custom("nonce: larger than a 64-bit unsigned number"))
            }
            Err(_) => Err(D::Error::custom(
                "nonce: must be a non-negative integer below 2^64, as a number or a decimal string",
            )),
        }
    }

    #[cfg(feature = "ssr")]
    pub fn schema() -> utoipa::openapi::schema::Schema {
        use utoipa::openapi::schema::{
            KnownFormat, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat, Type,
        };
        let one_of = OneOfBuilder::new()
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                    .minimum(Some(0))
                    .maximum(Some(i64::MAX)),
            )
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some("^[0-9]{1,19}$")),
            )
            .description(Some(
                "A u64, as a JSON number or as a decimal string (exact beyond 2^53)",
            ))
            .build();
        Schema::OneOf(one_of)
    }
}

impl PressRequest {
    /// The anonymous press that answers `challenge` with `nonce`.
    pub fn new(challenge: Challenge, nonce: u64) -> PressRequest {
        PressRequest {
            challenge_id: challenge.challenge_id,
            difficulty: challenge.difficulty,
            expires_at: challenge.expires_at,
            signature: challenge.signature,
            nonce,
            player_token: None,
            viewer: None,
        }
    }

    /// The same press, by the player whose token is `token`.
    pub fn by(mut self, token: impl Into<String>) -> PressRequest {
        self.player_token = Some(token.into());
        self
    }

    /// The same press, its receipt pushed to the live stream of `viewer`.
    pub fn seen_by(mut self, viewer: impl Into<String>) -> PressRequest {
        self.viewer = Some(viewer.into());
        self
    }
}
