//! Reading the moments: newest first, and the record ones ranked for their boards.

use app::game::{Board, MomentKind, Player, PressId};
use app::wire::MomentEntry;
use sqlx::postgres::PgRow;
use sqlx::{PgExecutor, Row};

use super::{DbError, from_db};

const TABLE: &str = "moments";
const COLUMNS: &str = "seq, at_ms, detail::text AS detail, press_id, player";

/// Up to `limit` moments older than `before_seq` (all when `None`), newest first.
pub async fn newest_moments(
    db: impl PgExecutor<'_>,
    before_seq: Option<i64>,
    limit: i64,
) -> Result<Vec<MomentEntry>, DbError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM moments WHERE seq < $1 ORDER BY seq DESC, kind DESC LIMIT $2"
    ))
    .bind(before_seq.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter().map(moment_entry).collect()
}

/// The top `limit` moments of a moments' board since `since_ms`, best first, with their measure.
pub async fn top_moments(
    db: impl PgExecutor<'_>,
    board: Board,
    since_ms: i64,
    limit: i64,
) -> Result<Vec<(i64, MomentEntry)>, DbError> {
    let Some(kind) = board.moment_kind() else {
        return Ok(Vec::new());
    };
    // The order is one of two fixed strings, never input.
    let order = if board.lowest_first() { "ASC" } else { "DESC" };
    let rows = sqlx::query(&format!(
        "SELECT value, {COLUMNS} FROM moments WHERE kind = $1 AND at_ms >= $2
         ORDER BY value {order}, seq LIMIT $3"
    ))
    .bind(kind)
    .bind(since_ms)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("value")?, moment_entry(row)?)))
        .collect()
}

fn moment_entry(row: &PgRow) -> Result<MomentEntry, DbError> {
    let corrupt = |problem: String| DbError::Corrupt {
        table: TABLE,
        problem,
    };
    let detail: String = row.try_get("detail")?;
    let what: MomentKind =
        serde_json::from_str(&detail).map_err(|e| corrupt(format!("detail: {e}")))?;
    let player = row
        .try_get::<Option<String>, _>("player")?
        .map(|p| p.parse::<Player>().map_err(|e| corrupt(e.to_string())))
        .transpose()?;
    Ok(MomentEntry {
        seq: from_db(row.try_get("seq")?, TABLE)?,
        at_ms: row.try_get("at_ms")?,
        what,
        press_id: row
            .try_get::<Option<uuid::Uuid>, _>("press_id")?
            .map(PressId),
        handle: player.map(|p| p.handle().to_string()),
    })
}
