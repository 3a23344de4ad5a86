//! PostgreSQL: the truth of the game. Runtime-checked queries, each covered by the integration tests.

mod admin;
mod countries;
mod history;
mod leaderboard;
mod memory;
mod moments;
mod players;
mod presses;
mod rules;
mod states;
mod tally;

use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

pub use admin::{NewAdminAction, admin_audit, latest_notice, record_admin_actions, rulebook};
pub use countries::countries;
pub use history::history;
pub use leaderboard::leaderboard;
pub use memory::{current_records, remember};
pub use moments::{newest_moments, top_moments};
pub use players::{add_to_players, player_profile};
pub use presses::{
    NewPress, insert_presses, newest_presses, press_entry, press_log, receipt, used_challenges,
};
pub use rules::{install_rules, load_rules};
pub use states::{counter_at, current_state, insert_state};
pub use tally::{Tally, UNKNOWN_COUNTRY, untallied, write_tally};

/// The migrations in `migrations/`, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// What went wrong talking to PostgreSQL, or with what it holds.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The database could not be reached or refused a query.
    #[error("PostgreSQL: {0}")]
    Sqlx(#[from] sqlx::Error),
    /// Migrations failed.
    #[error("migrating PostgreSQL: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A row holds a value the game cannot have written.
    #[error("corrupt row in `{table}`: {problem}")]
    Corrupt {
        /// The table.
        table: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// The rules stored under a hash do not validate.
    #[error("the rules stored as {hash} are invalid: {source}")]
    InvalidRules {
        /// Their hash.
        hash: String,
        /// Why they are invalid.
        source: app::game::RulesError,
    },
    /// No rules are stored under the hash.
    #[error("no rules are stored under hash {0}")]
    UnknownRules(String),
}

/// A pool of connections to `url`.
pub async fn connect(url: &str) -> Result<PgPool, DbError> {
    Ok(PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(5))
        .connect(url)
        .await?)
}

/// Creates the database named in `url` if it does not exist yet.
pub async fn create_database_if_missing(url: &str) -> Result<(), DbError> {
    use sqlx::migrate::MigrateDatabase;
    if !sqlx::Postgres::database_exists(url).await? {
        sqlx::Postgres::create_database(url).await?;
    }
    Ok(())
}

/// Applies the migrations not applied yet.
pub async fn migrate(pool: &PgPool) -> Result<(), DbError> {
    MIGRATOR.run(pool).await?;
    Ok(())
}

/// A `u64` of the game as PostgreSQL's `BIGINT`.
fn to_db(value: u64, table: &'static str) -> Result<i64, DbError> {
    i64::try_from(value).map_err(|_| DbError::Corrupt {
        table,
        problem: format!("{value} does not fit a BIGINT"),
    })
}

/// A `BIGINT` as the game's `u64`.
fn from_db(value: i64, table: &'static str) -> Result<u64, DbError> {
    u64::try_from(value).map_err(|_| DbError::Corrupt {
        table,
        problem: format!("negative value {value}"),
    })
}

fn phase_from_db(value: i16, table: &'static str) -> Result<app::game::Phase, DbError> {
    usize::try_from(value)
        .ok()
        .and_then(app::game::Phase::from_index)
        .ok_or_else(|| DbError::Corrupt {
            table,
            problem: format!("phase {value}"),
        })
}

fn phase_to_db(phase: app::game::Phase) -> i16 {
    phase.index() as i16
}
