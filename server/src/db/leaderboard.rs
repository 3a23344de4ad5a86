//! Reading the leaderboards: players' boards from `scores` (down an index, top first), the
//! moments' boards from `moments`.

use app::game::{Board, Period, Player, day_of};
use app::wire::{Leaderboard, LeaderboardRow, ranks};
use sqlx::{PgConnection, Row};

use super::{DbError, top_moments};

/// The top of `board` over `period`, as of `now_ms`.
pub async fn leaderboard(
    conn: &mut PgConnection,
    board: Board,
    period: Period,
    now_ms: i64,
) -> Result<Leaderboard, DbError> {
    let limit = Leaderboard::LEN as i64;
    let mut rows: Vec<LeaderboardRow> = Vec::new();
    if board.moment_kind().is_some() {
        let since = match period {
            Period::Today => day_of(now_ms),
            Period::All => i64::MIN,
        };
        for (score, moment) in top_moments(&mut *conn, board, since, limit).await? {
            rows.push(LeaderboardRow {
                rank: 0,
                score,
                handle: None,
                moment: Some(moment),
            });
        }
    } else {
        let top = sqlx::query(
            "SELECT player, score FROM scores WHERE period = $1 AND board = $2
             ORDER BY score DESC, player LIMIT $3",
        )
        .bind(period.key(now_ms))
        .bind(board.to_string())
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
        for row in top {
            let player: String = row.try_get("player")?;
            let player: Player = player.parse().map_err(|e| DbError::Corrupt {
                table: "scores",
                problem: format!("{e}"),
            })?;
            rows.push(LeaderboardRow {
                rank: 0,
                score: row.try_get("score")?,
                handle: Some(player.handle().to_string()),
                moment: None,
            });
        }
    }
    let scores: Vec<i64> = rows.iter().map(|r| r.score).collect();
    for (row, rank) in rows.iter_mut().zip(ranks(&scores)) {
        row.rank = rank;
    }
    Ok(Leaderboard {
        board: board.to_string(),
        period: period.as_str().to_owned(),
        rows,
    })
}
