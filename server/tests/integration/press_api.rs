//! `POST /v1/events/press` and friends: every answer of the press endpoint, and that each refusal
//! changes nothing (counter, presses, stream).

use std::time::Duration;

use crate::common::{TestApp, TestOptions, player, spawn_app};
use app::wire::{ErrorBody, ErrorCode, PressAccepted, Receipt};
use serde_json::{Value, json};
use server::settings::Settings;

/// What a refused press must leave alone.
#[derive(Debug, PartialEq)]
struct Footprint {
    counter: u64,
    presses: i64,
    stream: u64,
}

async fn footprint(app: &TestApp) -> Footprint {
    Footprint {
        counter: app.committed().await.map(|s| s.counter).unwrap_or(0),
        presses: app.presses_rows().await,
        stream: app.stream_messages().await,
    }
}

async fn error_of(response: reqwest::Response) -> (u16, ErrorBody, Option<String>) {
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body: ErrorBody = response.json().await.expect("error body");
    (status, body, retry_after)
}

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or_default()
}

#[tokio::test]
async fn a_solved_challenge_is_accepted_counted_and_receipted() {
    let app = spawn_app(TestOptions::default()).await;
    let challenge = app.challenge().await;
    assert_eq!(challenge.difficulty, 4, "CALM difficulty of the test rules");
    assert_eq!(challenge.challenge_id.len(), 32);

    let response = app
        .post_press(&player(1), &to_json(&TestApp::solve(challenge)))
        .await;
    assert_eq!(response.status(), 202);
    let accepted: PressAccepted = response.json().await.expect("a JSON body");

    let state = app.wait_for_counter(1, Duration::from_secs(10)).await;
    assert_eq!(state.counter, 1);
    let receipt: Receipt = app.receipt(accepted.press_id).await;
    assert!(
        matches!(receipt, Receipt::Applied { press_id, counter: 1, state_id, .. } if press_id == accepted.press_id && state_id == state.id),
        "{receipt:?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn malformed_bodies_are_400_invalid_body_and_change_nothing() {
    let app = spawn_app(TestOptions::default()).await;
    app.press(&player(1)).await;
    app.wait_for_counter(1, Duration::from_secs(10)).await;
    let before = footprint(&app).await;

    let raw = app
        .http
        .post(app.url("/v1/events/press"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("an answer");
    let (status, body, _) = error_of(raw).await;
    assert_eq!((status, body.error), (400, ErrorCode::InvalidBody));

    let mut request = to_json(&TestApp::solve(app.challenge().await));
    request["nonce"] = json!("twelve");
    let (status, body, _) = error_of(app.post_press(&player(2), &request).await).await;
    assert_eq!(
        (status, body.error),
        (400, ErrorCode::InvalidBody),
        "{}",
        body.message
    );

    let mut request = to_json(&TestApp::solve(app.challenge().await));
    request["challenge_id"] = json!("not-hex");
    let (status, body, _) = error_of(app.post_press(&player(3), &request).await).await;
    assert_eq!(
        (status, body.error),
        (400, ErrorCode::InvalidBody),
        "{}",
        body.message
    );

    assert_eq!(footprint(&app).await, before);
    app.stop().await;
}

#[tokio::test]
async fn a_forged_signature_is_403_bad_signature_and_changes_nothing() {
    let app = spawn_app(TestOptions::default()).await;
    let before = footprint(&app).await;
    let mut request = TestApp::solve(app.challenge().await);
    request.signature = "0".repeat(64);
    let (status, body, _) = error_of(app.post_press(&player(1), &to_json(&request)).await).await;
    assert_eq!((status, body.error), (403, ErrorCode::BadSignature));

    // Lowering the difficulty breaks the signature too.
    let mut request = TestApp::solve(app.challenge().await);
    request.difficulty = 0;
    let (status, body, _) = error_of(app.post_press(&player(1), &to_json(&request)).await).await;
    assert_eq!((status, body.error), (403, ErrorCode::BadSignature));
    assert_eq!(footprint(&app).await, before);
    app.stop().await;
}

#[tokio::test]
async fn an_expired_challenge_is_410_and_changes_nothing() {
    let app = spawn_app(TestOptions::default()).await;
    let before = footprint(&app).await;
    let expired = TestApp::forge("0123456789abcdef0123456789abcdef", 4, 1_000);
    let request = TestApp::solve(expired);
    let (status, body, _) = error_of(app.post_press(&player(1), &to_json(&request)).await).await;
    assert_eq!((status, body.error), (410, ErrorCode::Expired));
    assert_eq!(footprint(&app).await, before);
    app.stop().await;
}

#[tokio::test]
async fn too_little_work_is_403_insufficient_work_and_changes_nothing() {
    let app = spawn_app(TestOptions::default()).await;
    let before = footprint(&app).await;
    let challenge = app.challenge().await;
    let unsolved = (0..)
        .find(|n| !pow_wasm::verify(&challenge.challenge_id, *n, challenge.difficulty))
        .unwrap_or(0);
    let request = app::wire::PressRequest::new(challenge, unsolved);
    let (status, body, _) = error_of(app.post_press(&player(1), &to_json(&request)).await).await;
    assert_eq!((status, body.error), (403, ErrorCode::InsufficientWork));
    assert_eq!(footprint(&app).await, before);
    app.stop().await;
}

#[tokio::test]
async fn a_replayed_challenge_is_409_challenge_used_and_counted_once() {
    let app = spawn_app(TestOptions::default()).await;
    let request = to_json(&TestApp::solve(app.challenge().await));
    assert_eq!(app.post_press(&player(1), &request).await.status(), 202);
    app.wait_for_counter(1, Duration::from_secs(10)).await;
    let before = footprint(&app).await;

    // Replayed by the same player and by another one: one challenge buys one press.
    for who in [player(1), player(2)] {
        let (status, body, _) = error_of(app.post_press(&who, &request).await).await;
        assert_eq!((status, body.error), (409, ErrorCode::ChallengeUsed));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(footprint(&app).await, before);
    app.stop().await;
}

#[tokio::test]
async fn pressing_within_the_cooldown_is_429_with_retry_after_for_that_player_only() {
    let mut options = TestOptions::default();
    options.rules.press_cooldown_ms = vec![60_000, 60_000, 60_000, 60_000];
    let app = spawn_app(options).await;
    assert_eq!(app.press(&player(1)).await.status(), 202);
    app.wait_for_counter(1, Duration::from_secs(10)).await;
    let before = footprint(&app).await;

    let (status, body, retry_after) = error_of(app.press(&player(1)).await).await;
    assert_eq!((status, body.error), (429, ErrorCode::Cooldown));
    let seconds: u64 = retry_after.and_then(|s| s.parse().ok()).unwrap_or(0);
    assert!((55..=60).contains(&seconds), "Retry-After {seconds}");
    assert_eq!(footprint(&app).await, before);

    // Another player is not held back.
    assert_eq!(app.press(&player(2)).await.status(), 202);
    app.stop().await;
}

#[tokio::test]
async fn the_cooldown_is_shared_by_all_web_servers() {
    let mut options = TestOptions::default();
    options.rules.press_cooldown_ms = vec![60_000, 60_000, 60_000, 60_000];
    let first = spawn_app(options).await;
    // A second web server of the same game: same database, same namespace.
    let second = crate::common::spawn_server_for(&first).await;
    assert_eq!(first.press(&player(7)).await.status(), 202);
    let response = second.press(&player(7)).await;
    let (status, body, _) = error_of(response).await;
    assert_eq!((status, body.error), (429, ErrorCode::Cooldown));
    second.stop_server().await;
    first.stop().await;
}

#[tokio::test]
async fn too_many_requests_from_one_address_are_429_rate_limited_with_retry_after() {
    let options = TestOptions::with_settings(Settings {
        rate_limit_per_second: 1,
        rate_limit_burst: 3,
        ..Settings::for_tests()
    });
    let app = spawn_app(options).await;
    let mut statuses = Vec::new();
    let mut last = None;
    for _ in 0..5 {
        let response = app
            .http
            .get(app.url("/v1/challenge"))
            .header("x-forwarded-for", player(9))
            .send()
            .await
            .expect("an answer");
        statuses.push(response.status().as_u16());
        last = Some(response);
    }
    assert_eq!(&statuses[..3], &[200, 200, 200]);
    assert_eq!(statuses[4], 429, "{statuses:?}");
    let (status, body, retry_after) = error_of(last.unwrap_or_else(|| panic!("no response"))).await;
    assert_eq!((status, body.error), (429, ErrorCode::RateLimited));
    assert!(retry_after.is_some_and(|s| s.parse::<u64>().is_ok_and(|s| s >= 1)));

    // A press from the limited address is refused too, and changes nothing.
    let before = footprint(&app).await;
    let request = TestApp::solve(app.challenge().await);
    let (status, body, _) = error_of(app.post_press(&player(9), &to_json(&request)).await).await;
    assert_eq!((status, body.error), (429, ErrorCode::RateLimited));
    assert_eq!(footprint(&app).await, before);

    // Another address has its own allowance; health checks are not limited.
    let other = app
        .http
        .get(app.url("/v1/challenge"))
        .header("x-forwarded-for", player(10))
        .send()
        .await
        .expect("an answer");
    assert_eq!(other.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn receipts_say_pending_until_the_reducer_applies_and_404_for_unknown_ids() {
    let app = spawn_app(TestOptions::without_reducer()).await;
    let response = app.press(&player(1)).await;
    assert_eq!(response.status(), 202);
    let accepted: PressAccepted = response.json().await.expect("a JSON body");
    let receipt: Receipt = app.receipt(accepted.press_id).await;
    assert_eq!(
        receipt,
        Receipt::Pending {
            press_id: accepted.press_id
        }
    );

    for unknown in ["00000000-0000-4000-8000-000000000000", "not-a-uuid"] {
        let (status, body, _) = error_of(
            app.http
                .get(app.url(&format!("/v1/presses/{unknown}")))
                .send()
                .await
                .expect("an answer"),
        )
        .await;
        assert_eq!((status, body.error), (404, ErrorCode::NotFound));
    }
    app.stop().await;
}

#[tokio::test]
async fn the_current_state_carries_the_server_clock_and_health_is_real() {
    let app = spawn_app(TestOptions::default()).await;
    let current = app.current().await;
    let now = server::clock::now_ms();
    assert!((current.server_time_ms - now).abs() < 5_000);
    assert_eq!(current.state.id, 0, "no commit yet: the initial state");

    let health: Value = app.get("/health").await.json().await.expect("a JSON body");
    assert_eq!(health["postgres"], "ok");
    assert_eq!(health["nats"], "ok");
    assert!(health["reducer_lag"].is_u64(), "{health}");
    app.stop().await;
}

#[tokio::test]
async fn a_challenge_signed_to_outlive_the_lifetime_is_403_and_changes_nothing() {
    let app = spawn_app(TestOptions::default()).await;
    let before = footprint(&app).await;
    let day_ahead = server::clock::now_ms() + 86_400_000;
    let challenge = TestApp::forge("00112233445566778899aabbccddeeff", 4, day_ahead);
    let response = app
        .post_press(&player(1), &to_json(&TestApp::solve(challenge)))
        .await;
    let (status, body, _) = error_of(response).await;
    assert_eq!((status, body.error), (403, ErrorCode::BadSignature));
    assert!(body.message.contains("further ahead"), "{}", body.message);
    assert_eq!(footprint(&app).await, before);
    app.stop().await;
}

#[tokio::test]
async fn the_nonce_may_come_as_a_decimal_string() {
    let app = spawn_app(TestOptions::default()).await;
    let mut body = to_json(&TestApp::solve(app.challenge().await));
    let nonce = body["nonce"].as_u64().expect("a numeric nonce");
    body["nonce"] = json!(nonce.to_string());
    assert_eq!(app.post_press(&player(1), &body).await.status(), 202);
    app.wait_for_counter(1, Duration::from_secs(10)).await;
    app.stop().await;
}
