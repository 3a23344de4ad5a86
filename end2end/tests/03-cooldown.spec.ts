import { expect, test } from "@playwright/test";
import { newPlayer, openGame, pressAndCount, pressViaApi } from "./helpers";

test("the button waits out the cooldown after a press", async ({ browser }) => {
  const player = await newPlayer(browser);
  await openGame(player.page);
  const button = player.page.locator(".the-button");
  await button.click();
  // Disabled with a countdown (test rules: 3 s), then free again.
  await expect(button).toHaveText(/Wait \d+\.\d s/, { timeout: 10_000 });
  await expect(button).toBeDisabled();
  await expect(player.page.locator(".press-status")).toHaveText(/Your press #[\d,]+ counted/);
  await expect(button).toBeEnabled({ timeout: 6_000 });
  await expect(button).toHaveText(/PRESS/);
  await player.context.close();
});

test("a 429 from the server shows its Retry-After as a countdown", async ({ browser, request }) => {
  const player = await newPlayer(browser);
  await openGame(player.page);
  // The same player pressed from elsewhere a moment ago: the server will answer 429 cooldown.
  expect(await pressViaApi(request, player.ip)).toBe(202);
  await player.page.locator(".the-button").click();
  await expect(player.page.locator(".press-status")).toHaveText(/wait before pressing again/i, { timeout: 10_000 });
  await expect(player.page.locator(".the-button")).toHaveText(/Wait \d+\.\d s/);
  await expect(player.page.locator(".the-button")).toBeDisabled();
  await player.context.close();
});
