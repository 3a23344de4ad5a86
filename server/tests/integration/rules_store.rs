//! The rules in PostgreSQL: installed by hash, refused when invalid or tampered with.

use crate::common::{TestOptions, spawn_app};
use app::game::{Rules, RulesHash};
use server::db::{self, DbError};

#[tokio::test]
async fn installed_rules_load_back_by_hash_and_installing_twice_is_harmless() {
    let app = spawn_app(TestOptions::without_reducer()).await;
    let rules = Rules::default();
    db::install_rules(&app.pool, &rules)
        .await
        .expect("installing the rules");
    db::install_rules(&app.pool, &rules)
        .await
        .expect("installing the rules");
    let loaded = db::load_rules(&app.pool, rules.hash())
        .await
        .expect("loading the rules");
    assert_eq!(loaded, rules);
    app.stop().await;
}

#[tokio::test]
async fn tampered_or_invalid_rules_are_refused() {
    let app = spawn_app(TestOptions::without_reducer()).await;
    let rules = Rules::default();
    db::install_rules(&app.pool, &rules)
        .await
        .expect("installing the rules");

    // Edited in place: the JSON no longer hashes to its key.
    sqlx::query(
        "UPDATE rules SET canonical_json = replace(canonical_json, '0.04', '0.05') WHERE hash = $1",
    )
    .bind(rules.hash().to_string())
    .execute(&app.pool)
    .await
    .expect("the statement runs");
    let tampered = db::load_rules(&app.pool, rules.hash()).await;
    assert!(
        matches!(tampered, Err(DbError::Corrupt { table: "rules", .. })),
        "{tampered:?}"
    );

    // Invalid rules stored under some hash: refused, naming the field.
    let bad_hash = RulesHash::of(b"bad");
    let json = rules
        .canonical_json()
        .replace("\"press_gain\":0.04", "\"press_gain\":2.0");
    sqlx::query("INSERT INTO rules (hash, canonical_json) VALUES ($1, $2)")
        .bind(bad_hash.to_string())
        .bind(json)
        .execute(&app.pool)
        .await
        .expect("the statement runs");
    let invalid = db::load_rules(&app.pool, bad_hash).await;
    assert!(
        matches!(&invalid, Err(DbError::InvalidRules { source, .. }) if source.field() == Some("press_gain")),
        "{invalid:?}"
    );

    let unknown = db::load_rules(&app.pool, RulesHash::of(b"nothing")).await;
    assert!(matches!(unknown, Err(DbError::UnknownRules(_))));
    app.stop().await;
}
