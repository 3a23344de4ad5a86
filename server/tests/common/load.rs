//! Steady presses from many players at once, and the promise checked afterwards: every 202
//! applied exactly once, no refused press taken, and an unconfirmed one taken at most once.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use app::wire::ErrorCode;

use super::{TestApp, player};

/// What a load of presses got back.
#[derive(Debug, Default)]
pub struct Pressed {
    /// Challenge ids of the presses answered 202.
    pub accepted: Vec<String>,
    /// Challenge ids and statuses of the presses refused (anything but 202, with an answer).
    pub refused: Vec<(String, u16)>,
    /// Presses whose request failed without an answer (the connection broke).
    pub unanswered: Vec<String>,
    /// Presses answered 503 `unconfirmed`: sent to the stream, not confirmed; may count, once.
    pub unconfirmed: Vec<String>,
}

impl Pressed {
    pub fn statuses(&self) -> Vec<u16> {
        self.refused.iter().map(|(_, s)| *s).collect()
    }

    pub fn extend(&mut self, other: Pressed) {
        self.accepted.extend(other.accepted);
        self.refused.extend(other.refused);
        self.unanswered.extend(other.unanswered);
        self.unconfirmed.extend(other.unconfirmed);
    }
}

/// `players` concurrent players press `per_player` times each (player numbers from `first`).
pub async fn press_concurrently(
    app: &Arc<TestApp>,
    players: u32,
    per_player: u32,
    first: u32,
) -> Pressed {
    press_until(
        app,
        players,
        per_player,
        first,
        Arc::new(AtomicBool::new(false)),
    )
    .await
}

/// Like `press_concurrently`, stopping early once `stop` is set.
pub async fn press_until(
    app: &Arc<TestApp>,
    players: u32,
    per_player: u32,
    first: u32,
    stop: Arc<AtomicBool>,
) -> Pressed {
    let mut tasks = Vec::new();
    for p in 0..players {
        let (app, stop) = (app.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut pressed = Pressed::default();
            for _ in 0..per_player {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(challenge) = app.try_challenge().await else {
                    continue;
                };
                let id = challenge.challenge_id.clone();
                // Each virtual player has a token too: its totals are checked with the presses.
                let request = TestApp::solve(challenge).by(format!("test-player-{:08}", first + p));
                let body = serde_json::to_value(&request).expect("a press encodes");
                match app.try_post_press(&player(first + p), &body).await {
                    Ok((202, _)) => pressed.accepted.push(id),
                    Ok((_, Some(ErrorCode::Unconfirmed))) => pressed.unconfirmed.push(id),
                    Ok((status, _)) => pressed.refused.push((id, status)),
                    Err(_) => pressed.unanswered.push(id),
                }
            }
            pressed
        }));
    }
    let mut pressed = Pressed::default();
    for task in tasks {
        pressed.extend(task.await.expect("a player task"));
    }
    pressed
}

/// Counter == presses rows == 202s (+ the unconfirmed presses that were taken), no seq applied
/// twice, every accepted challenge in `presses` once, and no refused challenge there at all.
pub async fn assert_counted_exactly_once(app: &TestApp, pressed: &Pressed) {
    let state = app
        .wait_for_counter(pressed.accepted.len() as u64, Duration::from_secs(60))
        .await;
    // Give a wrongly doubled press (or a late unconfirmed one) the time to show up.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let unconfirmed_taken: i64 =
        sqlx::query_scalar("SELECT count(*) FROM presses WHERE challenge_id = ANY($1::text[])")
            .bind(&pressed.unconfirmed)
            .fetch_one(&app.pool)
            .await
            .expect("querying presses");
    let accepted = pressed.accepted.len() as u64 + unconfirmed_taken as u64;
    let state = app.committed().await.unwrap_or(state);
    let missing: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM UNNEST($1::text[]) AS id
         WHERE id NOT IN (SELECT challenge_id FROM presses)",
    )
    .bind(&pressed.accepted)
    .fetch_all(&app.pool)
    .await
    .expect("querying presses");
    assert!(missing.is_empty(), "202s never applied: {missing:?}");
    assert_eq!(
        state.counter, accepted,
        "counter vs 202s (+ unconfirmed, taken)"
    );
    assert_eq!(
        app.presses_rows().await,
        accepted as i64,
        "presses rows vs 202s"
    );
    assert_eq!(
        app.distinct_seqs().await,
        accepted as i64,
        "a seq was applied twice"
    );
    assert_players_add_up(app).await;
    assert_memory_adds_up(app).await;
    let refused: Vec<String> = pressed.refused.iter().map(|(id, _)| id.clone()).collect();
    let taken: i64 =
        sqlx::query_scalar("SELECT count(*) FROM presses WHERE challenge_id = ANY($1::text[])")
            .bind(&refused)
            .fetch_one(&app.pool)
            .await
            .expect("querying presses");
    assert_eq!(taken, 0, "a refused press was taken");
}

