//! The `states` table: one row per committed change; the newest is the current state.

use app::game::{PressId, Records, State};
use sqlx::{PgExecutor, Row, postgres::PgRow};

use super::{DbError, from_db, phase_from_db, phase_to_db, to_db};

const TABLE: &str = "states";

/// The newest committed state, or `None` before the first commit.
pub async fn current_state(db: impl PgExecutor<'_>) -> Result<Option<State>, DbError> {
    let row = sqlx::query(
        "SELECT id, last_applied_seq, counter, phase, entropy, entropy_half_life_ms,
                phase_since_ms, last_press_at_ms, calm_down_at_ms, cooldown_ms, difficulty,
                reveal_until_ms, tipped_by, updated_at_ms, rules_hash, season, paused
         FROM states ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(db)
    .await?;
    row.map(|row| state_from_row(&row)).transpose()
}

/// Inserts a committed state, with the records the game's memory measures moments against
/// after it (`db::current_records` reads them back).
pub async fn insert_state(
    db: impl PgExecutor<'_>,
    state: &State,
    records: &Records,
) -> Result<(), DbError> {
    let records = serde_json::to_string(records).map_err(|e| DbError::Corrupt {
        table: TABLE,
        problem: format!("records: {e}"),
    })?;
    sqlx::query(
        "INSERT INTO states (id, last_applied_seq, counter, phase, entropy, entropy_half_life_ms,
                             phase_since_ms, last_press_at_ms, calm_down_at_ms, cooldown_ms,
                             difficulty, reveal_until_ms, tipped_by, updated_at_ms, rules_hash,
                             records, season, paused)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                 $16::text::jsonb, $17, $18)",
    )
    .bind(to_db(state.id, TABLE)?)
    .bind(to_db(state.last_applied_seq, TABLE)?)
    .bind(to_db(state.counter, TABLE)?)
    .bind(phase_to_db(state.phase))
    .bind(state.entropy)
    .bind(state.entropy_half_life_ms)
    .bind(state.phase_since_ms)
    .bind(state.last_press_at_ms)
    .bind(state.calm_down_at_ms)
    .bind(state.cooldown_ms)
    .bind(i32::try_from(state.difficulty).unwrap_or(i32::MAX))
    .bind(state.reveal_until_ms)
    .bind(state.tipped_by.map(|id| id.0))
    .bind(state.updated_at_ms)
    .bind(state.rules_hash.to_string())
    .bind(records)
    .bind(i32::try_from(state.season).unwrap_or(i32::MAX))
    .bind(state.paused)
    .execute(db)
    .await?;
    Ok(())
}

fn state_from_row(row: &PgRow) -> Result<State, DbError> {
    let difficulty: i32 = row.try_get("difficulty")?;
    let rules_hash: String = row.try_get("rules_hash")?;
    Ok(State {
        id: from_db(row.try_get("id")?, TABLE)?,
        last_applied_seq: from_db(row.try_get("last_applied_seq")?, TABLE)?,
        counter: from_db(row.try_get("counter")?, TABLE)?,
        phase: phase_from_db(row.try_get("phase")?, TABLE)?,
        entropy: row.try_get("entropy")?,
        entropy_half_life_ms: row.try_get("entropy_half_life_ms")?,
        phase_since_ms: row.try_get("phase_since_ms")?,
        last_press_at_ms: row.try_get("last_press_at_ms")?,
        calm_down_at_ms: row.try_get("calm_down_at_ms")?,
        cooldown_ms: row.try_get("cooldown_ms")?,
        difficulty: u32::try_from(difficulty).map_err(|_| DbError::Corrupt {
            table: TABLE,
            problem: format!("difficulty {difficulty}"),
        })?,
        reveal_until_ms: row.try_get("reveal_until_ms")?,
        tipped_by: row
            .try_get::<Option<uuid::Uuid>, _>("tipped_by")?
            .map(PressId),
        updated_at_ms: row.try_get("updated_at_ms")?,
        season: u32::try_from(row.try_get::<i32, _>("season")?).map_err(|_| DbError::Corrupt {
            table: TABLE,
            problem: "a season below 1".into(),
        })?,
        paused: row.try_get("paused")?,
        rules_hash: rules_hash.parse().map_err(|e| DbError::Corrupt {
            table: TABLE,
            problem: format!("{e}"),
        })?,
    })
}

/// The committed counter as it was at `at_ms` (state time): 0 before the first press.
pub async fn counter_at(db: impl PgExecutor<'_>, at_ms: i64) -> Result<u64, DbError> {
    let counter: Option<i64> = sqlx::query_scalar(
        "SELECT counter FROM states WHERE updated_at_ms <= $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(at_ms)
    .fetch_optional(db)
    .await?;
    counter.map_or(Ok(0), |c| from_db(c, TABLE))
}
