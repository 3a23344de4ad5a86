//! Network blips: a link to NATS cut while nats-server stays up, several times under steady
//! load, or gone silent. No press that got a 202 is lost or counted twice, no refused press is
//! taken, and a press whose fate the server cannot know is answered as such.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::common::load::{Pressed, assert_counted_exactly_once, press_until};
use crate::common::proxy::CuttingProxy;
use crate::common::{TestApp, TestOptions, player, spawn_app};
use app::wire::{ErrorBody, ErrorCode, Receipt};
use server::settings::Settings;

const CUTS: u32 = 6;

/// Cuts the proxy's connections `CUTS` times, every 300–600 ms, then lets the load go on a
/// little and stops it.
async fn cut_repeatedly(proxy: &CuttingProxy, stop: &AtomicBool) {
    for _ in 0..CUTS {
        let wait = 300 + rand::random::<u64>() % 300;
        tokio::time::sleep(Duration::from_millis(wait)).await;
        proxy.cut();
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::SeqCst);
}

/// Six players press steadily while the proxy's connections are cut `CUTS` times: what they got.
async fn press_through_cuts(app: &Arc<TestApp>, proxy: &CuttingProxy) -> Pressed {
    let stop = Arc::new(AtomicBool::new(false));
    let load = tokio::spawn({
        let (app, stop) = (app.clone(), stop.clone());
        async move { press_until(&app, 6, 100_000, 1, stop).await }
    });
    cut_repeatedly(proxy, &stop).await;
    let pressed = load.await.expect("the load");
    assert!(
        pressed.accepted.len() >= 200,
        "too few presses to test anything: {}",
        pressed.accepted.len()
    );
    pressed
}

