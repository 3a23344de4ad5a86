//! Reading presses by country from `country_days`, with k-anonymity: a country with fewer than
//! `k` presses in a day is counted as "other" that day.

use app::game::{Country, Period};
use app::wire::{Countries, CountryCount};
use sqlx::{PgExecutor, Row};

use super::tally::UNKNOWN_COUNTRY;
use super::{DbError, from_db};

/// Presses by country over `period` as of `now_ms`, naming only countries with at least `k`
/// presses in a day.
pub async fn countries(
    db: impl PgExecutor<'_>,
    period: Period,
    k: u64,
    now_ms: i64,
) -> Result<Countries, DbError> {
    let rows = sqlx::query(
        "SELECT CASE WHEN country = $3 THEN $3
                     WHEN presses >= $2 THEN country
                     ELSE 'other' END AS name,
                sum(presses)::bigint AS presses
         FROM country_days WHERE $1 = 'all' OR day = $1
         GROUP BY 1 ORDER BY 2 DESC, 1",
    )
    .bind(period.key(now_ms))
    .bind(i64::try_from(k).unwrap_or(i64::MAX))
    .bind(UNKNOWN_COUNTRY)
    .fetch_all(db)
    .await?;
    let mut answer = Countries {
        period: period.as_str().to_owned(),
        k,
        ..Countries::default()
    };
    for row in rows {
        let name: String = row.try_get("name")?;
        let presses = from_db(row.try_get("presses")?, "country_days")?;
        match name.as_str() {
            "other" => answer.other = presses,
            UNKNOWN_COUNTRY => answer.unknown = presses,
            code => answer.countries.push(CountryCount {
                country: code.parse::<Country>().map_err(|_| DbError::Corrupt {
                    table: "country_days",
                    problem: format!("country {code:?}"),
                })?,
                presses,
            }),
        }
    }
    Ok(answer)
}
