import { expect, test } from "@playwright/test";
import { counter, newPlayer, openGame, pressAndCount } from "./helpers";

test("a press in one window shows up live in another", async ({ browser }) => {
  const alice = await newPlayer(browser);
  const bob = await newPlayer(browser);
  await openGame(alice.page);
  await openGame(bob.page);
  const before = await counter(bob.page);

  await pressAndCount(alice.page);
  await expect(alice.page.locator(".press-status")).toHaveText(/counted — at (CALM|WARM|HOT|CHAOS)/);
  // Every press earns at least its phase's flair, and the page says so.
  await expect(alice.page.locator(".press-status")).toHaveText(/ · earned (Calm|Warm|Hot|Chaos)/);
  // Bob sees it without reloading.
  await expect.poll(() => counter(bob.page), { timeout: 10_000 }).toBeGreaterThan(before);

  await alice.context.close();
  await bob.context.close();
});
