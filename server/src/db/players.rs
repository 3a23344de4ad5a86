//! The `players` and `player_flair` tables: each player's totals and shelf of flair, kept by
//! the reducer in the transaction that stores the presses they count.

use std::collections::BTreeMap;

use app::game::{Flair, Handle, Player};
use app::wire::{PlayerProfile, ShelfItem};
use sqlx::Row;

use super::presses::{FEED_COLUMNS, feed_entry};
use super::{DbError, NewPress, from_db, to_db};

const TABLE: &str = "players";

/// What one batch adds to one player.
#[derive(Debug, Default)]
struct Added {
    presses: i64,
    tips: i64,
    first_at_ms: i64,
    last_at_ms: i64,
    flair: BTreeMap<Flair, i64>,
}

/// Adds the presses of one committed state to their players' totals and shelves: two
/// statements, whatever the batch's size (anonymous presses add to no one).
pub async fn add_to_players(
    conn: &mut sqlx::PgConnection,
    presses: &[NewPress],
) -> Result<(), DbError> {
    let mut added: BTreeMap<Player, Added> = BTreeMap::new();
    for press in presses {
        let Some(player) = press.player else {
            continue;
        };
        let at = press.receipt.applied_at_ms;
        let totals = added.entry(player).or_insert_with(|| Added {
            first_at_ms: at,
            last_at_ms: at,
            ..Added::default()
        });
        totals.presses += 1;
        totals.tips += i64::from(press.receipt.tipped);
        totals.first_at_ms = totals.first_at_ms.min(at);
        totals.last_at_ms = totals.last_at_ms.max(at);
        for flair in press.receipt.flair.iter() {
            *totals.flair.entry(flair).or_insert(0) += 1;
        }
    }
    if added.is_empty() {
        return Ok(());
    }
    let players: Vec<String> = added.keys().map(Player::to_string).collect();
    let handles: Vec<String> = added.keys().map(|p| p.handle().to_string()).collect();
    let counts: Vec<i64> = added.values().map(|a| a.presses).collect();
    let tips: Vec<i64> = added.values().map(|a| a.tips).collect();
    let firsts: Vec<i64> = added.values().map(|a| a.first_at_ms).collect();
    let lasts: Vec<i64> = added.values().map(|a| a.last_at_ms).collect();
    sqlx::query(
        "INSERT INTO players (player, handle, presses, tips, first_press_at_ms, last_press_at_ms)
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[],
                              $6::bigint[])
         ON CONFLICT (player) DO UPDATE SET
             presses = players.presses + EXCLUDED.presses,
             tips = players.tips + EXCLUDED.tips,
             first_press_at_ms = LEAST(players.first_press_at_ms, EXCLUDED.first_press_at_ms),
             last_press_at_ms = GREATEST(players.last_press_at_ms, EXCLUDED.last_press_at_ms)",
    )
    .bind(&players)
    .bind(&handles)
    .bind(&counts)
    .bind(&tips)
    .bind(&firsts)
    .bind(&lasts)
    .execute(&mut *conn)
    .await?;

    let mut shelf_players = Vec::new();
    let mut shelf_flair = Vec::new();
    let mut shelf_counts = Vec::new();
    for (player, totals) in &added {
        for (flair, count) in &totals.flair {
            shelf_players.push(player.to_string());
            shelf_flair.push(flair.as_str());
            shelf_counts.push(*count);
        }
    }
    sqlx::query(
        "INSERT INTO player_flair (player, flair, count)
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[])
         ON CONFLICT (player, flair) DO UPDATE SET count = player_flair.count + EXCLUDED.count",
    )
    .bind(&shelf_players)
    .bind(&shelf_flair)
    .bind(&shelf_counts)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The record of the player(s) known as `handle`; `None` if nobody with it ever pressed.
pub async fn player_profile(
    conn: &mut sqlx::PgConnection,
    handle: Handle,
) -> Result<Option<PlayerProfile>, DbError> {
    let handle = handle.to_string();
    let totals = sqlx::query(
        "SELECT array_agg(player) AS players, sum(presses)::bigint AS presses,
                sum(tips)::bigint AS tips, min(first_press_at_ms) AS first_at,
                max(last_press_at_ms) AS last_at
         FROM players WHERE handle = $1 HAVING count(*) > 0",
    )
    .bind(&handle)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(totals) = totals else {
        return Ok(None);
    };
    let players: Vec<String> = totals.try_get("players")?;
    let shelf = sqlx::query(
        "SELECT flair, sum(count)::bigint AS count FROM player_flair
         WHERE player = ANY($1::text[]) GROUP BY flair",
    )
    .bind(&players)
    .fetch_all(&mut *conn)
    .await?;
    let mut counts = BTreeMap::new();
    for row in &shelf {
        let name: String = row.try_get("flair")?;
        let flair = Flair::from_name(&name).ok_or_else(|| DbError::Corrupt {
            table: "player_flair",
            problem: format!("flair {name:?}"),
        })?;
        counts.insert(flair, from_db(row.try_get("count")?, TABLE)?);
    }
    let recent = sqlx::query(&format!(
        "SELECT {FEED_COLUMNS} FROM presses WHERE player = ANY($1::text[])
         ORDER BY seq DESC LIMIT $2"
    ))
    .bind(&players)
    .bind(to_db(PlayerProfile::RECENT as u64, TABLE)?)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(feed_entry)
    .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(PlayerProfile {
        handle,
        presses: from_db(totals.try_get("presses")?, TABLE)?,
        tips: from_db(totals.try_get("tips")?, TABLE)?,
        first_press_at_ms: totals.try_get("first_at")?,
        last_press_at_ms: totals.try_get("last_at")?,
        shelf: counts
            .into_iter()
            .map(|(flair, count)| ShelfItem { flair, count })
            .collect(),
        recent,
    }))
}
