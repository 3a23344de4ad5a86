//! The watcher brings the phase down when nobody presses.

use std::time::Duration;

use crate::common::{TestOptions, player, quick_rules, spawn_app};
use app::game::Phase;

#[tokio::test]
async fn the_watcher_brings_chaos_down_to_calm_with_no_presses() {
    let mut rules = quick_rules();
    rules.press_gain = 0.9; // one press: CHAOS
    rules.calm_down_ms = vec![0, 300, 300, 300];
    let app = spawn_app(TestOptions {
        rules,
        watcher: true,
        ..TestOptions::default()
    })
    .await;
    assert_eq!(app.press(&player(1)).await.status(), 202);
    let chaos = app.wait_for_counter(1, Duration::from_secs(10)).await;
    assert_eq!(chaos.phase, Phase::Chaos);
    let pressed_at = chaos.phase_since_ms;

    let mut calm = None;
    for _ in 0..100 {
        if let Some(state) = app.committed().await
            && state.phase == Phase::Calm
        {
            calm = Some(state);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let calm = calm.unwrap_or_else(|| panic!("the button never came down to CALM"));
    assert_eq!(calm.counter, 1, "ticks are not presses");
    assert_eq!(
        calm.phase_since_ms,
        pressed_at + 900,
        "each calm-down steps at its own time"
    );
    assert_eq!(calm.calm_down_at_ms, None);

    // The history shows each step down.
    let phases: Vec<i16> = sqlx::query_scalar("SELECT phase FROM states ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .expect("the query runs");
    assert_eq!(phases.first(), Some(&3));
    assert_eq!(phases.last(), Some(&0));
    assert!(phases.windows(2).all(|w| w[1] <= w[0]), "{phases:?}");
    app.stop().await;
}
