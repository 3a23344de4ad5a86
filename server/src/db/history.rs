//! Reading the game's history for charts: `minutes` added up into buckets (never `presses`).

use std::collections::BTreeMap;

use app::game::{MINUTE_MS, Minute, Phase, minute_of};
use app::wire::{History, HistoryPoint, HistoryRange, bucket_ms, points};
use sqlx::{PgExecutor, PgPool, Row};

use super::{DbError, from_db};

/// The history over `range` as of `now_ms`, one point per bucket, oldest first, none missing;
/// `since_commit` is the time since the last committed event (`app::game::time_since`), which
/// the stored minutes do not hold yet.
pub async fn history(
    pool: &PgPool,
    range: HistoryRange,
    now_ms: i64,
    since_commit: &BTreeMap<i64, Minute>,
) -> Result<History, DbError> {
    let span = match range.span_ms() {
        Some(span) => span,
        None => now_ms.saturating_sub(first_minute(pool).await?.unwrap_or(now_ms)) + MINUTE_MS,
    };
    let bucket = bucket_ms(span);
    // Buckets start on multiples of their width, so a chart's points stay put as time passes.
    let from_ms = now_ms.saturating_sub(span).div_euclid(bucket) * bucket;
    let to_ms = now_ms;
    let rows = sqlx::query(
        "SELECT (minute_ms - $1) / $2 AS bucket, sum(presses)::bigint AS presses,
                max(players) AS players, max(peak_entropy) AS peak_entropy,
                sum(warm_ms)::bigint AS warm_ms, sum(hot_ms)::bigint AS hot_ms,
                sum(chaos_ms)::bigint AS chaos_ms
         FROM minutes WHERE minute_ms >= $1 AND minute_ms < $3
         GROUP BY bucket ORDER BY bucket",
    )
    .bind(from_ms)
    .bind(bucket)
    .bind(to_ms)
    .fetch_all(pool)
    .await?;

    let count = usize::try_from(points(to_ms - from_ms, bucket).max(1)).unwrap_or(1);
    let mut chart: Vec<HistoryPoint> = (0..count)
        .map(|i| HistoryPoint {
            at_ms: from_ms + bucket * i as i64,
            ..HistoryPoint::default()
        })
        .collect();
    for row in rows {
        let index: i64 = row.try_get("bucket")?;
        let Some(point) = usize::try_from(index).ok().and_then(|i| chart.get_mut(i)) else {
            continue;
        };
        point.presses = from_db(row.try_get("presses")?, "minutes")?;
        point.players = from_db(row.try_get("players")?, "minutes")?;
        point.peak_entropy = row.try_get("peak_entropy")?;
        point.phase_ms[Phase::Warm.index()] = row.try_get("warm_ms")?;
        point.phase_ms[Phase::Hot.index()] = row.try_get("hot_ms")?;
        point.phase_ms[Phase::Chaos.index()] = row.try_get("chaos_ms")?;
    }
    for (minute, counted) in since_commit {
        let index = (minute - from_ms).div_euclid(bucket);
        if let Some(point) = usize::try_from(index).ok().and_then(|i| chart.get_mut(i)) {
            for phase in Phase::ALL {
                point.phase_ms[phase.index()] += counted.phase_ms[phase.index()];
            }
        }
    }
    for point in &mut chart {
        // CALM is the rest of the bucket, up to now.
        let length = (point.at_ms + bucket).min(to_ms) - point.at_ms;
        let above: i64 = point.phase_ms[1..].iter().sum();
        point.phase_ms[Phase::Calm.index()] = (length - above).max(0);
    }
    Ok(History {
        range,
        bucket_ms: bucket,
        from_ms,
        to_ms,
        points: chart,
    })
}

/// The first minute anything happened in.
async fn first_minute(db: impl PgExecutor<'_>) -> Result<Option<i64>, DbError> {
    let row = sqlx::query("SELECT min(minute_ms) AS first FROM minutes")
        .fetch_one(db)
        .await?;
    Ok(row.try_get::<Option<i64>, _>("first")?.map(minute_of))
}
