//! Proof-of-work costs: one verification, and the native solvers' hash rates.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pow_wasm::{solve, solve_lanes, verify};
use std::hint::black_box;

const CHALLENGE: &str = "00112233445566778899aabbccddeeff";

fn verify_one(c: &mut Criterion) {
    c.bench_function("pow/verify", |b| {
        b.iter(|| verify(black_box(CHALLENGE), black_box(140_894), black_box(16)))
    });
}

fn solve_rate(c: &mut Criterion) {
    const TRIES: u64 = 100_000;
    // 256 bits is never met, so every call computes exactly TRIES hashes.
    for (name, solver) in [
        // Natively `solve` is `solve_sha2`: the `sha2` crate, with the CPU's SHA instructions.
        ("pow/solve", solve as fn(&str, u32, u64, u64) -> _),
        // What the Web Worker runs, with plain arrays for lanes here (WASM SIMD there).
        ("pow/solve_lanes", solve_lanes),
    ] {
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Elements(TRIES));
        group.bench_function("100k_hashes", |b| {
            b.iter(|| solver(black_box(CHALLENGE), 256, black_box(1_000_000), TRIES))
        });
        group.finish();
    }
}

criterion_group!(benches, verify_one, solve_rate);
criterion_main!(benches);
