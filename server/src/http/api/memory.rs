//! The game's memory (app/GAME.md, "History", "Moments", "Leaderboards", "Countries"):
//! `GET /v1/history`, `GET /v1/moments`, `GET /v1/leaderboard` and `GET /v1/countries`, read from
//! the tables the reducer keeps.

use std::str::FromStr;

use app::game::{Board, Period};
use app::wire::{Countries, History, HistoryRange, Leaderboard, Moments};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use crate::clock::now_ms;
use crate::db;
use crate::http::AppState;
use crate::http::error::{ApiError, ApiQuery};

/// The value a query parameter names (`default` when it is absent); a name that is not one is
/// a 400 naming the parameter and, through the type's error, the names there are.
fn named<T: FromStr>(parameter: &str, name: Option<String>, default: T) -> Result<T, ApiError>
where
    T::Err: std::fmt::Display,
{
    name.map_or(Ok(default), |name| {
        name.parse()
            .map_err(|e| ApiError::InvalidQuery(format!("{parameter}: {e}")))
    })
}

/// Which history.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    /// `1h` (the default), `24h`, `7d` or `all`.
    #[param(value_type = Option<String>, example = "24h")]
    range: Option<String>,
}

/// The history for charts: presses, players, peak entropy and time per phase, in buckets.
#[utoipa::path(
    get,
    path = app::wire::routes::HISTORY,
    tag = "memory",
    summary = "The game's history, for charts",
    description = "Per-minute aggregates the reducer keeps (presses, the most distinct players in \
        a minute, the highest entropy a press left, milliseconds in each phase) added up into at \
        most a few hundred points of a round width (1 min for `1h`, 5 min for `24h`, 1 h for \
        `7d`), oldest first, none missing.",
    params(HistoryQuery),
    responses(
        (status = 200, description = "The points", body = History),
        (status = 400, description = "`invalid_query`", body = app::wire::ErrorBody),
        (status = 408, description = "`timeout`", body = app::wire::ErrorBody),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = app::wire::ErrorBody),
        (status = 503, description = "`unavailable`", body = app::wire::ErrorBody),
    )
)]
pub async fn get_history(
    State(app): State<AppState>,
    ApiQuery(query): ApiQuery<HistoryQuery>,
) -> Result<Json<History>, ApiError> {
    let range = named("range", query.range, HistoryRange::default())?;
    let now = now_ms();
    let since_commit = app.services.time_since_commit(now);
    Ok(Json(
        db::history(&app.services.pool, range, now, &since_commit).await?,
    ))
}

/// The most moments one page holds.
const MAX_MOMENTS: i64 = 200;

/// A page of moments.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MomentsPage {
    /// Moments made by events before this seq (none: from the newest).
    before_seq: Option<u64>,
    /// At most this many (1 to 200; 50 by default).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
}

/// The moments, newest first.
#[utoipa::path(
    get,
    path = app::wire::routes::MOMENTS,
    tag = "memory",
    summary = "The game's moments, newest first",
    description = "Phase tips (who, at which press), milestones, records (longest CHAOS, fastest \
        CALM → CHAOS, busiest minute) and the first press of each UTC day. Older pages: \
        `before_seq` = the last moment's `seq`.",
    params(MomentsPage),
    responses(
        (status = 200, description = "The moments", body = Moments),
        (status = 400, description = "`invalid_query`", body = app::wire::ErrorBody),
        (status = 408, description = "`timeout`", body = app::wire::ErrorBody),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = app::wire::ErrorBody),
        (status = 503, description = "`unavailable`", body = app::wire::ErrorBody),
    )
)]
pub async fn get_moments(
    State(app): State<AppState>,
    ApiQuery(page): ApiQuery<MomentsPage>,
) -> Result<Json<Moments>, ApiError> {
    let before_seq = page
        .before_seq
        .map(|seq| {
            i64::try_from(seq).map_err(|_| {
                ApiError::InvalidQuery(format!("before_seq must be at most {}", i64::MAX))
            })
        })
        .transpose()?;
    let limit = page.limit.unwrap_or(Moments::LEN as i64);
    if !(1..=MAX_MOMENTS).contains(&limit) {
        return Err(ApiError::InvalidQuery(format!(
            "limit must be 1 to {MAX_MOMENTS}, not {limit}"
        )));
    }
    let moments = db::newest_moments(&app.services.pool, before_seq, limit).await?;
    Ok(Json(Moments { moments }))
}

/// Which board.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BoardQuery {
    /// `presses` (the default), `tips`, `tips_warm`, `tips_hot`, `tips_chaos`,
    /// `flair_milestone`, `flair_rekindler`, or a moments' board: `longest_chaos`,
    /// `fastest_climb`, `busiest_minute`.
    #[param(value_type = Option<String>, example = "tips_chaos")]
    board: Option<String>,
    /// `today` (the current UTC day, the default) or `all`.
    #[param(value_type = Option<String>, example = "all")]
    period: Option<String>,
}

/// One leaderboard, top first.
#[utoipa::path(
    get,
    path = app::wire::routes::LEADERBOARD,
    tag = "memory",
    summary = "A leaderboard",
    description = "The top ten of a board: players by presses, tips (into any phase, or into one) \
        or flair of a kind, today (UTC) or all time; or the record moments by their measure. \
        Read from tables the reducer keeps, never by scanning presses.",
    params(BoardQuery),
    responses(
        (status = 200, description = "The board", body = Leaderboard),
        (status = 400, description = "`invalid_query`: no such board or period", body = app::wire::ErrorBody),
        (status = 408, description = "`timeout`", body = app::wire::ErrorBody),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = app::wire::ErrorBody),
        (status = 503, description = "`unavailable`", body = app::wire::ErrorBody),
    )
)]
pub async fn get_leaderboard(
    State(app): State<AppState>,
    ApiQuery(query): ApiQuery<BoardQuery>,
) -> Result<Json<Leaderboard>, ApiError> {
    let board = named("board", query.board, Board::Presses)?;
    let period = named("period", query.period, Period::Today)?;
    let mut conn = app
        .services
        .pool
        .acquire()
        .await
        .map_err(db::DbError::from)?;
    Ok(Json(
        db::leaderboard(&mut conn, board, period, now_ms()).await?,
    ))
}

/// Which period of countries.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CountriesQuery {
    /// `today` (the current UTC day, the default) or `all`.
    #[param(value_type = Option<String>, example = "today")]
    period: Option<String>,
}

/// Presses by country.
#[utoipa::path(
    get,
    path = app::wire::routes::COUNTRIES,
    tag = "memory",
    summary = "Presses by country",
    description = "Presses per country (ISO 3166-1 alpha-2, from the client's address looked up in \
        an offline database by the web server; no address is stored), most first. A country with \
        fewer than `k` presses in a day counts as `other` that day; presses of no known country \
        as `unknown`.",
    params(CountriesQuery),
    responses(
        (status = 200, description = "Presses by country", body = Countries),
        (status = 400, description = "`invalid_query`: no such period", body = app::wire::ErrorBody),
        (status = 408, description = "`timeout`", body = app::wire::ErrorBody),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = app::wire::ErrorBody),
        (status = 503, description = "`unavailable`", body = app::wire::ErrorBody),
    )
)]
pub async fn get_countries(
    State(app): State<AppState>,
    ApiQuery(query): ApiQuery<CountriesQuery>,
) -> Result<Json<Countries>, ApiError> {
    let period = named("period", query.period, Period::Today)?;
    Ok(Json(
        db::countries(&app.services.pool, period, app.services.country_k, now_ms()).await?,
    ))
}
