import { expect, test } from "@playwright/test";
import { openGame } from "./helpers";

test("the server-rendered page shows the state before any script runs", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "The Button" })).toBeVisible();
  await expect(page.locator(".phase-name")).toHaveText("CALM");
  await expect(page.locator(".counter .count")).toHaveText(/^[\d,]+$/);
  await expect(page.locator(".meter")).toHaveAttribute("aria-valuenow", /^0\.\d{3}$/);
  await expect(page.locator(".the-button")).toBeDisabled();
  await expect(page.locator("noscript")).toHaveCount(1);
  // The crowd and the feed are in the server's HTML too.
  await expect(page.locator(".crowd .watching")).toHaveText(/^[\d,]+ watching$/);
  await expect(page.locator(".crowd .last-minute")).toHaveText(/in the last minute$/);
  await expect(page.locator(".feed h2")).toHaveText("Latest presses");
  await context.close();
});

test("the page hydrates without errors and goes live", async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await openGame(page);
  await expect(page).toHaveTitle("The Button");
  await expect(page.locator(".the-button")).toBeEnabled();
  await expect(page.locator(".the-button")).toHaveText(/PRESS/);
  await page.screenshot({ path: testInfo.outputPath("phase-calm.png"), fullPage: true });
  expect(errors).toEqual([]);
});

test("the page's Content-Security-Policy refuses an injected inline script", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && m.text().includes("Content Security Policy")) violations.push(m.text());
  });
  await openGame(page);
  await expect(page.locator(".the-button")).toBeEnabled();
  const ran = await page.evaluate(() => {
    const script = document.createElement("script");
    script.textContent = "window.__injected = true";
    document.head.appendChild(script);
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
  await expect.poll(() => violations.length).toBeGreaterThan(0);
});
