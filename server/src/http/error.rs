//! The API's one error type: each variant has a status and a stable code; internal causes are
//! logged, never sent.

use app::game::PressId;
use app::wire::{ErrorBody, ErrorCode};
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::rejection::PathRejection;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tracing::{error, warn};

use crate::bus::CooldownError;
use crate::challenge::ChallengeError;

/// Everything an API call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the body is not a well-formed request.
    #[error("{0}")]
    InvalidBody(String),
    /// 400: the query string is not one the route takes.
    #[error("{0}")]
    InvalidQuery(String),
    /// 403 / 410 / 403: the challenge was refused.
    #[error(transparent)]
    Challenge(#[from] ChallengeError),
    /// 429: the player's cooldown has not passed.
    #[error("you pressed less than a cooldown ago; try again in {retry_after_ms} ms")]
    Cooldown {
        /// Until the player may press again.
        retry_after_ms: i64,
    },
    /// 429: too many requests from this address.
    #[error("too many requests from your address; try again in {retry_after_s} s")]
    RateLimited {
        /// Until the next request is allowed.
        retry_after_s: u64,
    },
    /// 409: the challenge already bought a press.
    #[error("this challenge was already used for a press; ask for a new one")]
    ChallengeUsed,
    /// 404.
    #[error("{0}")]
    NotFound(String),
    /// 408: the request was not done within the request timeout.
    #[error("the request took longer than this server allows; try again")]
    Timeout,
    /// 413: the body is larger than any valid request.
    #[error("the body is larger than {limit} bytes: no valid request is that large")]
    TooLarge {
        /// The most bytes a body may have.
        limit: usize,
    },
    /// 429: this client holds as many live streams as it may.
    #[error("too many live streams from your address; close one and try again")]
    TooManyStreams,
    /// 503: the press left for JetStream but no answer came back in time. It may be stored (and
    /// then applied, once); its receipt tells. The cause is logged.
    #[error(
        "the game could not confirm your press in time; it may still count: its receipt at \
         /v1/presses/{press_id} tells (do not press again with this challenge)"
    )]
    Unconfirmed {
        /// The receipt to follow.
        press_id: PressId,
        /// Why, for the log.
        cause: String,
    },
    /// 503: a service is down; nothing was taken. The cause is logged.
    #[error("the game cannot take this right now; nothing was taken, try again shortly")]
    Unavailable(String),
    /// 503: an operator paused the game; the operator's message, if any, is said.
    #[error("the game is paused{}; nothing was taken", .0.as_deref().map(|m| format!(": {m}")).unwrap_or_default())]
    Paused(Option<String>),
    /// 401: an admin route without the right bearer token.
    #[error("this route needs an admin token (Authorization: Bearer …)")]
    Unauthorized,
    /// 500: a bug or a corrupt row. The cause is logged.
    #[error("something went wrong on our side")]
    Internal(String),
}

impl ApiError {
    /// The status and the stable code.
    pub fn status_and_code(&self) -> (StatusCode, ErrorCode) {
        match self {
            ApiError::InvalidBody(_) => (StatusCode::BAD_REQUEST, ErrorCode::InvalidBody),
            ApiError::InvalidQuery(_) => (StatusCode::BAD_REQUEST, ErrorCode::InvalidQuery),
            ApiError::Challenge(ChallengeError::Malformed(_)) => {
                (StatusCode::BAD_REQUEST, ErrorCode::InvalidBody)
            }
            ApiError::Challenge(ChallengeError::BadSignature) => {
                (StatusCode::FORBIDDEN, ErrorCode::BadSignature)
            }
            // Not issued by the game as it runs now: to the client, as good as not ours.
            ApiError::Challenge(ChallengeError::ExpiresTooLate) => {
                (StatusCode::FORBIDDEN, ErrorCode::BadSignature)
            }
            ApiError::Challenge(ChallengeError::Expired) => (StatusCode::GONE, ErrorCode::Expired),
            ApiError::Challenge(
                ChallengeError::InsufficientWork { .. } | ChallengeError::BelowPhase { .. },
            ) => (StatusCode::FORBIDDEN, ErrorCode::InsufficientWork),
            ApiError::Cooldown { .. } => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::Cooldown),
            ApiError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited),
            ApiError::ChallengeUsed => (StatusCode::CONFLICT, ErrorCode::ChallengeUsed),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            ApiError::Timeout => (StatusCode::REQUEST_TIMEOUT, ErrorCode::Timeout),
            ApiError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::TooLarge),
            ApiError::TooManyStreams => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited),
            ApiError::Unconfirmed { .. } => {
                (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Unconfirmed)
            }
            ApiError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Unavailable),
            ApiError::Paused(_) => (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Paused),
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal),
        }
    }

    fn retry_after_s(&self) -> Option<u64> {
        match self {
            // Rounded up: a client that waits the header's seconds is never early.
            ApiError::Cooldown { retry_after_ms } => {
                Some(((*retry_after_ms).max(0) as u64).div_ceil(1_000))
            }
            ApiError::RateLimited { retry_after_s } => Some((*retry_after_s).max(1)),
            ApiError::Unavailable(_) | ApiError::TooManyStreams => Some(1),
            _ => None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        match &self {
            ApiError::Internal(cause) => error!(%cause, "internal error answered with 500"),
            ApiError::Unavailable(cause) => warn!(%cause, "answered 503 unavailable"),
            ApiError::Unconfirmed { press_id, cause } => {
                warn!(%press_id, %cause, "answered 503 unconfirmed");
            }
            _ => {}
        }
        let retry_after = self.retry_after_s();
        let body = ErrorBody {
            error: code,
            message: self.to_string(),
            press_id: match &self {
                ApiError::Unconfirmed { press_id, .. } => Some(*press_id),
                _ => None,
            },
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = retry_after
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

/// The most bytes an API request's body may have: a press is a few hundred.
pub const MAX_BODY_BYTES: usize = 1_024;

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return ApiError::TooLarge {
                limit: MAX_BODY_BYTES,
            };
        }
        ApiError::InvalidBody(format!(
            "the body is not a valid request: {}",
            rejection.body_text()
        ))
    }
}

impl From<CooldownError> for ApiError {
    fn from(e: CooldownError) -> Self {
        match e {
            CooldownError::TooSoon { retry_after_ms } => ApiError::Cooldown { retry_after_ms },
            CooldownError::Unavailable(cause) => ApiError::Unavailable(cause),
        }
    }
}

impl From<crate::db::DbError> for ApiError {
    fn from(e: crate::db::DbError) -> Self {
        match e {
            crate::db::DbError::Sqlx(cause) => {
                ApiError::Unavailable(format!("PostgreSQL: {cause}"))
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        ApiError::NotFound(format!(
            "the path does not name anything this API knows: {}",
            rejection.body_text()
        ))
    }
}

/// `Path` whose rejections are this API's 404 `not_found`, with the JSON error.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// Any other path under `/v1`: the API's 404, not the page's.
pub async fn no_such_route() -> ApiError {
    ApiError::NotFound("no such route in this API; see /openapi.json".into())
}

/// `Json` whose rejections are this API's 400 `invalid_body`.
#[derive(Debug, FromRequest)]
#[from_request(via(Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// `Query` whose rejections are this API's 400 `invalid_query`.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::InvalidQuery(rejection.body_text())
    }
}
