//! A reducer or watcher process serves `/metrics` on `BUTTON_METRICS_ADDR`.

use std::time::Duration;

use crate::common::{TestOptions, player, spawn_app};
use tokio_util::sync::CancellationToken;

#[tokio::test]
async fn a_process_without_a_web_server_serves_its_metrics_on_its_own_address() {
    let app = spawn_app(TestOptions::default()).await;
    let shutdown = CancellationToken::new();
    let any_port = "127.0.0.1:0".parse().expect("an address");
    let addr = server::metrics::endpoint::spawn(any_port, shutdown.clone())
        .await
        .expect("binding the metrics listener");

    let request = serde_json::to_value(crate::common::TestApp::solve(app.challenge().await))
        .unwrap_or_default();
    assert_eq!(app.post_press(&player(1), &request).await.status(), 202);
    app.wait_for_counter(1, Duration::from_secs(10)).await;

    let response = app
        .http
        .get(format!("http://{addr}/metrics"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap_or_default();
    let batches = text
        .lines()
        .find(|line| line.starts_with("button_reducer_batch_size_count"))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|v| v.parse::<f64>().ok());
    assert!(batches.is_some_and(|n| n >= 1.0), "{text}");

    shutdown.cancel();
    let mut closed = false;
    for _ in 0..50 {
        if app
            .http
            .get(format!("http://{addr}/metrics"))
            .send()
            .await
            .is_err()
        {
            closed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(closed, "the listener stops on shutdown");
    app.stop().await;
}
