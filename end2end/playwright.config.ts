import { defineConfig } from "@playwright/test";

// The server under test: the binary `cargo leptos build` made, on a port of its own.
const port = Number(process.env.E2E_PORT ?? 3107);
// Relative paths are from the repository root, where the server runs.
const bin = process.env.BUTTON_BIN ?? "target/debug/the-button";
// PostgreSQL and NATS where scripts/services.sh says they are (the test command), else the
// standard places.
const pgUrl = process.env.BUTTON_PG_URL ?? "postgres://postgres@127.0.0.1:5432";
const natsUrl = process.env.NATS_URL ?? "nats://127.0.0.1:4222";

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  // One game, one global state: the tests run in order, each knowing what the last one did.
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      // Debian's Chromium: Playwright never downloads a browser here.
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    // `all`: migrate, reducer, watcher and web server, on this run's own database and namespace.
    command: `${bin} all`,
    cwd: "..",
    url: `http://127.0.0.1:${port}/health/live`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      LEPTOS_OUTPUT_NAME: "the-button",
      LEPTOS_SITE_ROOT: "target/site",
      LEPTOS_SITE_PKG_DIR: "pkg",
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_RELOAD_PORT: "3108",
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? `${pgUrl}/button_e2e`,
      NATS_URL: natsUrl,
      BUTTON_NAMESPACE: process.env.E2E_NAMESPACE ?? "e2e",
      // A release binary refuses to start without one (and so would a binary not run as DEV).
      BUTTON_POW_SECRET: "the end-to-end tests' secret, not for production",
      // Low difficulty and thresholds so the tests are quick.
      BUTTON_RULES: "end2end/rules.json",
      // Each browser context is its own player through X-Forwarded-For.
      BUTTON_TRUSTED_PROXIES: "127.0.0.1",
      // A country is named from its first press, so that one test press shows it.
      BUTTON_COUNTRY_K: "1",
      // The operators' tests pause the game and start a season through the admin API.
      BUTTON_ADMIN_TOKEN: "e2e:the-end-to-end-tests-admin-token",
      RUST_LOG: "info",
    },
  },
});
