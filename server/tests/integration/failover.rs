//! Two reducers: one writes, one waits; when the writer dies the standby takes over.

use std::time::Duration;

use crate::common::{TestOptions, kill_9, player, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_standby_reducer_takes_over_when_the_writer_dies_and_nothing_is_lost() {
    let app = spawn_app(TestOptions {
        reducer: false,
        alone: true,
        ..TestOptions::default()
    })
    .await;
    let mut writer = app.spawn_reducer_process();
    for p in 0..5 {
        assert_eq!(app.press(&player(p)).await.status(), 202);
    }
    // The first reducer is the writer: it has applied the presses.
    app.wait_for_counter(5, Duration::from_secs(20)).await;
    let mut standby = app.spawn_reducer_process();
    tokio::time::sleep(Duration::from_millis(500)).await;

    // While the writer lives, the standby writes nothing: presses are applied exactly once.
    for p in 5..10 {
        assert_eq!(app.press(&player(p)).await.status(), 202);
    }
    app.wait_for_counter(10, Duration::from_secs(20)).await;

    kill_9(&mut writer);
    for p in 10..20 {
        assert_eq!(app.press(&player(p)).await.status(), 202);
    }
    let state = app.wait_for_counter(20, Duration::from_secs(20)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(app.committed().await.map(|s| s.counter), Some(20));
    assert_eq!(state.counter, 20);
    assert_eq!(app.presses_rows().await, 20);
    assert_eq!(app.distinct_seqs().await, 20);
    kill_9(&mut standby);
    app.stop().await;
}
