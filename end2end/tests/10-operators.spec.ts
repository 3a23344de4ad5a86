import { expect, test } from "@playwright/test";
import { counter, newPlayer, openGame, pressAndCount } from "./helpers";

// An operator pauses the game, resumes it and starts a new season; the players' pages follow
// live. (Last: a new season starts the counter again.)

const admin = { authorization: "Bearer the-end-to-end-tests-admin-token" };

test("a pause shows on the page with the operator's reason, and the button comes back", async ({ browser, request }) => {
  const { context, page } = await newPlayer(browser);
  await openGame(page);
  await expect(page.locator(".the-button")).toBeEnabled();

  const paused = await request.post("/v1/admin/pause", {
    headers: admin,
    data: { message: "Back in a minute." },
  });
  expect(paused.status()).toBe(202);
  await expect(page.locator(".notice-banner")).toContainText("The button is paused. Back in a minute.");
  await expect(page.locator(".the-button")).toBeDisabled();
  await expect(page.locator(".the-button")).toHaveText(/Paused/);

  expect((await request.post("/v1/admin/resume", { headers: admin })).status()).toBe(202);
  await expect(page.locator(".the-button")).toBeEnabled();
  await expect(page.locator(".notice-banner")).toContainText("The button is back.");
  await pressAndCount(page);
  await context.close();
});

test("a new season starts the counter again and the page names it", async ({ browser, request }) => {
  const { context, page } = await newPlayer(browser);
  await openGame(page);
  expect(await counter(page)).toBeGreaterThan(0);

  const season = await request.post("/v1/admin/season", {
    headers: admin,
    data: { message: "Fresh start!" },
  });
  expect(season.status()).toBe(202);
  await expect(page.locator(".notice-season")).toHaveText("Season 2");
  await expect(page.locator(".notice-line")).toHaveText("Season 2 has begun. Fresh start!");
  await expect(page.locator(".counter .count")).toHaveText("0");
  await pressAndCount(page);
  await expect(page.locator(".counter .count")).toHaveText("1");
  await context.close();
});

test("the admin routes refuse a player without the token", async ({ request }) => {
  const refused = await request.post("/v1/admin/pause", { headers: { authorization: "Bearer guess" } });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error).toBe("unauthorized");
});
