//! The web server hands states to its live clients at the pace they take them: a client that
//! keeps up gets every state, at once, however long a state could wait for slow clients.

use std::time::{Duration, Instant};

use crate::common::sse::SseClient;
use crate::common::{TestOptions, player, spawn_app};
use server::settings::Settings;

#[tokio::test]
async fn a_client_that_keeps_up_gets_every_state_at_once() {
    // A state may wait up to 5 s for clients still taking the last one: a pace that did not see
    // this client take its states would hold them back, and it would miss most of them.
    let app = spawn_app(TestOptions::with_settings(Settings {
        fanout_max_wait_ms: 5_000,
        ..Settings::for_tests()
    }))
    .await;
    let mut sse = SseClient::connect(&app.url("/v1/states/stream"), None).await;
    assert!(sse.next_state(Duration::from_secs(5)).await.is_some());

    // Twenty presses over about two seconds: twenty new states.
    let presses = async {
        for n in 0..20 {
            assert_eq!(app.press(&player(n)).await.status(), 202);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    let receive = async {
        let mut arrivals = Vec::new();
        while let Some(event) = sse.next_state(Duration::from_secs(3)).await {
            arrivals.push((event.state.id, event.state.counter));
            if event.state.counter == 20 {
                break;
            }
        }
        arrivals
    };
    let started = Instant::now();
    let ((), arrivals) = tokio::join!(presses, receive);

    // Each press is a state of its own, or two share one: every state id, none skipped.
    assert_eq!(arrivals.last().map(|(_, counter)| *counter), Some(20));
    assert!(
        arrivals.windows(2).all(|pair| pair[1].0 == pair[0].0 + 1),
        "every state, in order, none skipped: {arrivals:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "no state waited for the pace's longest wait: {:?}",
        started.elapsed()
    );
    app.stop().await;
}
