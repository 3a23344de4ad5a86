//! An operator runs the game: pauses it, resumes it, starts a season, changes the rules, through
//! the admin API (a bearer token) and `the-button admin`. Each command is an event: applied in
//! order with the presses, exactly once, and written to the audit.

use std::time::{Duration, Instant};

use app::game::{Command, RulesSpec, State};
use app::wire::{AdminAccepted, AdminStatus, ErrorBody, ErrorCode, Notice};
use server::settings::Settings;

use crate::common::sse::SseClient;
use crate::common::{TestApp, TestOptions, player, quick_rules, spawn_app};

const TOKEN: &str = "ops-token-0123456789abcdef";

async fn game_with_admin() -> TestApp {
    spawn_app(TestOptions::with_settings(Settings {
        admin_token: Some(format!("ops:{TOKEN}")),
        ..Settings::for_tests()
    }))
    .await
}

impl TestApp {
    /// An admin request with `token`.
    async fn admin(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> reqwest::Response {
        let mut request = self.http.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("an answer")
    }

    /// A command with the right token: its 202.
    async fn command(&self, path: &str, body: Option<serde_json::Value>) -> AdminAccepted {
        let response = self
            .admin(reqwest::Method::POST, path, Some(TOKEN), body)
            .await;
        assert_eq!(response.status(), 202, "{path}");
        response.json().await.expect("a 202's body")
    }

    /// Waits until the web server's current state satisfies `done`.
    async fn wait_for_state(&self, what: &str, done: impl Fn(&State) -> bool) -> State {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let state = self.current().await.state;
            if done(&state) {
                return state;
            }
            assert!(Instant::now() < deadline, "{what}: {state:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn admin_status(&self) -> AdminStatus {
        let response = self
            .admin(reqwest::Method::GET, "/v1/admin/status", Some(TOKEN), None)
            .await;
        assert_eq!(response.status(), 200);
        response.json().await.expect("the status")
    }
}

#[tokio::test]
async fn without_a_configured_token_the_admin_routes_do_not_exist() {
    let app = spawn_app(TestOptions::default()).await;
    for (method, path) in [
        (reqwest::Method::POST, "/v1/admin/pause"),
        (reqwest::Method::POST, "/v1/admin/resume"),
        (reqwest::Method::POST, "/v1/admin/season"),
        (reqwest::Method::PUT, "/v1/admin/rules"),
        (reqwest::Method::GET, "/v1/admin/status"),
    ] {
        let response = app.admin(method, path, Some(TOKEN), None).await;
        assert_eq!(response.status(), 404, "{path}");
        let body: ErrorBody = response.json().await.expect("a JSON error");
        assert_eq!(body.error, ErrorCode::NotFound);
    }
    app.stop().await;
}

#[tokio::test]
async fn a_missing_or_wrong_token_is_refused_and_changes_nothing() {
    let app = game_with_admin().await;
    assert_eq!(app.press(&player(1)).await.status(), 202);
    app.wait_for_counter(1, Duration::from_secs(10)).await;
    for token in [None, Some("ops-token-0123456789abcdeX"), Some("")] {
        let response = app
            .admin(reqwest::Method::POST, "/v1/admin/pause", token, None)
            .await;
        assert_eq!(response.status(), 401, "{token:?}");
        let body: ErrorBody = response.json().await.expect("a JSON error");
        assert_eq!(body.error, ErrorCode::Unauthorized);
        // The name of the scheme alone is no token either.
        let response = app
            .http
            .post(app.url("/v1/admin/season"))
            .header("authorization", TOKEN)
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status(), 401);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let state = app.committed().await.expect("a state");
    assert!(!state.paused);
    assert_eq!((state.season, state.counter), (1, 1));
    assert!(app.admin_status().await.audit.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn an_operator_pauses_the_game_players_are_told_why_and_it_resumes() {
    let app = game_with_admin().await;
    let mut live = SseClient::connect(&app.url("/v1/states/stream"), None).await;
    assert_eq!(app.press(&player(1)).await.status(), 202);

    let paused = app
        .command(
            "/v1/admin/pause",
            Some(serde_json::json!({"message": "Back after the maintenance"})),
        )
        .await;
    let state = app.wait_for_state("paused", |s| s.paused).await;
    // Applied after the press that came before it: the 202 counted.
    assert_eq!(state.counter, 1);

    let response = app.press(&player(2)).await;
    assert_eq!(response.status(), 503);
    let body: ErrorBody = response.json().await.expect("a JSON error");
    assert_eq!(body.error, ErrorCode::Paused);
    assert!(
        body.message.contains("Back after the maintenance"),
        "{}",
        body.message
    );
    // The live stream told the page.
    let notice: Notice = live
        .next_notice(Duration::from_secs(10))
        .await
        .expect("a notice on the live stream");
    assert_eq!(notice.command, Command::Pause);
    assert_eq!(notice.seq, paused.seq);
    assert_eq!(
        notice.message.as_deref(),
        Some("Back after the maintenance")
    );

    let resumed = app.command("/v1/admin/resume", None).await;
    app.wait_for_state("resumed", |s| !s.paused).await;
    assert_eq!(app.press(&player(3)).await.status(), 202);
    app.wait_for_counter(2, Duration::from_secs(10)).await;

    // The audit: who (the token's name, never the token), what, in order.
    let status = app.admin_status().await;
    let audit: Vec<(Command, &str, uuid::Uuid)> = status
        .audit
        .iter()
        .map(|a| (a.notice.command, a.by.as_str(), a.action_id))
        .collect();
    assert_eq!(
        audit,
        vec![
            (Command::Resume, "ops", resumed.action_id),
            (Command::Pause, "ops", paused.action_id),
        ]
    );
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM admin_actions WHERE by_name LIKE '%0123456789%' OR message LIKE '%0123456789%'")
        .fetch_one(&app.pool)
        .await
        .expect("the audit");
    assert_eq!(stored, 0, "no token in the audit");
    app.stop().await;
}

#[tokio::test]
async fn a_new_season_starts_the_counter_again_and_keeps_the_players_and_the_presses() {
    let app = game_with_admin().await;
    for p in 0..3 {
        app.press_as(&player(p), crate::common::AMBER).await;
    }
    app.wait_for_counter(3, Duration::from_secs(10)).await;

    app.command(
        "/v1/admin/season",
        Some(serde_json::json!({"message": "Season two!"})),
    )
    .await;
    let state = app.wait_for_state("a new season", |s| s.season == 2).await;
    assert_eq!(state.counter, 0);
    assert_eq!(state.phase, app::game::Phase::Calm);
    assert_eq!(state.entropy, 0.0);

    let accepted = app.press_as(&player(9), crate::common::AMBER).await;
    let state = app.wait_for_counter(1, Duration::from_secs(10)).await;
    assert_eq!((state.season, state.counter), (2, 1));
    assert_eq!(
        app.presses_rows().await,
        4,
        "the first season's presses stay"
    );
    let profile: serde_json::Value = app
        .get_json(&format!(
            "/v1/players/{}",
            accepted.handle.expect("a handle")
        ))
        .await;
    assert_eq!(profile["presses"], 4, "a player's record spans seasons");
    app.stop().await;
}

#[tokio::test]
async fn rules_are_checked_then_apply_from_their_place_in_the_stream_and_outlive_a_restart() {
    let app = spawn_app(TestOptions {
        reducer: false,
        ..TestOptions::with_settings(Settings {
            admin_token: Some(TOKEN.into()),
            ..Settings::for_tests()
        })
    })
    .await;
    let reducer = app.start_reducer(None);
    let put = |body: serde_json::Value| {
        app.admin(
            reqwest::Method::PUT,
            "/v1/admin/rules",
            Some(TOKEN),
            Some(body),
        )
    };

    // Invalid rules, and rules the running servers cannot follow, change nothing.
    let broken = RulesSpec {
        press_gain: 2.0,
        ..quick_rules()
    };
    let longer_challenges = RulesSpec {
        challenge_ttl_ms: 120_000,
        ..quick_rules()
    };
    for rules in [broken, longer_challenges] {
        let response = put(serde_json::json!({ "rules": rules })).await;
        assert_eq!(response.status(), 400);
        let body: ErrorBody = response.json().await.expect("a JSON error");
        assert_eq!(body.error, ErrorCode::InvalidBody, "{}", body.message);
    }
    let response = put(serde_json::json!({"rules": {"press_gain": 0.5}})).await;
    assert_eq!(response.status(), 400, "a partial rules file is refused");

    assert_eq!(app.press(&player(1)).await.status(), 202);
    let before = app.wait_for_counter(1, Duration::from_secs(10)).await;
    let gentler = RulesSpec {
        press_gain: 0.05,
        ..quick_rules()
    };
    let response = put(serde_json::json!({"rules": gentler, "message": "Gentler presses"})).await;
    assert_eq!(response.status(), 202);
    let changed = app
        .wait_for_state("the new rules", |s| s.rules_hash != before.rules_hash)
        .await;
    let status = app.admin_status().await;
    assert_eq!(status.rules, gentler);
    assert_eq!(status.state.rules_hash, changed.rules_hash);

    // A press now follows the new rules: a gain of 0.05 on the entropy it found.
    assert_eq!(app.press(&player(2)).await.status(), 202);
    let after = app.wait_for_counter(2, Duration::from_secs(10)).await;
    assert_eq!(after.rules_hash, changed.rules_hash);

    // A reducer started again with the old rules file keeps the game's rules.
    reducer.stop().await;
    let again = app.start_reducer(None);
    assert_eq!(app.press(&player(3)).await.status(), 202);
    let state = app.wait_for_counter(3, Duration::from_secs(10)).await;
    assert_eq!(state.rules_hash, changed.rules_hash);
    again.stop().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_command_line_pauses_and_reports_the_status() {
    let app = game_with_admin().await;
    let cli = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_the-button"))
            .arg("admin")
            .args(["--url", &app.base])
            .args(args)
            .env("BUTTON_ADMIN_TOKEN", format!("ops:{TOKEN}"))
            .env("RUST_LOG", "warn")
            .output()
            .expect("running the-button admin")
    };
    let paused = tokio::task::block_in_place(|| cli(&["pause", "--message", "Lunch"]));
    assert!(paused.status.success(), "{paused:?}");
    let accepted: AdminAccepted = serde_json::from_slice(&paused.stdout).expect("the 202 as JSON");
    app.wait_for_state("paused", |s| s.paused).await;

    let status = tokio::task::block_in_place(|| cli(&["status"]));
    assert!(status.status.success(), "{status:?}");
    let status: AdminStatus = serde_json::from_slice(&status.stdout).expect("the status");
    assert!(status.state.paused);
    assert_eq!(status.audit[0].notice.seq, accepted.seq);
    assert_eq!(status.audit[0].notice.message.as_deref(), Some("Lunch"));

    // A wrong token: a clear error and a failing exit.
    let refused = tokio::task::block_in_place(|| {
        std::process::Command::new(env!("CARGO_BIN_EXE_the-button"))
            .args(["admin", "--url", &app.base, "resume"])
            .env("BUTTON_ADMIN_TOKEN", "not-the-token-at-all")
            .output()
            .expect("running the-button admin")
    });
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("unauthorized"),
        "{refused:?}"
    );
    app.stop().await;
}