/// The game's memory is exactly what the stored presses add up to: each minute's presses and
/// players, every tip a moment, every player's all-time score on the presses board, each day's
/// presses by country. Written in the presses' transaction (the tally a few seconds later, and
/// tallied again from `presses` by a reducer that starts), none is given twice nor lost.
pub async fn assert_memory_adds_up(app: &TestApp) {
    app.wait_until_tallied().await;
    let days_off: Vec<String> = sqlx::query_scalar(
        "SELECT coalesce(p.day, c.day) FROM
             (SELECT to_char(to_timestamp(applied_at_ms / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')
                     AS day, count(*) AS n
              FROM presses GROUP BY 1) AS p
         FULL JOIN (SELECT day, sum(presses) AS n FROM country_days GROUP BY day) AS c USING (day)
         WHERE p.n IS DISTINCT FROM c.n",
    )
    .fetch_all(&app.pool)
    .await
    .expect("querying country_days");
    assert!(
        days_off.is_empty(),
        "days whose presses by country are off: {days_off:?}"
    );
    let minutes_off: Vec<String> = sqlx::query_scalar(
        "SELECT coalesce(p.minute_ms, m.minute_ms)::text FROM
             (SELECT applied_at_ms - applied_at_ms % 60000 AS minute_ms, count(*) AS n,
                     count(DISTINCT player) AS players
              FROM presses GROUP BY 1) AS p
         FULL JOIN (SELECT * FROM minutes WHERE presses > 0) AS m USING (minute_ms)
         WHERE p.n IS DISTINCT FROM m.presses OR p.players IS DISTINCT FROM m.players",
    )
    .fetch_all(&app.pool)
    .await
    .expect("querying minutes");
    assert!(
        minutes_off.is_empty(),
        "minutes whose presses or players are off: {minutes_off:?}"
    );
    let (tips, tip_moments): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM presses WHERE tipped),
                (SELECT count(*) FROM moments WHERE kind = 'tip')",
    )
    .fetch_one(&app.pool)
    .await
    .expect("querying moments");
    assert_eq!(tips, tip_moments, "tips vs tip moments");
    let scores_off: Vec<String> = sqlx::query_scalar(
        "SELECT coalesce(p.player, s.player) FROM
             (SELECT player, count(*) AS n FROM presses WHERE player IS NOT NULL GROUP BY player) p
         FULL JOIN (SELECT * FROM scores WHERE period = 'all' AND board = 'presses') s
             USING (player)
         WHERE p.n IS DISTINCT FROM s.score",
    )
    .fetch_all(&app.pool)
    .await
    .expect("querying scores");
    assert!(
        scores_off.is_empty(),
        "players whose score is off: {scores_off:?}"
    );
}

/// Every player's totals and shelf are exactly what their stored presses add up to: written in
/// the presses' transaction, they are never given twice nor lost.
pub async fn assert_players_add_up(app: &TestApp) {
    let totals_off: Vec<String> = sqlx::query_scalar(
        "SELECT coalesce(p.player, players.player) FROM
             (SELECT player, count(*) AS n, count(*) FILTER (WHERE tipped) AS t,
                     min(applied_at_ms) AS first_at, max(applied_at_ms) AS last_at
              FROM presses WHERE player IS NOT NULL GROUP BY player) AS p
         FULL JOIN players USING (player)
         WHERE p.n IS DISTINCT FROM players.presses OR p.t IS DISTINCT FROM players.tips
            OR p.first_at IS DISTINCT FROM players.first_press_at_ms
            OR p.last_at IS DISTINCT FROM players.last_press_at_ms",
    )
    .fetch_all(&app.pool)
    .await
    .expect("querying players");
    assert!(
        totals_off.is_empty(),
        "players whose totals are off: {totals_off:?}"
    );
    let shelves_off: Vec<String> = sqlx::query_scalar(
        "SELECT coalesce(p.player, s.player) || ' ' || coalesce(p.flair, s.flair) FROM
             (SELECT player, kind AS flair, count(*) AS n
              FROM presses, unnest(flair) AS kind WHERE player IS NOT NULL
              GROUP BY player, kind) AS p
         FULL JOIN player_flair AS s USING (player, flair)
         WHERE p.n IS DISTINCT FROM s.count",
    )
    .fetch_all(&app.pool)
    .await
    .expect("querying shelves");
    assert!(
        shelves_off.is_empty(),
        "shelves that are off: {shelves_off:?}"
    );
}
