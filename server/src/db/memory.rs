//! The game's memory in PostgreSQL (app/GAME.md, "History", "Moments", "Leaderboards",
//! "Countries"): what the reducer adds to `minutes` and `moments` in the transaction that commits
//! the state, and the records it resumes from. The leaderboards, the countries and the minutes'
//! players are the tally's (`tally`), written with every batch, or every few seconds while a
//! backlog waits.

use app::game::{Memory, Records};
use sqlx::{PgConnection, PgExecutor, Row};

use super::{DbError, to_db};

const TABLE: &str = "states";

/// The records committed with the newest state (none before the first commit, or when that
/// state was committed before the game had a memory).
pub async fn current_records(db: impl PgExecutor<'_>) -> Result<Records, DbError> {
    let row = sqlx::query("SELECT records::text AS records FROM states ORDER BY id DESC LIMIT 1")
        .fetch_optional(db)
        .await?;
    let Some(json) = row
        .map(|row| row.try_get::<Option<String>, _>("records"))
        .transpose()?
        .flatten()
    else {
        return Ok(Records::default());
    };
    serde_json::from_str(&json).map_err(|e| DbError::Corrupt {
        table: TABLE,
        problem: format!("records: {e}"),
    })
}

/// Writes what one committed batch adds to the game's memory: its minutes and its moments (its
/// records go with the state, in `insert_state`). Two statements, whatever the batch's size.
pub async fn remember(conn: &mut PgConnection, memory: &Memory) -> Result<(), DbError> {
    add_minutes(conn, memory).await?;
    add_moments(conn, memory).await
}

async fn add_minutes(conn: &mut PgConnection, memory: &Memory) -> Result<(), DbError> {
    if !memory.minutes.is_empty() {
        let starts: Vec<i64> = memory.minutes.keys().copied().collect();
        let minutes: Vec<_> = memory.minutes.values().collect();
        let presses: Vec<i64> = minutes
            .iter()
            .map(|m| to_db(m.presses, "minutes"))
            .collect::<Result<_, _>>()?;
        let peaks: Vec<f64> = minutes.iter().map(|m| m.peak_entropy).collect();
        let spent =
            |phase: usize| -> Vec<i64> { minutes.iter().map(|m| m.phase_ms[phase]).collect() };
        sqlx::query(
            "INSERT INTO minutes (minute_ms, presses, peak_entropy, warm_ms, hot_ms, chaos_ms)
             SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::float8[], $4::bigint[],
                                  $5::bigint[], $6::bigint[])
             ON CONFLICT (minute_ms) DO UPDATE SET
                 presses = minutes.presses + EXCLUDED.presses,
                 peak_entropy = GREATEST(minutes.peak_entropy, EXCLUDED.peak_entropy),
                 warm_ms = minutes.warm_ms + EXCLUDED.warm_ms,
                 hot_ms = minutes.hot_ms + EXCLUDED.hot_ms,
                 chaos_ms = minutes.chaos_ms + EXCLUDED.chaos_ms",
        )
        .bind(&starts)
        .bind(&presses)
        .bind(&peaks)
        .bind(spent(1))
        .bind(spent(2))
        .bind(spent(3))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn add_moments(conn: &mut PgConnection, memory: &Memory) -> Result<(), DbError> {
    if memory.moments.is_empty() {
        return Ok(());
    }
    let mut seqs = Vec::new();
    let mut kinds = Vec::new();
    let mut ats = Vec::new();
    let mut values = Vec::new();
    let mut details = Vec::new();
    let mut press_ids = Vec::new();
    let mut players = Vec::new();
    for moment in &memory.moments {
        seqs.push(to_db(moment.seq, "moments")?);
        kinds.push(moment.kind.name());
        ats.push(moment.at_ms);
        values.push(moment.kind.value());
        details.push(
            serde_json::to_string(&moment.kind).map_err(|e| DbError::Corrupt {
                table: "moments",
                problem: e.to_string(),
            })?,
        );
        press_ids.push(moment.press_id.map(|id| id.0));
        players.push(moment.player.map(|p| p.to_string()));
    }
    // No ON CONFLICT: a moment is made once, with the commit of the event that made it, and a
    // second one would be a bug worth stopping for.
    sqlx::query(
        "INSERT INTO moments (seq, kind, at_ms, value, detail, press_id, player)
         SELECT seq, kind, at_ms, value, detail::jsonb, press_id, player
         FROM UNNEST($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::text[],
                     $6::uuid[], $7::text[])
              AS m(seq, kind, at_ms, value, detail, press_id, player)",
    )
    .bind(&seqs)
    .bind(&kinds)
    .bind(&ats)
    .bind(&values)
    .bind(&details)
    .bind(&press_ids)
    .bind(&players)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
