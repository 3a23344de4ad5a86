//! The web server paces states to its live clients: with a small delivery budget, a client
//! gets the newest state at most every `MAX_INTERVAL`, and never misses the last one.

use std::time::{Duration, Instant};

use crate::common::sse::SseClient;
use crate::common::{TestOptions, player, spawn_app};
use server::live::MAX_INTERVAL;
use server::settings::Settings;

#[tokio::test]
async fn with_a_small_budget_states_reach_a_client_at_most_every_interval_and_the_last_one_arrives()
{
    // 1 delivery a second: any number of clients waits the longest interval between states.
    let app = spawn_app(TestOptions::with_settings(Settings {
        fanout_per_second: 1,
        ..Settings::for_tests()
    }))
    .await;
    let mut sse = SseClient::connect(&app.url("/v1/states/stream"), None).await;
    assert!(sse.next_state(Duration::from_secs(5)).await.is_some());

    // Twenty presses over about two seconds: twenty new states, unpaced.
    let presses = async {
        for n in 0..20 {
            assert_eq!(app.press(&player(n)).await.status(), 202);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    let receive = async {
        let mut arrivals = Vec::new();
        while let Some(event) = sse.next_state(Duration::from_secs(3)).await {
            arrivals.push((Instant::now(), event.state.counter));
            if event.state.counter == 20 {
                break;
            }
        }
        arrivals
    };
    let ((), arrivals) = tokio::join!(presses, receive);

    assert_eq!(
        arrivals.last().map(|(_, counter)| *counter),
        Some(20),
        "the newest state always arrives: {arrivals:?}"
    );
    assert!(
        arrivals.len() >= 2 && arrivals.len() < 10,
        "paced, a client gets a few of the twenty states: {arrivals:?}"
    );
    let slack = Duration::from_millis(100);
    for pair in arrivals.windows(2) {
        let gap = pair[1].0.duration_since(pair[0].0);
        assert!(
            gap + slack >= MAX_INTERVAL,
            "states came {gap:?} apart, under the {MAX_INTERVAL:?} interval: {arrivals:?}"
        );
    }
    app.stop().await;
}
