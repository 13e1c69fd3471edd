import { hash64 } from "../events/hash";
import { EVENT_DEFAULTS, type EventRow } from "../clickhouse/tables/events";
import { belongsToSite, trafficFrom } from "../events/traffic";
import { addDays, zonedInstant } from "../time";
import { type ImportSite, LineError } from "./site";

/**
 * Plausible's CSV export (one file per table, daily aggregates). imported_visitors makes each day's visits; the
 * breakdown files then give those same visits their attributes. See docs/data.md for what is exact.
 */
export const PLAUSIBLE_TABLES = {
  imported_visitors: ["date", "visitors", "pageviews", "bounces", "visits", "visit_duration"],
  imported_sources: ["date", "source", "referrer", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "pageviews", "visitors", "visits", "visit_duration", "bounces"],
  imported_pages: ["date", "hostname", "page", "visits", "visitors", "pageviews"],
  imported_locations: ["date", "country", "region", "city", "visitors", "visits", "visit_duration", "bounces", "pageviews"],
  imported_devices: ["date", "device", "visitors", "visits", "visit_duration", "bounces", "pageviews"],
  imported_browsers: ["date", "browser", "browser_version", "visitors", "visits", "visit_duration", "bounces", "pageviews"],
  imported_operating_systems: ["date", "operating_system", "operating_system_version", "visitors", "visits", "visit_duration", "bounces", "pageviews"],
  imported_custom_events: ["date", "name", "link_url", "path", "visitors", "events"],
} as const;

export type PlausibleTable = keyof typeof PLAUSIBLE_TABLES;
export type BreakdownTable = Exclude<PlausibleTable, "imported_visitors" | "imported_custom_events">;

/** Exported by Plausible but not imported: Pixel derives entry and exit pages from the pages. */
export const PLAUSIBLE_SKIPPED = {
  imported_entry_pages: ["date", "entry_page", "entrances"],
  imported_exit_pages: ["date", "exit_page", "exits"],
} as const;

export const PREFIX = "plausible:";
export const dayPrefix = (date: string) => `${PREFIX}${date}:`;
/** Custom events placed into a day's visits have ids `plausible:<date>:<visit>:c<n>`. */
export const isCustomEvent = (row: Pick<EventRow, "event_id">) => /:c\d+$/.test(row.event_id);

/** One day becomes this many events at most: every event of a day is held in memory while it is imported. */
const LIMITS = { visits: 50_000, pageviews: 150_000 };

export interface VisitorsDay {
  date: string;
  visitors: number;
  pageviews: number;
  bounces: number;
  visits: number;
  visit_duration: number;
}

export function parseDate(text: string): string {
  const date = text.trim().slice(0, 10);
  if (!/^\d{4}-\d\d-\d\d$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
    throw new LineError(`date: ${JSON.stringify(text)} is not YYYY-MM-DD`);
  }
  return date;
}

export function count(values: Record<string, string>, column: string): number {
  const text = (values[column] ?? "").trim();
  const value = text === "" ? 0 : Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new LineError(`${column}: ${JSON.stringify(text)} is not a whole number`);
  return value;
}

export function visitorsDay(values: Record<string, string>): VisitorsDay {
  const day = {
    date: parseDate(values.date ?? ""),
    visitors: count(values, "visitors"),
    pageviews: count(values, "pageviews"),
    bounces: count(values, "bounces"),
    visits: count(values, "visits"),
    visit_duration: count(values, "visit_duration"),
  };
  if (day.visits > LIMITS.visits || day.pageviews > LIMITS.pageviews) {
    throw new LineError(`visits, pageviews: at most ${LIMITS.visits} visits and ${LIMITS.pageviews} pageviews a day are imported`);
  }
  if (day.visitors > day.visits) throw new LineError("visitors: more visitors than visits cannot be reproduced");
  if (day.visits && !day.visitors) throw new LineError("visitors: 0 with visits");
  if (day.bounces > day.visits || day.bounces > day.pageviews) throw new LineError("bounces: more than visits or pageviews");
  const nonBounces = day.visits - day.bounces;
  const rest = day.pageviews - day.bounces;
  if ((nonBounces === 0 && rest > 0) || (nonBounces > 0 && rest === 1)) {
    throw new LineError("pageviews: cannot be spread over the visits that did not bounce (each has 0 or at least 2)");
  }
  return day;
}

/** Pageviews per visit: bounces have one; the others two or more, or none when there are too few to go round. */
function pageviewsPerVisit(day: VisitorsDay): number[] {
  const nonBounces = day.visits - day.bounces;
  const rest = day.pageviews - day.bounces;
  const counts = Array<number>(day.bounces).fill(1);
  for (let k = 0; k < nonBounces; k++) {
    if (rest >= 2 * nonBounces) counts.push(2 + Math.floor((rest - 2 * nonBounces) / nonBounces) + (k < (rest - 2 * nonBounces) % nonBounces ? 1 : 0));
    else counts.push(k < Math.floor(rest / 2) ? 2 + (k === 0 ? rest % 2 : 0) : 0);
  }
  return counts;
}

