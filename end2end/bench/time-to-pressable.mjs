// The page in Chromium: the time from navigation to a hydrated, pressable button, first visit
// (nothing cached: a new browser context each run) and return visit (the same context again:
// the hashed WASM and script come from the cache). Milestones from the Navigation Timing API and
// from the page itself, all relative to the navigation's start:
//   response:   the first byte of the server-rendered page;
//   painted:    first contentful paint (the button is in the server's HTML: seen, not yet live);
//   hydrated:   `main.game[data-hydrated=true]` (the WASM loaded, the page is Leptos's);
//   pressable:  the button enabled (hydrated, and a challenge in hand).
// Needs a running game (a release build, as players get it). Loopback only.
//
//   node end2end/bench/time-to-pressable.mjs http://127.0.0.1:3000 [runs]
import { launch, loopbackOnly } from "./chromium.mjs";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const runs = Number(process.argv[3] ?? 10);
loopbackOnly(base);
const browser = await launch();

// One visit: the milestones (ms from the navigation's start) and the bytes the page fetched.
async function visit(context) {
  const page = await context.newPage();
  // Stamped by the page itself as each milestone happens (a MutationObserver from the first
  // script), so the figures do not include Playwright's polling.
  await page.addInitScript(() => {
    const marks = (window.__marks = {});
    const check = () => {
      const main = document.querySelector("main.game");
      if (!marks.hydrated && main?.getAttribute("data-hydrated") === "true") {
        marks.hydrated = performance.now();
      }
      const button = document.querySelector(".the-button");
      if (marks.hydrated && !marks.pressable && button && !button.disabled) {
        marks.pressable = performance.now();
      }
    };
    new MutationObserver(check).observe(document, {
      subtree: true, childList: true, attributes: true,
    });
  });
  await page.goto(base, { waitUntil: "commit" });
  await page.waitForFunction(() => window.__marks?.pressable, null, { timeout: 30_000 });
  const marks = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    const bytes = performance.getEntriesByType("resource")
      .reduce((sum, r) => sum + (r.transferSize || 0), nav.transferSize || 0);
    return {
      response: nav.responseStart,
      painted: paint?.startTime ?? null,
      hydrated: window.__marks.hydrated,
      pressable: window.__marks.pressable,
      bytes,
    };
  });
  await page.close();
  return marks;
}

const median = (values) => {
  const sorted = values.filter((v) => v != null).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : null;
};
const report = (name, visits) => {
  const m = (key) => median(visits.map((v) => v[key]));
  const ms = (v) => (v == null ? "?" : `${v.toFixed(0)} ms`);
  console.log(`${name} (median of ${visits.length}): response ${ms(m("response"))}, painted ` +
    `${ms(m("painted"))}, hydrated ${ms(m("hydrated"))}, pressable ${ms(m("pressable"))}; ` +
    `${(m("bytes") / 1024).toFixed(0)} KiB transferred`);
  return { visits: visits.length, response_ms: m("response"), painted_ms: m("painted"),
    hydrated_ms: m("hydrated"), pressable_ms: m("pressable"), bytes: m("bytes") };
};

const first = [];
const again = [];
for (let n = 0; n < runs; n++) {
  const context = await browser.newContext();
  first.push(await visit(context));
  again.push(await visit(context));
  await context.close();
}
const summary = { first: report("first visit", first), again: report("return visit", again) };
console.log(JSON.stringify(summary));
await browser.close();
