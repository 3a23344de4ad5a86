//! GAME.md's "History" and "Moments": what the game remembers as the rules apply events, batch
//! by batch, as the reducer commits them.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use app::game::{
    BUSIEST_MINUTE_FLOOR, Event, MINUTE_MS, Minute, Moment, MomentKind, Phase, Player, Records,
    Rulebook, Rules, State, apply_batch, time_since,
};
use common::press_id;

/// Midnight UTC, 15 November 2023: a day and a minute start here.
const T0: i64 = 1_700_006_400_000;

/// The game as the reducer keeps it: the committed state and records, and all that was
/// remembered, one batch per call.
struct Game {
    rules: Rules,
    state: State,
    records: Records,
    seq: u64,
    presses: u128,
    minutes: BTreeMap<i64, Minute>,
    players: BTreeSet<(i64, Player)>,
    moments: Vec<Moment>,
}

impl Game {
    fn new() -> Game {
        let rules = Rules::default();
        Game {
            state: State::initial(&rules),
            rules,
            records: Records::default(),
            seq: 0,
            presses: 0,
            minutes: BTreeMap::new(),
            players: BTreeSet::new(),
            moments: Vec::new(),
        }
    }

    /// Applies `events` as one batch and commits it as the reducer does: only when it changed
    /// more than time.
    fn batch(&mut self, events: Vec<Event>) {
        let first = self.seq + 1;
        self.seq += events.len() as u64;
        let batch = apply_batch(
            self.state,
            self.records,
            &Rulebook::from(self.rules.clone()),
            events.into_iter().zip(first..).map(|(e, seq)| (seq, e, ())),
        );
        if !batch.changed {
            return;
        }
        self.state = batch.state;
        self.records = batch.memory.records;
        for (minute, counted) in &batch.memory.minutes {
            self.minutes.entry(*minute).or_default().add(counted);
        }
        self.players.extend(batch.memory.players);
        self.moments.extend(batch.memory.moments);
    }

    fn press_event(&mut self, at_ms: i64, player: Option<Player>) -> Event {
        self.presses += 1;
        Event::Press {
            press_id: press_id(self.presses),
            at_ms,
            player,
        }
    }

    /// One press, in a batch of its own.
    fn press(&mut self, at_ms: i64, player: Option<Player>) {
        let event = self.press_event(at_ms, player);
        self.batch(vec![event]);
    }

    /// Presses at `at_ms` until the phase reaches `phase`; the press that tipped it is the last.
    fn press_until(&mut self, phase: Phase, at_ms: i64, player: Option<Player>) {
        while self.state.phase < phase {
            self.press(at_ms, player);
        }
    }

    fn tick(&mut self, at_ms: i64) {
        self.batch(vec![Event::Tick { at_ms }]);
    }

    fn moments_of(&self, kind: &str) -> Vec<MomentKind> {
        self.moments
            .iter()
            .filter(|m| m.kind.name() == kind)
            .map(|m| m.kind)
            .collect()
    }
}

fn player(n: u8) -> Player {
    Player([n; 16])
}

#[test]
fn the_first_press_of_a_day_and_every_tip_are_moments_with_who_pressed() {
    let mut game = Game::new();
    game.press(T0 + 1_000, Some(player(1)));
    game.press_until(Phase::Warm, T0 + 2_000, Some(player(2)));
    let warm_tip = game.state.counter;
    game.press_until(Phase::Chaos, T0 + 2_000, Some(player(3)));

    let first = game.moments[0];
    assert_eq!(first.kind, MomentKind::FirstPressOfDay { counter: 1 });
    assert_eq!(
        (first.player, first.press_id),
        (Some(player(1)), Some(press_id(1)))
    );
    let tips: Vec<_> = game
        .moments
        .iter()
        .filter(|m| m.kind.name() == "tip")
        .map(|m| (m.kind, m.player))
        .collect();
    assert_eq!(
        tips[0],
        (
            MomentKind::Tip {
                phase: Phase::Warm,
                counter: warm_tip
            },
            Some(player(2))
        )
    );
    assert_eq!(
        tips.last().map(|(kind, who)| (*kind, *who)),
        Some((
            MomentKind::Tip {
                phase: Phase::Chaos,
                counter: game.state.counter
            },
            Some(player(3))
        ))
    );
    // The next day's first press is a moment again; a second press that day is not.
    game.press(T0 + 86_400_000 + 5, None);
    game.press(T0 + 86_400_000 + 10, None);
    assert_eq!(game.moments_of("first_press_of_day").len(), 2);
}

#[test]
fn time_in_each_phase_is_added_to_the_minutes_it_was_spent_in() {
    let mut game = Game::new();
    // WARM at 0:50; by the default rules it calms down 30 s later, at 1:20.
    game.press_until(Phase::Warm, T0 + 50_000, Some(player(1)));
    let warm_entropy = game.state.entropy;
    game.tick(T0 + 90_000);
    assert_eq!(game.state.phase, Phase::Calm);

    let first = game.minutes[&T0];
    assert_eq!(first.presses, game.state.counter);
    assert_eq!(first.peak_entropy, warm_entropy);
    assert_eq!(first.phase_ms, [0, 10_000, 0, 0], "WARM from 0:50 to 1:00");
    assert_eq!(game.minutes[&(T0 + MINUTE_MS)].phase_ms, [0, 20_000, 0, 0]);
    assert_eq!(game.minutes[&(T0 + MINUTE_MS)].presses, 0);
    assert_eq!(game.players, BTreeSet::from([(T0, player(1))]));
}

