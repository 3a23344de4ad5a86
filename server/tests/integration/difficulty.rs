//! A difficulty that follows the crowd: a flood from one network (many addresses of one /24)
//! pays more and more work per press, while other players' challenges, and the work they take,
//! stay where they were.

use std::time::Duration;

use app::wire::Challenge;
use server::settings::Settings;

use crate::common::{TestApp, TestOptions, spawn_app};

/// A challenge as the client at `address` gets it.
async fn challenge_for(app: &TestApp, address: &str) -> Challenge {
    let response = app
        .http
        .get(app.url("/v1/challenge"))
        .header("x-forwarded-for", address)
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), 200);
    response.json().await.expect("a challenge")
}

/// Presses from `address` with a challenge it got itself; the hashes its work took.
async fn press_from(app: &TestApp, address: &str) -> u64 {
    let challenge = challenge_for(app, address).await;
    let (nonce, tries) =
        match pow_wasm::solve(&challenge.challenge_id, challenge.difficulty, 0, u64::MAX) {
            pow_wasm::Solve::Found { nonce, tries } => (nonce, tries),
            pow_wasm::Solve::NotFound { .. } => panic!("no nonce found"),
        };
    let request = app::wire::PressRequest::new(challenge, nonce);
    let response = app
        .post_press(address, &serde_json::to_value(&request).expect("a press"))
        .await;
    assert_eq!(response.status(), 202, "a press from {address}");
    tries
}

/// The work `difficulty` bits take on average: 2^bits hashes.
fn expected_hashes(bits: u32) -> f64 {
    2f64.powi(bits as i32)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_from_one_network_pays_more_while_other_players_pay_what_they_paid() {
    let app = spawn_app(TestOptions {
        settings: Settings {
            difficulty_network_levels: "10:2,20:4,40:8".into(),
            ..Settings::for_tests()
        },
        alone: true,
        ..TestOptions::default()
    })
    .await;
    let phase_bits = app.current().await.state.difficulty;
    let neighbour = "192.0.2.77";
    assert_eq!(challenge_for(&app, neighbour).await.difficulty, phase_bits);

    // One actor, sixty addresses of 203.0.113.0/24, one press each.
    let mut flood_bits = Vec::new();
    let mut flood_work = 0u64;
    for host in 1..=60 {
        let address = format!("203.0.113.{host}");
        flood_bits.push(challenge_for(&app, &address).await.difficulty);
        flood_work += press_from(&app, &address).await;
    }
    // The flood's challenges got harder as it pressed: +2 bits after 10, +4 after 20, +8 after 40
    // (a sliding minute: a minute's turn during the test may count a few presses less).
    assert_eq!(flood_bits[0], phase_bits);
    assert!(
        flood_bits.windows(2).all(|w| w[0] <= w[1]),
        "{flood_bits:?}"
    );
    assert!(flood_bits.contains(&(phase_bits + 2)), "{flood_bits:?}");
    assert!(flood_bits.contains(&(phase_bits + 4)), "{flood_bits:?}");
    assert_eq!(flood_bits[59], phase_bits + 8, "{flood_bits:?}");
    // A fresh address of the same network pays the network's price.
    let next = challenge_for(&app, "203.0.113.250").await;
    assert_eq!(next.difficulty, phase_bits + 8);

    // Another network's player pays what it paid before the flood, and works as long.
    let mut neighbour_work = 0u64;
    for _ in 0..10 {
        assert_eq!(challenge_for(&app, neighbour).await.difficulty, phase_bits);
        neighbour_work += press_from(&app, neighbour).await;
    }
    let flood_average = flood_work as f64 / 60.0;
    let neighbour_average = neighbour_work as f64 / 10.0;
    eprintln!(
        "hashes per press: the flood {flood_average:.0} on average (its last 20 at \
         {:.0} expected), a neighbour {neighbour_average:.0} ({:.0} expected)",
        expected_hashes(phase_bits + 8),
        expected_hashes(phase_bits)
    );
    // The flood's work per press is many times the neighbour's (2^8 times at its last level).
    assert!(
        flood_average > 20.0 * expected_hashes(phase_bits),
        "the flood paid {flood_average:.0} hashes a press"
    );
    assert!(
        neighbour_average < 8.0 * expected_hashes(phase_bits),
        "the neighbour paid {neighbour_average:.0} hashes a press"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_game_asks_everyone_for_a_little_more() {
    let app = spawn_app(TestOptions {
        settings: Settings {
            difficulty_game_levels: "5:1,15:3".into(),
            ..Settings::for_tests()
        },
        ..TestOptions::default()
    })
    .await;
    let phase_bits = app.current().await.state.difficulty;
    assert_eq!(
        challenge_for(&app, "192.0.2.1").await.difficulty,
        phase_bits
    );
    for n in 0..16u32 {
        press_from(&app, &crate::common::player(n)).await;
    }
    // The crowd's count of the last minute follows the committed counter each second.
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let bits = challenge_for(&app, "192.0.2.1").await.difficulty;
        let phase_bits = app.current().await.state.difficulty;
        if bits == phase_bits + 3 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still {bits} bits (phase {phase_bits})"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    app.stop().await;
}
