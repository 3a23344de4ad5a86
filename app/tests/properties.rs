//! GAME.md's "Properties the tests hold", for arbitrary valid rules and event streams.

mod common;

use app::game::{
    Effect, Event, Flair, FlairSet, Memory, Phase, PressId, Records, Rulebook, Rules, RulesSpec,
    State, apply, apply_batch, is_milestone,
};
use proptest::prelude::*;

/// Any valid rules.
fn any_rules() -> impl Strategy<Value = Rules> {
    (
        1i64..200_000,
        0.001f64..0.999,
        proptest::collection::btree_set(1u32..9_999, 3),
        (0i64..1_000, proptest::array::uniform3(1i64..120_000)),
        proptest::array::uniform4(0i64..10_000),
        proptest::array::uniform4(0u32..=32),
        proptest::array::uniform4(0i64..20_000),
        1i64..600_000,
    )
        .prop_map(
            |(half_life, gain, enter, (calm0, calm), cooldown, bits, reveal, ttl)| {
                let mut phase_enter = vec![0.0];
                phase_enter.extend(enter.into_iter().map(|e| f64::from(e) / 10_000.0));
                RulesSpec {
                    entropy_half_life_ms: half_life,
                    press_gain: gain,
                    phase_enter,
                    calm_down_ms: vec![calm0, calm[0], calm[1], calm[2]],
                    press_cooldown_ms: cooldown.to_vec(),
                    pow_difficulty_bits: bits.to_vec(),
                    reveal_ms: reveal.to_vec(),
                    challenge_ttl_ms: ttl,
                }
            },
        )
        .prop_map(|spec| Rules::try_from(spec).unwrap_or_else(|e| panic!("{e}")))
}

/// A stream of events with strictly increasing seqs and times that mostly move forward, with
/// some clock skew between web servers (a later event may carry an earlier time).
fn any_stream() -> impl Strategy<Value = Vec<(u64, Event)>> {
    proptest::collection::vec(
        (1u64..4, -2_000i64..40_000, any::<bool>(), any::<u128>()),
        0..150,
    )
    .prop_map(|steps| {
        let (mut seq, mut at) = (0u64, 1_700_000_000_000i64);
        steps
            .into_iter()
            .map(|(seq_gap, time_step, is_press, id)| {
                seq += seq_gap;
                at += time_step;
                let event = if is_press {
                    Event::Press {
                        press_id: PressId(uuid::Uuid::from_u128(id)),
                        at_ms: at,
                        player: None,
                    }
                } else {
                    Event::Tick { at_ms: at }
                };
                (seq, event)
            })
            .collect()
    })
}

fn fold(state: State, rules: &Rules, events: &[(u64, Event)]) -> State {
    events
        .iter()
        .fold(state, |s, (seq, e)| apply(s, rules, *seq, e).state)
}

