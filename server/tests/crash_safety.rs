//! No press that got a 202 is ever lost or counted twice, whatever crashes.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use common::nats::NatsServer;
use common::{TestApp, TestOptions, kill_9, player, spawn_app};
use rand::Rng;

/// Presses from `players` concurrent players, `per_player` each; returns how many got a 202
/// and the other statuses.
async fn press_concurrently(
    app: &Arc<TestApp>,
    players: u32,
    per_player: u32,
    first_player: u32,
) -> (u64, Vec<u16>) {
    press_until(
        app,
        players,
        per_player,
        first_player,
        Arc::new(AtomicBool::new(false)),
    )
    .await
}

/// Like `press_concurrently`, stopping early once `stop` is set.
async fn press_until(
    app: &Arc<TestApp>,
    players: u32,
    per_player: u32,
    first_player: u32,
    stop: Arc<AtomicBool>,
) -> (u64, Vec<u16>) {
    let accepted = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for p in 0..players {
        let (app, accepted, stop) = (app.clone(), accepted.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut others = Vec::new();
            for _ in 0..per_player {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let status = app.press(&player(first_player + p)).await.status().as_u16();
                if status == 202 {
                    accepted.fetch_add(1, Ordering::SeqCst);
                } else {
                    others.push(status);
                }
            }
            others
        }));
    }
    let mut others = Vec::new();
    for task in tasks {
        others.extend(task.await.unwrap_or_default());
    }
    (accepted.load(Ordering::SeqCst), others)
}

/// Counter == presses rows == 202s, and no seq applied twice.
async fn assert_counted_exactly_once(app: &TestApp, accepted: u64) {
    let state = app
        .wait_for_counter(accepted, Duration::from_secs(60))
        .await;
    // Give a wrongly doubled press the time to show up.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let state = app.committed().await.unwrap_or(state);
    assert_eq!(state.counter, accepted, "counter vs 202s");
    assert_eq!(
        app.presses_rows().await,
        accepted as i64,
        "presses rows vs 202s"
    );
    assert_eq!(
        app.distinct_seqs().await,
        accepted as i64,
        "a seq was applied twice"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presses_survive_a_reducer_killed_with_sigkill_at_random_moments() {
    let app = Arc::new(
        spawn_app(TestOptions {
            reducer: false,
            ..TestOptions::default()
        })
        .await,
    );
    const KILLS: u64 = 6;
    let done = Arc::new(AtomicBool::new(false));
    let kills = Arc::new(AtomicU64::new(0));
    let killer = tokio::spawn({
        let (app, done, kills) = (app.clone(), done.clone(), kills.clone());
        async move {
            let mut reducer = app.spawn_reducer_process();
            while kills.load(Ordering::SeqCst) < KILLS {
                let (alive_ms, dead_ms) = {
                    let mut rng = rand::rng();
                    (rng.random_range(150..700), rng.random_range(0..300))
                };
                tokio::time::sleep(Duration::from_millis(alive_ms)).await;
                kill_9(&mut reducer);
                kills.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(dead_ms)).await;
                reducer = app.spawn_reducer_process();
            }
            // Press on a little with the last reducer alive, then stop the players.
            tokio::time::sleep(Duration::from_millis(300)).await;
            done.store(true, Ordering::SeqCst);
            reducer
        }
    });

    // Players press while the reducer dies and comes back (at most 4 × 1500 presses).
    let (accepted, others) = press_until(&app, 4, 1_500, 1, done.clone()).await;
    let mut reducer = killer.await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(kills.load(Ordering::SeqCst), KILLS);
    assert!(
        others.is_empty(),
        "every press should be accepted: {others:?}"
    );
    assert!(
        accepted >= 20,
        "too few presses to test anything: {accepted}"
    );
    eprintln!("{accepted} presses accepted across {KILLS} reducer kills");

    assert_counted_exactly_once(&app, accepted).await;
    kill_9(&mut reducer);
    if let Ok(app) = Arc::try_unwrap(app) {
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presses_survive_the_broker_killed_and_restarted_and_the_outage_answers_503() {
    let mut nats = NatsServer::start();
    let app = Arc::new(
        spawn_app(TestOptions {
            nats_url: nats.url(),
            ..TestOptions::default()
        })
        .await,
    );
    let (before, others) = press_concurrently(&app, 3, 10, 1).await;
    assert_eq!(before, 30, "{others:?}");

    nats.kill();
    // The web server notices the broker is gone.
    let mut noticed = false;
    for _ in 0..100 {
        let ready = app
            .http
            .get(app.url("/health/ready"))
            .send()
            .await
            .map(|r| r.status().as_u16());
        if ready.is_ok_and(|s| s == 503) {
            noticed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        noticed,
        "/health/ready kept answering 200 with the broker dead"
    );
    let footprint_rows = app.presses_rows().await;
    for p in 0..5 {
        let response = app.press(&player(100 + p)).await;
        assert_eq!(
            response.status(),
            503,
            "a press during the outage must be refused, not taken"
        );
        let body: app::api::ErrorBody = response.json().await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(body.error, app::api::ErrorCode::Unavailable);
    }

    nats.restart();
    app.wait_until_ready().await;
    let (after, others) = press_concurrently(&app, 3, 10, 200).await;
    assert_eq!(after, 30, "{others:?}");

    assert_counted_exactly_once(&app, before + after).await;
    assert!(app.presses_rows().await >= footprint_rows);
    if let Ok(app) = Arc::try_unwrap(app) {
        app.stop().await;
    }
}
