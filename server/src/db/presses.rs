//! The `presses` table: the receipt of every applied press.

use app::game::{Country, Flair, FlairSet, Player, PressId, PressReceipt, press_line};
use app::wire::{FeedEntry, LoggedPress, Receipt};
use sqlx::postgres::PgRow;
use sqlx::{PgExecutor, Row};

use super::{DbError, from_db, phase_from_db, phase_to_db, to_db};

const TABLE: &str = "presses";

/// A press as the reducer stores it: what the web server knew, and what applying it did.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPress {
    /// The outcome of applying it.
    pub receipt: PressReceipt,
    /// The challenge it solved.
    pub challenge_id: String,
    /// The salted hash of the player's IP.
    pub client_key: String,
    /// The keyed hash of the player's token; none for an anonymous press.
    pub player: Option<Player>,
    /// The country of the client's address, when the web server knew it.
    pub country: Option<Country>,
    /// When the web server accepted it.
    pub received_at_ms: i64,
}

/// Inserts the presses of one committed state, in one statement.
pub async fn insert_presses(
    db: impl PgExecutor<'_>,
    state_id: u64,
    presses: &[NewPress],
) -> Result<(), DbError> {
    if presses.is_empty() {
        return Ok(());
    }
    let mut ids = Vec::with_capacity(presses.len());
    let mut challenges = Vec::with_capacity(presses.len());
    let mut seqs = Vec::with_capacity(presses.len());
    let mut received = Vec::with_capacity(presses.len());
    let mut applied = Vec::with_capacity(presses.len());
    let mut counters = Vec::with_capacity(presses.len());
    let mut phases = Vec::with_capacity(presses.len());
    let mut tipped = Vec::with_capacity(presses.len());
    let mut client_keys = Vec::with_capacity(presses.len());
    let mut flair = Vec::with_capacity(presses.len());
    let mut players = Vec::with_capacity(presses.len());
    let mut countries = Vec::with_capacity(presses.len());
    for press in presses {
        players.push(press.player.map(|p| p.to_string()));
        countries.push(press.country.map(|c| c.to_string()));
        ids.push(press.receipt.press_id.0);
        challenges.push(press.challenge_id.as_str());
        seqs.push(to_db(press.receipt.seq, TABLE)?);
        received.push(press.received_at_ms);
        applied.push(press.receipt.applied_at_ms);
        counters.push(to_db(press.receipt.counter, TABLE)?);
        phases.push(phase_to_db(press.receipt.phase));
        tipped.push(press.receipt.tipped);
        client_keys.push(press.client_key.as_str());
        // One text a press, split into the row's array below: UNNEST flattens arrays of arrays.
        let names: Vec<&str> = press.receipt.flair.iter().map(Flair::as_str).collect();
        flair.push(names.join(" "));
    }
    sqlx::query(
        "INSERT INTO presses (press_id, challenge_id, seq, received_at_ms, applied_at_ms,
                              counter, phase, tipped, client_key, flair, player, country,
                              state_id)
         SELECT p.press_id, p.challenge_id, p.seq, p.received_at_ms, p.applied_at_ms,
                p.counter, p.phase, p.tipped, p.client_key, string_to_array(p.flair, ' '),
                p.player, p.country, $13
         FROM UNNEST($1::uuid[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[],
                     $6::bigint[], $7::smallint[], $8::bool[], $9::text[], $10::text[],
                     $11::text[], $12::text[])
              AS p(press_id, challenge_id, seq, received_at_ms, applied_at_ms, counter, phase,
                   tipped, client_key, flair, player, country)",
    )
    .bind(&ids)
    .bind(&challenges)
    .bind(&seqs)
    .bind(&received)
    .bind(&applied)
    .bind(&counters)
    .bind(&phases)
    .bind(&tipped)
    .bind(&client_keys)
    .bind(&flair)
    .bind(&players)
    .bind(&countries)
    .bind(to_db(state_id, TABLE)?)
    .execute(db)
    .await?;
    Ok(())
}

/// Which of `challenges` already bought a press.
pub async fn used_challenges(
    db: impl PgExecutor<'_>,
    challenges: &[&str],
) -> Result<Vec<String>, DbError> {
    Ok(
        sqlx::query_scalar("SELECT challenge_id FROM presses WHERE challenge_id = ANY($1::text[])")
            .bind(challenges)
            .fetch_all(db)
            .await?,
    )
}

