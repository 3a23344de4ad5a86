import { ChildProcess, spawn } from "node:child_process";
import { expect, test } from "@playwright/test";

// This test stops and starts a server of its own (the shared one keeps running).
const port = 3117;
const base = `http://127.0.0.1:${port}`;
const run = process.env.E2E_NAMESPACE ?? `e2e_${Date.now()}`;

function startServer(): ChildProcess {
  const bin = process.env.BUTTON_BIN ?? "target/debug/the-button";
  return spawn(bin, ["all"], {
    cwd: "..",
    stdio: "ignore",
    env: {
      ...process.env,
      LEPTOS_OUTPUT_NAME: "the-button",
      LEPTOS_SITE_ROOT: "target/site",
      LEPTOS_SITE_PKG_DIR: "pkg",
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      DATABASE_URL: `${process.env.E2E_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/button_e2e"}_reconnect`,
      BUTTON_NAMESPACE: `${run}_reconnect`,
      BUTTON_RULES: "end2end/rules.json",
      BUTTON_POW_SECRET: "the end-to-end tests' secret, not for production",
    },
  });
}

async function waitReady() {
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`${base}/health/ready`);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the server did not come up");
}

test("stopping the server shows reconnecting; starting it again recovers without reload", async ({ page }) => {
  let server = startServer();
  try {
    await waitReady();
    await page.goto(base);
    await expect(page.locator("main.game")).toHaveAttribute("data-hydrated", "true");
    await expect(page.locator(".connection")).toHaveText(/live/);

    server.kill("SIGTERM");
    await expect(page.locator(".connection")).toHaveText(/reconnecting/, { timeout: 15_000 });

    server = startServer();
    await waitReady();
    await expect(page.locator(".connection")).toHaveText(/live/, { timeout: 20_000 });
    // Still the same page, and pressing works.
    await page.locator(".the-button").click();
    await expect(page.locator(".press-status")).toHaveText(/Your press #[\d,]+ counted/, { timeout: 15_000 });
  } finally {
    server.kill("SIGTERM");
  }
});
