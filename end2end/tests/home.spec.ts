import { expect, test } from "@playwright/test";

test("the page is rendered on the server before any script runs", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "The Button" })).toBeVisible();
  await expect(page.locator("noscript")).toHaveCount(1);
  await context.close();
});

test("the page hydrates without errors", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto("/");
  await expect(page.locator("section.home")).toHaveAttribute("data-hydrated", "true");
  await expect(page).toHaveTitle("The Button");
  expect(errors).toEqual([]);
});
