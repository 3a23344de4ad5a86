//! GAME.md's "Operators": a command is an event, applied at its place among the presses.

mod common;

use app::game::{Command, Effect, Event, Phase, Records, Rulebook, Rules, State, apply_batch};
use common::{press, rules_with};

const T0: i64 = 1_700_000_000_000;

fn admin(command: Command, at_ms: i64) -> Event {
    Event::Admin { at_ms, command }
}

/// Applies `events` (seq 1, 2, …) as one batch with `book`.
fn batch(state: State, book: &Rulebook, events: &[Event]) -> app::game::Batch<()> {
    apply_batch(
        state,
        Records::default(),
        book,
        events
            .iter()
            .enumerate()
            .map(|(i, e)| (state.last_applied_seq + 1 + i as u64, *e, ())),
    )
}

#[test]
fn a_pause_and_a_resume_are_changes_and_presses_in_flight_still_count() {
    let rules = Rules::default();
    let book = Rulebook::from(rules.clone());
    let paused = batch(
        State::initial(&rules),
        &book,
        &[
            press(1, T0),
            admin(Command::Pause, T0 + 1),
            press(2, T0 + 2),
        ],
    );
    assert!(paused.changed && paused.state.paused);
    // The web servers refuse new presses; one that got its 202 before is applied.
    assert_eq!(paused.state.counter, 2);
    assert_eq!(paused.commands.len(), 1);
    assert_eq!(paused.commands[0].0, 2, "the command's seq");

    let resumed = batch(paused.state, &book, &[admin(Command::Resume, T0 + 3)]);
    assert!(resumed.changed && !resumed.state.paused);
    assert_eq!(resumed.state.id, paused.state.id + 1);
}

#[test]
fn a_new_season_starts_counter_phase_and_entropy_again_and_keeps_the_rest() {
    let rules = Rules::default();
    let book = Rulebook::from(rules.clone());
    let presses: Vec<Event> = (1..=40).map(|n| press(n, T0)).collect();
    let hot = batch(State::initial(&rules), &book, &presses).state;
    assert!(hot.phase > Phase::Calm);
    let paused = batch(hot, &book, &[admin(Command::Pause, T0 + 5)]).state;

    let next = batch(paused, &book, &[admin(Command::NewSeason, T0 + 10)]).state;
    assert_eq!(next.season, 2);
    assert_eq!(
        (next.counter, next.phase, next.entropy),
        (0, Phase::Calm, 0.0)
    );
    assert_eq!(next.phase_since_ms, T0 + 10);
    assert_eq!(
        (
            next.last_press_at_ms,
            next.calm_down_at_ms,
            next.tipped_by,
            next.reveal_until_ms
        ),
        (None, None, None, None)
    );
    assert!(next.paused, "a new season does not resume a paused game");
    assert_eq!(next.last_applied_seq, paused.last_applied_seq + 1);
    assert_eq!(next.rules_hash, rules.hash());
}

#[test]
fn a_new_season_ends_a_chaos_and_the_memory_counts_it() {
    let rules = Rules::default();
    let book = Rulebook::from(rules.clone());
    let presses: Vec<Event> = (1..=200).map(|n| press(n, T0)).collect();
    let chaos = batch(State::initial(&rules), &book, &presses).state;
    assert_eq!(chaos.phase, Phase::Chaos);
    let ended = batch(chaos, &book, &[admin(Command::NewSeason, T0 + 7_000)]);
    let longest = ended.memory.records.longest_chaos_ms;
    assert_eq!(longest, Some(7_000));
    assert_eq!(ended.memory.records.climb_since_ms, None);
}

#[test]
fn new_rules_apply_from_their_command_on_and_unknown_rules_change_nothing() {
    let rules = Rules::default();
    let gentle = rules_with(|spec| spec.press_gain = 0.01);
    let mut book = Rulebook::from(rules.clone());
    book.insert(gentle.clone());

    let switch = admin(
        Command::Rules {
            rules_hash: gentle.hash(),
        },
        T0 + 1,
    );
    let before_and_after = batch(
        State::initial(&rules),
        &book,
        &[press(1, T0), switch, press(2, T0 + 2)],
    );
    let state = before_and_after.state;
    assert_eq!(state.rules_hash, gentle.hash());
    // 0.04 from the first press under the old rules, then 1% of the rest under the new.
    let expected = {
        let first = 0.04_f64;
        let decayed = app::game::decay(first, 2, gentle.entropy_half_life_ms());
        decayed + 0.01 * (1.0 - decayed)
    };
    assert!(
        (state.entropy - expected).abs() < 1e-12,
        "{}",
        state.entropy
    );

    // Rules the book does not know: nothing changes, and the command is not taken.
    let unknown = rules_with(|spec| spec.press_gain = 0.5);
    let ignored = batch(
        state,
        &book,
        &[admin(
            Command::Rules {
                rules_hash: unknown.hash(),
            },
            T0 + 3,
        )],
    );
    assert!(!ignored.changed);
    assert!(ignored.commands.is_empty());
    assert_eq!(ignored.state.rules_hash, gentle.hash());
    let applied = app::game::apply(
        state,
        &gentle,
        state.last_applied_seq + 1,
        &admin(
            Command::Rules {
                rules_hash: unknown.hash(),
            },
            T0 + 3,
        ),
    );
    assert!(matches!(
        applied.effect,
        Effect::Commanded { taken: false, .. }
    ));
}

#[test]
fn a_state_remembers_its_season_and_pause_and_older_states_read_as_season_one() {
    let rules = Rules::default();
    let state = State {
        season: 3,
        paused: true,
        ..State::initial(&rules)
    };
    let json = serde_json::to_value(state).expect("a state encodes");
    assert_eq!(
        (json["season"].as_u64(), json["paused"].as_bool()),
        (Some(3), Some(true))
    );
    let mut older = json.clone();
    let object = older.as_object_mut().expect("an object");
    object.remove("season");
    object.remove("paused");
    let read: State = serde_json::from_value(older).expect("an older state decodes");
    assert_eq!((read.season, read.paused), (1, false));
}
