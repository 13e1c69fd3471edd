import { Hono } from "hono";
import { and, eq } from "drizzle-orm";
import * as v from "valibot";
import { emailReports, REPORT_FREQUENCIES, trafficAlerts, type TrafficAlert } from "@pixel/lib/d1/schema";
import { database } from "../db";
import type { ApiContext } from "../env";
import { requireSiteRole } from "../sites/access";
import { jsonBody } from "../validate";
import { lastPeriod } from "./reports";

const Reports = v.strictObject({
  frequencies: v.pipe(v.array(v.picklist(REPORT_FREQUENCIES, `frequencies are ${REPORT_FREQUENCIES.join(", ")}`)), v.maxLength(REPORT_FREQUENCIES.length)),
});

const whole = (min: number, max: number, what: string) => {
  const range = `${what} is a whole number from ${min} to ${max}`;
  return v.pipe(v.number(range), v.integer(range), v.minValue(min, range), v.maxValue(max, range));
};

const Alerts = v.pipe(
  v.strictObject({
    spikeVisitors: v.optional(v.nullable(whole(1, 10_000_000, "the spike threshold")), null),
    dropPercent: v.optional(v.nullable(whole(1, 99, "the drop share (percent)")), null),
    cooldownMinutes: v.optional(whole(15, 10_080, "the cool-down (minutes)"), 240),
    webhookUrl: v.optional(
      v.nullable(v.pipe(v.string(), v.maxLength(2048), v.url("the webhook is not a URL"), v.startsWith("https://", "the webhook must be an https:// URL"))),
      null,
    ),
  }),
  v.check((alert) => alert.spikeVisitors !== null || alert.dropPercent !== null, "set spikeVisitors, dropPercent or both"),
);

const alertBody = (alert: TrafficAlert | undefined) =>
  alert ? { spikeVisitors: alert.spikeVisitors, dropPercent: alert.dropPercent, cooldownMinutes: alert.cooldownMinutes, webhookUrl: alert.webhookUrl } : null;

/** Under /sites/:siteId/email: each member chooses their own reports and alerts of the site. */
export const emailSettingsRoutes = new Hono<ApiContext>()
  .use(requireSiteRole("viewer"))
  .get("/", async (c) => {
    const db = database(c.env.DB);
    const [siteId, userId] = [c.var.site.id, c.var.user.id];
    const reports = await db.select().from(emailReports).where(and(eq(emailReports.siteId, siteId), eq(emailReports.userId, userId))).all();
    const alert = await db.select().from(trafficAlerts).where(and(eq(trafficAlerts.siteId, siteId), eq(trafficAlerts.userId, userId))).get();
    return c.json({ reports: { frequencies: reports.map((report) => report.frequency).sort() }, alerts: alertBody(alert) });
  })
  // A new subscription starts with the next whole period: nobody gets last week's report the minute they subscribe.
  .put("/reports", jsonBody(Reports), async (c) => {
    const { frequencies } = c.req.valid("json");
    const db = database(c.env.DB);
    const [siteId, userId] = [c.var.site.id, c.var.user.id];
    const now = Date.now();
    const keep = frequencies.map((frequency) => ({ siteId, userId, frequency, lastPeriod: lastPeriod(frequency, c.var.site.timezone, now).range[0] }));
    await db.batch([
      db.delete(emailReports).where(and(eq(emailReports.siteId, siteId), eq(emailReports.userId, userId))),
      ...keep.map((row) => db.insert(emailReports).values(row).onConflictDoNothing()),
    ]);
    return c.json({ reports: { frequencies: [...new Set(frequencies)].sort() } });
  })
  .put("/alerts", jsonBody(Alerts), async (c) => {
    const settings = c.req.valid("json");
    const [alert] = await database(c.env.DB)
      .insert(trafficAlerts)
      .values({ siteId: c.var.site.id, userId: c.var.user.id, ...settings })
      .onConflictDoUpdate({ target: [trafficAlerts.siteId, trafficAlerts.userId], set: settings })
      .returning();
    return c.json({ alerts: alertBody(alert) });
  })
  .delete("/alerts", async (c) => {
    await database(c.env.DB).delete(trafficAlerts).where(and(eq(trafficAlerts.siteId, c.var.site.id), eq(trafficAlerts.userId, c.var.user.id)));
    return c.body(null, 204);
  });
