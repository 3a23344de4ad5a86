//! The crowd, live: the feed of the newest presses with their players' handles, how many are
//! watching across all web servers, and how many pressed in the last minute.

use std::time::{Duration, Instant};

use crate::common::sse::SseClient;
use crate::common::{AMBER, BASIL, TestApp, TestOptions, player, spawn_app, spawn_server_for};

#[tokio::test]
async fn every_live_client_sees_the_newest_presses_with_their_handles() {
    let app = spawn_app(TestOptions::default()).await;
    let mut watching = SseClient::connect(&app.url("/v1/states/stream"), None).await;
    watching
        .next_state(Duration::from_secs(5))
        .await
        .expect("the current state first");

    let amber = app.press_as(&player(1), AMBER).await;
    let basil = app.press_as(&player(2), BASIL).await;
    let handles = [amber.handle.clone(), basil.handle.clone()];
    let mut feed = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while feed.len() < 2 && Instant::now() < deadline {
        feed = watching
            .next_feed(Duration::from_secs(10))
            .await
            .expect("a feed event");
    }
    let seen: Vec<_> = feed
        .iter()
        .map(|e| (e.press_id, e.handle.clone()))
        .collect();
    assert_eq!(
        seen,
        [
            (basil.press_id, handles[1].clone()),
            (amber.press_id, handles[0].clone())
        ],
        "newest first, each with its player's handle"
    );
    assert!(feed[0].tipped, "the second press tipped into WARM");

    // A client that has the feed gets only what is new to it, and holds the whole feed.
    let third = app.press_as(&player(3), AMBER).await;
    let mut feed = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while feed.len() < 3 && Instant::now() < deadline {
        feed = watching
            .next_feed(Duration::from_secs(10))
            .await
            .expect("a feed event");
    }
    let ids: Vec<_> = feed.iter().map(|e| e.press_id).collect();
    assert_eq!(ids, [third.press_id, basil.press_id, amber.press_id]);
    assert!(
        watching.feed_news >= 1,
        "the newest press came alone (feed_new), not with the whole feed"
    );
    assert!(!feed[0].line().is_empty());

    // A client that comes later gets the feed at once; so does one of a web server that
    // started after the presses (it reads the feed from PostgreSQL).
    let other = spawn_server_for(&app).await;
    for url in [app.url("/v1/states/stream"), other.url("/v1/states/stream")] {
        let mut late = SseClient::connect(&url, None).await;
        let feed = late
            .next_feed(Duration::from_secs(5))
            .await
            .expect("the feed first");
        assert_eq!(feed.len(), 3, "{url}");
        assert_eq!(feed[0].press_id, third.press_id, "{url}");
    }
    other.stop_server().await;
    app.stop().await;
}

#[tokio::test]
async fn watching_counts_the_live_clients_of_every_web_server_and_a_silent_servers_count_expires() {
    let app = spawn_app(TestOptions::default()).await;
    let other = spawn_server_for(&app).await;
    let _a1 = SseClient::connect(&app.url("/v1/states/stream"), None).await;
    let _a2 = SseClient::connect(&app.url("/v1/states/stream"), None).await;
    let mut b1 = SseClient::connect(&other.url("/v1/states/stream"), None).await;
    wait_for_watching(&app, 3).await;
    wait_for_watching(&other, 3).await;
    // The stream says so too: the crowd first, then each change.
    let deadline = Instant::now() + Duration::from_secs(5);
    while b1
        .next_crowd(Duration::from_secs(5))
        .await
        .expect("the crowd on the stream")
        .watching
        != 3
    {
        assert!(
            Instant::now() < deadline,
            "the stream never said 3 watching"
        );
    }

    // A web server that says it holds 40 clients, once, and is never heard from again.
    let client = async_nats::connect(&app.settings.nats_url)
        .await
        .expect("NATS");
    let ghost = serde_json::json!({"server": "ghost", "watching": 40});
    client
        .publish(
            format!("{}.presence", app.names.namespace()),
            ghost.to_string().into(),
        )
        .await
        .expect("published");
    client.flush().await.expect("flushed");
    wait_for_watching(&app, 43).await;
    let heard = Instant::now();
    wait_for_watching(&app, 3).await;
    assert!(
        heard.elapsed() < Duration::from_secs(7),
        "a silent server's count expires within seconds ({:?})",
        heard.elapsed()
    );

    // A client that leaves stops counting.
    drop(b1);
    wait_for_watching(&app, 2).await;
    other.stop_server().await;
    app.stop().await;
}

#[tokio::test]
async fn presses_in_the_last_minute_are_counted_for_everyone() {
    let app = spawn_app(TestOptions::default()).await;
    for n in 0..3 {
        app.press_as(&player(n), AMBER).await;
    }
    app.wait_for_counter(3, Duration::from_secs(10)).await;
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let current = app.current().await;
        if current.crowd.presses_last_minute == 3 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "presses in the last minute: {:?}",
            current.crowd
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A web server that starts now knows them too, from PostgreSQL.
    let other = spawn_server_for(&app).await;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert_eq!(other.current().await.crowd.presses_last_minute, 3);
    other.stop_server().await;
    app.stop().await;
}

/// Waits until `app` says `count` are watching.
async fn wait_for_watching(app: &TestApp, count: u64) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let crowd = app.current().await.crowd;
        if crowd.watching == count {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "watching stayed at {} (waited for {count})",
            crowd.watching
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
