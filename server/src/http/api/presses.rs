//! `GET /v1/presses/{press_id}`: where a press is; `GET /v1/presses`: the press log, for anyone
//! who wants to rebuild the game's history.

use app::game::PressId;
use app::wire::Receipt;
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use serde::Deserialize;

use crate::db;
use crate::http::AppState;
use crate::http::error::{ApiError, ApiPath, ApiQuery};

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

/// The most presses one page of the log holds.
const MAX_PAGE: u32 = 10_000;

/// A page of the press log.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PressLogPage {
    /// Presses with a higher `seq` than this (0, the default: from the first).
    #[serde(default)]
    after_seq: u64,
    /// At most this many (1 to 10,000; 1,000 by default).
    #[param(minimum = 1, maximum = 10_000)]
    limit: Option<u32>,
}

/// The applied presses after `after_seq`, oldest first, one JSON object a line.
///
/// A page is read whole before it is sent: a slow reader never holds a database connection.
#[utoipa::path(
    get,
    path = app::wire::routes::PRESS_LOG,
    tag = "presses",
    summary = "The press log (NDJSON)",
    description = "Every applied press, oldest first, one JSON object a line (`FeedEntry`: seq, \
        press_id, counter, handle, phase, tipped, flair, applied_at_ms; never a network address \
        nor a token). A page at a time: ask again with `after_seq` = the last line's `seq` until a \
        page comes back shorter than `limit`.",
    params(PressLogPage),
    responses(
        (status = 200, description = "A page of the log", content_type = "application/x-ndjson", body = String),
        (status = 400, description = "`invalid_query`", body = app::wire::ErrorBody),
        (status = 408, description = "`timeout`", body = app::wire::ErrorBody),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = app::wire::ErrorBody),
        (status = 503, description = "`unavailable`", body = app::wire::ErrorBody),
    )
)]
pub async fn get_press_log(
    State(app): State<AppState>,
    ApiQuery(page): ApiQuery<PressLogPage>,
) -> Result<impl IntoResponse, ApiError> {
    // Sequences are PostgreSQL BIGINTs (and so says the schema).
    if i64::try_from(page.after_seq).is_err() {
        return Err(ApiError::InvalidQuery(format!(
            "after_seq must be at most {}, not {}",
            i64::MAX,
            page.after_seq
        )));
    }
    let limit = page.limit.unwrap_or(1_000);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::InvalidQuery(format!(
            "limit must be 1 to {MAX_PAGE}, not {limit}"
        )));
    }
    let presses = db::press_log(&app.services.pool, page.after_seq, limit).await?;
    let mut body = Vec::with_capacity(presses.len() * 200);
    for press in &presses {
        serde_json::to_writer(&mut body, press)
            .map_err(|error| ApiError::Internal(format!("encoding the press log: {error}")))?;
        body.push(b'\n');
    }
    Ok((
        [
            (header::CONTENT_TYPE, "application/x-ndjson"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    ))
}
