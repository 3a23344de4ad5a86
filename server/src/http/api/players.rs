//! `GET /v1/players/{handle}`: a player's presses, tips and shelf of flair.

use app::game::Handle;
use app::wire::PlayerProfile;
use axum::Json;
use axum::extract::State;

use crate::db;
use crate::http::AppState;
use crate::http::error::{ApiError, ApiPath};

/// The record of the player known as `handle`.
#[utoipa::path(
    get,
    path = app::wire::routes::PLAYER,
    tag = "players",
    summary = "A player's record",
    description = "Presses, tips, the shelf of flair (counts by kind) and the newest presses of \
        the player known as `handle` (app/GAME.md, \"Players\"). Two players who share a handle \
        are summed.",
    params(("handle" = String, Path, description = "adjective-animal-number, as the 202 of a press, the feed and receipts give it", example = "amber-otter-42")),
    responses(
        (status = 200, description = "The player's record", body = PlayerProfile),
        (status = 404, description = "`not_found`: nobody with this handle pressed (or it is not a handle)", body = app::wire::ErrorBody),
        (status = 408, description = "`timeout`", body = app::wire::ErrorBody),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = app::wire::ErrorBody),
        (status = 503, description = "`unavailable`", body = app::wire::ErrorBody),
    )
)]
#[tracing::instrument(name = "player", skip(app), fields(handle = %handle))]
pub async fn get_player(
    State(app): State<AppState>,
    ApiPath(handle): ApiPath<String>,
) -> Result<Json<PlayerProfile>, ApiError> {
    let parsed: Handle = handle
        .parse()
        .map_err(|error| ApiError::NotFound(format!("`{handle}` is not a handle: {error}")))?;
    let mut conn = app
        .services
        .pool
        .acquire()
        .await
        .map_err(db::DbError::from)?;
    match db::player_profile(&mut conn, parsed).await? {
        Some(profile) => Ok(Json(profile)),
        None => Err(ApiError::NotFound(format!(
            "nobody known as `{handle}` has pressed yet"
        ))),
    }
}
