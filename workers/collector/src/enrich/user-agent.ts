import UAParser from "ua-parser-js";

import { webviewFrom } from "./webview";
import type { EventSoftware } from "@pixel/lib/clickhouse/tables/events";

const CACHE_LIMIT = 2000;
const cache = new Map<string, EventSoftware>();

/** User-agent client hints: Chromium sends platform and mobile on every request, version and model on request. */
export interface ClientHints {
  platform: string;
  platformVersion: string;
  mobile: string;
  model: string;
}

export function clientHintsFrom(headers: Headers): ClientHints {
  const hint = (name: string) => (headers.get(name) ?? "").replace(/^"|"$/g, "").slice(0, 64);
  return {
    platform: hint("sec-ch-ua-platform"),
    platformVersion: hint("sec-ch-ua-platform-version"),
    mobile: hint("sec-ch-ua-mobile"),
    model: hint("sec-ch-ua-model"),
  };
}

/** Parsing is the collector's most expensive step, and a site sees few distinct user agents: cache per isolate. */
export function softwareFrom(userAgent: string, hints?: ClientHints): EventSoftware {
  const key = hints ? `${userAgent}\n${hints.platform}\n${hints.platformVersion}\n${hints.mobile}\n${hints.model}` : userAgent;
  let software = cache.get(key);
  if (!software) {
    software = hints ? refine(parse(userAgent), hints) : parse(userAgent);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(key, software);
  }
  return software;
}

const HINT_PLATFORMS: Record<string, string> = { macOS: "Mac OS", "Chrome OS": "Chromium OS" };

/**
 * Reduced user agents freeze the OS version (Windows 10, macOS 10.15.7, Android 10); the hints tell the truth.
 * Windows reports 13+ for Windows 11 and 1–10 for Windows 10.
 */
function refine(software: EventSoftware, hints: ClientHints): EventSoftware {
  const refined = { ...software };
  if (hints.platform && hints.platform !== "Unknown") refined.os = HINT_PLATFORMS[hints.platform] ?? hints.platform;
  const major = Number(hints.platformVersion.split(".")[0]);
  if (hints.platformVersion && refined.os === "Windows") refined.os_version = major >= 13 ? "11" : major > 0 ? "10" : refined.os_version;
  else if (hints.platformVersion) refined.os_version = hints.platformVersion.replace(/(\.0)+$/, "");
  if (hints.mobile === "?1" && refined.device_type !== "tablet") refined.device_type = "mobile";
  if (hints.model) refined.device_model = hints.model;
  return refined;
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
    webview: webviewFrom(userAgent),
  };
}

function deviceType(type: string | undefined, os: string | undefined): string {
  if (type === "mobile" || type === "tablet") return type;
  if (type === "smarttv" || type === "console" || type === "wearable" || type === "embedded") return "other";
  return os ? "desktop" : "";
}
