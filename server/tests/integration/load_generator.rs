//! The load generator, run briefly against a real game.

use crate::common::{TestOptions, spawn_app};
use loadgen::{Mode, PressArgs, RawArgs, Report, SseArgs};

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
    let report = loadgen::run(Mode::Press(args), &app.settings)
        .await
        .expect("loadgen press");
    // Scripts read the report as JSON (`loadgen --json`).
    let json = serde_json::to_value(&report).expect("the report as JSON");
    assert_eq!(json["mode"], "press");
    assert_eq!(json["accepted"], 100);
    assert_eq!(json["refused"]["taken"], 0);
    assert_eq!(json["accept_latency"]["n"], 100);
    assert!(json["accept_latency"]["p99_ms"].as_f64().is_some());
    let Report::Press(report) = report else {
        panic!("a press run reports presses: {report:?}");
    };
    assert_eq!(report.accepted, 100, "{report}");
    assert_eq!(report.statuses.get(&202), Some(&100), "{report}");
    assert_eq!(report.accept_latency.len(), 100, "{report}");
    assert_eq!(
        report.to_sse.len(),
        100,
        "every press should reach the live client: {report}"
    );
    assert_eq!(
        app.presses_rows().await,
        100,
        "every started press should have been accepted"
    );
    app.stop().await;
}

#[tokio::test]
async fn raw_mode_publishes_to_the_namespace_stream() {
    let app = spawn_app(TestOptions::without_reducer()).await;
    let args = RawArgs {
        count: 500,
        seconds: 10,
        in_flight: 100,
        players: 50,
    };
    let report = loadgen::run(Mode::Raw(args), &app.settings)
        .await
        .expect("loadgen raw");
    let Report::Raw(report) = report else {
        panic!("a raw run reports publishes: {report:?}");
    };
    assert_eq!((report.acked, report.failed), (500, 0), "{report}");
    assert_eq!(app.stream_messages().await, 500);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sse_mode_holds_its_clients_and_times_each_delivery_from_its_commit() {
    let app = spawn_app(TestOptions::default()).await;
    let sse = SseArgs {
        url: app.base.clone(),
        clients: 40,
        seconds: 4,
        publish: None,
        rate: 10,
    };
    let presses = PressArgs {
        url: app.base.clone(),
        rate: 20,
        players: 20,
        count: 40,
        seconds: 3,
        in_flight: 20,
    };
    let (sse, presses) = tokio::join!(loadgen::run(Mode::Sse(sse), &app.settings), async {
        // Presses once the clients are in.
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        loadgen::run(Mode::Press(presses), &app.settings).await
    });
    presses.expect("loadgen press");
    let Ok(Report::Sse(report)) = sse else {
        panic!("an sse run reports deliveries: {sse:?}");
    };
    assert_eq!((report.connected, report.held), (40, 40), "{report}");
    // Each client receives at least the final state (most receive many more).
    assert!(report.deliveries >= 40, "{report}");
    assert!(
        report.deliveries <= report.expected,
        "no client gets more states than were committed after it connected: {report}"
    );
    assert_eq!(
        report.delays.len(),
        report.deliveries,
        "every delivered state is in PostgreSQL: {report}"
    );
    let p99 = report.delays.percentile(99.0).unwrap_or_default();
    assert!(
        p99 < std::time::Duration::from_secs(1),
        "delays are measured from the commit, not from the start of the run: {report}"
    );
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
