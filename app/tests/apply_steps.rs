//! GAME.md's "Applying one event", step by step, with the default rules unless said otherwise.

mod common;

use app::game::{
    Effect, Flair, FlairSet, Phase, PressReceipt, Records, Rulebook, Rules, State, apply,
    apply_batch,
};
use common::{press, press_id, rules_with, run, tick};

const T0: i64 = 1_700_000_000_000;

/// Eight presses at one instant take entropy from 0 to 1 - 0.96^8 ≈ 0.2786: WARM.
fn warm_state(rules: &Rules) -> State {
    let presses: Vec<_> = (1..=8).map(|n| press(n, T0)).collect();
    run(State::initial(rules), rules, 1, &presses)
}

#[test]
fn the_initial_state_is_calm_and_empty() {
    let rules = Rules::default();
    let s = State::initial(&rules);
    assert_eq!((s.id, s.last_applied_seq, s.counter), (0, 0, 0));
    assert_eq!(s.phase, Phase::Calm);
    assert_eq!(s.entropy, 0.0);
    assert_eq!((s.phase_since_ms, s.updated_at_ms), (0, 0));
    assert_eq!(
        (s.last_press_at_ms, s.calm_down_at_ms, s.reveal_until_ms),
        (None, None, None)
    );
    assert_eq!(s.tipped_by, None);
    assert_eq!((s.cooldown_ms, s.difficulty), (3_000, 16));
    assert_eq!(s.entropy_half_life_ms, 10_000);
    assert_eq!(s.rules_hash, rules.hash());
}

#[test]
fn a_press_adds_gain_times_the_gap_and_is_counted() {
    let rules = Rules::default();
    let applied = apply(State::initial(&rules), &rules, 1, &press(1, T0));
    let s = applied.state;
    assert_eq!(s.entropy, 0.04);
    assert_eq!(s.counter, 1);
    assert_eq!(s.last_press_at_ms, Some(T0));
    assert_eq!((s.updated_at_ms, s.last_applied_seq), (T0, 1));
    assert_eq!(s.phase, Phase::Calm);
    assert_eq!(s.calm_down_at_ms, None, "no calm-down in CALM");
    assert_eq!(
        applied.effect,
        Effect::Pressed(PressReceipt {
            press_id: press_id(1),
            seq: 1,
            counter: 1,
            phase: Phase::Calm,
            tipped: false,
            applied_at_ms: T0,
            // The very first press is a milestone.
            flair: FlairSet::earned(Phase::Calm, false, 1, false),
        })
    );
}

#[test]
fn step_1_state_time_never_goes_back() {
    let rules = Rules::default();
    let s = run(
        State::initial(&rules),
        &rules,
        1,
        &[press(1, T0), press(2, T0 - 5_000)],
    );
    assert_eq!(s.updated_at_ms, T0);
    assert_eq!(s.last_press_at_ms, Some(T0));
    // No decay happened: the late press counts as if at T0.
    let expected = 0.04 + 0.04 * (1.0 - 0.04);
    assert!((s.entropy - expected).abs() < 1e-15, "{}", s.entropy);
}

#[test]
fn step_3_entropy_halves_every_half_life() {
    let rules = Rules::default();
    let s = run(
        State::initial(&rules),
        &rules,
        1,
        &[press(1, T0), tick(T0 + 10_000)],
    );
    assert!((s.entropy - 0.02).abs() < 1e-15, "{}", s.entropy);
    let s = run(s, &rules, 3, &[press(2, T0 + 20_000)]);
    let expected = 0.01 + 0.04 * (1.0 - 0.01);
    assert!((s.entropy - expected).abs() < 1e-15, "{}", s.entropy);
}

