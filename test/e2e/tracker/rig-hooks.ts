import type { BrowserContext } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { openBrowser, startTrackerRig, type TrackerRig } from "./support";

/** One local stack per test file, and a fresh Chromium (fresh storage) per test. */
export function useTrackerRig(): { rig: () => TrackerRig; browser: () => BrowserContext } {
  let rig: TrackerRig;
  let browser: BrowserContext;
  beforeAll(async () => {
    rig = await startTrackerRig();
  });
  afterAll(async () => {
    await rig?.stop();
  });
  beforeEach(async () => {
    browser = await openBrowser();
  });
  afterEach(async () => {
    await browser?.close();
  });
  return { rig: () => rig, browser: () => browser };
}
