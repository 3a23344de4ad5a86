//! Helpers shared by the rules' tests.
#![allow(dead_code)]

use app::game::{Event, PressId, Rules, RulesSpec, State, apply};

/// A press with a press id derived from `n`.
pub fn press(n: u128, at_ms: i64) -> Event {
    Event::Press {
        press_id: press_id(n),
        at_ms,
        player: None,
    }
}

/// The press id derived from `n`.
pub fn press_id(n: u128) -> PressId {
    PressId(uuid::Uuid::from_u128(n))
}

/// A tick.
pub fn tick(at_ms: i64) -> Event {
    Event::Tick { at_ms }
}

/// GAME.md's rules with a change.
pub fn rules_with(change: impl FnOnce(&mut RulesSpec)) -> Rules {
    let mut spec = RulesSpec::default();
    change(&mut spec);
    Rules::try_from(spec).unwrap_or_else(|e| panic!("test rules are invalid: {e}"))
}

/// Applies `events` one by one, giving them seqs from `first_seq` up.
pub fn run(state: State, rules: &Rules, first_seq: u64, events: &[Event]) -> State {
    events
        .iter()
        .zip(first_seq..)
        .fold(state, |s, (e, seq)| apply(s, rules, seq, e).state)
}