/** Total visit duration in whole seconds, spread over the visits that did not bounce (all of them if all bounced). */
function durations(day: VisitorsDay): number[] {
  const nonBounces = day.visits - day.bounces;
  const over = nonBounces || day.visits;
  const first = day.visits - over;
  return Array.from({ length: day.visits }, (_, s) => {
    if (s < first) return 0;
    const k = s - first;
    return Math.floor(day.visit_duration / over) + (k < day.visit_duration % over ? 1 : 0);
  });
}

/**
 * One day's visits as events, the same every time: visit s has pageviews at ids `plausible:<date>:<s>:<j>` and engagement
 * events marking its start (when it has no pageview) and end, so visits, visitors, pageviews, bounces and total duration are the day's own.
 */
export async function synthesizeDay(day: VisitorsDay, site: ImportSite): Promise<EventRow[]> {
  const start = zonedInstant(`${day.date}T00:00:00`, site.timezone);
  const span = zonedInstant(`${addDays(day.date, 1)}T00:00:00`, site.timezone) - start;
  const pageviews = pageviewsPerVisit(day);
  const seconds = durations(day);
  const longest = Math.max(0, ...seconds) * 1000;
  if (longest >= span - day.visits) throw new LineError("visit_duration: the visits would not fit in the day");
  const rows: EventRow[] = [];
  const blank = blankRow(site);
  const visitorIds = await idRange(site.id, day.date, "visitor");
  const visitIds = await idRange(site.id, day.date, "visit");
  for (let s = 0; s < day.visits; s++) {
    const begin = start + Math.floor((s * (span - longest - 1)) / day.visits);
    const duration = seconds[s]! * 1000;
    const visit = { visitor_id: visitorIds(s % day.visitors), session_id: visitIds(s) };
    const id = (part: string) => `${dayPrefix(day.date)}${s}:${part}`;
    for (let j = 0; j < pageviews[s]!; j++) {
      rows.push({ ...blank, ...visit, event_id: id(String(j)), name: "pageview", timestamp: begin + Math.floor((j * duration) / pageviews[s]!) });
    }
    if (pageviews[s] === 0) rows.push({ ...blank, ...visit, event_id: id("start"), name: "engagement", timestamp: begin });
    if (duration > 0) rows.push({ ...blank, ...visit, event_id: id("end"), name: "engagement", timestamp: begin + duration });
  }
  return rows;
}

/** Consecutive UInt64 ids from a hash of the site and day: one digest per day instead of one per visit. */
async function idRange(siteId: string, date: string, kind: string): Promise<(n: number) => string> {
  const base = BigInt(await hash64(siteId, PREFIX, date, kind));
  return (n) => BigInt.asUintN(64, base + BigInt(n)).toString();
}

/** A visit's event before any breakdown file gave it values; the caller sets ids, name and time. */
function blankRow(site: ImportSite): Omit<EventRow, "event_id" | "name" | "timestamp" | "visitor_id" | "session_id"> {
  return { ...EVENT_DEFAULTS, site_id: site.id, hostname: site.domain, props: {}, ip_hash: "0", retention_days: site.retentionDays };
}

/** The columns each breakdown file sets, blank: what a visit that the file does not mention gets. */
const BLANK = {
  imported_sources: { referrer: "", referrer_host: "", channel: "", utm_source: "", utm_medium: "", utm_campaign: "", utm_term: "", utm_content: "" },
  imported_locations: { country: "", region_code: "", region: "", city: "" },
  imported_devices: { device_type: "", screen_width: 0 },
  imported_browsers: { browser: "", browser_version: "" },
  imported_operating_systems: { os: "", os_version: "" },
  imported_pages: { pathname: "" },
} satisfies Record<BreakdownTable, Partial<EventRow>>;

/** Visits of one breakdown value on one day. */
export interface Breakdown {
  line: number;
  date: string;
  attributes: Partial<EventRow>;
  visits: number;
  pageviews: number;
  bounces: number;
}

const notSet = (text: string | undefined) => {
  const value = (text ?? "").trim();
  return value === "(not set)" || value === "(none)" ? "" : value;
};

const SCREENS: Record<string, [string, number]> = { mobile: ["mobile", 390], tablet: ["tablet", 820], laptop: ["desktop", 1280], desktop: ["desktop", 1920] };
const BROWSERS: Record<string, string> = { "Microsoft Edge": "Edge", "Samsung Browser": "Samsung Internet" };
const SYSTEMS: Record<string, string> = { Mac: "Mac OS", "GNU/Linux": "Linux", "Chrome OS": "Chromium OS" };

