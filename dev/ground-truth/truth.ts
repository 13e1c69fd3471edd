import { countryName } from "@pixel/lib/stats/countries";
import type { EventRow } from "@pixel/lib/clickhouse/tables/events";
import { addDays } from "@pixel/lib/time";
import { localParts } from "./generate";

/**
 * The true answer to a stats query, computed straight from the event rows with plain loops: an independent
 * check on the SQL compiler. It follows the semantics in docs/stats-api.md.
 */
export interface TruthQuery {
  metrics: string[];
  /** Inclusive local dates. */
  date_range: [string, string];
  dimensions: string[];
  filters: TruthFilter[];
}

export type TruthFilter = [string, string, string[]] | [string, string, string[], { case_sensitive?: boolean }] | ["and" | "or", TruthFilter[]] | ["not" | "has_done" | "has_not_done", TruthFilter];

export interface TruthGoal {
  name: string;
  kind: "event" | "page";
  value: string;
  currency?: string;
}

export interface TruthRow {
  dimensions: string[];
  metrics: number[];
}

interface Visit {
  id: string;
  events: Local[];
  attributes: Record<string, string>;
  pageviews: number;
  interactions: number;
  durationMs: number;
  start: Local;
}

type Local = EventRow & { local: string };

const VISIT_METRICS = new Set(["visits", "views_per_visit", "bounce_rate", "visit_duration"]);

