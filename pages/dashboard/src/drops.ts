import type { DateRange } from "./api/types";
import { addDays, type DayBounds, rangeBounds } from "./dates";

/** The api keeps drop counters 400 days and answers at most that many at once. */
export const MAX_DROP_DAYS = 400;

/** The UTC days to ask for: "24h" means yesterday and today, "all" the last 400 days; longer ranges keep their end. */
export function dropsBounds(range: DateRange, today: string): DayBounds {
  const bounds =
    rangeBounds(range, today) ?? (range === "24h" ? { from: addDays(today, -1), to: today } : { from: addDays(today, -(MAX_DROP_DAYS - 1)), to: today });
  const earliest = addDays(bounds.to, -(MAX_DROP_DAYS - 1));
  return { from: bounds.from < earliest ? earliest : bounds.from, to: bounds.to };
}

export interface ReasonInfo {
  label: string;
  explanation: string;
}

/** Why the collector drops hits, in the words of docs/ingestion.md. */
export const REASONS: Record<string, ReasonInfo> = {
  bot: {
    label: "Bots",
    explanation:
      "Crawlers and automated browsers: an empty or known-bot user agent, headless or webdriver markers, a cloud data-centre network, or Cloudflare's own bot signals.",
  },
  invalid: {
    label: "Invalid requests",
    explanation: "Requests the collector could not read (malformed JSON, missing or wrong fields), answered 400. Usually an outdated or modified snippet.",
  },
  unknown_site: {
    label: "Unknown hostname",
    explanation:
      "Hits from a host under this site's domain that is not among its hostnames, such as a staging server. Add the host in Settings to count it.",
  },
  too_large: {
    label: "Too large",
    explanation: "Request bodies over the collector's size limit, answered 413.",
  },
  shield: {
    label: "Shields",
    explanation: "Your own exclusions from Settings → Shields: IP ranges, countries, hostnames or paths.",
  },
  rate_limited: {
    label: "Rate limited",
    explanation:
      "More than 600 hits a minute from one visitor, answered 429: a script or a flood, not a person. The tracker retries later, so a few can still arrive.",
  },
  store_full: {
    label: "Tracker store full",
    explanation:
      "Hits pixel.js kept in a visitor's browser while it could not reach the collector, dropped oldest first when its store passed 50,000 characters. Counted when the tracker's next hit arrives.",
  },
  pii_user_id: {
    label: "User id refused",
    explanation:
      "A user id that was an e-mail address or a phone number. The hit was counted without it, so it is not in the total. Send an opaque id (a database id or UUID) instead.",
  },
  pii_prop: {
    label: "E-mail in a prop",
    explanation:
      "An e-mail address in a prop value, stored as \"redacted\" like e-mails in page URLs; the detail names the prop. The hit was counted, so it is not in the total.",
  },
  invalid_revenue: {
    label: "Revenue refused",
    explanation:
      "A revenue whose amount or currency the wire format refuses (the detail names which). The event was counted without its revenue, so it is not in the total.",
  },
};

const DETAILS: Record<string, string> = {
  user_agent: "bot user agent",
  automation: "automation markers",
  datacenter: "data-centre network",
  verified_bot: "verified bot",
  bot_management: "Cloudflare bot score",
  ip: "IP range",
  country: "country",
  hostname: "hostname",
  path: "path",
  hostnames: "too many hostnames in one request",
  email: "e-mail address",
  phone: "phone number",
  amount: "revenue amount",
  currency: "revenue currency",
};

export const reasonInfo = (reason: string): ReasonInfo =>
  REASONS[reason] ?? { label: reason, explanation: "A reason this dashboard doesn't know yet; see docs/ingestion.md." };

export const detailLabel = (detail: string): string => DETAILS[detail] ?? detail;
