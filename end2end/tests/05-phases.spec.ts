import { expect, test } from "@playwright/test";
import { newPlayer, openGame, pressAndCount } from "./helpers";

test("enough presses take the phase up, and the presser sees their press tipped it", async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const presser = await newPlayer(browser);
  const watcher = await newPlayer(browser);
  const chronicler = await newPlayer(browser);
  await openGame(presser.page);
  await openGame(watcher.page);
  // A third window follows the Moments page: each tip is a moment there, live.
  await chronicler.page.goto("/moments");
  await expect(chronicler.page.locator("main.moments-page")).toHaveAttribute("data-hydrated", "true");
  const main = presser.page.locator("main.game");

  // Earlier tests pressed too: expect every phase above the one we start in.
  const order = ["CALM", "WARM", "HOT", "CHAOS"];
  const start = (await main.getAttribute("data-phase")) ?? "CALM";
  await presser.page.screenshot({ path: testInfo.outputPath(`phase-${start.toLowerCase()}.png`), fullPage: true });
  const seen = new Set<string>();
  const icons = new Set<string>([(await presser.page.locator("#phase-icon").getAttribute("href")) ?? ""]);
  for (let i = 0; i < 20 && !seen.has("CHAOS"); i++) {
    const before = await main.getAttribute("data-phase");
    await pressAndCount(presser.page);
    const after = (await main.getAttribute("data-phase")) ?? "";
    if (after !== before && !seen.has(after)) {
      seen.add(after);
      // The phase's look changes, the reveal names the press, and the presser is told.
      await expect(main).toHaveClass(new RegExp(`phase-${after.toLowerCase()}`));
      // The tab follows the phase, for players who keep it in the background.
      await expect(presser.page).toHaveTitle(new RegExp(`^${after}!* · The Button$`));
      await expect(watcher.page).toHaveTitle(new RegExp(`^${after}`));
      const icon = await presser.page.locator("#phase-icon").getAttribute("href");
      expect(icon).toMatch(/^data:image\/svg\+xml,/);
      expect(icons.has(icon ?? "")).toBe(false);
      icons.add(icon ?? "");
      await expect(presser.page.locator(".reveal-text")).toHaveText(
        new RegExp(`Press #[\\d,]+ tipped the button into ${after}`),
      );
      await expect(presser.page.locator(".reveal-yours")).toHaveText("Your press tipped it!");
      await expect(watcher.page.locator(".reveal-text")).toHaveText(new RegExp(`tipped the button into ${after}`));
      await expect(watcher.page.locator(".reveal-yours")).toHaveCount(0);
      // The tip is a moment, in the other windows within a second: the game page's banner and
      // the Moments page, naming who tipped it.
      const handle = (await presser.page.locator(".me .handle").textContent()) ?? "";
      const tip = new RegExp(`${handle} tipped the button into ${after} with press #[\\d,]+`);
      await expect(watcher.page.locator(".moment-banner-line")).toHaveText(tip, { timeout: 1_000 });
      await expect(chronicler.page.locator(".moment-list .moment-tip").first()).toContainText(tip, { timeout: 1_000 });
      await presser.page.screenshot({ path: testInfo.outputPath(`phase-${after.toLowerCase()}.png`), fullPage: true });
    }
  }
  expect(start).not.toBe("CHAOS");
  expect([...seen].sort()).toEqual(order.slice(order.indexOf(start) + 1).sort());
  await chronicler.page.screenshot({ path: testInfo.outputPath("moments-live.png"), fullPage: true });
  await presser.context.close();
  await watcher.context.close();
  await chronicler.context.close();
});