export function trueAnswer(rows: EventRow[], siteId: string, timezone: string, goals: TruthGoal[], query: TruthQuery): TruthRow[] {
  const [from, to] = query.date_range;
  const unique = new Map(rows.filter((row) => row.site_id === siteId).map((row) => [row.event_id, row]));
  const events: Local[] = [...unique.values()]
    .map((row) => ({ ...row, local: localParts(row.timestamp, timezone) }))
    .filter((row) => row.local.slice(0, 10) >= from && row.local.slice(0, 10) <= to)
    .sort((a, b) => a.timestamp - b.timestamp);
  const visits = visitsOf(events);
  const visitOf = (event: Local) => visits.get(event.session_id)!;
  const goalsOf = (event: Local) => goals.filter((goal) => completes(goal, event)).map((goal) => goal.name);
  const read = (event: Local, dimension: string): string[] => {
    if (dimension.startsWith("visit:")) return [visitOf(event).attributes[dimension]!];
    if (dimension === "event:goal") return goalsOf(event);
    if (dimension.startsWith("event:props:")) return [event.props[dimension.slice("event:props:".length)] ?? ""];
    return [({ "event:page": event.pathname, "event:hostname": event.hostname, "event:name": event.name } as Record<string, string>)[dimension]!];
  };
  const doers = (filter: TruthFilter) => new Set(events.filter((event) => holds(filter, event)).map((event) => event.visitor_id));
  const behaviour = new Map<TruthFilter, Set<string>>();
  const holds = (filter: TruthFilter, event: Local): boolean => {
    const [operator, second] = filter;
    if (operator === "and") return (second as TruthFilter[]).every((child) => holds(child, event));
    if (operator === "or") return (second as TruthFilter[]).some((child) => holds(child, event));
    if (operator === "not") return !holds(second as TruthFilter, event);
    if (operator === "has_done" || operator === "has_not_done") {
      if (!behaviour.has(filter)) behaviour.set(filter, doers(second as TruthFilter));
      return behaviour.get(filter)!.has(event.visitor_id) === (operator === "has_done");
    }
    const values = filter[2] as string[];
    const sensitive = (filter[3] as { case_sensitive?: boolean } | undefined)?.case_sensitive !== false;
    const positive = read(event, second as string).some((value) => valueMatches(operator.replace(/_not$/, ""), value, values, sensitive));
    return operator.endsWith("_not") ? !positive : positive;
  };
  const matching = events.filter((event) => query.filters.every((filter) => holds(filter, event)));
  const hasEventDimension = query.dimensions.some((d) => d.startsWith("event:"));
  const hasTime = query.dimensions.some((d) => d.startsWith("time"));
  const totalVisitors = new Set(matching.map((event) => event.visitor_id)).size;
  // Plausible's conversion rate: over the visitors of the query without its goal filters.
  const isGoalFilter = (filter: TruthFilter) => filter[1] === "event:goal";
  const goalBase = events.filter((event) => query.filters.every((filter) => isGoalFilter(filter) || holds(filter, event)));
  const goalBaseVisitors = new Set(goalBase.map((event) => event.visitor_id)).size;

  // group_conversion_rate: over the visitors of the row's group (its dimensions but event:goal), without goal filters.
  const grouped = query.dimensions.map((d, i) => [d, i] as const).filter(([d]) => d !== "event:goal");
  const groupKey = (dimensions: string[]) => JSON.stringify(grouped.map(([, i]) => dimensions[i]));
  const groupBase = query.metrics.includes("group_conversion_rate")
    ? new Map(
        trueAnswer(rows, siteId, timezone, goals, {
          ...query,
          dimensions: grouped.map(([d]) => d),
          filters: query.filters.filter((filter) => !isGoalFilter(filter)),
          metrics: ["visitors"],
        }).map((row) => [JSON.stringify(row.dimensions), row.metrics[0]!]),
      )
    : undefined;

  // Visit metrics beside event:page: those of the visits that entered on each page (Plausible's answer).
  const entryMetrics = query.metrics.filter((metric) => VISIT_METRICS.has(metric) && metric !== "visits");
  const byEntryPage =
    query.dimensions.includes("event:page") && entryMetrics.length
      ? new Map(
          trueAnswer(rows, siteId, timezone, goals, {
            ...query,
            dimensions: query.dimensions.map((d) => (d === "event:page" ? "visit:entry_page" : d)),
            metrics: entryMetrics,
          }).map((row) => [JSON.stringify(row.dimensions), row.metrics]),
        )
      : undefined;

  const groups = new Map<string, { dimensions: string[]; events: Local[]; visits: Set<Visit> }>();
  const group = (dimensions: string[]) => {
    const key = JSON.stringify(dimensions);
    if (!groups.has(key)) groups.set(key, { dimensions, events: [], visits: new Set() });
    return groups.get(key)!;
  };
  const eventRows = query.dimensions.includes("event:name") ? matching.filter((event) => event.name !== "engagement") : matching;
  if (hasEventDimension || hasTime) {
    for (const event of eventRows) {
      for (const dimensions of combinations(query.dimensions.map((d) => (d.startsWith("time") ? [bucket(d, event.local)] : read(event, d))))) {
        group(dimensions).events.push(event);
      }
    }
  }
  if (!hasEventDimension) {
    const matchedBySession = new Map<string, Local[]>();
    for (const event of matching) matchedBySession.set(event.session_id, [...(matchedBySession.get(event.session_id) ?? []), event]);
    for (const [sessionId, matchedEvents] of matchedBySession) {
      const visit = visits.get(sessionId)!;
      const dimensions = query.dimensions.map((d) => (d.startsWith("time") ? bucket(d, visit.start.local) : visit.attributes[d]!));
      const target = group(dimensions);
      target.visits.add(visit);
      if (!hasTime) target.events.push(...matchedEvents);
    }
  }
  if (hasTime && query.dimensions.length === 1) {
    for (const label of buckets(query.dimensions[0]!, from, to)) group([label]);
  }
  if (!query.dimensions.length) group([]);

  // Revenue in the one currency of the query's revenue goals; the events' amounts summed exactly, in ten-thousandths.
  const named = query.filters.filter(isGoalFilter).flatMap((filter) => filter[2] as string[]);
  const revenueCurrency = goals.find((goal) => goal.currency && (!named.length || named.includes(goal.name)))?.currency;
  return [...groups.values()].map(({ dimensions, events: rows, visits: groupVisits }) => {
    const visitList = hasEventDimension ? [] : [...groupVisits];
    const visitors = new Set(rows.map((event) => event.visitor_id)).size;
    const metric = (name: string): number => {
      if (hasEventDimension && name === "visits") return new Set(rows.map((event) => event.session_id)).size;
      if (byEntryPage && entryMetrics.includes(name)) return byEntryPage.get(JSON.stringify(dimensions))?.[entryMetrics.indexOf(name)] ?? 0;
      if (VISIT_METRICS.has(name)) return visitMetric(name, visitList);
      switch (name) {
        case "visitors":
          return visitors;
        case "pageviews":
          return rows.filter((event) => event.name === "pageview").length;
        case "events":
          return rows.filter((event) => event.name !== "engagement").length;
        case "percentage":
          return totalVisitors === 0 ? 0 : (visitors * 100) / totalVisitors;
        case "conversion_rate":
          return goalBaseVisitors === 0 ? 0 : (visitors * 100) / goalBaseVisitors;
        case "group_conversion_rate": {
          const base = groupBase!.get(groupKey(dimensions)) ?? 0;
          return base === 0 ? 0 : (visitors * 100) / base;
        }
        case "scroll_depth":
          return scrollDepth(rows);
        case "time_on_page":
          return timeOnPage(rows);
        case "total_revenue":
        case "average_revenue":
          return revenue(name, rows, revenueCurrency!);
      }
      throw new Error(`no truth for metric ${name}`);
    };
    return { dimensions, metrics: query.metrics.map(metric) };
  });
}

