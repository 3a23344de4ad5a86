//! `GET /v1/presses/{press_id}`: where a press is.

use app::game::PressId;
use app::wire::Receipt;
use axum::Json;
use axum::extract::State;

use crate::db;
use crate::http::AppState;
use crate::http::error::{ApiError, ApiPath};

/// `applied` with its facts, `pending` while only JetStream has it, 404 if nobody took it.
#[utoipa::path(
    get,
    path = app::wire::routes::RECEIPT,
    tag = "presses",
    summary = "The receipt of a press",
    params(("press_id" = String, Path, format = Uuid, description = "The id the 202 gave")),
    responses(
        (status = 200, description = "Pending or applied", body = Receipt),
        (status = 404, description = "`not_found`: no press has this id (or it is not one)", body = app::wire::ErrorBody),
        (status = 408, description = "`timeout`", body = app::wire::ErrorBody),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = app::wire::ErrorBody),
        (status = 503, description = "`unavailable`", body = app::wire::ErrorBody),
    )
)]
#[tracing::instrument(name = "receipt", skip(app), fields(press_id = %press_id))]
pub async fn get_receipt(
    State(app): State<AppState>,
    ApiPath(press_id): ApiPath<String>,
) -> Result<Json<Receipt>, ApiError> {
    let not_found = || ApiError::NotFound(format!("no press has the id `{press_id}`"));
    let id: PressId = press_id.parse().map_err(|_| not_found())?;
    if let Some(receipt) = db::receipt(&app.services.pool, id).await? {
        return Ok(Json(receipt));
    }
    match app.services.events.has_press(id).await {
        Ok(true) => Ok(Json(Receipt::Pending { press_id: id })),
        Ok(false) => Err(not_found()),
        Err(cause) => Err(ApiError::Unavailable(format!("JetStream: {cause}"))),
    }
}