async fn stop(app: Arc<TestApp>) {
    if let Ok(app) = Arc::try_unwrap(app) {
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presses_survive_the_reducers_link_to_nats_cut_again_and_again() {
    let proxy =
        CuttingProxy::start(crate::common::nats_address().parse().expect("an address")).await;
    let app = Arc::new(
        spawn_app(TestOptions {
            reducer: false,
            alone: true,
            ..TestOptions::default()
        })
        .await,
    );
    // The reducer reaches NATS through the proxy; the web server directly.
    let reducer = app.start_reducer(Some(proxy.url()));

    let pressed = press_through_cuts(&app, &proxy).await;
    assert!(
        pressed.refused.is_empty() && pressed.unanswered.is_empty(),
        "the web server's own link was never cut: {:?}",
        pressed.statuses()
    );
    assert!(
        proxy.connections() > u64::from(CUTS),
        "the reducer reconnected after each cut"
    );
    eprintln!(
        "{} presses accepted across {CUTS} cuts of the reducer's link",
        pressed.accepted.len()
    );

    assert_counted_exactly_once(&app, &pressed).await;
    reducer.stop().await;
    stop(app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presses_survive_the_web_servers_link_to_nats_cut_again_and_again() {
    let proxy =
        CuttingProxy::start(crate::common::nats_address().parse().expect("an address")).await;
    // The web server (and its cooldowns and live states) reach NATS through the proxy; the
    // reducer directly.
    let app = Arc::new(
        spawn_app(TestOptions {
            reducer: false,
            settings: Settings {
                nats_url: proxy.url(),
                ..Settings::for_tests()
            },
            alone: true,
            ..TestOptions::default()
        })
        .await,
    );
    let reducer = app.start_reducer(Some(format!("nats://{}", crate::common::nats_address())));

    let pressed = press_through_cuts(&app, &proxy).await;
    // Presses in the moment of a cut may be refused with 503: never taken, checked below.
    assert!(
        pressed.refused.iter().all(|(_, status)| *status == 503),
        "only 503 while the link is down: {:?}",
        pressed.statuses()
    );
    assert!(pressed.unanswered.is_empty(), "every press got an answer");
    eprintln!(
        "{} presses accepted, {} refused with 503, across {CUTS} cuts of the web server's link",
        pressed.accepted.len(),
        pressed.refused.len()
    );

    assert_counted_exactly_once(&app, &pressed).await;
    reducer.stop().await;
    stop(app).await;
}

/// A silent link: the web server's link to NATS stops carrying anything while a press is on its
/// way (nothing closes, nobody is told). The server cannot say 202, and must not say "nothing was
/// taken" either, for the press may be stored: 503 `unconfirmed`, with the press id whose receipt
/// tells. Once the link speaks again, the press that waited in it is stored and applied, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_press_sent_into_a_silent_link_is_unconfirmed_and_its_receipt_tells() {
    let proxy =
        CuttingProxy::start(crate::common::nats_address().parse().expect("an address")).await;
    let app = spawn_app(TestOptions {
        reducer: false,
        settings: Settings {
            nats_url: proxy.url(),
            publish_timeout_ms: 1_500,
            ..Settings::for_tests()
        },
        alone: true,
        ..TestOptions::default()
    })
    .await;
    let reducer = app.start_reducer(Some(format!("nats://{}", crate::common::nats_address())));
    let request = TestApp::solve(app.challenge().await);
    let body = serde_json::to_value(&request).expect("a press encodes");

    proxy.hold();
    let answer = app.post_press(&player(1), &body).await;
    assert_eq!(answer.status(), 503);
    let error: ErrorBody = answer.json().await.expect("the JSON error");
    assert_eq!(error.error, ErrorCode::Unconfirmed, "{}", error.message);
    let press_id = error.press_id.expect("the press id whose receipt tells");
    proxy.release();

    let mut receipt = None;
    for _ in 0..100 {
        // 404 until the press that waited reaches the stream.
        let answer = app
            .http
            .get(app.url(&format!("/v1/presses/{press_id}")))
            .send()
            .await;
        let read = match answer {
            Ok(answer) if answer.status() == 200 => answer.json::<Receipt>().await.ok(),
            _ => None,
        };
        if let Some(Receipt::Applied { counter, .. }) = read {
            receipt = Some(counter);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        receipt,
        Some(1),
        "the press that waited in the link counted"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(app.presses_rows().await, 1, "and only once");
    // Its challenge bought that press: sent again, it is used.
    assert_eq!(app.post_press(&player(1), &body).await.status(), 409);
    reducer.stop().await;
    app.stop().await;
}

/// With cooldowns on, a press first reserves its player's cooldown in the shared bucket, through
/// the same link. Gone silent, that link must not hold the press past its request deadline (a
/// 408 says nothing of whether it counts): the player hears in time that nothing was taken, and
/// once the link speaks again the same press goes through, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cooldown_that_cannot_be_reserved_through_a_silent_link_refuses_the_press_in_time() {
    let proxy =
        CuttingProxy::start(crate::common::nats_address().parse().expect("an address")).await;
    let mut options = TestOptions {
        reducer: false,
        settings: Settings {
            nats_url: proxy.url(),
            publish_timeout_ms: 1_500,
            // The shortest request deadline the settings allow beside this publish deadline.
            request_timeout_ms: 3_500,
            ..Settings::for_tests()
        },
        alone: true,
        ..TestOptions::default()
    };
    options.rules.press_cooldown_ms = vec![60_000, 60_000, 60_000, 60_000];
    let app = spawn_app(options).await;
    let reducer = app.start_reducer(Some(format!("nats://{}", crate::common::nats_address())));
    let request = TestApp::solve(app.challenge().await);
    let body = serde_json::to_value(&request).expect("a press encodes");

    proxy.hold();
    let answer = app.post_press(&player(1), &body).await;
    assert_eq!(
        answer.status(),
        503,
        "refused in time, not cut off by the deadline"
    );
    let error: ErrorBody = answer.json().await.expect("the JSON error");
    assert_eq!(error.error, ErrorCode::Unavailable, "{}", error.message);
    proxy.release();

    // Nothing was taken: neither the press nor the player's cooldown.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.presses_rows().await, 0);
    assert_eq!(app.post_press(&player(1), &body).await.status(), 202);
    app.wait_for_counter(1, Duration::from_secs(10)).await;
    reducer.stop().await;
    app.stop().await;
}
