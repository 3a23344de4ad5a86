//! How events change the state: GAME.md's "Applying one event", and batches of them.

use super::{
    Command, Event, FlairSet, Memory, Phase, PressId, Records, Rulebook, Rules, State, decay,
    entropy_after_press,
};

/// What applying one event did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Effect {
    /// The event's seq was already applied: nothing changed.
    Redelivered,
    /// A tick; `stepped_down` says whether a phase came down (otherwise only time moved).
    Ticked {
        /// Whether the calm-down catch-up lowered the phase.
        stepped_down: bool,
    },
    /// A press was counted.
    Pressed(PressReceipt),
    /// An operator's command; `taken` is false only for rules the game does not know (it
    /// changes nothing then).
    Commanded {
        /// The command.
        command: Command,
        /// Whether it took effect.
        taken: bool,
    },
}

impl Effect {
    /// Whether the event changed more than time: such a change is committed as a new state.
    pub fn is_change(&self) -> bool {
        match self {
            Effect::Redelivered => false,
            Effect::Ticked { stepped_down } => *stepped_down,
            Effect::Pressed(_) => true,
            Effect::Commanded { taken, .. } => *taken,
        }
    }
}

/// What happened to one press when it was applied: the facts of its receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PressReceipt {
    /// The press.
    pub press_id: PressId,
    /// Its stream sequence.
    pub seq: u64,
    /// The counter's value with this press counted.
    pub counter: u64,
    /// The phase right after the press.
    pub phase: Phase,
    /// Whether this press took the phase up.
    pub tipped: bool,
    /// The time it was applied at (after the monotonic-time rule).
    pub applied_at_ms: i64,
    /// What it earned (GAME.md, "Flair").
    pub flair: FlairSet,
}

/// One step down of the phase, taken by the calm-down catch-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalmDown {
    /// The phase that ended.
    pub from: Phase,
    /// When it had begun.
    pub since_ms: i64,
    /// When it ended (its calm-down time, not the time of the event that caught up with it).
    pub at_ms: i64,
}

/// The state after one event, and what the event did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Applied {
    /// The new state. `id` is left alone: it counts committed batches, see [`apply_batch`].
    pub state: State,
    /// What the event did.
    pub effect: Effect,
    /// The calm-downs that came due before the event, oldest first (at most one per phase
    /// above CALM): what the game's memory needs to know how long each phase lasted.
    pub calm_downs: CalmDowns,
}

/// The calm-downs one event caught up with: at most three (CHAOS → HOT → WARM → CALM).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CalmDowns {
    steps: [Option<CalmDown>; Phase::COUNT - 1],
}

impl CalmDowns {
    fn push(&mut self, step: CalmDown) {
        if let Some(slot) = self.steps.iter_mut().find(|s| s.is_none()) {
            *slot = Some(step);
        }
    }

    /// The steps, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = CalmDown> + '_ {
        self.steps.iter().flatten().copied()
    }

    /// Whether the phase came down.
    pub fn any(&self) -> bool {
        self.steps[0].is_some()
    }
}

/// Applies one event with stream sequence `seq` to `state`, exactly as GAME.md says.
pub fn apply(state: State, rules: &Rules, seq: u64, event: &Event) -> Applied {
    if seq <= state.last_applied_seq {
        return Applied {
            state,
            effect: Effect::Redelivered,
            calm_downs: CalmDowns::default(),
        };
    }
    let mut s = state;

    // 1. Monotonic time: web servers' clocks differ, state time never goes back.
    let now = event.at_ms().max(s.updated_at_ms);

    // 2. Calm-down catch-up, so the outcome never depends on when the watcher ticks.
    let calm_downs = catch_up_calm_downs(&mut s, rules, now);

    // 3. Decay.
    s.entropy = decay(
        s.entropy,
        now.saturating_sub(s.updated_at_ms),
        rules.entropy_half_life_ms(),
    );

    // 4. Ticks stop here; presses go on.
    let effect = match *event {
        Event::Tick { .. } => Effect::Ticked {
            stepped_down: calm_downs.any(),
        },
        Event::Admin { command, .. } => {
            let taken = match command {
                Command::Pause => {
                    s.paused = true;
                    true
                }
                Command::Resume => {
                    s.paused = false;
                    true
                }
                Command::NewSeason => {
                    s = s.next_season(rules, now);
                    true
                }
                // `apply_batch` hands over the rules the command names, when it knows them.
                Command::Rules { rules_hash } => rules_hash == rules.hash(),
            };
            Effect::Commanded { command, taken }
        }
        Event::Press { press_id, .. } => {
            // A phase only rises with a press, so one that began after the last press is a
            // calm-down: this press is the first since.
            let rekindled = s
                .last_press_at_ms
                .is_some_and(|last| s.phase_since_ms > last);
            s.entropy = entropy_after_press(s.entropy, rules.press_gain());
            s.counter += 1;
            s.last_press_at_ms = Some(now);
            let target = rules.phase_for(s.entropy);
            let tipped = target > s.phase;
            if tipped {
                s.phase = target;
                s.phase_since_ms = now;
                s.reveal_until_ms = Some(now.saturating_add(rules.reveal_ms(target)));
                s.tipped_by = Some(press_id);
            }
            s.calm_down_at_ms = calm_down_at(rules, s.phase, now);
            Effect::Pressed(PressReceipt {
                press_id,
                seq,
                counter: s.counter,
                phase: s.phase,
                tipped,
                applied_at_ms: now,
                flair: FlairSet::earned(s.phase, tipped, s.counter, rekindled),
            })
        }
    };

    // 5. What follows the phase, and the bookkeeping.
    s.cooldown_ms = rules.press_cooldown_ms(s.phase);
    s.difficulty = rules.pow_difficulty_bits(s.phase);
    s.entropy_half_life_ms = rules.entropy_half_life_ms();
    s.rules_hash = rules.hash();
    s.updated_at_ms = now;
    s.last_applied_seq = seq;
    Applied {
        state: s,
        effect,
        calm_downs,
    }
}

