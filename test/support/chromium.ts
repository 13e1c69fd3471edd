import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

const DEBIAN_CHROMIUM = "/usr/bin/chromium";

/** CHROME_PATH, else Debian's chromium, installed with apt when missing and possible. Never a silent skip. */
export function findChromium(): string {
  const configured = process.env.CHROME_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`CHROME_PATH=${configured} does not exist`);
    return configured;
  }
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  try {
    execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], { stdio: "ignore", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  } catch {
    // reported below
  }
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  throw new Error("No Chromium for the browser tests: install Debian's `chromium` (apt-get install chromium) or set CHROME_PATH");
}

/**
 * A desktop Chrome user agent: the collector rightly drops "HeadlessChrome" as automation. It is set on the
 * command line too, because requests that outlive their page (keepalive, beacons) ignore the context's override.
 */
export const DESKTOP_CHROME_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

export async function launchBrowser(userAgent = DESKTOP_CHROME_UA): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "pixel-chromium-")), {
    executablePath: findChromium(),
    headless: true,
    userAgent,
    viewport: { width: 1280, height: 900 },
    args: [`--user-agent=${userAgent}`, "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
