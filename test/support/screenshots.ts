import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { ROOT } from "./cli";

/** Where the e2e suite keeps what it saw; `npm run docs:screenshots` copies the ones the docs show into docs/images. */
export const SCREENSHOTS = join(ROOT, "test-results", "screenshots");

export async function shot(target: Page | Locator, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await target.screenshot({ path: join(SCREENSHOTS, `${name}.png`), ...options });
}
