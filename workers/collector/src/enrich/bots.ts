import { isbot } from "isbot";

const AUTOMATION = /HeadlessChrome|PhantomJS|Puppeteer|Playwright|Selenium|Lighthouse|Chrome-Lighthouse|webdriver/i;

/**
 * Networks of big cloud and hosting providers: people do not browse from them, scripts do.
 * Privacy relays (iCloud Private Relay runs on Akamai, Cloudflare and Fastly) are deliberately absent.
 */
export const DATACENTER_ASNS = new Set([
  16509, 14618, // Amazon AWS
  396982, 15169, // Google Cloud, Google
  8075, // Microsoft Azure
  14061, // DigitalOcean
  16276, // OVH
  24940, // Hetzner
  63949, // Linode (Akamai Connected Cloud)
  20473, // Vultr (Choopa)
  31898, // Oracle Cloud
  45102, // Alibaba Cloud
  132203, // Tencent Cloud
  12876, // Scaleway
  51167, // Contabo
]);

export type BotReason = "user_agent" | "automation" | "datacenter" | "verified_bot" | "bot_management";

interface BotSignals {
  asn?: unknown;
  botManagement?: { verifiedBot?: boolean; score?: number };
}

const CACHE_LIMIT = 2000;
const byUserAgent = new Map<string, BotReason | null>();

/** isbot's pattern is long and a site sees few distinct user agents: the verdict is cached per isolate. */
function userAgentReason(userAgent: string): BotReason | null {
  let reason = byUserAgent.get(userAgent);
  if (reason === undefined) {
    reason = !userAgent || isbot(userAgent) ? "user_agent" : AUTOMATION.test(userAgent) ? "automation" : null;
    if (byUserAgent.size >= CACHE_LIMIT) byUserAgent.delete(byUserAgent.keys().next().value!);
    byUserAgent.set(userAgent, reason);
  }
  return reason;
}

/** Why this request looks automated, or null for a person: user agent first, then network, then Cloudflare's verdict. */
export function botReason(userAgent: string, cf: unknown): BotReason | null {
  const byAgent = userAgentReason(userAgent);
  if (byAgent) return byAgent;
  const signals = (cf ?? {}) as BotSignals;
  if (typeof signals.asn === "number" && DATACENTER_ASNS.has(signals.asn)) return "datacenter";
  if (signals.botManagement?.verifiedBot === true) return "verified_bot";
  if (signals.botManagement?.score === 1) return "bot_management";
  return null;
}
