// Debian's Chromium as the benchmark scripts start it (Playwright never downloads a browser
// here), with the flags this machine's closed network needs; and their loopback-only check.
import { chromium } from "@playwright/test";

export const launch = () =>
  chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });

export function loopbackOnly(base) {
  if (!/^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?/.test(base)) {
    throw new Error(`${base}: loopback only`);
  }
}