/// The receipt of an applied press, or `None` if no press with that id was applied.
pub async fn receipt(
    db: impl PgExecutor<'_>,
    press_id: PressId,
) -> Result<Option<Receipt>, DbError> {
    let row = sqlx::query(&format!(
        "SELECT {FEED_COLUMNS}, state_id FROM presses WHERE press_id = $1"
    ))
    .bind(press_id.0)
    .fetch_optional(db)
    .await?;
    row.map(|row| -> Result<Receipt, DbError> {
        let entry = feed_entry(&row)?;
        Ok(Receipt::Applied {
            press_id,
            seq: entry.seq,
            state_id: from_db(row.try_get("state_id")?, TABLE)?,
            counter: entry.counter,
            phase: entry.phase,
            tipped: entry.tipped,
            applied_at_ms: entry.applied_at_ms,
            line: press_line(
                press_id,
                entry.phase,
                entry.flair.iter().copied().collect::<FlairSet>(),
            )
            .to_owned(),
            flair: entry.flair,
            handle: entry.handle,
        })
    })
    .transpose()
}

/// One applied press as the feed shows it (its page), or `None` if no press with that id was
/// applied.
pub async fn press_entry(
    db: impl PgExecutor<'_>,
    press_id: PressId,
) -> Result<Option<FeedEntry>, DbError> {
    sqlx::query(&format!(
        "SELECT {FEED_COLUMNS} FROM presses WHERE press_id = $1"
    ))
    .bind(press_id.0)
    .fetch_optional(db)
    .await?
    .as_ref()
    .map(feed_entry)
    .transpose()
}

/// The applied presses after `after_seq`, oldest first, at most `limit`: a page of the press log.
pub async fn press_log(
    db: impl PgExecutor<'_>,
    after_seq: u64,
    limit: u32,
) -> Result<Vec<LoggedPress>, DbError> {
    sqlx::query(&format!(
        "SELECT {FEED_COLUMNS}, country FROM presses WHERE seq > $1 ORDER BY seq LIMIT $2"
    ))
    .bind(to_db(after_seq, TABLE)?)
    .bind(i64::from(limit))
    .fetch_all(db)
    .await?
    .iter()
    .map(|row| {
        let country: Option<String> = row.try_get("country")?;
        Ok(LoggedPress {
            entry: feed_entry(row)?,
            country: country
                .map(|c| {
                    c.parse::<Country>().map_err(|_| DbError::Corrupt {
                        table: TABLE,
                        problem: format!("country {c:?}"),
                    })
                })
                .transpose()?,
        })
    })
    .collect()
}

/// The newest `limit` applied presses, newest first: the live feed after a restart.
pub async fn newest_presses(
    db: impl PgExecutor<'_>,
    limit: u32,
) -> Result<Vec<FeedEntry>, DbError> {
    sqlx::query(&format!(
        "SELECT {FEED_COLUMNS} FROM presses ORDER BY seq DESC LIMIT $1"
    ))
    .bind(i64::from(limit))
    .fetch_all(db)
    .await?
    .iter()
    .map(feed_entry)
    .collect()
}

/// The columns [`feed_entry`] reads.
pub(super) const FEED_COLUMNS: &str =
    "press_id, seq, counter, player, phase, tipped, flair, applied_at_ms";

/// A press as the feed shows it, from a row with [`FEED_COLUMNS`].
pub(super) fn feed_entry(row: &PgRow) -> Result<FeedEntry, DbError> {
    let player: Option<String> = row.try_get("player")?;
    let handle = player
        .map(|player| {
            player
                .parse::<Player>()
                .map(|p| p.handle().to_string())
                .map_err(|_| DbError::Corrupt {
                    table: TABLE,
                    problem: format!("player {player:?}"),
                })
        })
        .transpose()?;
    Ok(FeedEntry {
        press_id: PressId(row.try_get("press_id")?),
        seq: from_db(row.try_get("seq")?, TABLE)?,
        counter: from_db(row.try_get("counter")?, TABLE)?,
        handle,
        phase: phase_from_db(row.try_get("phase")?, TABLE)?,
        tipped: row.try_get("tipped")?,
        flair: flair_from_db(row.try_get("flair")?)?,
        applied_at_ms: row.try_get("applied_at_ms")?,
    })
}

/// A row's flair, by name; a name the game does not know means the row is corrupt.
pub(super) fn flair_from_db(names: Vec<String>) -> Result<Vec<Flair>, DbError> {
    names
        .iter()
        .map(|name| {
            Flair::from_name(name).ok_or_else(|| DbError::Corrupt {
                table: TABLE,
                problem: format!("flair {name:?}"),
            })
        })
        .collect()
}
