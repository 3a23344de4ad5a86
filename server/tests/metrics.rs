//! `/metrics` tells operators what the game does.

mod common;

use std::time::Duration;

use common::sse::SseClient;
use common::{TestOptions, player, spawn_app};

fn value_of(metrics: &str, series: &str) -> Option<f64> {
    metrics
        .lines()
        .find(|line| line.starts_with(series))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn metrics_count_presses_by_outcome_challenges_batches_and_sse_clients() {
    let app = spawn_app(TestOptions::default()).await;
    // Before anything happened, every series is there at zero.
    let fresh = app.metrics_text().await;
    for series in [
        "button_presses_total{outcome=\"accepted\"}",
        "button_presses_total{outcome=\"cooldown\"}",
        "button_reducer_rereads_total",
        "button_connections_refused_total",
        "button_sse_clients",
    ] {
        assert_eq!(
            value_of(&fresh, series),
            Some(0.0),
            "{series} at start:\n{fresh}"
        );
    }
    let mut sse = SseClient::connect(&app.url("/v1/states/stream"), None).await;
    assert!(sse.next_state(Duration::from_secs(5)).await.is_some());

    let request =
        serde_json::to_value(common::TestApp::solve(app.challenge().await)).unwrap_or_default();
    assert_eq!(app.post_press(&player(1), &request).await.status(), 202);
    assert_eq!(app.post_press(&player(2), &request).await.status(), 409);
    app.wait_for_counter(1, Duration::from_secs(10)).await;
    // Let the web server see the new state.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap_or_default();
    assert_eq!(
        value_of(&text, r#"button_presses_total{outcome="accepted"}"#),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        value_of(&text, r#"button_presses_total{outcome="challenge_used"}"#),
        Some(1.0),
        "{text}"
    );
    assert!(
        value_of(&text, "button_challenges_issued_total").is_some_and(|v| v >= 1.0),
        "{text}"
    );
    assert!(
        value_of(&text, "button_reducer_batch_size_count").is_some_and(|v| v >= 1.0),
        "{text}"
    );
    assert!(
        value_of(&text, "button_reducer_commit_seconds_count").is_some_and(|v| v >= 1.0),
        "{text}"
    );
    assert_eq!(value_of(&text, "button_sse_clients"), Some(1.0), "{text}");
    assert_eq!(value_of(&text, "button_state_id"), Some(1.0), "{text}");
    assert_eq!(value_of(&text, "button_phase"), Some(0.0), "{text}");
    drop(sse);
    app.stop().await;
}
