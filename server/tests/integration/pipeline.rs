//! The story of a press through the whole pipeline: API → JetStream → reducer → PostgreSQL →
//! NATS → SSE, and what players see of it.

use std::time::Duration;

use crate::common::sse::SseClient;
use crate::common::{TestOptions, player, spawn_app};
use app::game::{Flair, Phase};
use app::wire::{PressAccepted, Receipt};

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
    let accepted: PressAccepted = response.json().await.expect("a JSON body");

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
    // What it earned was stored with it: the very first press is a milestone.
    let Receipt::Applied { flair, .. } = receipt else {
        unreachable!("matched above")
    };
    assert_eq!(flair, [Flair::Calm, Flair::Milestone]);
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
        .expect("a JSON body");
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
    assert!(
        matches!(&receipt, Receipt::Applied { flair, .. } if flair == &[Flair::Warm, Flair::Tipper]),
        "the tipper's flair: {receipt:?}"
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
    let other = crate::common::spawn_server_for(&app).await;
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
        .expect("connecting to NATS");
    let js = async_nats::jetstream::new(client);
    js.publish(
        format!("{}.events.press.garbage", app.settings.namespace),
        "not an event".into(),
    )
    .await
    .expect("the garbage is sent")
    .await
    .expect("and stored");
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
        player: None,
        country: None,
        at_ms: server::clock::now_ms(),
        viewer: None,
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
    // Registered at zero from the start: the skip must have moved it (no other test of this
    // binary skips a used challenge, so the process-wide count is this test's).
    let metrics = app.metrics_text().await;
    let skipped = metrics
        .lines()
        .find(|line| line.starts_with("button_reducer_used_challenges_total"))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|value| value.parse::<f64>().ok());
    assert!(
        skipped.is_some_and(|n| n >= 1.0),
        "the skip is counted: {metrics}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_web_server_takes_no_state_from_nats_that_postgresql_does_not_confirm() {
    let app = spawn_app(TestOptions::default()).await;
    assert_eq!(app.press(&player(1)).await.status(), 202);
    let real = app.wait_for_counter(1, Duration::from_secs(10)).await;
    let client = async_nats::connect(&app.settings.nats_url)
        .await
        .expect("NATS");
    let forge = |id: u64, counter: u64| {
        let mut state = real;
        state.id = id;
        state.counter = counter;
        serde_json::to_vec(&state).expect("encodes")
    };
    let current_counter = || async { app.current().await.state };

    // An absurd id: never taken.
    client
        .publish(app.names.state_subject(), forge(1_000_000, 999_999).into())
        .await
        .expect("published");
    client.flush().await.expect("flushed");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let seen = current_counter().await;
    assert_eq!(
        (seen.id, seen.counter),
        (real.id, 1),
        "an absurd id was taken"
    );

    // The very next id, forged: taken for a moment at most, then PostgreSQL wins.
    client
        .publish(
            app.names.state_subject(),
            forge(real.id + 1, 999_999).into(),
        )
        .await
        .expect("published");
    client.flush().await.expect("flushed");
    let mut healed = false;
    for _ in 0..80 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let seen = current_counter().await;
        if seen.counter == 1 && seen.id == real.id {
            healed = true;
            break;
        }
    }
    assert!(
        healed,
        "the forged state stayed: {:?}",
        current_counter().await
    );

    // And the game goes on from the truth.
    assert_eq!(app.press(&player(2)).await.status(), 202);
    app.wait_for_counter(2, Duration::from_secs(10)).await;
    let mut caught_up = false;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if current_counter().await.counter == 2 {
            caught_up = true;
            break;
        }
    }
    assert!(caught_up, "the next genuine state was not taken");
    app.stop().await;
}

#[tokio::test]
async fn applied_events_leave_the_stream_and_the_reducer_resumes_after_them() {
    let app = spawn_app(TestOptions::without_reducer()).await;
    let first = app.start_reducer(None);
    for p in 1..=5 {
        assert_eq!(app.press(&player(p)).await.status(), 202);
    }
    let applied = app.wait_for_counter(5, Duration::from_secs(10)).await;
    first.stop().await;

    // Presses taken while no reducer runs: in the stream, not yet applied.
    let mut pending = Vec::new();
    for p in 6..=8 {
        let response = app.press(&player(p)).await;
        assert_eq!(response.status(), 202);
        pending.push(
            response
                .json::<PressAccepted>()
                .await
                .expect("a 202 body")
                .press_id,
        );
    }
    // What the reducer does once they are past the duplicate window: only committed seqs go.
    let client = async_nats::connect(&app.settings.nats_url)
        .await
        .expect("NATS");
    let js = async_nats::jetstream::new(client);
    let events = server::bus::ensure_events_stream(&js, &app.names, Duration::from_secs(60), 1)
        .await
        .expect("the stream");
    let removed = events
        .remove_applied_through(applied.last_applied_seq)
        .await
        .expect("removed");
    assert_eq!(
        removed, applied.last_applied_seq,
        "every applied event left"
    );
    assert_eq!(
        app.stream_messages().await,
        3,
        "the unapplied presses stayed"
    );
    for press_id in &pending {
        assert!(matches!(
            app.receipt(*press_id).await,
            Receipt::Pending { .. }
        ));
    }

    // A reducer starting again reads on from PostgreSQL's position, after the removed events.
    let second = app.start_reducer(None);
    let state = app.wait_for_counter(8, Duration::from_secs(10)).await;
    assert_eq!(state.counter, 8);
    assert_eq!(app.presses_rows().await, 8);
    for press_id in &pending {
        assert!(matches!(
            app.receipt(*press_id).await,
            Receipt::Applied { .. }
        ));
    }
    second.stop().await;
    app.stop().await;
}

/// The roles of one game start together and each sets up the events stream: when they do it at
/// the same moment, none of them fails (one creates it, the others find it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_roles_of_a_game_may_set_up_its_stream_at_the_same_moment() {
    // One connection each, as the roles have.
    let mut contexts = Vec::new();
    for _ in 0..6 {
        let client = async_nats::connect(format!("nats://{}", crate::common::nats_address()))
            .await
            .expect("the tests' NATS");
        contexts.push(async_nats::jetstream::new(client));
    }
    let names = server::names::Names::new(format!("race{}", rand::random::<u32>()));
    let results = futures::future::join_all(
        contexts
            .iter()
            .map(|js| server::bus::ensure_events_stream(js, &names, Duration::from_secs(60), 1)),
    )
    .await;
    let _ = contexts[0].delete_stream(names.events_stream()).await;
    for result in results {
        assert!(result.is_ok(), "{:?}", result.err());
    }
}
