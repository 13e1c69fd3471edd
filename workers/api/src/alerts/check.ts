import type { ClickHouseClient } from "@clickhouse/client-web";
import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import { selectRows } from "@pixel/lib/clickhouse/client";
import { wallClock } from "@pixel/lib/time";
import { sites, trafficAlerts, users, type Site, type TrafficAlert } from "@pixel/lib/d1/schema";
import { database } from "../db";
import { siteLink } from "../email/links";
import { alertMessage, alertSubject, type AlertKind } from "../email/render";
import { mailerFor } from "../email/send";
import { type CronLog, forEachSubscriber } from "../email/subscribers";
import { unsubscribeUrl } from "../email/unsubscribe";
import type { ApiEnv } from "../env";
import { askStats } from "../email/stats";
import { compileRealtimeVisitors } from "../stats/realtime";

const HOUR = 3600_000;
const WEEK = 7 * 24 * HOUR;
/** Below this many visitors in last week's hour, a drop says more about chance than about the site. */
export const DROP_MINIMUM = 10;

/** The visitors of the hour before `end`, as the stats api counts them (a date-time range in the site's timezone). */
async function hourVisitors(client: ClickHouseClient, site: Site, end: number): Promise<number> {
  const local = (at: number) => wallClock(at, site.timezone);
  const answer = await askStats(client, site, { metrics: ["visitors"], date_range: [local(end - HOUR), local(end)] }, new Date(end));
  return answer.results[0]?.metrics[0] ?? 0;
}

/** The realtime panel's "current visitors": the last 5 minutes. */
async function currentVisitors(client: ClickHouseClient, site: Site, now: number): Promise<number> {
  const compiled = compileRealtimeVisitors(site.id, new Date(now));
  const [row] = await selectRows<{ last_5_minutes: number }>(client, compiled.sql, compiled.params);
  return Number(row?.last_5_minutes ?? 0);
}

const cooling = (last: Date | null, alert: TrafficAlert, now: number) => last !== null && now - last.getTime() < alert.cooldownMinutes * 60_000;

/** What fired for one alert, in words; nothing while its cool-down runs. */
async function firing(client: ClickHouseClient, site: Site, alert: TrafficAlert, now: number): Promise<{ kind: AlertKind; summary: string }[]> {
  const fired: { kind: AlertKind; summary: string }[] = [];
  if (alert.spikeVisitors !== null && !cooling(alert.lastSpikeAt, alert, now)) {
    const visitors = await currentVisitors(client, site, now);
    if (visitors > alert.spikeVisitors) {
      fired.push({ kind: "spike", summary: `${visitors} visitors on ${site.name} in the last 5 minutes, more than your threshold of ${alert.spikeVisitors}.` });
    }
  }
  if (alert.dropPercent !== null && !cooling(alert.lastDropAt, alert, now)) {
    const lastWeek = await hourVisitors(client, site, now - WEEK);
    const lastHour = lastWeek >= DROP_MINIMUM ? await hourVisitors(client, site, now) : 0;
    if (lastWeek >= DROP_MINIMUM && lastHour < (lastWeek * alert.dropPercent) / 100) {
      fired.push({
        kind: "drop",
        summary: `${lastHour} visitors on ${site.name} in the last hour, under ${alert.dropPercent}% of the ${lastWeek} in the same hour last week.`,
      });
    }
  }
  return fired;
}

/**
 * Starts the alert's cool-down unless it already runs, in one statement: of two overlapping cron runs that both saw
 * the alert fire, only the one whose update took the row sends.
 */
async function claimCoolDown(db: ReturnType<typeof database>, siteId: string, userId: string, kind: AlertKind, now: number) {
  const last = kind === "spike" ? trafficAlerts.lastSpikeAt : trafficAlerts.lastDropAt;
  const cooledDown = or(isNull(last), lte(last, sql`${now} - ${trafficAlerts.cooldownMinutes} * 60000`));
  const claimed = await db
    .update(trafficAlerts)
    .set(kind === "spike" ? { lastSpikeAt: new Date(now) } : { lastDropAt: new Date(now) })
    .where(and(eq(trafficAlerts.siteId, siteId), eq(trafficAlerts.userId, userId), cooledDown))
    .returning({ siteId: trafficAlerts.siteId });
  return claimed.length > 0;
}

/** Slack, Mattermost, Discord-style and most chat webhooks take `{"text": ...}`. */
async function callWebhook(url: string, text: string) {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text }) });
  if (!response.ok) throw new Error(`the webhook answered ${response.status}`);
}

/** The Cron Trigger's part for alerts: each alert checked, each one that fires mailed (and its webhook called), then cooled down. */
export async function checkAlerts(env: ApiEnv, now: number, log: CronLog) {
  const db = database(env.DB);
  const alerts = await db
    .select({ alert: trafficAlerts, site: sites, user: users })
    .from(trafficAlerts)
    .innerJoin(sites, eq(sites.id, trafficAlerts.siteId))
    .innerJoin(users, and(eq(users.id, trafficAlerts.userId), eq(users.disabled, false)))
    .all();
  await forEachSubscriber(env, alerts, "checking a traffic alert failed", log, async (client, { alert, site, user }) => {
    for (const { kind, summary } of await firing(client, site, alert, now)) {
      // Cooled down first: a failed send is not retried every few minutes into a flood.
      if (!(await claimCoolDown(db, site.id, user.id, kind, now))) continue;
      const unsubscribe = await unsubscribeUrl(env, { kind: "alerts", siteId: site.id, userId: user.id });
      const dashboard = siteLink(env, site.id);
      await mailerFor(env)(alertMessage(user.email, { siteName: site.name, kind, summary, dashboardUrl: dashboard, unsubscribeUrl: unsubscribe }));
      if (alert.webhookUrl) await callWebhook(alert.webhookUrl, `${alertSubject({ siteName: site.name, kind })}: ${summary} ${dashboard}`);
    }
  });
}
