//! The load generator, run briefly against a real game.

mod common;

use common::{TestOptions, spawn_app};
use server::loadgen::{self, Mode, PressArgs, RawArgs};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn press_mode_loads_the_game_and_finds_every_202_in_postgres() {
    let app = spawn_app(TestOptions::default()).await;
    let args = PressArgs {
        url: app.base.clone(),
        rate: 200,
        players: 50,
        count: 100,
        seconds: 5,
        in_flight: 50,
    };
    loadgen::run(Mode::Press(args), &app.settings)
        .await
        .unwrap_or_else(|e| panic!("loadgen press: {e}"));
    assert_eq!(
        app.presses_rows().await,
        100,
        "every started press should have been accepted"
    );
    app.stop().await;
}

#[tokio::test]
async fn raw_mode_publishes_to_the_namespace_stream() {
    let app = spawn_app(TestOptions {
        reducer: false,
        ..TestOptions::default()
    })
    .await;
    let args = RawArgs {
        count: 500,
        seconds: 10,
        in_flight: 100,
    };
    loadgen::run(Mode::Raw(args), &app.settings)
        .await
        .unwrap_or_else(|e| panic!("loadgen raw: {e}"));
    assert_eq!(app.stream_messages().await, 500);
    app.stop().await;
}

#[tokio::test]
async fn the_load_generator_refuses_targets_off_this_machine() {
    let app = spawn_app(TestOptions::default()).await;
    let args = PressArgs {
        url: "http://192.0.2.1:3000".into(),
        rate: 1,
        players: 1,
        count: 1,
        seconds: 1,
        in_flight: 1,
    };
    assert!(
        loadgen::run(Mode::Press(args), &app.settings)
            .await
            .is_err()
    );
    app.stop().await;
}