#[test]
fn step_4_a_press_that_crosses_a_threshold_raises_the_phase_and_opens_the_reveal() {
    let rules = Rules::default();
    let before = run(
        State::initial(&rules),
        &rules,
        1,
        &(1..=7).map(|n| press(n, T0)).collect::<Vec<_>>(),
    );
    assert_eq!(before.phase, Phase::Calm, "0.96^7 leaves entropy at 0.2486");
    let applied = apply(before, &rules, 8, &press(8, T0 + 1));
    let s = applied.state;
    assert_eq!(s.phase, Phase::Warm);
    assert_eq!(s.phase_since_ms, T0 + 1);
    assert_eq!(s.reveal_until_ms, Some(T0 + 1 + 3_000));
    assert_eq!(s.tipped_by, Some(press_id(8)));
    assert_eq!(s.calm_down_at_ms, Some(T0 + 1 + 30_000));
    assert_eq!(
        (s.cooldown_ms, s.difficulty),
        (2_000, 17),
        "step 5 follows the phase"
    );
    assert!(matches!(applied.effect, Effect::Pressed(r) if r.tipped && r.phase == Phase::Warm));
}

#[test]
fn step_4_one_press_can_raise_the_phase_several_steps() {
    let rules = rules_with(|r| r.press_gain = 0.9);
    let s = apply(State::initial(&rules), &rules, 1, &press(1, T0)).state;
    assert_eq!(s.phase, Phase::Chaos);
    assert_eq!(
        s.reveal_until_ms,
        Some(T0 + 10_000),
        "the reveal of the phase reached"
    );
    assert_eq!(s.calm_down_at_ms, Some(T0 + 10_000));
    assert_eq!((s.cooldown_ms, s.difficulty), (500, 20));
}

#[test]
fn step_4_a_press_that_does_not_raise_the_phase_only_pushes_the_calm_down_back() {
    let rules = Rules::default();
    let warm = warm_state(&rules);
    let applied = apply(warm, &rules, 9, &press(9, T0 + 5_000));
    let s = applied.state;
    assert_eq!(s.phase, Phase::Warm);
    assert_eq!(s.tipped_by, Some(press_id(8)), "the tipping press stays");
    assert_eq!(s.phase_since_ms, warm.phase_since_ms);
    assert_eq!(s.reveal_until_ms, warm.reveal_until_ms);
    assert_eq!(s.calm_down_at_ms, Some(T0 + 5_000 + 30_000));
    assert!(matches!(applied.effect, Effect::Pressed(r) if !r.tipped));
}

#[test]
fn step_2_a_tick_after_the_calm_down_steps_the_phase_down_at_the_calm_down_time() {
    let rules = Rules::default();
    let warm = warm_state(&rules);
    let calm_down_at = T0 + 30_000;
    assert_eq!(warm.calm_down_at_ms, Some(calm_down_at));
    let applied = apply(warm, &rules, 9, &tick(calm_down_at + 7_000));
    let s = applied.state;
    assert_eq!(s.phase, Phase::Calm);
    assert_eq!(
        s.phase_since_ms, calm_down_at,
        "the step happens at T, not at the tick"
    );
    assert_eq!(s.calm_down_at_ms, None);
    assert_eq!((s.cooldown_ms, s.difficulty), (3_000, 16));
    assert_eq!(applied.effect, Effect::Ticked { stepped_down: true });
}

#[test]
fn step_2_a_tick_just_before_the_calm_down_changes_nothing_but_time() {
    let rules = Rules::default();
    let warm = warm_state(&rules);
    let applied = apply(warm, &rules, 9, &tick(T0 + 29_999));
    assert_eq!(applied.state.phase, Phase::Warm);
    assert_eq!(
        applied.effect,
        Effect::Ticked {
            stepped_down: false
        }
    );
    assert!(!applied.effect.is_change());
    assert_eq!(applied.state.counter, warm.counter);
    assert_eq!(applied.state.last_press_at_ms, warm.last_press_at_ms);
}

