//! Golden tests: the JSON of the game's types is the API's wire format. Field names are an API.

mod common;

use app::game::{Event, Flair, Phase, Rules, State, apply};
use app::wire::{Challenge, PressRequest, Receipt};
use common::{press, press_id, tick};
use serde_json::{Value, json};

fn to_value<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn phases_are_upper_case_names() {
    let names: Vec<Value> = Phase::ALL.iter().map(to_value).collect();
    assert_eq!(
        names,
        [json!("CALM"), json!("WARM"), json!("HOT"), json!("CHAOS")]
    );
    assert_eq!(
        serde_json::from_str::<Phase>(r#""HOT""#).ok(),
        Some(Phase::Hot)
    );
    assert!(serde_json::from_str::<Phase>(r#""hot""#).is_err());
}

#[test]
fn the_initial_state_on_the_wire() {
    let rules = Rules::default();
    assert_eq!(
        to_value(&State::initial(&rules)),
        json!({
            "id": 0,
            "last_applied_seq": 0,
            "counter": 0,
            "phase": "CALM",
            "entropy": 0.0,
            "entropy_half_life_ms": 10000,
            "phase_since_ms": 0,
            "last_press_at_ms": null,
            "calm_down_at_ms": null,
            "cooldown_ms": 3000,
            "difficulty": 16,
            "reveal_until_ms": null,
            "tipped_by": null,
            "updated_at_ms": 0,
            "season": 1,
            "paused": false,
            "rules_hash": "a2cdb30bf26a2f4ac31f642a1fee21fd605a43e379da31dee159edc54b11ee20"
        })
    );
}

#[test]
fn a_tipped_state_on_the_wire() {
    let rules = Rules::default();
    let mut s = State::initial(&rules);
    for seq in 1..=8 {
        s = apply(s, &rules, seq, &press(u128::from(seq), 1_700_000_000_000)).state;
    }
    s.id = 1;
    assert_eq!(
        to_value(&s),
        json!({
            "id": 1,
            "last_applied_seq": 8,
            "counter": 8,
            "phase": "WARM",
            "entropy": s.entropy,
            "entropy_half_life_ms": 10000,
            "phase_since_ms": 1_700_000_000_000i64,
            "last_press_at_ms": 1_700_000_000_000i64,
            "calm_down_at_ms": 1_700_000_030_000i64,
            "cooldown_ms": 2000,
            "difficulty": 17,
            "reveal_until_ms": 1_700_000_003_000i64,
            "tipped_by": "00000000-0000-0000-0000-000000000008",
            "updated_at_ms": 1_700_000_000_000i64,
            "season": 1,
            "paused": false,
            "rules_hash": "a2cdb30bf26a2f4ac31f642a1fee21fd605a43e379da31dee159edc54b11ee20"
        })
    );
    assert!((s.entropy - (1.0 - 0.96f64.powi(8))).abs() < 1e-15);
}

#[test]
fn events_are_tagged_by_kind() {
    assert_eq!(
        serde_json::to_string(&press(1, 1_700_000_000_000))
            .ok()
            .as_deref(),
        Some(
            r#"{"kind":"press","press_id":"00000000-0000-0000-0000-000000000001","at_ms":1700000000000}"#
        )
    );
    assert_eq!(
        serde_json::to_string(&tick(1_700_000_000_000))
            .ok()
            .as_deref(),
        Some(r#"{"kind":"tick","at_ms":1700000000000}"#)
    );
    let back: Event = serde_json::from_str(
        r#"{"kind":"press","press_id":"00000000-0000-0000-0000-000000000002","at_ms":5}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        back,
        Event::Press {
            press_id: press_id(2),
            at_ms: 5,
            player: None,
        }
    );
    assert!(serde_json::from_str::<Event>(r#"{"kind":"smash","at_ms":5}"#).is_err());
}

#[test]
fn a_challenge_on_the_wire() {
    let challenge = Challenge {
        challenge_id: "00112233445566778899aabbccddeeff".into(),
        difficulty: 16,
        expires_at: 1_700_000_060_000,
        signature: "ab".repeat(32),
    };
    assert_eq!(
        to_value(&challenge),
        json!({
            "challenge_id": "00112233445566778899aabbccddeeff",
            "difficulty": 16,
            "expires_at": 1_700_000_060_000i64,
            "signature": "ab".repeat(32)
        })
    );
    assert_eq!(
        to_value(&PressRequest::new(challenge, 140_894)),
        json!({
            "challenge_id": "00112233445566778899aabbccddeeff",
            "difficulty": 16,
            "expires_at": 1_700_000_060_000i64,
            "signature": "ab".repeat(32),
            "nonce": 140_894
        })
    );
}

#[test]
fn a_press_request_with_unknown_or_missing_fields_is_refused() {
    let good = json!({
        "challenge_id": "00112233445566778899aabbccddeeff", "difficulty": 16,
        "expires_at": 1, "signature": "ab", "nonce": 1
    });
    assert!(serde_json::from_value::<PressRequest>(good.clone()).is_ok());
    let mut extra = good.clone();
    extra["bonus"] = json!(true);
    assert!(serde_json::from_value::<PressRequest>(extra).is_err());
    let mut missing = good;
    if let Some(object) = missing.as_object_mut() {
        object.remove("nonce");
    }
    assert!(serde_json::from_value::<PressRequest>(missing).is_err());
}

#[test]
fn the_nonce_comes_as_a_number_or_a_decimal_string() {
    let with = |nonce: serde_json::Value| {
        serde_json::from_value::<PressRequest>(json!({
            "challenge_id": "00112233445566778899aabbccddeeff", "difficulty": 16,
            "expires_at": 1, "signature": "ab", "nonce": nonce
        }))
        .map(|press| press.nonce)
    };
    assert_eq!(with(json!(140_894)).ok(), Some(140_894));
    assert_eq!(with(json!("140894")).ok(), Some(140_894));
    // Beyond JavaScript's 2^53, exact as a string.
    assert_eq!(with(json!("18446744073709551615")).ok(), Some(u64::MAX));
    for bad in [
        json!(-1),
        json!(1.5),
        json!(""),
        json!("12a"),
        json!("-1"),
        json!("18446744073709551616"),
        json!(null),
    ] {
        assert!(with(bad.clone()).is_err(), "{bad}");
    }
}

#[test]
fn an_applied_receipt_on_the_wire_names_its_flair_its_player_and_its_line() {
    let receipt = Receipt::Applied {
        press_id: press_id(3),
        seq: 7,
        state_id: 5,
        counter: 1_000,
        phase: Phase::Hot,
        tipped: true,
        applied_at_ms: 1_700_000_000_000,
        flair: vec![Flair::Hot, Flair::Tipper, Flair::Milestone],
        handle: Some("amber-otter-42".into()),
        line: "Confetti! You hit a milestone.".into(),
    };
    assert_eq!(
        to_value(&receipt),
        json!({
            "status": "applied",
            "press_id": "00000000-0000-0000-0000-000000000003",
            "seq": 7,
            "state_id": 5,
            "counter": 1000,
            "phase": "HOT",
            "tipped": true,
            "applied_at_ms": 1_700_000_000_000i64,
            "flair": ["hot", "tipper", "milestone"],
            "handle": "amber-otter-42",
            "line": "Confetti! You hit a milestone."
        })
    );
    // A receipt from before flair existed still reads.
    let older: Receipt = serde_json::from_value(json!({
        "status": "applied", "press_id": "00000000-0000-0000-0000-000000000003", "seq": 7,
        "state_id": 5, "counter": 1000, "phase": "HOT", "tipped": true,
        "applied_at_ms": 1_700_000_000_000i64
    }))
    .expect("an older receipt");
    assert!(
        matches!(older, Receipt::Applied { flair, handle: None, line, .. }
        if flair.is_empty() && line.is_empty())
    );
}
