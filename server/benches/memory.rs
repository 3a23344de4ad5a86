//! The game's memory read as the API reads it, against a database seeded with a million presses'
//! worth of it: 20,000 players over 30 days (leaderboard scores as the reducer keeps them, one
//! row per minute, a moment per tip). The leaderboard's target: under 5 ms an answer.
//!
//!   cargo bench -p server --bench memory     (PostgreSQL on 127.0.0.1:5432, user postgres)
//!
//! Its own database, `button_bench_memory_<pid>`, dropped at the end.

use std::time::Duration;

use app::game::{Board, Flair, Period, Phase};
use app::wire::HistoryRange;
use criterion::{Criterion, criterion_group, criterion_main};
use server::db;
use sqlx::PgPool;

const ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const PRESSES: i64 = 1_000_000;
const PLAYERS: i64 = 20_000;
const DAYS: i64 = 30;
/// The last seeded day starts here (2026-12-01, UTC): "today" in the benchmark.
const TODAY_MS: i64 = 1_796_083_200_000;

async fn seed(pool: &PgPool) {
    let first_day = TODAY_MS - (DAYS - 1) * 86_400_000;
    // Presses spread evenly over the days (press i in minute i · minutes / presses), each
    // player's scattered through them; every 37th press above CALM tipped.
    sqlx::query(
        "CREATE TABLE seed AS
         SELECT i,
                md5(((i * 7919) % $1)::text) AS player,
                $2::bigint + (i * ($3::bigint * 1440) / $4) * 60000 AS at_ms,
                (i % 4)::smallint AS phase,
                i % 37 = 0 AND i % 4 > 0 AS tipped
         FROM generate_series(0::bigint, $4 - 1) AS i",
    )
    .bind(PLAYERS)
    .bind(first_day)
    .bind(DAYS)
    .bind(PRESSES)
    .execute(pool)
    .await
    .expect("seeding presses");
    // The boards each press scores on (app::game::Board::scored_by), by name; every 53rd press
    // a rekindler.
    let boards = format!(
        "SELECT player, at_ms, '{presses}' AS board FROM seed
         UNION ALL SELECT player, at_ms, '{tips}' FROM seed WHERE tipped
         UNION ALL SELECT player, at_ms,
                          'tips_' || (ARRAY['calm','warm','hot','chaos'])[phase + 1]
                   FROM seed WHERE tipped
         UNION ALL SELECT player, at_ms, '{rekindler}' FROM seed WHERE i % 53 = 0",
        presses = Board::Presses,
        tips = Board::Tips,
        rekindler = Board::Flair(Flair::Rekindler),
    );
    sqlx::query(&format!(
        "INSERT INTO scores (period, board, player, score)
         SELECT to_char(to_timestamp(at_ms / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), board,
                player, count(*)
         FROM ({boards}) AS b GROUP BY 1, 2, 3
         UNION ALL
         SELECT 'all', board, player, count(*) FROM ({boards}) AS b GROUP BY 2, 3"
    ))
    .execute(pool)
    .await
    .expect("seeding scores");
    sqlx::query(
        "INSERT INTO minutes (minute_ms, presses, players, peak_entropy, warm_ms, hot_ms, chaos_ms)
         SELECT at_ms, count(*), count(DISTINCT player), 0.5, 15000, 15000, 15000
         FROM seed GROUP BY at_ms",
    )
    .execute(pool)
    .await
    .expect("seeding minutes");
    sqlx::query(
        "INSERT INTO moments (seq, kind, at_ms, value, detail, press_id, player)
         SELECT i, 'tip', at_ms, i,
                json_build_object('kind', 'tip',
                                  'phase', (ARRAY['CALM','WARM','HOT','CHAOS'])[phase + 1],
                                  'counter', i)::jsonb,
                NULL::uuid, player
         FROM seed WHERE tipped
         UNION ALL
         SELECT i, 'longest_chaos', at_ms, i % 100000,
                json_build_object('kind', 'longest_chaos', 'ms', i % 100000)::jsonb, NULL::uuid, NULL
         FROM seed WHERE i % 997 = 0",
    )
    .execute(pool)
    .await
    .expect("seeding moments");
    sqlx::query("ANALYZE")
        .execute(pool)
        .await
        .expect("analyzing");
}

fn memory(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let name = format!("button_bench_memory_{}", std::process::id());
    let url = format!("postgres://postgres@127.0.0.1:5432/{name}");
    let pool = runtime.block_on(async {
        let admin = PgPool::connect(ADMIN_URL)
            .await
            .expect("PostgreSQL answers");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await
            .expect("creating the database");
        let pool = db::connect(&url).await.expect("connecting");
        db::migrate(&pool).await.expect("migrating");
        seed(&pool).await;
        pool
    });
    let now = TODAY_MS + 12 * 3_600_000;

    let mut group = c.benchmark_group("leaderboard");
    group.measurement_time(Duration::from_secs(5));
    for (board, period) in [
        (Board::Presses, Period::All),
        (Board::Presses, Period::Today),
        (Board::TipsInto(Phase::Chaos), Period::All),
        (Board::LongestChaos, Period::All),
    ] {
        group.bench_function(format!("{board}/{}", period.as_str()), |b| {
            b.to_async(&runtime).iter(|| async {
                let mut conn = pool.acquire().await.expect("a connection");
                db::leaderboard(&mut conn, board, period, now)
                    .await
                    .expect("the board")
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("history");
    group.measurement_time(Duration::from_secs(5));
    for range in [HistoryRange::Day, HistoryRange::Week, HistoryRange::All] {
        group.bench_function(range.as_str(), |b| {
            b.to_async(&runtime).iter(|| async {
                db::history(&pool, range, now, &Default::default())
                    .await
                    .expect("the history")
            })
        });
    }
    group.finish();

    runtime.block_on(async {
        pool.close().await;
        let admin = PgPool::connect(ADMIN_URL)
            .await
            .expect("PostgreSQL answers");
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&admin)
            .await;
    });
}

criterion_group!(benches, memory);
criterion_main!(benches);
