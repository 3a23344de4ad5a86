// The WASM solver in Chromium: hash rate of one Web Worker and of all cores, and the median time
// to solve a challenge at each phase's difficulty. Needs a running game (any mode) to serve
// /pow-worker.js and /worker/*. Loopback only.
//
//   node end2end/bench/solver-rate.mjs http://127.0.0.1:3000
import { chromium } from "@playwright/test";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
if (!/^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?/.test(base)) {
  throw new Error(`${base}: loopback only`);
}
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage();
await page.goto(`${base}/health/live`);

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
  // Warm up (module load, WASM compile).
  await Promise.all(workers.map((w, i) => run(w, 1000 + i, hex(), 256, 0, 50_000)));

  const N = 2_000_000;
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
console.log(`chromium: one worker ${(results.oneRate / 1e6).toFixed(2)} MH/s`);
console.log(`chromium: all workers ${(results.allRate / 1e6).toFixed(2)} MH/s`);
for (const [bits, ms] of Object.entries(results.medians)) {
  console.log(`chromium: median solve at ${bits} bits: ${ms.toFixed(0)} ms (15 challenges)`);
}
await browser.close();
