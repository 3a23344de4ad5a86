//! The `rules` table: every set of rules the game ran with, by hash.

use app::game::{Rules, RulesHash};
use sqlx::PgExecutor;

use super::DbError;

/// Stores `rules` under their hash (nothing happens if they are there already).
pub async fn install_rules(db: impl PgExecutor<'_>, rules: &Rules) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO rules (hash, canonical_json) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING",
    )
    .bind(rules.hash().to_string())
    .bind(rules.canonical_json())
    .execute(db)
    .await?;
    Ok(())
}

/// Loads the rules stored under `hash`, validated; refuses invalid or tampered ones.
pub async fn load_rules(db: impl PgExecutor<'_>, hash: RulesHash) -> Result<Rules, DbError> {
    let json: Option<String> =
        sqlx::query_scalar("SELECT canonical_json FROM rules WHERE hash = $1")
            .bind(hash.to_string())
            .fetch_optional(db)
            .await?;
    let json = json.ok_or_else(|| DbError::UnknownRules(hash.to_string()))?;
    let rules = Rules::from_json(&json).map_err(|source| DbError::InvalidRules {
        hash: hash.to_string(),
        source,
    })?;
    if rules.hash() != hash {
        return Err(DbError::Corrupt {
            table: "rules",
            problem: format!("the rules stored as {hash} hash to {}", rules.hash()),
        });
    }
    Ok(rules)
}
