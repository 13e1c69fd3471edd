import type { ClickHouseClient } from "@clickhouse/client-web";
import { selectRows } from "@pixel/lib/clickhouse/client";
import type { Site } from "@pixel/lib/d1/schema";
import { localDate } from "@pixel/lib/stats/dates";
import { OVERVIEW_DAYS, type SiteOverview } from "@pixel/lib/stats/overview";
import { addDays, zonedInstant } from "@pixel/lib/time";
import { EVENTS, SESSIONS } from "./catalog";
import { onUtcHour } from "./planner";

/** The previous 7 days, then the 7 of `7d`. */
const DAYS = 2 * OVERVIEW_DAYS;

type OverviewSite = Pick<Site, "id" | "timezone">;

interface SiteDays {
  site: OverviewSite;
  dates: string[];
  /** The UTC instants (ms) of the local midnights that start each day, and the one that ends the last. */
  bounds: number[];
}

function siteDays(site: OverviewSite, now: Date): SiteDays {
  const today = localDate(now, site.timezone);
  const dates = Array.from({ length: DAYS }, (_, i) => addDays(today, i + 1 - DAYS));
  const bounds = [...dates, addDays(today, 1)].map((date) => zonedInstant(`${date} 00:00:00`, site.timezone));
  return { site, dates, bounds };
}

/**
 * One part of the query per table, as the stats compiler chooses it (planner.ts): the sessions table's hours for
 * sites whose midnights fall on whole UTC hours, the events for the others. Each row gets its day in its site's days.
 */
function part(name: "stored" | "events", days: SiteDays[], params: Record<string, unknown>): string {
  // Bounds go once per timezone: every query parameter travels in the request's URL.
  const zones = [...new Set(days.map(({ site }) => site.timezone))];
  params[`${name}_sites`] = days.map(({ site }) => site.id);
  params[`${name}_zone_of`] = days.map(({ site }) => zones.indexOf(site.timezone) + 1);
  params[`${name}_bounds`] = zones.map((zone) => days.find(({ site }) => site.timezone === zone)!.bounds);
  params[`${name}_from`] = Math.min(...days.map(({ bounds }) => bounds[0]!));
  params[`${name}_to`] = Math.max(...days.map(({ bounds }) => bounds[DAYS]!));
  const [ids, time, table] = name === "stored" ? ["visitor_ids", "toInt64(toUnixTimestamp(hour)) * 1000", SESSIONS] : ["[visitor_id]", "toUnixTimestamp64Milli(timestamp)", EVENTS];
  const bounds = `{${name}_bounds:Array(Array(Int64))}[{${name}_zone_of:Array(UInt16)}[indexOf({${name}_sites:Array(String)}, site_id)]]`;
  return `SELECT site_id, ${ids} AS ids, arrayCount(b -> b <= ${time}, ${bounds}) - 1 AS day
  FROM ${table}
  WHERE site_id IN {${name}_sites:Array(String)} AND ${time} >= {${name}_from:Int64} AND ${time} < {${name}_to:Int64}`;
}

interface Row {
  site_id: string;
  today: number | string;
  week: number | string;
  previous: number | string;
  daily: (number | string)[];
}

/** Every site's overview in ONE ClickHouse query, however many sites: visitors are exact (uniqExact) as in v2 queries. */
export async function sitesOverview(client: ClickHouseClient, sites: OverviewSite[], now: Date): Promise<SiteOverview[]> {
  if (!sites.length) return [];
  const days = sites.map((site) => siteDays(site, now));
  const stored = days.filter(({ site, dates }) => [...dates, addDays(dates.at(-1)!, 1)].every((date) => onUtcHour(`${date} 00:00:00`, site.timezone)));
  const events = days.filter((day) => !stored.includes(day));
  const params: Record<string, unknown> = {};
  const parts = [...(stored.length ? [part("stored", stored, params)] : []), ...(events.length ? [part("events", events, params)] : [])];
  const sql = `SELECT site_id,
  uniqExactArrayIf(ids, day = ${DAYS - 1}) AS today,
  uniqExactArrayIf(ids, day >= ${OVERVIEW_DAYS}) AS week,
  uniqExactArrayIf(ids, day < ${OVERVIEW_DAYS}) AS previous,
  uniqExactArrayResample(${OVERVIEW_DAYS}, ${DAYS}, 1)(ids, day) AS daily
FROM (${parts.join("\nUNION ALL\n")})
WHERE day BETWEEN 0 AND ${DAYS - 1}
GROUP BY site_id`;
  const rows = new Map((await selectRows<Row>(client, sql, params)).map((row) => [row.site_id, row]));
  return days.map(({ site, dates }) => {
    const row = rows.get(site.id);
    return {
      site_id: site.id,
      visitors_today: Number(row?.today ?? 0),
      visitors_7d: Number(row?.week ?? 0),
      visitors_previous_7d: Number(row?.previous ?? 0),
      daily: dates.slice(OVERVIEW_DAYS).map((date, i) => ({ date, visitors: Number(row?.daily[i] ?? 0) })),
    };
  });
}
