//! No press that got a 202 is ever lost or counted twice, whatever crashes.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use crate::common::load::{assert_counted_exactly_once, press_concurrently, press_until};
use crate::common::nats::NatsServer;
use crate::common::{TestOptions, kill_9, player, spawn_app};
use rand::Rng;
use server::settings::Settings;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presses_survive_a_reducer_killed_with_sigkill_at_random_moments() {
    let app = Arc::new(
        spawn_app(TestOptions {
            reducer: false,
            alone: true,
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
    let pressed = press_until(&app, 4, 1_500, 1, done.clone()).await;
    let mut reducer = killer.await.expect("the killer task");
    assert_eq!(kills.load(Ordering::SeqCst), KILLS);
    assert!(
        pressed.refused.is_empty() && pressed.unanswered.is_empty(),
        "every press should be accepted: {:?}",
        pressed.statuses()
    );
    let accepted = pressed.accepted.len();
    assert!(
        accepted >= 20,
        "too few presses to test anything: {accepted}"
    );
    eprintln!("{accepted} presses accepted across {KILLS} reducer kills");

    assert_counted_exactly_once(&app, &pressed).await;
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
            settings: Settings {
                nats_url: nats.url(),
                ..Settings::for_tests()
            },
            alone: true,
            ..TestOptions::default()
        })
        .await,
    );
    let before = press_concurrently(&app, 3, 10, 1).await;
    assert_eq!(before.accepted.len(), 30, "{:?}", before.statuses());

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
        let body: app::wire::ErrorBody = response.json().await.expect("a JSON body");
        assert_eq!(body.error, app::wire::ErrorCode::Unavailable);
    }

    nats.restart();
    app.wait_until_ready().await;
    let mut pressed = press_concurrently(&app, 3, 10, 200).await;
    assert_eq!(pressed.accepted.len(), 30, "{:?}", pressed.statuses());
    pressed.accepted.extend(before.accepted);

    assert_counted_exactly_once(&app, &pressed).await;
    assert!(app.presses_rows().await >= footprint_rows);
    if let Ok(app) = Arc::try_unwrap(app) {
        app.stop().await;
    }
}
