// Checks the Web Worker's proof-of-work WASM (public/worker/, from scripts/build-worker.sh) in a
// real WASM runtime (Node's V8, with WASM SIMD as in Chromium): known answers computed by Python's
// hashlib, and `solve` against a brute-force search with Node's own SHA-256 (OpenSSL) around
// every digit-count boundary, near u64::MAX and for ids too long for the one-block fast path.
// Prints a summary; exits non-zero on any mismatch.
//
//   node scripts/check-worker.mjs
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

const worker = new URL("../public/worker/", import.meta.url);
const { initSync, solve, verify } = await import(new URL("pow_wasm.js", worker).href);
initSync({ module: readFileSync(new URL("pow_wasm_bg.wasm", worker)) });

const CHALLENGE = "00112233445566778899aabbccddeeff";
const U64_MAX = (1n << 64n) - 1n;

let passed = 0;
const failures = [];
const check = (what, got, want) => {
  const [g, w] = [JSON.stringify(got, bigints), JSON.stringify(want, bigints)];
  if (g === w) passed++;
  else failures.push(`${what}: got ${g}, want ${w}`);
};
function bigints(_key, value) {
  return typeof value === "bigint" ? `${value}` : value;
}

// What `solve` answers, as plain data.
const step = (id, bits, start, tries) => {
  const s = solve(id, bits, BigInt(start), BigInt(tries));
  const out = { found: s.found, nonce: s.nonce, tries: s.tries, exhausted: s.exhausted };
  s.free();
  return out;
};
const found = (nonce, tries) => ({ found: true, nonce: BigInt(nonce), tries: BigInt(tries), exhausted: false });
const notFound = (next, tries) => ({
  found: false,
  nonce: next === null ? U64_MAX : BigInt(next),
  tries: BigInt(tries),
  exhausted: next === null,
});

// Known answers from hashlib (pow-wasm/tests/known_answers.rs): (bits, first nonce whose hash has
// exactly that many leading zero bits).
for (const [bits, nonce] of [[0, 1], [1, 0], [7, 233], [8, 343], [9, 55], [12, 2888], [16, 140894]]) {
  check(`verify(${nonce}, ${bits})`, verify(CHALLENGE, BigInt(nonce), bits), true);
  check(`verify(${nonce}, ${bits + 1})`, verify(CHALLENGE, BigInt(nonce), bits + 1), false);
}
// (bits, first nonce from 0 with at least that many), by hashlib. 7 bits: no nonce below 55 has 7
// or 8 (the first with exactly 7 is 233, with exactly 8 is 343), so 55 (9 bits) is also the first.
for (const [bits, first] of [[7, 55], [8, 55], [9, 55], [12, 2888], [16, 140894], [20, 445142]]) {
  check(`solve(${bits} bits from 0)`, step(CHALLENGE, bits, 0, 1_000_000), found(first, first + 1));
}
// Crossing digit-count boundaries on the way: 999 -> 1000, 99999 -> 100000.
check("solve(12 bits from 999)", step(CHALLENGE, 12, 999, 3000), found(2888, 2888 - 999 + 1));
check("solve(16 bits from 99998)", step(CHALLENGE, 16, 99_998, 100_000), found(140894, 140894 - 99_998 + 1));
check("solve(16 bits from 140894)", step(CHALLENGE, 16, 140894, 1), found(140894, 1));
check("solve(16 bits, 0..100000)", step(CHALLENGE, 16, 0, 100_000), notFound(100_000, 100_000));
check("solve(16 bits, 100000..)", step(CHALLENGE, 16, 100_000, 100_000), found(140894, 40895));
check("solve(256 bits near u64::MAX)", step(CHALLENGE, 256, U64_MAX - 1n, 10), notFound(null, 2));
check("solve(no tries)", step(CHALLENGE, 0, 7, 0), notFound(7, 0));
check("solve(0 bits)", step(CHALLENGE, 0, 42, 1), found(42, 1));

// Against a brute-force search with Node's SHA-256.
const zeroBits = (digest) => {
  let bits = 0;
  for (const byte of digest) {
    if (byte !== 0) return bits + Math.clz32(byte) - 24;
    bits += 8;
  }
  return bits;
};
const reference = (id, bits, start, tries) => {
  let nonce = BigInt(start);
  for (let t = 1n; t <= BigInt(tries); t++) {
    if (zeroBits(createHash("sha256").update(`${id}:${nonce}`).digest()) >= bits) return found(nonce, t);
    if (nonce === U64_MAX) return notFound(null, t);
    nonce++;
  }
  return notFound(nonce, tries);
};
const ids = [
  CHALLENGE,
  "",
  "x",
  "0123456789abcdef0123456789abcde", // 31 bytes: the prefix ends mid-word
  "0123456789abcdef0123456789abcdef01", // 34 bytes: the longest the one-block path takes
  "0123456789abcdef0123456789abcdef012", // 35 bytes: too long for one block at 20 digits
  "é-ü challenge ✓",
  "a".repeat(100),
];
const starts = [0n, 1n, 7n, 95n, 995n, 9_996n, 99_990n, 999_999_998n];
for (let digits = 10n; digits <= 19n; digits += 3n) starts.push(10n ** digits - 5n);
starts.push(U64_MAX - 9n, U64_MAX - 3n, U64_MAX);
let compared = 0;
for (const id of ids) {
  for (const start of starts) {
    for (const bits of [0, 1, 2, 3, 5, 8]) {
      for (const tries of [1, 3, 4, 5, 9, 17]) {
        const what = `solve(${JSON.stringify(id)}, ${bits} bits, ${start}, ${tries} tries)`;
        check(what, step(id, bits, start, tries), reference(id, bits, start, tries));
        compared++;
      }
    }
  }
}
// Every solution in a stretch, found by resuming after each one (a lane mix-up shows here).
for (const id of [CHALLENGE, "x"]) {
  for (const bits of [1, 4]) {
    let start = 0n;
    const got = [];
    const want = [];
    while (start < 2000n) {
      const s = step(id, bits, start, 2000n - start);
      if (!s.found) break;
      got.push(s.nonce);
      start = s.nonce + 1n;
    }
    for (let n = 0n; n < 2000n; n++) {
      if (zeroBits(createHash("sha256").update(`${id}:${n}`).digest()) >= bits) want.push(n);
    }
    check(`every ${bits}-bit solution below 2000 for ${JSON.stringify(id)}`, got, want);
  }
}

console.log(`check-worker: ${compared} solves compared with node:crypto, plus known answers`);
for (const failure of failures.slice(0, 20)) console.log(`check-worker: MISMATCH ${failure}`);
console.log(`check-worker: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
