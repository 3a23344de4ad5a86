//! The game's memory: charts of its history, its moments (live, the moment they happen), and
//! its leaderboards, all kept by the reducer with the presses they come from.

use std::time::Duration;

use crate::common::sse::SseClient;
use crate::common::{AMBER, BASIL, TestOptions, player, spawn_app};
use app::game::{MomentKind, Phase};
use app::wire::{ErrorBody, ErrorCode, History, Leaderboard, MomentEntry, Moments};

/// By the tests' quick rules (gain 0.2; WARM 0.3, HOT 0.5, CHAOS 0.7), the presses that tip
/// into WARM, HOT and CHAOS when they come at once.
const TIPS: [(u64, Phase); 3] = [(2, Phase::Warm), (4, Phase::Hot), (6, Phase::Chaos)];

#[tokio::test]
async fn the_history_counts_each_minutes_presses_players_and_heat() {
    let app = spawn_app(TestOptions::default()).await;
    app.press_as(&player(1), AMBER).await;
    app.press_as(&player(2), AMBER).await;
    app.press_as(&player(3), BASIL).await;
    app.wait_for_counter(3, Duration::from_secs(10)).await;
    app.wait_until_tallied().await;

    let history: History = app.get_json("/v1/history?range=1h").await;
    assert_eq!(history.bucket_ms, 60_000);
    assert!(
        (60..=61).contains(&history.points.len()),
        "{}",
        history.points.len()
    );
    let presses: u64 = history.points.iter().map(|p| p.presses).sum();
    assert_eq!(presses, 3);
    let busiest = history
        .points
        .iter()
        .max_by_key(|p| p.presses)
        .expect("points");
    assert!(busiest.players >= 1 && busiest.players <= 2);
    assert!(busiest.peak_entropy > 0.3, "WARM was reached");
    // The game is WARM now: the time since the tip is counted once the next event commits.
    assert!(
        history
            .points
            .iter()
            .all(|p| p.phase_ms.iter().sum::<i64>() <= 60_000)
    );
    for range in ["24h", "7d", "all"] {
        let other: History = app.get_json(&format!("/v1/history?range={range}")).await;
        assert!(other.points.len() <= 301, "{range}: {}", other.points.len());
        assert_eq!(
            other.points.iter().map(|p| p.presses).sum::<u64>(),
            3,
            "{range}"
        );
    }

    let refused = app.get("/v1/history?range=2h").await;
    assert_eq!(refused.status(), 400);
    let body: ErrorBody = refused.json().await.expect("a JSON error");
    assert_eq!(body.error, ErrorCode::InvalidQuery);
    assert!(
        body.message.contains("1h, 24h, 7d, all"),
        "{}",
        body.message
    );
    app.stop().await;
}