/** A breakdown row → the attributes its visits get, in our vocabulary. */
function attributesOf(table: BreakdownTable, values: Record<string, string>, site: ImportSite): Partial<EventRow> {
  const get = (column: string) => notSet(values[column]);
  switch (table) {
    case "imported_sources": {
      const utm = { utm_source: get("utm_source"), utm_medium: get("utm_medium"), utm_campaign: get("utm_campaign"), utm_term: get("utm_term"), utm_content: get("utm_content") };
      const source = get("source") === "Direct / None" ? "" : get("source");
      const referrer = get("referrer") && (/^https?:\/\//.test(get("referrer")) ? get("referrer") : `https://${get("referrer")}`);
      const page = new URL(`https://${site.domain}/`);
      for (const [key, value] of Object.entries({ ...utm, utm_source: utm.utm_source || source })) if (value) page.searchParams.set(key, value);
      const traffic = trafficFrom(page, referrer || undefined, (host) => belongsToSite(site, host));
      return { ...utm, referrer: traffic.referrer, referrer_host: traffic.referrer_host || (utm.utm_source ? "" : source), channel: traffic.channel };
    }
    case "imported_locations": {
      const region = get("region");
      const city = get("city");
      return { country: get("country").toUpperCase(), region_code: region.replace(/^[A-Z]{2}-/, ""), region, city: city === "0" ? "" : city };
    }
    case "imported_devices": {
      const [device_type, screen_width] = SCREENS[get("device").toLowerCase()] ?? ["other", 0];
      return { device_type, screen_width };
    }
    case "imported_browsers":
      return { browser: BROWSERS[get("browser")] ?? get("browser"), browser_version: get("browser_version") };
    case "imported_operating_systems":
      return { os: SYSTEMS[get("operating_system")] ?? get("operating_system"), os_version: get("operating_system_version") };
    case "imported_pages":
      return { hostname: get("hostname").replace(/^www\./, "") || site.domain, pathname: get("page") || "/" };
  }
}

export function breakdownRow(table: BreakdownTable, line: number, values: Record<string, string>, site: ImportSite): Breakdown {
  const date = parseDate(values.date ?? "");
  const visits = count(values, "visits");
  const pageviews = count(values, "pageviews");
  const bounces = table === "imported_pages" ? 0 : count(values, "bounces");
  if (bounces > visits) throw new LineError("bounces: more than visits");
  if (table === "imported_pages" && pageviews < visits) throw new LineError("pageviews: fewer than visits");
  return { line, date, attributes: attributesOf(table, values, site), visits, pageviews, bounces };
}

export interface Shortfall {
  line: number;
  error: string;
}

/**
 * Gives one day's synthetic events the attributes of a breakdown file. Each value gets as many visits as the file
 * says (as long as the day has them), its bounces among them, and visits whose pageviews sum as close to the
 * file's as the day's visits allow; visits the file does not mention get blank attributes.
 */
export function applyBreakdown(table: BreakdownTable, rows: EventRow[], breakdowns: Breakdown[]): { rows: EventRow[]; shortfalls: Shortfall[] } {
  const visits = visitsOf(rows);
  const blank = BLANK[table];
  const attributes = new Map<EventRow, Partial<EventRow>>();
  const shortfalls = table === "imported_pages" ? assignPages(visits, breakdowns, attributes) : assignVisits(visits, breakdowns, attributes);
  const onPages = table === "imported_pages";
  const updated = rows.map((row) => (onPages && row.name !== "pageview" ? { ...row } : { ...row, ...blank, ...attributes.get(row) }));
  if (onPages) carryLastPage(updated);
  return { rows: updated, shortfalls };
}

export interface Visit {
  events: EventRow[];
  pageviews: EventRow[];
}

/** Within a visit: its start, its pageviews in order, its custom events, its end (ids `…:<visit>:start|<n>|c<n>|end`). */
function order(row: EventRow): number {
  const part = row.event_id.slice(row.event_id.lastIndexOf(":") + 1);
  if (part === "start") return -1;
  if (part === "end") return Number.MAX_SAFE_INTEGER;
  return part.startsWith("c") ? Number.MAX_SAFE_INTEGER - 1 : Number(part);
}

export function visitsOf(rows: EventRow[]): Visit[] {
  const byId = new Map<string, Visit>();
  const sorted = [...rows].sort((a, b) => a.timestamp - b.timestamp || order(a) - order(b));
  for (const row of sorted) {
    let visit = byId.get(row.session_id);
    if (!visit) byId.set(row.session_id, (visit = { events: [], pageviews: [] }));
    visit.events.push(row);
    if (row.name === "pageview") visit.pageviews.push(row);
  }
  return [...byId.values()];
}

function assignVisits(visits: Visit[], breakdowns: Breakdown[], attributes: Map<EventRow, Partial<EventRow>>): Shortfall[] {
  const bounced = visits.filter((visit) => visit.pageviews.length === 1);
  const others = new Pool(visits.filter((visit) => visit.pageviews.length !== 1));
  const shortfalls: Shortfall[] = [];
  for (const value of [...breakdowns].sort((a, b) => b.visits - a.visits || a.line - b.line)) {
    const chosen = bounced.splice(0, Math.min(value.bounces, value.visits));
    let pageviews = value.pageviews - chosen.length;
    while (chosen.length < value.visits) {
      const next = others.closest(pageviews / (value.visits - chosen.length)) ?? bounced.shift();
      if (!next) break;
      chosen.push(next);
      pageviews -= next.pageviews.length;
    }
    if (chosen.length < value.visits) shortfalls.push({ line: value.line, error: `visits: the day has only ${chosen.length} more visits in imported_visitors` });
    for (const visit of chosen) for (const event of visit.events) attributes.set(event, value.attributes);
  }
  return shortfalls;
}

/** Visits by pageview count, to pick the one nearest a wanted count. */
class Pool {
  private readonly byCount = new Map<number, Visit[]>();

  constructor(visits: Visit[]) {
    for (const visit of visits) {
      const list = this.byCount.get(visit.pageviews.length) ?? [];
      list.push(visit);
      this.byCount.set(visit.pageviews.length, list);
    }
  }

  closest(wanted: number): Visit | undefined {
    let best: number | undefined;
    for (const [pageviews, list] of this.byCount) {
      if (list.length && (best === undefined || Math.abs(pageviews - wanted) < Math.abs(best - wanted))) best = pageviews;
    }
    return best === undefined ? undefined : this.byCount.get(best)!.shift();
  }
}

/** Each page gets pageviews in as many distinct visits as the file says, then its other pageviews in those visits. */
function assignPages(visits: Visit[], pages: Breakdown[], attributes: Map<EventRow, Partial<EventRow>>): Shortfall[] {
  const open = new FreeSlots(visits);
  const shortfalls: Shortfall[] = [];
  for (const page of [...pages].sort((a, b) => b.visits - a.visits || b.pageviews - a.pageviews || a.line - b.line)) {
    const chosen = open.takeFullest(page.visits);
    let placed = 0;
    const place = (slots: EventRow[]) => {
      attributes.set(slots.shift()!, page.attributes);
      placed++;
    };
    for (const slots of chosen) place(slots);
    for (let more = true; more && placed < page.pageviews; ) {
      more = false;
      for (const slots of chosen) {
        if (placed < page.pageviews && slots.length) {
          place(slots);
          more = true;
        }
      }
    }
    const spilled: EventRow[][] = [];
    while (placed < page.pageviews) {
      const [slots] = open.takeFullest(1);
      if (!slots) break;
      while (placed < page.pageviews && slots.length) place(slots);
      spilled.push(slots);
    }
    for (const slots of [...chosen, ...spilled]) open.put(slots);
    if (chosen.length < page.visits || placed < page.pageviews) {
      shortfalls.push({ line: page.line, error: `pageviews: the day has only ${placed} more pageviews (in ${chosen.length} visits) in imported_visitors` });
    } else if (spilled.length) {
      shortfalls.push({ line: page.line, error: `visits: its pageviews did not fit in ${page.visits} visits and are spread over ${page.visits + spilled.length}` });
    }
  }
  return shortfalls;
}

/** Each visit's pageviews that have no page yet, bucketed by how many there are. */
class FreeSlots {
  private readonly buckets: EventRow[][][] = [];

  constructor(visits: Visit[]) {
    for (const visit of visits) this.put([...visit.pageviews]);
  }

  put(slots: EventRow[]) {
    if (!slots.length) return;
    (this.buckets[slots.length] ??= []).push(slots);
  }

  /** Up to `count` visits with the most free pageviews, taken out until put back. */
  takeFullest(count: number): EventRow[][] {
    const taken: EventRow[][] = [];
    for (let free = this.buckets.length - 1; free > 0 && taken.length < count; free--) {
      const bucket = this.buckets[free];
      while (bucket?.length && taken.length < count) taken.push(bucket.pop()!);
    }
    return taken;
  }
}

/** A visit's engagement event stands on the page it was last on, as live ones do. */
function carryLastPage(rows: EventRow[]) {
  for (const visit of visitsOf(rows)) {
    const last = visit.pageviews.at(-1);
    for (const event of visit.events) if (event.name === "engagement") Object.assign(event, { hostname: last?.hostname ?? event.hostname, pathname: last?.pathname ?? "" });
  }
}
