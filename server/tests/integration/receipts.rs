//! One request per press: the 202 brings the next challenge, and the receipt comes to the page's
//! live stream (named by its viewer id) once the press is applied, from whichever web server holds
//! that stream. The page never asks for a challenge again, nor polls for a receipt.

use std::time::Duration;

use app::wire::{PressAccepted, Receipt};

use crate::common::sse::SseClient;
use crate::common::{TestApp, TestOptions, player, spawn_app, spawn_server_for};

const VIEWER: &str = "0123456789abcdef0123456789abcdef";

/// Presses from `address` with `request`, named for `VIEWER`: the 202's body.
async fn press_for_viewer(
    app: &TestApp,
    address: &str,
    challenge: app::wire::Challenge,
) -> PressAccepted {
    let request = TestApp::solve(challenge).seen_by(VIEWER);
    let response = app
        .post_press(address, &serde_json::to_value(&request).unwrap_or_default())
        .await;
    assert_eq!(response.status(), 202);
    response.json().await.expect("a 202's body")
}

fn applied_id(receipt: &Receipt) -> app::game::PressId {
    match receipt {
        Receipt::Applied { press_id, .. } => *press_id,
        Receipt::Pending { .. } => panic!("a pushed receipt is of an applied press: {receipt:?}"),
    }
}

#[tokio::test]
async fn a_press_is_one_request_and_its_receipt_comes_on_the_pages_stream() {
    let app = spawn_app(TestOptions::default()).await;
    // The page's stream on another web server than the one its presses go to.
    let other = spawn_server_for(&app).await;
    let mut page = SseClient::connect(
        &other.url(&format!("/v1/states/stream?viewer={VIEWER}")),
        None,
    )
    .await;
    let mut stranger = SseClient::connect(&app.url("/v1/states/stream"), None).await;

    let first = press_for_viewer(&app, &player(1), app.challenge().await).await;
    let receipt = page
        .next_receipt(Duration::from_secs(10))
        .await
        .expect("the receipt, pushed to the page's stream");
    assert_eq!(applied_id(&receipt), first.press_id);
    assert_eq!(
        receipt,
        app.receipt(first.press_id).await,
        "the receipt the API gives"
    );

    // The next press uses the challenge the 202 brought: no challenge request.
    let next = first
        .next_challenge
        .expect("the 202 brings the next challenge");
    let second = press_for_viewer(&app, &player(2), next).await;
    let receipt = page
        .next_receipt(Duration::from_secs(10))
        .await
        .expect("the second receipt");
    assert_eq!(applied_id(&receipt), second.press_id);
    let Receipt::Applied { counter, .. } = receipt else {
        unreachable!()
    };
    assert_eq!(counter, 2);

    // Nobody else's stream gets them.
    assert!(
        stranger
            .next_receipt(Duration::from_millis(500))
            .await
            .is_none(),
        "a stream without the viewer gets no receipt"
    );
    other.stop_server().await;
    app.stop().await;
}

#[tokio::test]
async fn a_viewer_that_is_not_one_is_refused_and_changes_nothing() {
    let app = spawn_app(TestOptions::default()).await;
    let response = app.get("/v1/states/stream?viewer=nope").await;
    assert_eq!(response.status(), 400);
    let body: app::wire::ErrorBody = response.json().await.expect("a JSON error");
    assert_eq!(body.error, app::wire::ErrorCode::InvalidQuery);
    assert!(body.message.contains("viewer"), "{}", body.message);

    let mut request =
        serde_json::to_value(TestApp::solve(app.challenge().await)).unwrap_or_default();
    request["viewer"] = "NOT-HEX".into();
    let response = app.post_press(&player(1), &request).await;
    assert_eq!(response.status(), 400);
    let body: app::wire::ErrorBody = response.json().await.expect("a JSON error");
    assert_eq!(body.error, app::wire::ErrorCode::InvalidBody);
    assert!(body.message.contains("viewer"), "{}", body.message);
    assert_eq!(app.stream_messages().await, 0, "nothing was taken");
    app.stop().await;
}
