//! The game's memory: what a batch of events adds to the history beside the state — per-minute
//! aggregates, who pressed in which minute, the moments — and the records that moments are
//! measured against (GAME.md, "History" and "Moments").
//!
//! Pure, like the rules, and fed by them: [`super::apply_batch`] remembers each event it
//! applies. The reducer writes a batch's memory in the transaction that commits its state, and a
//! redelivered event is not applied, so nothing is remembered twice.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{
    Applied, Command, Effect, Event, Minute, Moment, MomentKind, Phase, Player, Rules, State,
    apply, day_of, is_milestone, minute_of,
};

/// The fewest presses a minute needs to be a "busiest minute" moment: a new game's first quiet
/// minutes are no record worth telling.
pub const BUSIEST_MINUTE_FLOOR: u64 = 10;

/// The records moments are measured against, and what the memory needs to carry from one
/// batch to the next. Committed with the state, like the state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Records {
    /// The longest CHAOS so far.
    pub longest_chaos_ms: Option<i64>,
    /// The fastest climb from CALM to CHAOS so far.
    pub fastest_climb_ms: Option<i64>,
    /// The most presses in one minute so far.
    pub busiest_minute_presses: u64,
    /// When the current climb began: the press that last took the phase out of CALM (`None`
    /// while CALM).
    pub climb_since_ms: Option<i64>,
    /// The minute being counted (its start) and its presses so far: a minute is measured against
    /// the record once the first event of a later minute comes.
    pub minute_ms: i64,
    /// Presses in `minute_ms` so far.
    pub minute_presses: u64,
}

/// The time since the last committed event, minute by minute, as the next event will count it
/// (calm-downs included): what a chart adds to the stored minutes to be right up to `now_ms`.
pub fn time_since(state: &State, rules: &Rules, now_ms: i64) -> BTreeMap<i64, Minute> {
    let tick = Event::Tick { at_ms: now_ms };
    let seq = state.last_applied_seq.saturating_add(1);
    let mut memory = Memory::new(Records::default());
    memory.remember(state, seq, &tick, &apply(*state, rules, seq, &tick));
    memory.minutes
}

/// What a batch adds to the game's memory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Memory {
    /// Per-minute aggregates, by minute start, to add to what is stored.
    pub minutes: BTreeMap<i64, Minute>,
    /// Who pressed in which minute (minute start, player): distinct players per minute.
    pub players: BTreeSet<(i64, Player)>,
    /// The moments, in the order they happened.
    pub moments: Vec<Moment>,
    /// The records after the batch.
    pub records: Records,
}

impl Memory {
    /// An empty memory that starts from `records`.
    pub fn new(records: Records) -> Memory {
        Memory {
            records,
            ..Memory::default()
        }
    }

    /// Remembers one event with stream sequence `seq`, applied to `before`.
    pub fn remember(&mut self, before: &State, seq: u64, event: &Event, applied: &Applied) {
        if applied.effect == Effect::Redelivered {
            return;
        }
        let now = applied.state.updated_at_ms;

        // The time since the state before, phase by phase, with the calm-downs in between.
        let mut phase = before.phase;
        let mut from = before.updated_at_ms;
        for step in applied.calm_downs.iter() {
            self.spend(step.from, from, step.at_ms);
            if step.from == Phase::Chaos {
                self.chaos_ended(seq, step.at_ms, step.at_ms.saturating_sub(step.since_ms));
            }
            phase = step.from.cooler().unwrap_or(Phase::Calm);
            if phase == Phase::Calm {
                self.records.climb_since_ms = None;
            }
            from = step.at_ms;
        }
        self.spend(phase, from, now);

        // A new season ends the phase at once: a CHAOS it cuts short still counts, and the climb
        // starts again from CALM.
        if let (
            Event::Admin {
                command: Command::NewSeason,
                ..
            },
            Effect::Commanded { taken: true, .. },
        ) = (event, applied.effect)
        {
            if phase == Phase::Chaos {
                self.chaos_ended(seq, now, now.saturating_sub(before.phase_since_ms));
            }
            self.records.climb_since_ms = None;
        }

        // A minute is over once an event of a later one comes.
        if minute_of(now) > self.records.minute_ms {
            self.minute_ended(seq, now);
        }

        let Effect::Pressed(receipt) = applied.effect else {
            return;
        };
        let Event::Press { player, .. } = *event else {
            return;
        };
        let minute = minute_of(now);
        let counted = self.minutes.entry(minute).or_default();
        counted.presses += 1;
        counted.peak_entropy = counted.peak_entropy.max(applied.state.entropy);
        if let Some(player) = player {
            self.players.insert((minute, player));
        }
        self.records.minute_presses += 1;

        let moment = |kind| Moment {
            seq,
            at_ms: now,
            kind,
            press_id: Some(receipt.press_id),
            player,
        };
        let counter = receipt.counter;
        if before
            .last_press_at_ms
            .is_none_or(|last| day_of(last) < day_of(now))
        {
            self.moments
                .push(moment(MomentKind::FirstPressOfDay { counter }));
        }
        if counter >= 1_000 && is_milestone(counter) {
            self.moments.push(moment(MomentKind::Milestone { counter }));
        }
        if receipt.tipped {
            self.moments.push(moment(MomentKind::Tip {
                phase: receipt.phase,
                counter,
            }));
            if phase == Phase::Calm {
                self.records.climb_since_ms = Some(now);
            }
            if let (Phase::Chaos, Some(since)) = (receipt.phase, self.records.climb_since_ms) {
                let ms = now.saturating_sub(since);
                if self.records.fastest_climb_ms.is_none_or(|best| ms < best) {
                    self.records.fastest_climb_ms = Some(ms);
                    self.moments.push(moment(MomentKind::FastestClimb { ms }));
                }
            }
        }
    }

    /// Adds the time from `from` to `to` spent in `phase` to the minutes it falls in.
    fn spend(&mut self, phase: Phase, from: i64, to: i64) {
        if phase == Phase::Calm {
            return;
        }
        let mut at = from;
        while at < to {
            let minute = minute_of(at);
            let until = minute.saturating_add(super::MINUTE_MS).min(to);
            self.minutes.entry(minute).or_default().phase_ms[phase.index()] += until - at;
            at = until;
        }
    }

    fn chaos_ended(&mut self, seq: u64, at_ms: i64, ms: i64) {
        if self.records.longest_chaos_ms.is_none_or(|best| ms > best) {
            self.records.longest_chaos_ms = Some(ms);
            self.moments.push(Moment {
                seq,
                at_ms,
                kind: MomentKind::LongestChaos { ms },
                press_id: None,
                player: None,
            });
        }
    }

    fn minute_ended(&mut self, seq: u64, now: i64) {
        let (minute_ms, presses) = (self.records.minute_ms, self.records.minute_presses);
        if presses >= BUSIEST_MINUTE_FLOOR && presses > self.records.busiest_minute_presses {
            self.records.busiest_minute_presses = presses;
            self.moments.push(Moment {
                seq,
                at_ms: now,
                kind: MomentKind::BusiestMinute { minute_ms, presses },
                press_id: None,
                player: None,
            });
        }
        self.records.minute_ms = minute_of(now);
        self.records.minute_presses = 0;
    }
}
