//! `GET /v1/challenge`: a signed challenge at the current phase's difficulty.

use app::wire::Challenge;
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use crate::clock::now_ms;
use crate::http::AppState;

/// Issues a challenge; nothing is stored.
#[utoipa::path(
    get,
    path = app::wire::routes::CHALLENGE,
    tag = "presses",
    summary = "A proof-of-work challenge at the current phase's difficulty",
    responses(
        (status = 200, description = "A signed challenge, valid until `expires_at`", body = Challenge),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = app::wire::ErrorBody),
    )
)]
pub async fn get_challenge(State(app): State<AppState>) -> impl IntoResponse {
    let difficulty = app.services.live.borrow().difficulty;
    let challenge: Challenge =
        app.services
            .challenges
            .issue(difficulty, now_ms(), app.services.rules.challenge_ttl_ms());
    crate::metrics::challenge_issued();
    ([(header::CACHE_CONTROL, "no-store")], Json(challenge))
}