#[test]
fn step_2_catch_up_walks_down_every_calm_down_that_passed() {
    let rules = rules_with(|r| r.press_gain = 0.9);
    let chaos = apply(State::initial(&rules), &rules, 1, &press(1, T0)).state;
    // CHAOS lasts 10 s, then HOT 20 s, then WARM 30 s.
    let hot_at = T0 + 10_000;
    let warm_at = hot_at + 20_000;
    let calm_at = warm_at + 30_000;

    let s = apply(chaos, &rules, 2, &tick(warm_at - 1)).state;
    assert_eq!(
        (s.phase, s.phase_since_ms, s.calm_down_at_ms),
        (Phase::Hot, hot_at, Some(warm_at))
    );

    let s = apply(chaos, &rules, 2, &tick(warm_at)).state;
    assert_eq!(
        (s.phase, s.phase_since_ms, s.calm_down_at_ms),
        (Phase::Warm, warm_at, Some(calm_at))
    );

    let s = apply(chaos, &rules, 2, &tick(calm_at + 1_000_000)).state;
    assert_eq!(
        (s.phase, s.phase_since_ms, s.calm_down_at_ms),
        (Phase::Calm, calm_at, None)
    );
}

#[test]
fn step_2_catch_up_runs_before_a_press_too() {
    let rules = Rules::default();
    let warm = warm_state(&rules);
    // 31 s later WARM has calmed down (at 30 s) and entropy has decayed to ~0.032: the press is
    // applied to a CALM button and leaves it CALM.
    let s = apply(warm, &rules, 9, &press(9, T0 + 31_000)).state;
    assert_eq!(s.phase, Phase::Calm);
    assert_eq!(s.phase_since_ms, T0 + 30_000);
    assert_eq!(s.calm_down_at_ms, None);
    assert_eq!(s.counter, 9);
}

#[test]
fn a_press_after_a_calm_down_can_tip_the_phase_again() {
    let rules = rules_with(|r| r.entropy_half_life_ms = 1_000_000_000);
    let warm = warm_state(&rules);
    // Entropy barely decays, so after WARM calms down the next press takes it up again.
    let s = apply(warm, &rules, 9, &press(9, T0 + 30_000)).state;
    assert_eq!(s.phase, Phase::Warm);
    assert_eq!(s.phase_since_ms, T0 + 30_000);
    assert_eq!(s.tipped_by, Some(press_id(9)));
}

#[test]
fn step_4_ticks_stop_after_the_decay() {
    let rules = Rules::default();
    let pressed = apply(State::initial(&rules), &rules, 1, &press(1, T0)).state;
    let s = apply(pressed, &rules, 2, &tick(T0 + 1_000)).state;
    assert_eq!(s.counter, 1);
    assert_eq!(s.last_press_at_ms, Some(T0));
    assert!(s.entropy < pressed.entropy);
    assert_eq!((s.updated_at_ms, s.last_applied_seq), (T0 + 1_000, 2));
}

#[test]
fn a_redelivered_event_changes_nothing() {
    let rules = Rules::default();
    let s = run(
        State::initial(&rules),
        &rules,
        1,
        &[press(1, T0), press(2, T0)],
    );
    for seq in [1, 2] {
        let applied = apply(s, &rules, seq, &press(99, T0 + 50_000));
        assert_eq!(applied.state, s);
        assert_eq!(applied.effect, Effect::Redelivered);
        assert!(!applied.effect.is_change());
    }
}

#[test]
fn every_state_records_the_hash_of_its_rules() {
    let old = Rules::default();
    let new = rules_with(|r| r.press_gain = 0.05);
    let s = apply(State::initial(&old), &old, 1, &press(1, T0)).state;
    assert_eq!(s.rules_hash, old.hash());
    let s = apply(s, &new, 2, &press(2, T0)).state;
    assert_eq!(s.rules_hash, new.hash());
}

#[test]
fn a_batch_bumps_the_id_once_and_returns_the_receipts_in_order() {
    let rules = Rules::default();
    let events = [press(1, T0), tick(T0 + 1), press(2, T0 + 2)];
    let batch = apply_batch(
        State::initial(&rules),
        Records::default(),
        &Rulebook::from(rules.clone()),
        events.iter().zip(1..).map(|(e, seq)| (seq, *e, seq * 10)),
    );
    assert!(batch.changed);
    assert_eq!(batch.state.id, 1);
    assert_eq!(batch.state.counter, 2);
    assert_eq!(batch.state.last_applied_seq, 3);
    let seqs: Vec<_> = batch
        .presses
        .iter()
        .map(|(r, _)| (r.seq, r.counter))
        .collect();
    assert_eq!(seqs, [(1, 1), (3, 2)]);
    // Each receipt carries what came with its own event; the tick's is dropped.
    let companions: Vec<_> = batch.presses.iter().map(|(_, c)| *c).collect();
    assert_eq!(companions, [10, 30]);
}

