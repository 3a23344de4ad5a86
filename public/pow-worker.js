// The Button's proof-of-work Web Worker: runs pow-wasm (the Rust the server verifies with,
// compiled to WASM) so the page never freezes while a challenge is solved.
//
// Messages in:  {job, challengeId, difficulty, start, end}  (start/end: decimal strings, u64)
//               {cancel: job}
// Messages out: {job, tries}                    progress, after each slice
//               {job, found: true, nonce, tries} nonce as a decimal string
//               {job, exhausted: true, tries}   no nonce in [start, end)
//               {job, error}
import init, { solve } from "/worker/pow_wasm.js";

const ready = init({ module_or_path: "/worker/pow_wasm_bg.wasm" });
// A slice takes a few milliseconds: small enough to answer "cancel" promptly.
const SLICE = 20_000n;
let current = null;

self.onmessage = async (event) => {
  const message = event.data;
  if (message.cancel !== undefined) {
    if (current === message.cancel) current = null;
    return;
  }
  const { job, challengeId, difficulty } = message;
  current = job;
  try {
    await ready;
    let nonce = BigInt(message.start);
    const end = BigInt(message.end);
    while (current === job && nonce < end) {
      const tries = end - nonce < SLICE ? end - nonce : SLICE;
      const step = solve(challengeId, difficulty, nonce, tries);
      if (step.found) {
        self.postMessage({ job, found: true, nonce: step.nonce.toString(), tries: Number(step.tries) });
        current = null;
        return;
      }
      self.postMessage({ job, tries: Number(step.tries) });
      if (step.exhausted) break;
      nonce = step.nonce;
      // Let a "cancel" message in between slices.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (current === job) self.postMessage({ job, exhausted: true, tries: 0 });
  } catch (error) {
    self.postMessage({ job, error: String(error) });
  }
};
