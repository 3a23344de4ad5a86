import { createHash } from "node:crypto";
import { APIRequestContext, Browser, BrowserContext, Page, expect } from "@playwright/test";

let nextPlayer = 1;

/** A browser context that is a player of its own (its own address through X-Forwarded-For). */
export async function newPlayer(browser: Browser): Promise<{ context: BrowserContext; page: Page; ip: string }> {
  const n = nextPlayer++;
  const ip = `203.0.113.${(n % 250) + 1}`;
  // Reduced motion: in CHAOS the button shakes, and a shaking element is never "stable" enough
  // for Playwright to click.
  const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": ip }, reducedMotion: "reduce" });
  const page = await context.newPage();
  return { context, page, ip };
}

/** Opens the game and waits until it is hydrated and live. */
export async function openGame(page: Page) {
  await page.goto("/");
  await expect(page.locator("main.game")).toHaveAttribute("data-hydrated", "true");
  await expect(page.locator(".connection")).toHaveText(/live/);
}

/** The counter as a number. */
export async function counter(page: Page): Promise<number> {
  const text = (await page.locator(".counter .count").textContent()) ?? "";
  return Number(text.replace(/,/g, ""));
}

/** Clicks the button and waits for "counted". */
export async function pressAndCount(page: Page) {
  await expect(page.locator(".the-button")).toBeEnabled({ timeout: 10_000 });
  await page.locator(".the-button").click();
  await expect(page.locator(".press-status")).toHaveText(/Your press #[\d,]+ counted/, { timeout: 15_000 });
}

/** Presses through the API as the player at `ip` (solving the proof of work here, in Node). */
export async function pressViaApi(request: APIRequestContext, ip: string): Promise<number> {
  const headers = { "x-forwarded-for": ip };
  const challenge = await (await request.get("/v1/challenge", { headers })).json();
  let nonce = 0;
  while (leadingZeroBits(createHash("sha256").update(`${challenge.challenge_id}:${nonce}`).digest()) < challenge.difficulty) {
    nonce++;
  }
  const response = await request.post("/v1/events/press", { headers, data: { ...challenge, nonce } });
  return response.status();
}

function leadingZeroBits(digest: Buffer): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}
