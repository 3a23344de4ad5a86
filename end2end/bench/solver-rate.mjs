// The WASM solver in Chromium: hash rate of one Web Worker and of all cores, and the median time
// to solve a challenge at each phase's difficulty. Needs a server for /pow-worker.js and /worker/*:
// a running game (any mode), or any static server of public/ after scripts/build-worker.sh.
// Loopback only. Native rates to compare with (M hashes/s on one core, from
// `cargo bench -p pow-wasm`) may follow the address as name=rate; each browser rate is printed
// with its ratio to each of them.
//
//   node end2end/bench/solver-rate.mjs http://127.0.0.1:3000
//   python3 -m http.server 3310 --bind 127.0.0.1 --directory public &
//   node end2end/bench/solver-rate.mjs http://127.0.0.1:3310 sha2=18.7 lanes=3.1
import { launch, loopbackOnly } from "./chromium.mjs";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const natives = process.argv.slice(3).map((arg) => {
  const [name, rate] = arg.split("=");
  if (!name || !(Number(rate) > 0)) throw new Error(`${arg}: expected name=rate (M hashes/s)`);
  return { name, rate: Number(rate) };
});
loopbackOnly(base);
const browser = await launch();
const page = await browser.newPage();
// Any page of the same origin will do (workers are same-origin); the worker's script exists both
// on the game and on a static server of public/.
await page.goto(`${base}/pow-worker.js`);

const results = await page.evaluate(async () => {
  const run = (worker, job, challengeId, difficulty, start, end) =>
    new Promise((resolve) => {
      let tries = 0;
      worker.onmessage = (e) => {
        const m = e.data;
        if (m.job !== job) return;
        tries += m.tries || 0;
        if (m.found || m.exhausted || m.error) resolve({ tries, found: !!m.found });
      };
      worker.postMessage({ job, challengeId, difficulty, start: String(start), end: String(end) });
    });
  const hex = () => [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
  const cores = navigator.hardwareConcurrency || 2;
  const workers = [...Array(cores)].map(() => new Worker("/pow-worker.js", { type: "module" }));
  // Warm up: module load, WASM compile, and V8's tier-up from its baseline compiler (Liftoff) to
  // its optimizing one (TurboFan), which compiles the solver in the background and only then
  // swaps it in: 50,000 nonces were not enough for the SIMD solver's larger function.
  await Promise.all(workers.map((w, i) => run(w, 1000 + i, hex(), 256, 0, 5_000_000)));

  // About a second of hashing per measure: shorter ones varied by ±15 % from run to run.
  const N = 10_000_000;
  let t = performance.now();
  const one = await run(workers[0], 1, hex(), 256, 0, N);
  const oneRate = one.tries / ((performance.now() - t) / 1000);

  t = performance.now();
  const all = await Promise.all(workers.map((w, i) => run(w, 10 + i, hex(), 256, i * N, (i + 1) * N)));
  const allRate = all.reduce((s, r) => s + r.tries, 0) / ((performance.now() - t) / 1000);

  const medians = {};
  let job = 100;
  for (const bits of [16, 17, 18, 20]) {
    const times = [];
    for (let k = 0; k < 15; k++) {
      const id = hex();
      t = performance.now();
      // Split across the workers as the page does; the first to find wins.
      await new Promise((resolve) => {
        let done = false;
        const jobs = workers.map(() => job++);
        workers.forEach((w, i) => {
          run(w, jobs[i], id, bits, BigInt(i) << 40n, (BigInt(i) + 1n) << 40n).then((r) => {
            if (r.found && !done) {
              done = true;
              workers.forEach((other, k) => other.postMessage({ cancel: jobs[k] }));
              resolve();
            }
          });
        });
      });
      times.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
    }
    times.sort((a, b) => a - b);
    medians[bits] = times[Math.floor(times.length / 2)];
  }
  return { cores, oneRate, allRate, medians };
});

console.log(`chromium: ${results.cores} workers (navigator.hardwareConcurrency)`);
const versus = (rate) =>
  natives.map((n) => `, ${(rate / 1e6 / n.rate).toFixed(2)} × native ${n.name} (${n.rate} MH/s)`).join("");
console.log(`chromium: one worker ${(results.oneRate / 1e6).toFixed(2)} MH/s${versus(results.oneRate)}`);
console.log(`chromium: all workers ${(results.allRate / 1e6).toFixed(2)} MH/s${versus(results.allRate)}`);
for (const [bits, ms] of Object.entries(results.medians)) {
  console.log(`chromium: median solve at ${bits} bits: ${ms.toFixed(0)} ms (15 challenges)`);
}
await browser.close();
