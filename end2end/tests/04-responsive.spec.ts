import { expect, test } from "@playwright/test";
import { newPlayer, openGame } from "./helpers";

test("solving a 20-bit challenge never blocks the page for more than 100 ms", async ({ browser }) => {
  const player = await newPlayer(browser);
  const page = player.page;
  // Hand the page a 20-bit challenge (its signature is fake: the press itself will be refused).
  // Python's hashlib says no nonce among the first 100,000 of any of four workers' ranges
  // (i·2^40 …) solves this id at 20 bits, so the solve surely lasts several progress reports.
  await page.route("**/v1/challenge", (route) =>
    route.fulfill({
      contentType: "application/json",
      body: JSON.stringify({
        challenge_id: "092466b06105b3a1aa98ead6100f1125",
        difficulty: 20,
        expires_at: Date.now() + 60_000,
        signature: "0".repeat(64),
      }),
    }),
  );
  await page.addInitScript(() => {
    // Every label the button shows, however briefly (a 20-bit solve takes a fraction of a second).
    (window as any).__labels = [];
    new MutationObserver(() => {
      const label = document.querySelector(".the-button .label")?.textContent;
      const labels = (window as any).__labels;
      if (label && labels[labels.length - 1] !== label) labels.push(label);
    }).observe(document, { subtree: true, childList: true, characterData: true });
    (window as any).__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) (window as any).__longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: "longtask", buffered: true });
  });
  await openGame(page);
  const clickedAt = await page.evaluate(() => performance.now());
  await page.locator(".the-button").click();
  await expect(page.locator(".press-status")).toHaveText(/not ours/, { timeout: 60_000 });
  // While the workers worked, the page kept showing their progress.
  const labels: string[] = await page.evaluate(() => (window as any).__labels);
  expect(labels.some((l) => /Solving… [\d.]+ [kM]?H\/s/.test(l)), labels.join(" | ")).toBe(true);
  const long = await page.evaluate(
    (since) => (window as any).__longTasks.filter((t: any) => t.start >= since && t.duration > 100),
    clickedAt,
  );
  expect(long).toEqual([]);

  // Control: the detector does see a blocked main thread (so the check above can fail).
  const controlAt = await page.evaluate(() => {
    const at = performance.now();
    setTimeout(() => {
      const t = performance.now();
      while (performance.now() - t < 150) {}
    }, 0);
    return at;
  });
  await expect
    .poll(() =>
      page.evaluate(
        (since) => (window as any).__longTasks.filter((t: any) => t.start >= since && t.duration > 100).length,
        controlAt,
      ),
    )
    .toBeGreaterThan(0);
  await player.context.close();
});