function visitsOf(events: Local[]): Map<string, Visit> {
  const bySession = new Map<string, Local[]>();
  for (const event of events) {
    if (!bySession.has(event.session_id)) bySession.set(event.session_id, []);
    bySession.get(event.session_id)!.push(event);
  }
  return new Map(
    [...bySession].map(([id, list]) => {
      const first = list[0]!;
      const pageviews = list.filter((event) => event.name === "pageview");
      const attributes: Record<string, string> = {
        "visit:entry_page": pageviews[0]?.pathname ?? "",
        "visit:exit_page": pageviews.at(-1)?.pathname ?? "",
        "visit:source": first.utm_source || first.referrer_host || "Direct / None",
        "visit:referrer": first.referrer,
        "visit:channel": first.channel,
        "visit:utm_source": first.utm_source,
        "visit:utm_medium": first.utm_medium,
        "visit:utm_campaign": first.utm_campaign,
        "visit:utm_term": first.utm_term,
        "visit:utm_content": first.utm_content,
        "visit:country": first.country,
        "visit:region": first.region,
        "visit:city": first.city,
        "visit:country_name": countryName(first.country),
        "visit:region_name": first.region,
        "visit:city_name": first.city,
        "visit:device": first.device_type,
        "visit:browser": first.browser,
        "visit:browser_version": first.browser_version,
        "visit:os": first.os,
        "visit:os_version": first.os_version,
        "visit:webview": first.webview,
        "visit:linked_source": first.linked_source,
        "visit:linked_channel": first.linked_channel,
        "visit:screen": screenClass(first.screen_width),
        "visit:visitor_type": first.visitor_type,
      };
      const interactions = list.filter((event) => event.name !== "pageview" && event.name !== "engagement").length;
      const durationMs = list.at(-1)!.timestamp - first.timestamp;
      return [id, { id, events: list, attributes, pageviews: pageviews.length, interactions, durationMs, start: first }];
    }),
  );
}

function visitMetric(name: string, visits: Visit[]): number {
  if (name === "visits") return visits.length;
  if (!visits.length) return 0;
  if (name === "views_per_visit") return sum(visits.map((visit) => visit.pageviews)) / visits.length;
  if (name === "bounce_rate") return (visits.filter((visit) => visit.pageviews === 1 && visit.interactions === 0).length * 100) / visits.length;
  return sum(visits.map((visit) => visit.durationMs)) / 1000 / visits.length;
}

function scrollDepth(rows: Local[]): number {
  const deepest = new Map<string, number>();
  for (const event of rows) {
    if (event.name === "engagement") deepest.set(event.session_id, Math.max(deepest.get(event.session_id) ?? 0, event.scroll_depth));
  }
  return deepest.size ? sum([...deepest.values()]) / deepest.size : 0;
}

function timeOnPage(rows: Local[]): number {
  const engaged = rows.filter((event) => event.name === "engagement");
  const visits = new Set(engaged.map((event) => event.session_id)).size;
  return visits ? sum(engaged.map((event) => event.engaged_ms)) / 1000 / visits : 0;
}

export function completes(goal: TruthGoal, event: EventRow): boolean {
  if (goal.kind === "event") return event.name === goal.value;
  if (event.name !== "pageview") return false;
  const [head, ...rest] = goal.value.split("*");
  if (!rest.length) return event.pathname === head;
  let position = head!.length;
  if (!event.pathname.startsWith(head!)) return false;
  for (const [i, part] of rest.entries()) {
    if (i === rest.length - 1) return event.pathname.length - part.length >= position && event.pathname.endsWith(part);
    const found = event.pathname.indexOf(part, position);
    if (found < 0) return false;
    position = found + part.length;
  }
  return true;
}

/** Case-insensitive comparisons lower-case both sides; patterns take the `i` flag. */
function valueMatches(operator: string, value: string, values: string[], sensitive: boolean): boolean {
  const fold = (text: string) => (sensitive ? text : text.toLowerCase());
  if (operator === "is") return values.some((candidate) => fold(candidate) === fold(value));
  if (operator === "contains") return values.some((needle) => fold(value).includes(fold(needle)));
  return values.some((pattern) => new RegExp(pattern, sensitive ? "" : "i").test(value));
}

function screenClass(width: number): string {
  if (width === 0) return "";
  return width < 576 ? "Mobile" : width < 992 ? "Tablet" : width < 1440 ? "Laptop" : "Desktop";
}

function bucket(dimension: string, local: string): string {
  if (dimension === "time:hour") return `${local.slice(0, 13)}:00:00`;
  if (dimension === "time:day" || dimension === "time") return local.slice(0, 10);
  throw new Error(`no truth for ${dimension}`);
}

function buckets(dimension: string, from: string, to: string): string[] {
  const labels: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    if (dimension === "time:hour") for (let hour = 0; hour < 24; hour++) labels.push(`${day} ${String(hour).padStart(2, "0")}:00:00`);
    else labels.push(day);
  }
  return labels;
}

function combinations(lists: string[][]): string[][] {
  return lists.reduce<string[][]>((acc, list) => acc.flatMap((prefix) => list.map((value) => [...prefix, value])), [[]]);
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

function revenue(metric: "total_revenue" | "average_revenue", rows: Local[], currency: string): number {
  const earned = rows.filter((event) => event.revenue_currency === currency);
  const total = earned.reduce((sum, event) => sum + tenThousandths(event.revenue_amount), 0n);
  if (metric === "total_revenue") return Number(total) / 10_000;
  return earned.length ? Number(total / BigInt(earned.length)) / 10_000 : 0;
}

const tenThousandths = (amount: string): bigint => {
  const [whole, fraction = ""] = amount.split(".");
  return BigInt(whole!) * 10_000n + BigInt(fraction.padEnd(4, "0"));
};
