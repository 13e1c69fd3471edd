import UAParser from "ua-parser-js";

import type { EventSoftware } from "../../../../lib/events/row";

const CACHE_LIMIT = 2000;
const cache = new Map<string, EventSoftware>();

/** Parsing is the collector's most expensive step, and a site sees few distinct user agents: cache per isolate. */
export function softwareFrom(userAgent: string): EventSoftware {
  let software = cache.get(userAgent);
  if (!software) {
    software = parse(userAgent);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(userAgent, software);
  }
  return software;
}

function parse(userAgent: string): EventSoftware {
  const result = new UAParser(userAgent).getResult();
  return {
    browser: result.browser.name ?? "",
    browser_version: result.browser.major ?? "",
    os: result.os.name ?? "",
    os_version: result.os.version ?? "",
    device_type: deviceType(result.device.type, result.os.name),
    device_vendor: result.device.vendor ?? "",
    device_model: result.device.model ?? "",
  };
}

function deviceType(type: string | undefined, os: string | undefined): string {
  if (type === "mobile" || type === "tablet") return type;
  if (type === "smarttv" || type === "console" || type === "wearable" || type === "embedded") return "other";
  return os ? "desktop" : "";
}
