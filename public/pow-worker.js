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
// A slice takes a few milliseconds (~2.5 ms at 8 M hashes/s): small enough to answer "cancel"
// promptly.
const SLICE = 20_000n;
let current = null;

// Lets the messages waiting for this worker (a "cancel") in between slices. Not setTimeout(0):
// nested timeouts are clamped to 4 ms, longer than a slice: that cost 40 % of the hash rate.
const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => waiting.shift()?.();
const letMessagesIn = () =>
  new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });

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
      await letMessagesIn();
    }
    if (current === job) self.postMessage({ job, exhausted: true, tries: 0 });
  } catch (error) {
    self.postMessage({ job, error: String(error) });
  }
};
