//! The tally (app/GAME.md, "Leaderboards" and "Countries"): what presses add to the leaderboards
//! (`scores`), to the presses per country and day (`country_days`) and to each minute's distinct
//! players (`minute_players`, `minutes.players`).
//!
//! Live, it is written with every batch, as the rest. While a backlog waits, the reducer sums it
//! across batches and writes it at most every few seconds (and whenever the stream falls quiet),
//! in the transaction of a commit, with the seq it is complete through (`tallied.through_seq`).
//! A score is an update of a ranked row (a new tuple and two index entries): summed over a
//! backlog, a player's many presses cost one such update instead of one each. Not live: seconds
//! of live presses summed are one large write that holds up every press behind it. Nothing is
//! lost in between: `presses` is the truth, and a reducer that starts tallies again what came
//! after `through_seq` ([`untallied`]).

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use app::game::{Board, FlairSet, Period, Player, PressId, PressReceipt, minute_of};
use sqlx::{PgConnection, Row};

use super::presses::flair_from_db;
use super::{DbError, NewPress, from_db, phase_from_db, to_db};

/// How `country_days` names the presses of no known country.
pub const UNKNOWN_COUNTRY: &str = "unknown";

/// What presses not written yet add to the leaderboards, the countries and the minutes' players.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    /// (period key, board, player) → points.
    scores: BTreeMap<(String, String, Player), i64>,
    /// (UTC day, country or `unknown`) → presses.
    countries: BTreeMap<(String, String), i64>,
    /// (minute start, player): who pressed in which minute.
    minute_players: BTreeSet<(i64, Player)>,
    /// How many presses it holds.
    presses: usize,
    /// When its oldest press was added (`None` while empty).
    since: Option<Instant>,
}

impl Tally {
    /// Adds presses (as committed: their receipts say when, with what and by whom).
    pub fn add(&mut self, presses: &[NewPress]) {
        for press in presses {
            self.add_one(
                &press.receipt,
                press.player,
                press.country.map(|c| c.to_string()),
            );
        }
    }

    fn add_one(&mut self, receipt: &PressReceipt, player: Option<Player>, country: Option<String>) {
        self.since.get_or_insert_with(Instant::now);
        self.presses += 1;
        let at = receipt.applied_at_ms;
        let country = country.unwrap_or_else(|| UNKNOWN_COUNTRY.to_owned());
        *self
            .countries
            .entry((Period::Today.key(at), country))
            .or_insert(0) += 1;
        let Some(player) = player else {
            return;
        };
        // The minute a press is applied in is the minute it counts in (as in `app::game::Memory`).
        self.minute_players.insert((minute_of(at), player));
        for board in Board::scored_by(receipt) {
            for period in [Period::Today, Period::All] {
                *self
                    .scores
                    .entry((period.key(at), board.to_string(), player))
                    .or_insert(0) += 1;
            }
        }
    }

    /// Whether it holds no press.
    pub fn is_empty(&self) -> bool {
        self.presses == 0
    }

    /// How many presses it holds.
    pub fn presses(&self) -> usize {
        self.presses
    }

    /// Whether its oldest press has waited `every` (or longer) to be written.
    pub fn is_due(&self, every: Duration) -> bool {
        self.since.is_some_and(|since| since.elapsed() >= every)
    }
}

