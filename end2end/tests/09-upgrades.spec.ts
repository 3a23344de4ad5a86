import { readFileSync } from "node:fs";
import { expect, Page, test } from "@playwright/test";
import { openGame } from "./helpers";

// Upgrades without dead pages: a page whose script cannot start — its WASM does not load, or its
// files come from another build than its HTML (a rolling upgrade, an old cached page) — tells the
// player and offers a reload; the page's files are named by their hash and cached for a year.

/** Another build's files: the Web Worker's proof-of-work module, a wasm-bindgen pair of its own. */
const otherBuildJs = readFileSync("../public/worker/pow_wasm.js");
const otherBuildWasm = readFileSync("../public/worker/pow_wasm_bg.wasm");

async function expectReloadOffer(page: Page) {
  const notice = page.locator("#page-stalled");
  await expect(notice).toBeVisible({ timeout: 10_000 });
  await expect(notice).toContainText("could not start");
  await expect(notice.getByRole("button", { name: "Reload" })).toBeVisible();
  // Nothing pretends to work meanwhile: the button stays disabled.
  await expect(page.locator(".the-button")).toBeDisabled();
}

test("a WASM that does not load is said, and a reload brings the game back", async ({ page }) => {
  await page.route(/\/pkg\/.*\.wasm$/, (route) => route.abort());
  await page.goto("/");
  await expectReloadOffer(page);

  // The network is back: the offered reload starts the game.
  await page.unroute(/\/pkg\/.*\.wasm$/);
  await page.locator("#page-stalled").getByRole("button", { name: "Reload" }).click();
  await expect(page.locator("main.game")).toHaveAttribute("data-hydrated", "true");
  await expect(page.locator("#page-stalled")).toHaveCount(0);
});

test("a WASM of another build is said, not left as a dead button", async ({ page }) => {
  await page.route(/\/pkg\/.*\.wasm$/, (route) =>
    route.fulfill({ status: 200, contentType: "application/wasm", body: otherBuildWasm }),
  );
  await page.goto("/");
  await expectReloadOffer(page);
});

test("a script and a WASM of two builds are said, not left as a dead button", async ({ page }) => {
  // The page's HTML from this server, its script from another build (as behind a proxy in the
  // middle of a rolling upgrade).
  await page.route(/\/pkg\/.*\.js$/, (route) =>
    route.fulfill({ status: 200, contentType: "text/javascript", body: otherBuildJs }),
  );
  await page.goto("/");
  await expectReloadOffer(page);
});

test("a page that starts says nothing, and its files carry their hash, are kept long and come compressed", async ({ page, request }) => {
  await openGame(page);
  await page.waitForTimeout(500);
  await expect(page.locator("#page-stalled")).toHaveCount(0);

  const html = await (await request.get("/")).text();
  const files = [...html.matchAll(/\/pkg\/the-button\.[A-Za-z0-9_-]{16,}\.(?:js|wasm|css)/g)].map((m) => m[0]);
  expect(new Set(files.map((f) => f.split(".").pop()))).toEqual(new Set(["js", "wasm", "css"]));
  for (const file of files) {
    const response = await request.get(file, { headers: { "accept-encoding": "gzip" } });
    expect(response.status(), file).toBe(200);
    expect(response.headers()["cache-control"], file).toContain("immutable");
    // The WASM is most of what a first visit downloads: it travels gzipped (a third of its size).
    expect(response.headers()["content-encoding"], file).toBe("gzip");
  }
  // The page itself is checked again on every visit, so it never names a gone build's files.
  expect((await request.get("/")).headers()["cache-control"]).toBe("no-cache");
});
