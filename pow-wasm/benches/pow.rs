//! Proof-of-work costs: one verification, and the native solver's hash rate.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pow_wasm::{solve, verify};
use std::hint::black_box;

const CHALLENGE: &str = "00112233445566778899aabbccddeeff";

fn verify_one(c: &mut Criterion) {
    c.bench_function("pow/verify", |b| {
        b.iter(|| verify(black_box(CHALLENGE), black_box(140_894), black_box(16)))
    });
}

fn solve_rate(c: &mut Criterion) {
    const TRIES: u64 = 100_000;
    let mut group = c.benchmark_group("pow/solve");
    group.throughput(Throughput::Elements(TRIES));
    // 256 bits is never met, so every call computes exactly TRIES hashes.
    group.bench_function("100k_hashes", |b| {
        b.iter(|| solve(black_box(CHALLENGE), 256, black_box(1_000_000), TRIES))
    });
    group.finish();
}

criterion_group!(benches, verify_one, solve_rate);
criterion_main!(benches);
