import { isbot } from "isbot";

const AUTOMATION = /HeadlessChrome|PhantomJS|Puppeteer|Playwright|Selenium|Lighthouse|Chrome-Lighthouse/i;

/** Crawlers and automation, by user agent and, where the zone has Bot Management, by Cloudflare's verdict. */
export function isBot(userAgent: string, cf: unknown): boolean {
  if (!userAgent || isbot(userAgent) || AUTOMATION.test(userAgent)) return true;
  const management = (cf as { botManagement?: { verifiedBot?: boolean; score?: number } } | undefined)?.botManagement;
  return management?.verifiedBot === true;
}
