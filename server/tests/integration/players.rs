//! Players: a token made by the browser, a handle everyone sees, a shelf of flair that grows
//! with each press, kept by the reducer with the presses it counts.

use std::time::Duration;

use crate::common::{AMBER, BASIL, TestOptions, player, spawn_app};
use app::game::{Flair, Phase};
use app::wire::{ErrorBody, PlayerProfile, Receipt};

#[tokio::test]
async fn a_player_is_known_by_a_handle_and_their_shelf_grows_with_each_press() {
    // Gain 0.2, WARM from 0.3: the first press is a milestone, the second tips into WARM.
    let app = spawn_app(TestOptions::default()).await;
    let first = app.press_as(&player(1), AMBER).await;
    let handle = first
        .handle
        .clone()
        .expect("a press with a token has a handle");
    assert_eq!(
        handle.split('-').count(),
        3,
        "adjective-animal-number: {handle}"
    );
    let second = app.press_as(&player(2), AMBER).await;
    assert_eq!(
        second.handle.as_deref(),
        Some(handle.as_str()),
        "the same token, the same player"
    );
    let other = app.press_as(&player(3), BASIL).await;
    let other_handle = other.handle.clone().expect("a handle");
    assert_ne!(other_handle, handle);
    app.wait_for_counter(3, Duration::from_secs(10)).await;

    let amber: PlayerProfile = app.get_json(&format!("/v1/players/{handle}")).await;
    assert_eq!(amber.handle, handle);
    assert_eq!((amber.presses, amber.tips), (2, 1));
    assert_eq!(amber.count(Flair::Calm), 1);
    assert_eq!(amber.count(Flair::Warm), 1);
    assert_eq!(amber.count(Flair::Milestone), 1, "press #1");
    assert_eq!(amber.count(Flair::Tipper), 1, "press #2 tipped into WARM");
    assert_eq!(amber.count(Flair::Hot), 0);
    assert!(amber.first_press_at_ms <= amber.last_press_at_ms);
    let recent: Vec<_> = amber
        .recent
        .iter()
        .map(|e| (e.press_id, e.counter))
        .collect();
    assert_eq!(
        recent,
        [(second.press_id, 2), (first.press_id, 1)],
        "newest first"
    );
    assert!(
        amber
            .recent
            .iter()
            .all(|e| e.handle.as_deref() == Some(handle.as_str()))
    );

    let basil: PlayerProfile = app.get_json(&format!("/v1/players/{other_handle}")).await;
    assert_eq!((basil.presses, basil.tips), (1, 0));
    assert_eq!(basil.recent[0].phase, Phase::Warm);

    // The receipt says who pressed, and the line the press got.
    let Receipt::Applied {
        handle: by, line, ..
    } = app.receipt(second.press_id).await
    else {
        panic!("the press is applied");
    };
    assert_eq!(by.as_deref(), Some(handle.as_str()));
    assert_eq!(line, amber.recent[0].line());
    app.stop().await;
}

#[tokio::test]
async fn a_press_without_a_token_counts_as_anonymous_and_on_no_shelf() {
    let app = spawn_app(TestOptions::default()).await;
    let response = app.press(&player(1)).await;
    assert_eq!(response.status(), 202);
    let body: serde_json::Value = response.json().await.expect("a JSON body");
    assert!(body.get("handle").is_none(), "{body}");
    app.wait_for_counter(1, Duration::from_secs(10)).await;
    let players: i64 = sqlx::query_scalar("SELECT count(*) FROM players")
        .fetch_one(&app.pool)
        .await
        .expect("the query runs");
    assert_eq!(players, 0);
    let press_id = serde_json::from_value(body["press_id"].clone()).expect("a press id");
    let Receipt::Applied { handle, .. } = app.receipt(press_id).await else {
        panic!("the press is applied");
    };
    assert_eq!(handle, None);
    app.stop().await;
}

#[tokio::test]
async fn the_server_keeps_a_keyed_hash_of_the_token_never_the_token() {
    let app = spawn_app(TestOptions::default()).await;
    app.press_as(&player(1), AMBER).await;
    app.wait_for_counter(1, Duration::from_secs(10)).await;
    let stored: Vec<String> = sqlx::query_scalar(
        "SELECT player FROM presses UNION ALL SELECT player || ' ' || handle FROM players
         UNION ALL SELECT player FROM player_flair",
    )
    .fetch_all(&app.pool)
    .await
    .expect("the query runs");
    assert_eq!(stored.len(), 4, "{stored:?}");
    for value in &stored {
        assert!(!value.contains(AMBER), "the token is stored: {value}");
    }
    app.stop().await;
}

#[tokio::test]
async fn a_bad_token_or_handle_gets_a_clear_error_and_changes_nothing() {
    let app = spawn_app(TestOptions::default()).await;
    for token in ["short", "spaces are not allowed here!", &"x".repeat(129)] {
        let request = crate::common::TestApp::solve(app.challenge().await).by(token);
        let response = app
            .post_press(&player(1), &serde_json::to_value(&request).expect("JSON"))
            .await;
        assert_eq!(response.status(), 400, "{token:?}");
        let body: ErrorBody = response.json().await.expect("an error body");
        assert!(body.message.contains("player_token"), "{}", body.message);
    }
    assert_eq!(app.current().await.state.counter, 0);

    for (handle, says) in [
        ("amber-otter-42", "nobody known as `amber-otter-42`"),
        ("amber-otter-042", "not a handle"),
        ("robert'); DROP TABLE players;--", "not a handle"),
    ] {
        let response = app.get(&format!("/v1/players/{}", urlencode(handle))).await;
        assert_eq!(response.status(), 404, "{handle}");
        let body: ErrorBody = response.json().await.expect("an error body");
        assert!(body.message.contains(says), "{handle}: {}", body.message);
    }
    app.stop().await;
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