#[test]
fn a_tick_that_changes_nothing_leaves_the_time_to_the_next_commit() {
    let mut game = Game::new();
    game.press_until(Phase::Warm, T0 + 1_000, None);
    // Ticks while WARM change only time: the reducer commits nothing, and remembers nothing.
    game.tick(T0 + 5_000);
    game.tick(T0 + 10_000);
    assert!(game.minutes[&T0].phase_ms[Phase::Warm.index()] == 0);
    game.press(T0 + 20_000, None);
    assert_eq!(game.minutes[&T0].phase_ms, [0, 19_000, 0, 0]);
}

#[test]
fn a_chart_counts_the_time_since_the_last_commit_as_the_next_event_will() {
    let mut game = Game::new();
    game.press_until(Phase::Warm, T0 + 50_000, None);
    // Nothing committed since 0:50: up to 1:30 the time is WARM until 1:20, then CALM.
    let tail = time_since(&game.state, &game.rules, T0 + 90_000);
    assert_eq!(tail[&T0].phase_ms, [0, 10_000, 0, 0]);
    assert_eq!(tail[&(T0 + MINUTE_MS)].phase_ms, [0, 20_000, 0, 0]);
    assert_eq!(tail.values().map(|m| m.presses).sum::<u64>(), 0);
    // Once the tick commits, the stored minutes say the same.
    game.tick(T0 + 90_000);
    assert_eq!(game.minutes[&(T0 + MINUTE_MS)].phase_ms, [0, 20_000, 0, 0]);
}

#[test]
fn chaos_and_climbs_are_records_only_when_they_beat_the_last() {
    let mut game = Game::new();
    // A climb of 4 s, CHAOS left alone: it lasts its calm-down, 10 s.
    game.press_until(Phase::Warm, T0 + 1_000, None);
    game.press_until(Phase::Chaos, T0 + 5_000, None);
    game.tick(T0 + 15_000);
    assert_eq!(game.state.phase, Phase::Hot);
    assert_eq!(
        game.moments_of("fastest_climb"),
        [MomentKind::FastestClimb { ms: 4_000 }]
    );
    assert_eq!(
        game.moments_of("longest_chaos"),
        [MomentKind::LongestChaos { ms: 10_000 }]
    );

    // Back to CALM, then a slower climb (no record) to a CHAOS kept up for longer (a record).
    game.tick(T0 + 120_000);
    assert_eq!(game.state.phase, Phase::Calm);
    game.press_until(Phase::Warm, T0 + 121_000, None);
    game.press_until(Phase::Chaos, T0 + 130_000, None);
    game.press(T0 + 135_000, None);
    game.tick(T0 + 150_000);
    assert_eq!(game.moments_of("fastest_climb").len(), 1);
    assert_eq!(
        game.moments_of("longest_chaos"),
        [
            MomentKind::LongestChaos { ms: 10_000 },
            MomentKind::LongestChaos { ms: 15_000 }
        ]
    );
    assert_eq!(game.records.longest_chaos_ms, Some(15_000));
    assert_eq!(game.records.fastest_climb_ms, Some(4_000));
}

#[test]
fn a_minute_busier_than_any_before_is_a_moment_once_it_is_over() {
    let mut game = Game::new();
    let quiet = BUSIEST_MINUTE_FLOOR - 1;
    for n in 0..quiet {
        game.press(T0 + 1_000 * n as i64, None);
    }
    for n in 0..12 {
        game.press(T0 + MINUTE_MS + 1_000 * n, None);
    }
    assert!(
        game.moments_of("busiest_minute").is_empty(),
        "a minute is measured once it is over, and a quiet one is no record"
    );
    for n in 0..11 {
        game.press(T0 + 2 * MINUTE_MS + 1_000 * n, None);
    }
    game.tick(T0 + 3 * MINUTE_MS);
    // The tick changed nothing but time, so the reducer committed nothing: the next commit tells.
    game.press(T0 + 3 * MINUTE_MS + 1, None);
    assert_eq!(
        game.moments_of("busiest_minute"),
        [MomentKind::BusiestMinute {
            minute_ms: T0 + MINUTE_MS,
            presses: 12
        }]
    );
}

#[test]
fn press_number_one_thousand_is_a_milestone() {
    let mut game = Game::new();
    game.state.counter = 998;
    game.state.last_press_at_ms = Some(T0);
    game.press(T0 + 1, None);
    assert!(game.moments_of("milestone").is_empty());
    game.press(T0 + 2, Some(player(7)));
    assert_eq!(
        game.moments_of("milestone"),
        [MomentKind::Milestone { counter: 1_000 }]
    );
}

#[test]
fn replaying_a_committed_batch_remembers_nothing() {
    let mut game = Game::new();
    let events: Vec<Event> = (0..20)
        .map(|n| game.press_event(T0 + 100 * n, Some(player(n as u8))))
        .collect();
    let before = (game.state, game.records);
    game.batch(events.clone());
    assert!(!game.moments.is_empty());

    let replay = apply_batch(
        game.state,
        game.records,
        &Rulebook::from(game.rules.clone()),
        events.into_iter().zip(1..).map(|(e, seq)| (seq, e, ())),
    );
    assert!(!replay.changed);
    assert!(replay.memory.minutes.is_empty() && replay.memory.players.is_empty());
    assert!(replay.memory.moments.is_empty());
    assert_eq!(replay.memory.records, game.records);
    assert_ne!(before.1, game.records);
}
