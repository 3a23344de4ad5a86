// Splits a challenge's nonce space across Web Workers running pow-wasm, and reports progress.
// Imported by the page's WASM (see solver.rs); the workers are /pow-worker.js.
let workers = [];
let nextJob = 1;
// Each worker owns 2^40 nonces: starts stay below 2^53, so nonces are exact as JSON numbers.
const SPAN = 1n << 40n;

function pool() {
  if (workers.length === 0) {
    const n = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 4));
    for (let i = 0; i < n; i++) {
      workers.push(new Worker("/pow-worker.js", { type: "module" }));
    }
  }
  return workers;
}

// Resolves to the nonce (a decimal string); onProgress(hashes, elapsedMs) after each slice.
export function solveChallenge(challengeId, difficulty, onProgress) {
  const job = nextJob++;
  const ws = pool();
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let hashes = 0;
    let exhausted = 0;
    const finish = (settle) => {
      for (const w of ws) {
        w.onmessage = null;
        w.postMessage({ cancel: job });
      }
      settle();
    };
    ws.forEach((w, i) => {
      w.onmessage = (event) => {
        const m = event.data;
        if (m.job !== job) return;
        hashes += m.tries || 0;
        if (m.found) finish(() => resolve(m.nonce));
        else if (m.error) finish(() => reject(new Error(m.error)));
        else if (m.exhausted) {
          if (++exhausted === ws.length) finish(() => reject(new Error("no nonce found")));
        } else onProgress(hashes, performance.now() - started);
      };
      w.onerror = (e) => finish(() => reject(new Error(e.message || "the worker failed")));
      w.postMessage({
        job,
        challengeId,
        difficulty,
        start: (BigInt(i) * SPAN).toString(),
        end: (BigInt(i + 1) * SPAN).toString(),
      });
    });
  });
}
