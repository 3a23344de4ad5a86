//! The story of a press through the whole pipeline: API → JetStream → reducer → PostgreSQL →
//! NATS → SSE, and what players see of it.

mod common;

use std::time::Duration;

use app::api::{PressAccepted, Receipt};
use app::game::Phase;
use common::sse::SseClient;
use common::{TestOptions, player, spawn_app};

#[tokio::test]
async fn a_press_reaches_every_browser_live_and_its_receipt_says_applied() {
    let app = spawn_app(TestOptions::default()).await;
    let mut sse = SseClient::connect(&app.url("/v1/states/stream"), None).await;
    let first = sse
        .next_state(Duration::from_secs(5))
        .await
        .unwrap_or_else(|| panic!("no first state"));
    assert_eq!(first.event.as_deref(), Some("state_update"));
    assert_eq!(first.id.as_deref(), Some("0"));
    assert_eq!(first.state.counter, 0, "the current state comes first");

    let response = app.press(&player(1)).await;
    assert_eq!(response.status(), 202);
    let accepted: PressAccepted = response.json().await.unwrap_or_else(|e| panic!("{e}"));

    let update = sse
        .next_state(Duration::from_secs(10))
        .await
        .unwrap_or_else(|| panic!("no update"));
    assert_eq!(update.state.counter, 1);
    assert_eq!(update.id, Some(update.state.id.to_string()));

    let receipt: Receipt = app.receipt(accepted.press_id).await;
    assert!(
        matches!(
            receipt,
            Receipt::Applied {
                counter: 1,
                phase: Phase::Calm,
                tipped: false,
                ..
            }
        ),
        "{receipt:?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn enough_presses_tip_the_phase_and_the_receipt_says_which_press_did() {
    // Gain 0.2, WARM from 0.3: the second press tips the button into WARM.
    let app = spawn_app(TestOptions::default()).await;
    assert_eq!(app.press(&player(1)).await.status(), 202);
    let second: PressAccepted = app
        .press(&player(2))
        .await
        .json()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let state = app.wait_for_counter(2, Duration::from_secs(10)).await;
    assert_eq!(state.phase, Phase::Warm);
    assert_eq!(state.tipped_by, Some(second.press_id));
    let receipt: Receipt = app.receipt(second.press_id).await;
    assert!(
        matches!(
            receipt,
            Receipt::Applied {
                counter: 2,
                phase: Phase::Warm,
                tipped: true,
                ..
            }
        ),
        "{receipt:?}"
    );
    // The new phase asks more of new challenges: difficulty follows the state.
    let current = app.current().await;
    assert_eq!(current.state.phase, Phase::Warm);
    app.stop().await;
}

#[tokio::test]
async fn last_event_id_resumes_the_stream_without_repeating_what_the_client_has() {
    let app = spawn_app(TestOptions::default()).await;
    assert_eq!(app.press(&player(1)).await.status(), 202);
    let seen = app.wait_for_counter(1, Duration::from_secs(10)).await;
    // Let this web server learn of the commit too.
    for _ in 0..100 {
        if app.current().await.state.id >= seen.id {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let mut resumed = SseClient::connect(&app.url("/v1/states/stream"), Some(seen.id)).await;
    assert!(
        resumed
            .next_state(Duration::from_millis(500))
            .await
            .is_none(),
        "the client already has state {}",
        seen.id
    );
    assert_eq!(app.press(&player(2)).await.status(), 202);
    let next = resumed
        .next_state(Duration::from_secs(10))
        .await
        .unwrap_or_else(|| panic!("no newer state"));
    assert!(next.state.id > seen.id);
    assert_eq!(next.state.counter, 2);
    app.stop().await;
}

#[tokio::test]
async fn streams_end_cleanly_when_the_server_shuts_down() {
    let app = spawn_app(TestOptions::default()).await;
    let mut sse = SseClient::connect(&app.url("/v1/states/stream"), None).await;
    assert!(sse.next_state(Duration::from_secs(5)).await.is_some());
    app.shutdown.cancel();
    assert!(
        sse.ended_within(Duration::from_secs(5)).await,
        "the SSE stream outlived the server"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_second_web_server_fans_out_the_same_states() {
    let app = spawn_app(TestOptions::default()).await;
    let other = common::spawn_server_for(&app).await;
    let mut sse = SseClient::connect(&other.url("/v1/states/stream"), None).await;
    assert!(sse.next_state(Duration::from_secs(5)).await.is_some());
    assert_eq!(app.press(&player(1)).await.status(), 202);
    let update = sse
        .next_state(Duration::from_secs(10))
        .await
        .unwrap_or_else(|| panic!("no update"));
    assert_eq!(update.state.counter, 1);
    other.stop_server().await;
    app.stop().await;
}

#[tokio::test]
async fn a_poison_message_is_passed_over_and_never_blocks_the_stream() {
    let app = spawn_app(TestOptions::default()).await;
    let client = async_nats::connect(&app.settings.nats_url)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let js = async_nats::jetstream::new(client);
    js.publish(
        format!("{}.events.press.garbage", app.settings.namespace),
        "not an event".into(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(app.press(&player(1)).await.status(), 202);
    let state = app.wait_for_counter(1, Duration::from_secs(10)).await;
    assert_eq!(state.counter, 1);
    assert_eq!(app.presses_rows().await, 1);
    app.stop().await;
}

#[tokio::test]
async fn a_press_whose_challenge_was_already_used_is_skipped_and_never_wedges_the_game() {
    let app = spawn_app(TestOptions::default()).await;
    let first = app.press(&player(1)).await;
    assert_eq!(first.status(), 202);
    let first: PressAccepted = first.json().await.expect("a 202 body");
    app.wait_for_counter(1, Duration::from_secs(10)).await;
    let challenge_id: String = sqlx::query_scalar("SELECT challenge_id FROM presses")
        .fetch_one(&app.pool)
        .await
        .expect("the first press's row");

    // The same challenge again, as a press published once JetStream's duplicate window had
    // passed (a clock skew, a changed rules file): another message id, the same challenge.
    let client = async_nats::connect(&app.settings.nats_url)
        .await
        .expect("NATS");
    let js = async_nats::jetstream::new(client);
    let again = server::bus::EventMessage::Press {
        press_id: app::game::PressId(uuid::Uuid::new_v4()),
        challenge_id: challenge_id.clone(),
        client_key: "replayed".into(),
        at_ms: server::clock::now_ms(),
    };
    js.publish(
        app.names
            .press_subject(app::game::PressId(uuid::Uuid::new_v4())),
        serde_json::to_vec(&again).expect("encodes").into(),
    )
    .await
    .expect("published")
    .await
    .expect("stored");

    // The game goes on: the next presses are applied, the replay never is.
    for p in 2..=4 {
        assert_eq!(app.press(&player(p)).await.status(), 202);
    }
    let state = app.wait_for_counter(4, Duration::from_secs(10)).await;
    assert_eq!(state.counter, 4, "the replayed press was not counted");
    assert_eq!(app.presses_rows().await, 4);
    let used: i64 = sqlx::query_scalar("SELECT count(*) FROM presses WHERE challenge_id = $1")
        .bind(&challenge_id)
        .fetch_one(&app.pool)
        .await
        .expect("counting");
    assert_eq!(used, 1);
    assert!(matches!(
        app.receipt(first.press_id).await,
        Receipt::Applied { .. }
    ));
    let metrics = app
        .http
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("metrics text");
    assert!(
        metrics.contains("button_reducer_used_challenges_total"),
        "the skip is counted: {metrics}"
    );
    app.stop().await;
}