#[tokio::test]
async fn every_tip_is_a_moment_with_who_pressed_it_and_is_streamed_live() {
    let app = spawn_app(TestOptions::default()).await;
    let mut live = SseClient::connect(&app.url("/v1/states/stream"), None).await;
    let mut by = Vec::new();
    for n in 1..=6 {
        by.push(app.press_as(&player(n), AMBER).await);
        app.wait_for_counter(u64::from(n), Duration::from_secs(10))
            .await;
    }
    let handle = by[0].handle.clone().expect("a handle");

    // Live: the tip into CHAOS comes as a moment of its own.
    let mut seen: Vec<MomentEntry> = Vec::new();
    while !seen.iter().any(|m| {
        matches!(
            m.what,
            MomentKind::Tip {
                phase: Phase::Chaos,
                ..
            }
        )
    }) {
        let moments = live
            .next_moments(Duration::from_secs(10))
            .await
            .expect("moments come live");
        seen.extend(moments);
    }

    let stored: Moments = app.get_json("/v1/moments").await;
    let tips: Vec<(u64, Phase, Option<&str>)> = stored
        .moments
        .iter()
        .rev()
        .filter_map(|m| match m.what {
            MomentKind::Tip { phase, counter } => Some((counter, phase, m.handle.as_deref())),
            _ => None,
        })
        .collect();
    let expected: Vec<_> = TIPS
        .iter()
        .map(|(counter, phase)| (*counter, *phase, Some(handle.as_str())))
        .collect();
    assert_eq!(tips, expected);
    assert!(
        stored
            .moments
            .windows(2)
            .all(|pair| pair[0].seq >= pair[1].seq),
        "newest first"
    );
    let chaos_tip = stored
        .moments
        .iter()
        .find(|m| {
            matches!(
                m.what,
                MomentKind::Tip {
                    phase: Phase::Chaos,
                    ..
                }
            )
        })
        .expect("the tip into CHAOS");
    assert_eq!(chaos_tip.press_id, Some(by[5].press_id));
    let kinds: Vec<&str> = stored.moments.iter().map(|m| m.what.name()).collect();
    assert!(kinds.contains(&"first_press_of_day"), "{kinds:?}");
    assert!(kinds.contains(&"fastest_climb"), "{kinds:?}");

    let page: Moments = app
        .get_json(&format!("/v1/moments?before_seq={}&limit=2", chaos_tip.seq))
        .await;
    assert_eq!(page.moments.len(), 2);
    assert!(page.moments.iter().all(|m| m.seq < chaos_tip.seq));
    let refused = app.get("/v1/moments?limit=0").await;
    assert_eq!(refused.status(), 400);
    app.stop().await;
}

#[tokio::test]
async fn leaderboards_rank_players_by_what_their_presses_earned() {
    let app = spawn_app(TestOptions::default()).await;
    let amber = app.press_as(&player(1), AMBER).await;
    let basil = app.press_as(&player(2), BASIL).await;
    app.press_as(&player(3), AMBER).await;
    app.wait_for_counter(3, Duration::from_secs(10)).await;
    app.wait_until_tallied().await;
    let (amber, basil) = (
        amber.handle.expect("a handle"),
        basil.handle.expect("a handle"),
    );

    let presses: Leaderboard = app
        .get_json("/v1/leaderboard?board=presses&period=today")
        .await;
    let rows: Vec<_> = presses
        .rows
        .iter()
        .map(|r| (r.rank, r.handle.as_deref(), r.score))
        .collect();
    assert_eq!(
        rows,
        [(1, Some(amber.as_str()), 2), (2, Some(basil.as_str()), 1)]
    );
    // Press 2 (Basil's) tipped into WARM.
    let tips: Leaderboard = app
        .get_json("/v1/leaderboard?board=tips_warm&period=all")
        .await;
    assert_eq!(tips.rows.len(), 1);
    assert_eq!(tips.rows[0].handle.as_deref(), Some(basil.as_str()));
    let milestones: Leaderboard = app
        .get_json("/v1/leaderboard?board=flair_milestone&period=all")
        .await;
    assert_eq!(
        milestones.rows[0].handle.as_deref(),
        Some(amber.as_str()),
        "press #1"
    );

    let refused = app.get("/v1/leaderboard?board=richest").await;
    assert_eq!(refused.status(), 400);
    let body: ErrorBody = refused.json().await.expect("a JSON error");
    assert!(body.message.contains("tips_chaos"), "{}", body.message);
    let refused = app.get("/v1/leaderboard?period=forever").await;
    assert_eq!(refused.status(), 400);
    app.stop().await;
}

#[tokio::test]
async fn the_record_boards_rank_moments_by_their_measure() {
    let app = spawn_app(TestOptions::default()).await;
    for n in 1..=6 {
        app.press_as(&player(n), AMBER).await;
    }
    app.wait_for_counter(6, Duration::from_secs(10)).await;
    app.wait_until_tallied().await;
    let climbs: Leaderboard = app
        .get_json("/v1/leaderboard?board=fastest_climb&period=all")
        .await;
    assert_eq!(climbs.rows.len(), 1);
    let row = &climbs.rows[0];
    let moment = row.moment.as_ref().expect("a moments' board lists moments");
    assert_eq!(moment.what, MomentKind::FastestClimb { ms: row.score });
    assert!(row.score >= 0);
    app.stop().await;
}