/// Steps the phase down once per calm-down that has passed by `now`; says which it took.
fn catch_up_calm_downs(s: &mut State, rules: &Rules, now: i64) -> CalmDowns {
    let mut steps = CalmDowns::default();
    while let (Some(cooler), Some(at)) = (s.phase.cooler(), s.calm_down_at_ms) {
        if at > now {
            break;
        }
        steps.push(CalmDown {
            from: s.phase,
            since_ms: s.phase_since_ms,
            at_ms: at,
        });
        s.phase = cooler;
        s.phase_since_ms = at;
        s.calm_down_at_ms = calm_down_at(rules, cooler, at);
    }
    steps
}

fn calm_down_at(rules: &Rules, phase: Phase, from: i64) -> Option<i64> {
    (phase > Phase::Calm).then(|| from.saturating_add(rules.calm_down_ms(phase)))
}

/// The state after a batch, and the presses it counted, each with what came with its event (for
/// the reducer, the message: its challenge, its player), so that a commit writes a press's row
/// from its receipt without matching receipts to messages again.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch<T = ()> {
    /// The state after every event; `id` is one higher than before iff `changed`.
    pub state: State,
    /// The receipts of the presses counted, in seq order, each with its event's companion.
    pub presses: Vec<(PressReceipt, T)>,
    /// Whether anything but time changed: only then is the state committed (with the memory).
    pub changed: bool,
    /// What the batch adds to the game's memory, and the records after it.
    pub memory: Memory,
    /// The operators' commands that took effect, in seq order: seq, the time they took effect,
    /// each with its event's companion.
    pub commands: Vec<(u64, i64, T)>,
}

/// Applies events in the order given (the reducer gives them in seq order) and makes them one
/// committed version: `id` grows by one if anything but time changed. Each event comes with
/// a companion `T` that the receipt of a counted press carries back (`()` when none is needed).
/// The game's memory remembers each event, starting from the `records` committed with `state`.
///
/// Each event is applied with the rules the state names (`rules_hash`), looked up in `rules`;
/// a `Command::Rules` with the rules it names, so that every event after it follows them.
pub fn apply_batch<T>(
    state: State,
    records: Records,
    rules: &Rulebook,
    events: impl IntoIterator<Item = (u64, Event, T)>,
) -> Batch<T> {
    let mut batch = Batch {
        state,
        presses: Vec::new(),
        changed: false,
        memory: Memory::new(records),
        commands: Vec::new(),
    };
    for (seq, event, companion) in events {
        let in_force = rules.in_force(&batch.state);
        let rules = match event {
            Event::Admin {
                command: Command::Rules { rules_hash },
                ..
            } => rules.get(rules_hash).unwrap_or(in_force),
            _ => in_force,
        };
        let applied = apply(batch.state, rules, seq, &event);
        batch.memory.remember(&batch.state, seq, &event, &applied);
        batch.state = applied.state;
        batch.changed |= applied.effect.is_change();
        match applied.effect {
            Effect::Pressed(receipt) => batch.presses.push((receipt, companion)),
            Effect::Commanded { taken: true, .. } => {
                batch
                    .commands
                    .push((seq, applied.state.updated_at_ms, companion));
            }
            _ => {}
        }
    }
    if batch.changed {
        batch.state.id += 1;
    }
    batch
}
