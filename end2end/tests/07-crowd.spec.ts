import { expect, test } from "@playwright/test";
import { newPlayer, openGame, pressAndCount } from "./helpers";

// Two players in two windows see each other: the watching count, each other's handles in the
// feed, their own shelf of flair growing, and each press's shareable page.
test("two players see the crowd: watching, handles in the feed, a shelf that grows, a page per press", async ({
  browser,
}, testInfo) => {
  test.setTimeout(90_000);
  const alice = await newPlayer(browser);
  const bob = await newPlayer(browser);
  await openGame(alice.page);
  await openGame(bob.page);

  // Earlier tests closed their windows: these two are the crowd.
  for (const player of [alice, bob]) {
    await expect(player.page.locator(".crowd .watching")).toHaveText("2 watching", { timeout: 10_000 });
  }

  // Alice presses: she gets a handle, and Bob sees it in the feed within a second.
  await pressAndCount(alice.page);
  const aliceHandle = (await alice.page.locator(".me .handle").textContent()) ?? "";
  expect(aliceHandle).toMatch(/^[a-z]+-[a-z]+-\d{1,3}$/);
  await expect(bob.page.locator(".feed-item .feed-who").first()).toHaveText(aliceHandle, { timeout: 1_000 });
  await expect(alice.page.locator(".feed-item").first()).toHaveClass(/yours/);
  await expect(alice.page.locator(".me-totals")).toHaveText(/^1 press · /);
  await expect(alice.page.locator(".crowd .last-minute")).toHaveText(/[1-9][\d,]* press(es)? in the last minute/);

  // Bob presses: Alice sees his handle.
  await pressAndCount(bob.page);
  const bobHandle = (await bob.page.locator(".me .handle").textContent()) ?? "";
  expect(bobHandle).not.toBe(aliceHandle);
  await expect(alice.page.locator(".feed-item .feed-who").first()).toHaveText(bobHandle, { timeout: 1_000 });

  // Alice's shelf grows with her second press (after the cooldown), and her handle stays.
  await pressAndCount(alice.page);
  await expect(alice.page.locator(".me-totals")).toHaveText(/^2 presses/, { timeout: 5_000 });
  await expect(alice.page.locator(".me .handle")).toHaveText(aliceHandle);
  const shelf = alice.page.locator(".me .shelf .flair");
  await expect(shelf.first()).toBeVisible();
  await expect(alice.page.locator(".press-line")).not.toBeEmpty();
  await alice.page.screenshot({ path: testInfo.outputPath("game-with-crowd.png"), fullPage: true });

  // The counted press links to its page, which works with JavaScript ...
  const link = alice.page.locator(".press-share");
  const href = (await link.getAttribute("href")) ?? "";
  expect(href).toMatch(/^\/p\/[0-9a-f-]{36}$/);
  await link.click();
  await expect(alice.page).toHaveURL(new RegExp(`${href}$`));
  await expect(alice.page.locator("h1")).toHaveText(new RegExp(`^Press #[\\d,]+ by ${aliceHandle}$`));
  await expect(alice.page).toHaveTitle(new RegExp(`by ${aliceHandle} · The Button`));
  await alice.page.screenshot({ path: testInfo.outputPath("press-page.png"), fullPage: true });

  // ... and without: everything is in the server's HTML, with the tags that unfurl a link.
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(href);
  await expect(plain.locator("h1")).toHaveText(new RegExp(`by ${aliceHandle}$`));
  await expect(plain.locator(".press-line")).not.toBeEmpty();
  await expect(plain.locator(".press-facts")).toContainText(/UTC/);
  await expect(plain.locator('meta[property="og:title"]')).toHaveAttribute("content", new RegExp(aliceHandle));
  await expect(plain.locator('meta[property="og:description"]')).toHaveAttribute("content", /.+/);
  await expect(plain.locator('meta[name="twitter:card"]')).toHaveAttribute("content", "summary");
  await plain.screenshot({ path: testInfo.outputPath("press-page-without-javascript.png"), fullPage: true });
  await noScript.close();

  // A player's record is in the API under the handle.
  const record = await (await alice.page.request.get(`/v1/players/${aliceHandle}`)).json();
  expect(record.presses).toBe(2);

  await alice.context.close();
  await bob.context.close();
});
