//! How fast the pure rules run: one event at a time, and a reducer-sized batch.

use app::game::{Event, PressId, Records, Rulebook, Rules, State, apply, apply_batch};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

/// Presses 200 ms apart with a tick every tenth event: the button climbs, then holds in CHAOS.
fn events(count: u64) -> Vec<(u64, Event)> {
    (1..=count)
        .map(|seq| {
            let at_ms = 1_700_000_000_000 + seq as i64 * 200;
            let event = if seq % 10 == 0 {
                Event::Tick { at_ms }
            } else {
                Event::Press {
                    press_id: PressId(uuid::Uuid::from_u128(u128::from(seq))),
                    at_ms,
                    player: None,
                }
            };
            (seq, event)
        })
        .collect()
}

fn apply_one_by_one(c: &mut Criterion) {
    let rules = Rules::default();
    let events = events(10_000);
    let mut group = c.benchmark_group("apply");
    group.throughput(Throughput::Elements(events.len() as u64));
    group.bench_function("10k_events_one_by_one", |b| {
        b.iter(|| {
            let mut state = State::initial(&rules);
            for (seq, event) in &events {
                state = apply(state, black_box(&rules), *seq, black_box(event)).state;
            }
            state
        })
    });
    group.finish();
}

fn apply_batch_of_presses(c: &mut Criterion) {
    let rules = Rules::default();
    let presses: Vec<(u64, Event)> = (1..=1_000u64)
        .map(|seq| {
            let event = Event::Press {
                press_id: PressId(uuid::Uuid::from_u128(u128::from(seq))),
                at_ms: 1_700_000_000_000 + seq as i64,
                player: None,
            };
            (seq, event)
        })
        .collect();
    let mut group = c.benchmark_group("apply_batch");
    group.throughput(Throughput::Elements(presses.len() as u64));
    let book = Rulebook::from(rules.clone());
    group.bench_function("1000_presses", |b| {
        b.iter_batched(
            || State::initial(&rules),
            |state| {
                apply_batch(
                    state,
                    Records::default(),
                    &book,
                    presses.iter().map(|(seq, e)| (*seq, *e, ())),
                )
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, apply_one_by_one, apply_batch_of_presses);
criterion_main!(benches);
