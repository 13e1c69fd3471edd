import type { ClickHouseClient } from "@clickhouse/client-web";
import { and, eq, lt } from "drizzle-orm";
import { addDays, addMonths, wallClock } from "@pixel/lib/time";
import { emailReports, sites, users, type ReportFrequency, type Site } from "@pixel/lib/d1/schema";
import { database } from "../db";
import type { ApiEnv } from "../env";
import type { QueryAnswer } from "@pixel/lib/stats/query";
import { siteLink } from "./links";
import { reportMessage } from "./render";
import { mailerFor } from "./send";
import { askStats } from "./stats";
import { type CronLog, forEachSubscriber } from "./subscribers";
import { unsubscribeUrl } from "./unsubscribe";

/** Reports go out from this local hour of the site's timezone on the first day after their period. */
export const REPORT_HOUR = 8;
const TOP = 5;

/** The last whole week (Monday to Sunday) or month before `now` in the timezone, and whether its report may go out yet. */
export function lastPeriod(frequency: ReportFrequency, timeZone: string, now: number): { range: [string, string]; ready: boolean } {
  const local = wallClock(now, timeZone);
  const today = local.slice(0, 10);
  const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
  const start = frequency === "weekly" ? addDays(today, -weekday) : `${today.slice(0, 8)}01`;
  const from = frequency === "weekly" ? addDays(start, -7) : addMonths(start, -1);
  return { range: [from, addDays(start, -1)], ready: today > start || Number(local.slice(11, 13)) >= REPORT_HOUR };
}

export const REPORT_METRICS = ["visitors", "pageviews", "bounce_rate", "visit_duration"] as const;
const LABELS = { visitors: "Visitors", pageviews: "Pageviews", bounce_rate: "Bounce rate", visit_duration: "Visit duration" };

const count = (value: number) => Math.round(value).toLocaleString("en-US");
const FORMATS = {
  visitors: count,
  pageviews: count,
  bounce_rate: (value: number) => `${Math.round(value)}%`,
  visit_duration: (value: number) => `${Math.floor(Math.round(value) / 60)}m ${String(Math.round(value) % 60).padStart(2, "0")}s`,
};
const change = (percent: number | null | undefined) =>
  percent === null || percent === undefined ? "no data before" : `${percent >= 0 ? "+" : "-"}${Math.abs(Math.round(percent))}%`;

/** The report's rows: each total with its change over the period before, then the top sources and pages by visitors. */
export async function reportRows(client: ClickHouseClient, site: Site, range: [string, string]) {
  const totals = await askStats(client, site, { metrics: REPORT_METRICS, date_range: range, include: { comparisons: { mode: "previous_period" } } });
  const top = (dimension: string) => askStats(client, site, { metrics: ["visitors"], date_range: range, dimensions: [dimension], pagination: { limit: TOP } });
  const row = totals.results[0];
  const rows = (answer: QueryAnswer): [string, string][] => answer.results.map((result) => [result.dimensions[0]!, count(result.metrics[0]!)]);
  return {
    totals: REPORT_METRICS.map((metric, i): [string, string] => [
      LABELS[metric],
      `${FORMATS[metric](row?.metrics[i] ?? 0)} (${change(row?.comparison?.change[i])})`,
    ]),
    sources: rows(await top("visit:source")),
    pages: rows(await top("event:page")),
  };
}

/**
 * The Cron Trigger's part for reports: every subscription whose last whole period has not been reported, once the
 * site's local clock has reached REPORT_HOUR after it. A failed send is retried on the next run.
 */
export async function sendDueReports(env: ApiEnv, now: number, log: CronLog) {
  const db = database(env.DB);
  const due = await db
    .select({ report: emailReports, site: sites, user: users })
    .from(emailReports)
    .innerJoin(sites, eq(sites.id, emailReports.siteId))
    .innerJoin(users, and(eq(users.id, emailReports.userId), eq(users.disabled, false)))
    .all();
  const pending = due
    .map((entry) => ({ ...entry, period: lastPeriod(entry.report.frequency, entry.site.timezone, now) }))
    .filter(({ report, period }) => period.ready && report.lastPeriod < period.range[0]);
  await forEachSubscriber(env, pending, "sending a report failed", log, async (client, { report, site, user, period }) => {
    const content = await reportRows(client, site, period.range);
    const unsubscribe = await unsubscribeUrl(env, { kind: report.frequency, siteId: site.id, userId: user.id });
    const message = reportMessage(user.email, { siteName: site.name, frequency: report.frequency, range: period.range, ...content, dashboardUrl: siteLink(env, site.id), unsubscribeUrl: unsubscribe });
    await mailerFor(env)(message);
    await db
      .update(emailReports)
      .set({ lastPeriod: period.range[0] })
      .where(and(eq(emailReports.siteId, site.id), eq(emailReports.userId, user.id), eq(emailReports.frequency, report.frequency), lt(emailReports.lastPeriod, period.range[0])));
  });
}
