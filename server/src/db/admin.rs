//! The operators' commands: the audit the reducer writes with the state each command made, the
//! notice players see, and every stored set of rules (the reducer's rulebook).

use app::game::{Command, Rulebook, Rules};
use app::wire::{AdminAction, Notice};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, PgExecutor, Row};

use super::DbError;

const TABLE: &str = "admin_actions";

/// A command as the reducer commits it.
#[derive(Debug, Clone)]
pub struct NewAdminAction {
    /// Its stream position.
    pub seq: u64,
    /// When it took effect.
    pub at_ms: i64,
    /// The action's id.
    pub action_id: uuid::Uuid,
    /// What.
    pub command: Command,
    /// The admin token's name.
    pub by: String,
    /// What the operator said.
    pub message: Option<String>,
}

fn command_name(command: Command) -> (&'static str, Option<String>) {
    match command {
        Command::Pause => ("pause", None),
        Command::Resume => ("resume", None),
        Command::NewSeason => ("new_season", None),
        Command::Rules { rules_hash } => ("rules", Some(rules_hash.to_string())),
    }
}

/// Writes the commands of a batch, with the state they made (`state_id`, in `season`), in the
/// batch's transaction: a command is in the audit exactly when its effect is committed.
pub async fn record_admin_actions(
    tx: &mut PgConnection,
    state_id: u64,
    season: u32,
    actions: &[NewAdminAction],
) -> Result<(), DbError> {
    for action in actions {
        let (command, rules_hash) = command_name(action.command);
        sqlx::query(
            "INSERT INTO admin_actions
                 (seq, action_id, state_id, by_name, command, rules_hash, message, season, at_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(super::to_db(action.seq, TABLE)?)
        .bind(action.action_id)
        .bind(super::to_db(state_id, TABLE)?)
        .bind(&action.by)
        .bind(command)
        .bind(rules_hash)
        .bind(&action.message)
        .bind(i32::try_from(season).unwrap_or(i32::MAX))
        .bind(action.at_ms)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

fn action_from_row(row: &PgRow) -> Result<AdminAction, DbError> {
    let corrupt = |problem: String| DbError::Corrupt {
        table: TABLE,
        problem,
    };
    let command = match row.try_get::<String, _>("command")?.as_str() {
        "pause" => Command::Pause,
        "resume" => Command::Resume,
        "new_season" => Command::NewSeason,
        "rules" => Command::Rules {
            rules_hash: row
                .try_get::<Option<String>, _>("rules_hash")?
                .unwrap_or_default()
                .parse()
                .map_err(|e| corrupt(format!("{e}")))?,
        },
        other => return Err(corrupt(format!("command {other}"))),
    };
    Ok(AdminAction {
        notice: Notice {
            seq: super::from_db(row.try_get("seq")?, TABLE)?,
            at_ms: row.try_get("at_ms")?,
            season: u32::try_from(row.try_get::<i32, _>("season")?)
                .map_err(|_| corrupt("a negative season".into()))?,
            command,
            message: row.try_get("message")?,
        },
        by: row.try_get("by_name")?,
        action_id: row.try_get("action_id")?,
    })
}

/// The newest commands, newest first (at most `limit`).
pub async fn admin_audit(db: impl PgExecutor<'_>, limit: i64) -> Result<Vec<AdminAction>, DbError> {
    sqlx::query(
        "SELECT seq, action_id, by_name, command, rules_hash, message, season, at_ms
         FROM admin_actions ORDER BY seq DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await?
    .iter()
    .map(action_from_row)
    .collect()
}

/// What players are told of the newest command (none before the first).
pub async fn latest_notice(db: impl PgExecutor<'_>) -> Result<Option<Notice>, DbError> {
    Ok(admin_audit(db, 1)
        .await?
        .into_iter()
        .next()
        .map(|action| action.notice))
}

/// Every set of rules stored, in a book that falls back on `first` (the reducer's own).
pub async fn rulebook(db: &mut PgConnection, first: Rules) -> Result<Rulebook, DbError> {
    let hashes: Vec<String> = sqlx::query_scalar("SELECT hash FROM rules")
        .fetch_all(&mut *db)
        .await?;
    let mut book = Rulebook::new(first);
    for hash in hashes {
        let hash = hash.parse().map_err(|e| DbError::Corrupt {
            table: "rules",
            problem: format!("{e}"),
        })?;
        book.insert(super::load_rules(&mut *db, hash).await?);
    }
    Ok(book)
}