fn same_bits(a: &State, b: &State) -> bool {
    a == b && a.entropy.to_bits() == b.entropy.to_bits()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_same_rules_and_events_give_the_same_state_bit_for_bit(
        rules in any_rules(), events in any_stream()
    ) {
        let a = fold(State::initial(&rules), &rules, &events);
        let b = fold(State::initial(&rules), &rules, &events);
        prop_assert!(same_bits(&a, &b));
        let json_a = serde_json::to_string(&a).unwrap_or_default();
        prop_assert_eq!(&json_a, &serde_json::to_string(&b).unwrap_or_default());
        // And the wire format carries the state exactly.
        let back: State = serde_json::from_str(&json_a).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(same_bits(&back, &a));
    }

    #[test]
    fn the_counter_equals_the_distinct_presses_and_replaying_any_prefix_changes_nothing(
        rules in any_rules(), events in any_stream(), cut in any::<prop::sample::Index>()
    ) {
        let end = fold(State::initial(&rules), &rules, &events);
        let presses = events.iter().filter(|(_, e)| matches!(e, Event::Press { .. })).count();
        prop_assert_eq!(end.counter, presses as u64);

        let prefix = &events[..cut.index(events.len() + 1)];
        for (seq, event) in prefix {
            let again = apply(end, &rules, *seq, event);
            prop_assert_eq!(again.effect, Effect::Redelivered);
            prop_assert!(same_bits(&again.state, &end));
        }
        // Redelivered in the middle of the stream too: still counted once.
        let mut with_redeliveries = Vec::new();
        for (i, event) in events.iter().enumerate() {
            with_redeliveries.push(*event);
            with_redeliveries.extend_from_slice(&events[..cut.index(i + 1)]);
        }
        let redelivered_end = fold(State::initial(&rules), &rules, &with_redeliveries);
        prop_assert!(same_bits(&redelivered_end, &end));
    }

    #[test]
    fn entropy_stays_below_one_and_phases_move_only_as_the_rules_say(
        rules in any_rules(), events in any_stream()
    ) {
        let mut s = State::initial(&rules);
        for (seq, event) in &events {
            let before = s;
            let applied = apply(before, &rules, *seq, event);
            s = applied.state;
            prop_assert!((0.0..1.0).contains(&s.entropy), "entropy {}", s.entropy);
            let now = event.at_ms().max(before.updated_at_ms);
            if s.phase > before.phase {
                prop_assert!(matches!(event, Event::Press { .. }), "a tick raised the phase");
            }
            if s.phase < before.phase {
                prop_assert!(
                    before.calm_down_at_ms.is_some_and(|at| at <= now),
                    "the phase fell before its calm-down"
                );
            }
            prop_assert_eq!(s.calm_down_at_ms.is_none(), s.phase == Phase::Calm);
            prop_assert_eq!(s.cooldown_ms, rules.press_cooldown_ms(s.phase));
            prop_assert_eq!(s.difficulty, rules.pow_difficulty_bits(s.phase));
        }
    }

    #[test]
    fn every_press_earns_its_phase_and_exactly_what_happened_to_it(
        rules in any_rules(), events in any_stream()
    ) {
        let mut s = State::initial(&rules);
        for (seq, event) in &events {
            let before = s;
            let applied = apply(before, &rules, *seq, event);
            s = applied.state;
            let Effect::Pressed(receipt) = applied.effect else { continue };
            let flair = receipt.flair;
            let phases: Vec<Flair> = Phase::ALL
                .iter()
                .map(|p| Flair::of_phase(*p))
                .filter(|f| flair.contains(*f))
                .collect();
            prop_assert_eq!(phases, vec![Flair::of_phase(receipt.phase)]);
            prop_assert_eq!(flair.contains(Flair::Tipper), receipt.tipped);
            prop_assert_eq!(flair.contains(Flair::Milestone), is_milestone(receipt.counter));
            // Rekindled: the phase stepped down (by a tick, or caught up now) since the last press.
            let now = event.at_ms().max(before.updated_at_ms);
            let calmed_down_since = before.last_press_at_ms.is_some_and(|last| {
                before.phase_since_ms > last
                    || before.calm_down_at_ms.is_some_and(|at| at <= now)
            });
            prop_assert_eq!(flair.contains(Flair::Rekindler), calmed_down_since);
        }
    }

    #[test]
    fn ticks_inserted_anywhere_between_presses_change_nothing_that_matters(
        rules in any_rules(),
        gaps in proptest::collection::vec((0i64..60_000, proptest::collection::vec(0.0f64..=1.0, 0..4)), 1..80),
    ) {
        // The same presses, once alone and once with ticks at times between them.
        let (mut alone, mut with_ticks) = (Vec::new(), Vec::new());
        let mut at = 1_700_000_000_000i64;
        for (i, (gap, tick_fractions)) in gaps.iter().enumerate() {
            let mut tick_times: Vec<i64> = tick_fractions
                .iter()
                .map(|f| at + (f * *gap as f64) as i64)
                .collect();
            tick_times.sort_unstable();
            with_ticks.extend(tick_times.into_iter().map(|t| Event::Tick { at_ms: t }));
            at += gap;
            let press = Event::Press { press_id: PressId(uuid::Uuid::from_u128(i as u128)), at_ms: at, player: None };
            alone.push(press);
            with_ticks.push(press);
        }
        let at_each_press = |events: &[Event]| -> Vec<(State, FlairSet)> {
            let mut s = State::initial(&rules);
            let mut states = Vec::new();
            for (event, seq) in events.iter().zip(1u64..) {
                let applied = apply(s, &rules, seq, event);
                s = applied.state;
                if let Effect::Pressed(receipt) = applied.effect {
                    states.push((s, receipt.flair));
                }
            }
            states
        };
        let plain = at_each_press(&alone);
        let ticked = at_each_press(&with_ticks);
        prop_assert_eq!(plain.len(), ticked.len());
        for ((a, a_flair), (b, b_flair)) in plain.iter().zip(&ticked) {
            prop_assert_eq!(a.counter, b.counter);
            prop_assert_eq!(a.phase, b.phase);
            prop_assert_eq!(a.tipped_by, b.tipped_by);
            prop_assert!((a.entropy - b.entropy).abs() <= 1e-9, "{} vs {}", a.entropy, b.entropy);
            // Whether a calm-down came through a tick or was caught up by the press itself.
            prop_assert_eq!(a_flair, b_flair);
        }
    }

    #[test]
    fn applying_a_batch_equals_applying_its_events_one_by_one(
        rules in any_rules(), events in any_stream(), cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..6)
    ) {
        let one_by_one = fold(State::initial(&rules), &rules, &events);

        // As one batch.
        let whole = apply_batch(State::initial(&rules), Records::default(), &Rulebook::from(rules.clone()), events.iter().map(|(s, e)| (*s, *e, ())));
        prop_assert_eq!(whole.state.id, u64::from(whole.changed));
        let whole_without_id = State { id: 0, ..whole.state };
        prop_assert!(same_bits(&whole_without_id, &one_by_one));
        let receipts = whole.presses.len();
        prop_assert_eq!(receipts as u64, one_by_one.counter);

        // As several batches cut anywhere: the same state, one id per batch that changed.
        let mut bounds: Vec<usize> = cuts.iter().map(|c| c.index(events.len() + 1)).collect();
        bounds.push(0);
        bounds.push(events.len());
        bounds.sort_unstable();
        let mut s = State::initial(&rules);
        let mut records = Records::default();
        let mut remembered = Memory::default();
        let mut changed_batches = 0;
        for pair in bounds.windows(2) {
            let batch = apply_batch(s, records, &Rulebook::from(rules.clone()), events[pair[0]..pair[1]].iter().map(|(q, e)| (*q, *e, ())));
            changed_batches += u64::from(batch.changed);
            s = batch.state;
            records = batch.memory.records;
            for (minute, counted) in batch.memory.minutes {
                remembered.minutes.entry(minute).or_default().add(&counted);
            }
            remembered.players.extend(batch.memory.players);
            remembered.moments.extend(batch.memory.moments);
        }
        prop_assert_eq!(s.id, changed_batches);
        let batches_without_id = State { id: 0, ..s };
        prop_assert!(same_bits(&batches_without_id, &one_by_one));

        // The game's memory does not depend on the batching either, and counts every press once.
        prop_assert_eq!(&remembered.minutes, &whole.memory.minutes);
        prop_assert_eq!(&remembered.moments, &whole.memory.moments);
        prop_assert_eq!(records, whole.memory.records);
        let presses: u64 = whole.memory.minutes.values().map(|m| m.presses).sum();
        prop_assert_eq!(presses, one_by_one.counter);
        let tips = whole.memory.moments.iter().filter(|m| m.kind.name() == "tip").count();
        prop_assert_eq!(tips, whole.presses.iter().filter(|(r, _)| r.tipped).count());
    }
}