/// Writes `tally` and notes that every press up to `through_seq` is now tallied: a handful of
/// statements, whatever its size. Called inside the transaction of a commit.
pub async fn write_tally(
    conn: &mut PgConnection,
    tally: &Tally,
    through_seq: u64,
) -> Result<(), DbError> {
    add_scores(conn, tally).await?;
    add_countries(conn, tally).await?;
    add_minute_players(conn, tally).await?;
    sqlx::query("UPDATE tallied SET through_seq = $1")
        .bind(to_db(through_seq, "tallied")?)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// What the presses committed after the last written tally add: the tally a reducer starts
/// with, so that a crash between two tallies loses nothing and counts nothing twice.
pub async fn untallied(conn: &mut PgConnection) -> Result<Tally, DbError> {
    let rows = sqlx::query(
        "SELECT press_id, seq, counter, phase, tipped, flair, applied_at_ms, player, country
         FROM presses WHERE seq > (SELECT through_seq FROM tallied) ORDER BY seq",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut tally = Tally::default();
    for row in &rows {
        let flair: FlairSet = flair_from_db(row.try_get("flair")?)?.into_iter().collect();
        let player: Option<String> = row.try_get("player")?;
        let player = player
            .map(|p| {
                p.parse::<Player>().map_err(|_| DbError::Corrupt {
                    table: "presses",
                    problem: format!("player {p:?}"),
                })
            })
            .transpose()?;
        let receipt = PressReceipt {
            press_id: PressId(row.try_get("press_id")?),
            seq: from_db(row.try_get("seq")?, "presses")?,
            counter: from_db(row.try_get("counter")?, "presses")?,
            phase: phase_from_db(row.try_get("phase")?, "presses")?,
            tipped: row.try_get("tipped")?,
            applied_at_ms: row.try_get("applied_at_ms")?,
            flair,
        };
        tally.add_one(&receipt, player, row.try_get("country")?);
    }
    Ok(tally)
}

/// Adds each press with a player to the boards it scores on, today's (the UTC day it was
/// applied in) and all time's.
async fn add_scores(conn: &mut PgConnection, tally: &Tally) -> Result<(), DbError> {
    if tally.scores.is_empty() {
        return Ok(());
    }
    let mut periods = Vec::with_capacity(tally.scores.len());
    let mut boards = Vec::with_capacity(tally.scores.len());
    let mut players = Vec::with_capacity(tally.scores.len());
    let mut scores = Vec::with_capacity(tally.scores.len());
    for ((period, board, player), score) in &tally.scores {
        periods.push(period.as_str());
        boards.push(board.as_str());
        players.push(player.to_string());
        scores.push(*score);
    }
    sqlx::query(
        "INSERT INTO scores (period, board, player, score)
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::bigint[])
         ON CONFLICT (period, board, player) DO UPDATE SET score = scores.score + EXCLUDED.score",
    )
    .bind(&periods)
    .bind(&boards)
    .bind(&players)
    .bind(&scores)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Counts each press for its country (or `unknown`) on the UTC day it was applied.
async fn add_countries(conn: &mut PgConnection, tally: &Tally) -> Result<(), DbError> {
    if tally.countries.is_empty() {
        return Ok(());
    }
    let mut days = Vec::with_capacity(tally.countries.len());
    let mut countries = Vec::with_capacity(tally.countries.len());
    let mut counts = Vec::with_capacity(tally.countries.len());
    for ((day, country), count) in &tally.countries {
        days.push(day.as_str());
        countries.push(country.as_str());
        counts.push(*count);
    }
    sqlx::query(
        "INSERT INTO country_days (day, country, presses)
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[])
         ON CONFLICT (day, country) DO UPDATE SET presses = country_days.presses + EXCLUDED.presses",
    )
    .bind(&days)
    .bind(&countries)
    .bind(&counts)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A player counts once per minute: only the pairs new to `minute_players` add one to the
/// minute's players (its row in `minutes` was written with the batch that pressed in it).
async fn add_minute_players(conn: &mut PgConnection, tally: &Tally) -> Result<(), DbError> {
    if tally.minute_players.is_empty() {
        return Ok(());
    }
    let (starts, players): (Vec<i64>, Vec<String>) = tally
        .minute_players
        .iter()
        .map(|(minute, player)| (*minute, player.to_string()))
        .unzip();
    sqlx::query(
        "WITH new AS (
             INSERT INTO minute_players (minute_ms, player)
             SELECT * FROM UNNEST($1::bigint[], $2::text[])
             ON CONFLICT DO NOTHING
             RETURNING minute_ms
         )
         UPDATE minutes SET players = minutes.players + added.n
         FROM (SELECT minute_ms, count(*) AS n FROM new GROUP BY minute_ms) AS added
         WHERE minutes.minute_ms = added.minute_ms",
    )
    .bind(&starts)
    .bind(&players)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use app::game::{Country, Phase};

    use super::*;

    const DAY_MS: i64 = 1_764_547_200_000; // 2025-12-01T00:00:00Z

    fn press(n: u64, at_ms: i64, player: Option<&str>, tipped: bool) -> NewPress {
        let phase = if tipped { Phase::Warm } else { Phase::Calm };
        NewPress {
            receipt: PressReceipt {
                press_id: PressId(uuid::Uuid::from_u128(u128::from(n))),
                seq: n,
                counter: n,
                phase,
                tipped,
                applied_at_ms: at_ms,
                flair: FlairSet::earned(phase, tipped, n, false),
            },
            challenge_id: format!("{n:032x}"),
            client_key: "k".into(),
            player: player.map(|p| p.parse().expect("a player")),
            country: player.map(|_| "US".parse::<Country>().expect("a country")),
            received_at_ms: at_ms,
        }
    }

    #[test]
    fn presses_over_several_batches_add_up_to_one_row_per_player_board_and_period() {
        let amber = "a".repeat(32);
        let basil = "b".repeat(32);
        let mut tally = Tally::default();
        assert!(tally.is_empty() && !tally.is_due(Duration::ZERO));
        // Two batches: amber twice (once tipping) in the same minute, basil once, one anonymous.
        tally.add(&[press(1, DAY_MS + 1_000, Some(&amber), false)]);
        tally.add(&[
            press(2, DAY_MS + 2_000, Some(&amber), true),
            press(3, DAY_MS + 61_000, Some(&basil), false),
            press(4, DAY_MS + 62_000, None, false),
        ]);
        assert_eq!(tally.presses(), 4);
        let score = |period: &str, board: &str, who: &str| {
            tally
                .scores
                .get(&(
                    period.to_owned(),
                    board.to_owned(),
                    who.parse().expect("a player"),
                ))
                .copied()
        };
        assert_eq!(score("all", "presses", &amber), Some(2));
        assert_eq!(score("2025-12-01", "presses", &amber), Some(2));
        assert_eq!(score("all", "tips", &amber), Some(1));
        assert_eq!(score("all", "tips_warm", &amber), Some(1));
        assert_eq!(score("all", "presses", &basil), Some(1));
        assert_eq!(score("all", "tips", &basil), None);
        // Anonymous presses are on no board, but counted for their (unknown) country.
        let day = |country: &str| {
            tally
                .countries
                .get(&("2025-12-01".to_owned(), country.to_owned()))
                .copied()
        };
        assert_eq!((day("US"), day(UNKNOWN_COUNTRY)), (Some(3), Some(1)));
        // A player counts once in a minute, in the minute the press was applied in.
        let minutes: Vec<(i64, String)> = tally
            .minute_players
            .iter()
            .map(|(minute, player)| (*minute - DAY_MS, player.to_string()))
            .collect();
        assert_eq!(minutes, [(0, amber), (60_000, basil)]);
        // Due as soon as its oldest press waited `every`.
        assert!(tally.is_due(Duration::ZERO));
        assert!(!tally.is_due(Duration::from_secs(3600)));
    }
}