#[test]
fn a_batch_of_idle_ticks_or_redeliveries_is_not_a_change() {
    let rules = Rules::default();
    let s = run(State::initial(&rules), &rules, 1, &[press(1, T0)]);
    let idle = [tick(T0 + 100), tick(T0 + 200)];
    let batch = apply_batch(
        s,
        Records::default(),
        &Rulebook::from(rules.clone()),
        idle.iter().zip(2..).map(|(e, seq)| (seq, *e, ())),
    );
    assert!(!batch.changed);
    assert_eq!(batch.state.id, s.id);
    assert!(batch.presses.is_empty());

    let redelivered = apply_batch(
        s,
        Records::default(),
        &Rulebook::from(rules.clone()),
        [(1, press(1, T0), ())],
    );
    assert!(!redelivered.changed);
    assert_eq!(redelivered.state, s);
}

/// The flair of the receipt of applying `event` to `state`.
fn flair_of(state: State, rules: &Rules, seq: u64, event: &app::game::Event) -> Vec<Flair> {
    match apply(state, rules, seq, event).effect {
        Effect::Pressed(receipt) => receipt.flair.iter().collect(),
        other => panic!("not a press: {other:?}"),
    }
}

#[test]
fn flair_each_press_earns_its_phase_and_the_one_that_tips_it_earns_the_tippers() {
    let rules = Rules::default();
    let seven = run(
        State::initial(&rules),
        &rules,
        1,
        &(1..=7).map(|n| press(n, T0)).collect::<Vec<_>>(),
    );
    assert_eq!(
        flair_of(seven, &rules, 8, &press(8, T0)),
        [Flair::Warm, Flair::Tipper]
    );
    let warm = warm_state(&rules);
    assert_eq!(flair_of(warm, &rules, 9, &press(9, T0 + 1)), [Flair::Warm]);
}

#[test]
fn flair_press_number_one_and_every_power_of_ten_from_a_thousand_are_milestones() {
    let rules = rules_with(|r| r.entropy_half_life_ms = 1);
    let mut s = State::initial(&rules);
    let mut milestones = Vec::new();
    for n in 1..=10_000u64 {
        // Far apart: entropy gone, the button stays CALM.
        let at = T0 + 1_000 * n as i64;
        let applied = apply(s, &rules, n, &press(u128::from(n), at));
        if let Effect::Pressed(r) = applied.effect
            && r.flair.contains(Flair::Milestone)
        {
            milestones.push(r.counter);
        }
        s = applied.state;
    }
    assert_eq!(milestones, [1, 1_000, 10_000]);
}

#[test]
fn flair_the_first_press_after_a_calm_down_rekindles_whether_a_tick_or_the_press_found_it() {
    let rules = Rules::default();
    let warm = warm_state(&rules);
    let after = T0 + 31_000; // WARM calmed down at T0 + 30 s
    // The press itself catches the calm-down up.
    assert_eq!(
        flair_of(warm, &rules, 9, &press(9, after)),
        [Flair::Calm, Flair::Rekindler]
    );
    // A tick stepped it down first.
    let ticked = apply(warm, &rules, 9, &tick(T0 + 30_500)).state;
    assert_eq!(
        flair_of(ticked, &rules, 10, &press(10, after)),
        [Flair::Calm, Flair::Rekindler]
    );
    // Only the first press after it.
    let rekindled = apply(ticked, &rules, 10, &press(10, after)).state;
    assert_eq!(
        flair_of(rekindled, &rules, 11, &press(11, after + 1)),
        [Flair::Calm]
    );
    // A phase that rose is no calm-down.
    assert!(!flair_of(warm, &rules, 9, &press(9, T0 + 1)).contains(&Flair::Rekindler));
}
