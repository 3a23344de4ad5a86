import { expect, test } from "@playwright/test";
import { newPlayer, openGame, pressAndCount, pressViaApi } from "./helpers";

// The game's memory, after the earlier tests played: charts of its history, its moments and its
// leaderboards, each rendered whole by the server (they work without JavaScript) and kept up to
// date while open.
test("the History, Moments and Leaderboard pages render on the server", async ({ browser }, testInfo) => {
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const page = await noScript.newPage();

  await page.goto("/history?range=1h");
  await expect(page.locator("h1")).toHaveText("History");
  await expect(page.locator(".ranges a[aria-current=page]")).toHaveText("Last hour");
  await expect(page.locator(".chart-presses svg rect").first()).toBeAttached();
  await expect(page.locator(".chart-presses figcaption")).toHaveText(/^Presses per 1 min · [1-9][\d,]* presses$/);
  await expect(page.locator(".chart-entropy polyline")).toHaveAttribute("points", /\d/);
  // Each point is drawn in the phase it spent most time in; the earlier tests took the button up
  // to CHAOS, where it stays, and the history counts that time up to now.
  await expect(page.locator(".chart-phases svg rect").first()).toHaveClass(/phase-(calm|warm|hot|chaos)/);
  const history = await (await page.request.get("/v1/history?range=1h")).json();
  expect(history.points[history.points.length - 1].phase_ms[3]).toBeGreaterThan(0);
  // Screen readers get the numbers as a table.
  await expect(page.locator(".chart-numbers tbody tr").first()).toBeAttached();
  await page.screenshot({ path: testInfo.outputPath("history-without-javascript.png"), fullPage: true });

  await page.goto("/moments");
  await expect(page.locator(".moment-list .moment-tip").first()).toContainText(/tipped the button into (WARM|HOT|CHAOS)/);
  await expect(page.locator(".moment-list .moment-first_press_of_day")).toHaveCount(1);
  await page.screenshot({ path: testInfo.outputPath("moments-without-javascript.png"), fullPage: true });

  await page.goto("/leaderboard?board=tips&period=all");
  await expect(page.locator(".boards a[aria-current=page]")).toHaveText("Tips");
  await expect(page.locator(".board tbody tr .rank").first()).toHaveText("1");
  await expect(page.locator(".board tbody tr .who").first()).toHaveText(/^[a-z]+-[a-z]+-\d{1,3}$/);
  await page.goto("/leaderboard?board=fastest_climb&period=all");
  // The Playwright players press from documentation addresses: no country.
  await expect(page.locator(".countries .country-rest", { hasText: "Unknown" })).toBeAttached();
  await expect(page.locator(".board tbody tr").first()).toContainText(/From CALM to CHAOS in/);
  await page.screenshot({ path: testInfo.outputPath("leaderboard-without-javascript.png"), fullPage: true });
  await noScript.close();
});

test("the Leaderboard and History pages follow the game while they are open", async ({ browser }, testInfo) => {
  test.setTimeout(90_000);
  const player = await newPlayer(browser);
  await openGame(player.page);
  await pressAndCount(player.page);
  const handle = (await player.page.locator(".me .handle").textContent()) ?? "";

  const watcher = await newPlayer(browser);
  // The reducer writes the leaderboards once the game is quiet (or every few seconds while it
  // is not): the press is on the board moments after it counted.
  const row = watcher.page.locator(".board tbody tr", { hasText: handle });
  await expect(async () => {
    await watcher.page.goto("/leaderboard?board=presses&period=today");
    await expect(row.locator(".score")).toHaveText("1", { timeout: 500 });
  }).toPass({ timeout: 10_000 });
  const history = await newPlayer(browser);
  await history.page.goto("/history?range=1h");
  const caption = history.page.locator(".chart-presses figcaption");
  const before = Number(((await caption.textContent()) ?? "").match(/([\d,]+) press/)?.[1]?.replace(/,/g, "") ?? "0");

  // Another press: both open pages show it without a reload.
  await pressAndCount(player.page);
  await expect(row.locator(".score")).toHaveText("2", { timeout: 15_000 });
  await expect(caption).toContainText(`${(before + 1).toLocaleString("en-US")} presses`, { timeout: 20_000 });
  await watcher.page.screenshot({ path: testInfo.outputPath("leaderboard-live.png"), fullPage: true });
  await history.page.screenshot({ path: testInfo.outputPath("history-live.png"), fullPage: true });
  for (const p of [player, watcher, history]) {
    await p.context.close();
  }
});

test("the countries panel ranks countries by presses, with flags, and never shows an address", async ({
  browser,
  request,
}, testInfo) => {
  // Presses from Google's public DNS (United States) and RIPE NCC (the Netherlands).
  expect(await pressViaApi(request, "8.8.8.8")).toBe(202);
  expect(await pressViaApi(request, "193.0.6.139")).toBe(202);
  const visitor = await newPlayer(browser);
  await expect(async () => {
    await visitor.page.goto("/leaderboard?period=today");
    await expect(visitor.page.locator(".country", { hasText: "US" })).toBeAttached({ timeout: 500 });
    await expect(visitor.page.locator(".country", { hasText: "NL" })).toBeAttached({ timeout: 500 });
  }).toPass({ timeout: 10_000 });
  await expect(visitor.page.locator(".country", { hasText: "US" }).locator(".country-flag")).toHaveText("🇺🇸");
  await expect(visitor.page.locator(".countries")).not.toContainText("8.8.8.8");
  const api = await (await request.get("/v1/countries?period=today")).json();
  expect(api.countries.map((c: { country: string }) => c.country)).toEqual(expect.arrayContaining(["US", "NL"]));
  await visitor.page.screenshot({ path: testInfo.outputPath("countries.png"), fullPage: true });
  await visitor.context.close();
});
