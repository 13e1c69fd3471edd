import { beforeAll, describe, expect, it } from "vitest";
import { adminClickHouse } from "@pixel/test/setup/clickhouse";
import { eventRow } from "@pixel/test/support/event-row";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { grantSite } from "@pixel/lib/d1/accounts";
import type { Site, User } from "@pixel/lib/d1/schema";
import { scheduled } from "../scheduled";
import { apiEnv, call, db, newSite, signedInUser } from "@pixel/test/support/workers/api";
import { inbox, lastMessage, linkIn } from "@pixel/test/support/workers/email";
import { lastPeriod } from "./reports";

/** Auckland is UTC+13 in November: Monday 30 November, 08:00 there is Sunday 29 November, 19:00 UTC. */
const TIMEZONE = "Pacific/Auckland";
const at = (iso: string) => Date.parse(iso);
const WEEK: [string, string] = ["2026-11-23", "2026-11-29"];
let site: Site;
let user: User;
let cookie: string;

const cron = (iso: string) => scheduled({ scheduledTime: at(iso), cron: "*/5 * * * *" }, apiEnv);

beforeAll(async () => {
  site = await newSite(TIMEZONE);
  ({ user, cookie } = await signedInUser());
  await grantSite(db(), user.id, site.id, "viewer");
  const s = site.id;
  const client = adminClickHouse(apiEnv);
  await insertEvents(client, [
    // The week: visitor 1 from Google reads two pages for 2 minutes; visitors 2 and 3 bounce.
    eventRow({ site_id: s, visitor_id: "1", session_id: "11", pathname: "/", referrer_host: "google.com", channel: "organic", timestamp: at("2026-11-24T01:00:00Z") }),
    eventRow({ site_id: s, visitor_id: "1", session_id: "11", pathname: "/pricing", timestamp: at("2026-11-24T01:02:00Z") }),
    eventRow({ site_id: s, visitor_id: "2", session_id: "22", pathname: "/", timestamp: at("2026-11-25T01:00:00Z") }),
    eventRow({ site_id: s, visitor_id: "3", session_id: "33", pathname: "/pricing", referrer_host: "google.com", channel: "organic", timestamp: at("2026-11-26T01:00:00Z") }),
    // The week before: one bounce.
    eventRow({ site_id: s, visitor_id: "4", session_id: "44", pathname: "/", timestamp: at("2026-11-17T01:00:00Z") }),
  ]);
  await client.close();
});

describe("e-mail reports", () => {
  it("a member subscribes; the report starts with the next whole period", async () => {
    const subscribed = await call(`/sites/${site.id}/email/reports`, { cookie, method: "PUT", body: { frequencies: ["weekly", "monthly"] } });
    expect(subscribed.json).toEqual({ reports: { frequencies: ["monthly", "weekly"] } });
    expect((await call(`/sites/${site.id}/email`, { cookie })).json.reports).toEqual({ frequencies: ["monthly", "weekly"] });
    const rows = await apiEnv.DB.prepare("select frequency, last_period from email_reports where site_id = ? order by frequency").bind(site.id).all();
    expect(rows.results).toEqual([
      { frequency: "monthly", last_period: lastPeriod("monthly", TIMEZONE, Date.now()).range[0] },
      { frequency: "weekly", last_period: lastPeriod("weekly", TIMEZONE, Date.now()).range[0] },
    ]);
    const bad = await call(`/sites/${site.id}/email/reports`, { cookie, method: "PUT", body: { frequencies: ["daily"] } });
    expect([bad.status, bad.json.error]).toEqual([400, "frequencies.0: frequencies are weekly, monthly"]);
  });

  it("goes out once, at 08:00 in the site's timezone after the week, with the dashboard's numbers", async () => {
    await call(`/sites/${site.id}/email/reports`, { cookie, method: "PUT", body: { frequencies: ["weekly"] } });
    await apiEnv.DB.prepare("update email_reports set last_period = '2026-11-16' where site_id = ?").bind(site.id).run();

    await cron("2026-11-29T18:55:00Z"); // 07:55 Monday in Auckland
    expect(await inbox(user.email)).toEqual([]);
    await cron("2026-11-29T19:00:00Z"); // 08:00
    await cron("2026-11-29T19:05:00Z");
    const messages = await inbox(user.email);
    expect(messages).toHaveLength(1);
    const [report] = messages;
    expect(report!.subject).toBe(`${site.name}: weekly report, 2026-11-23 to 2026-11-29`);
    expect(report!.text).toContain(
      ["Totals", "  Visitors: 3 (+200%)", "  Pageviews: 4 (+300%)", "  Bounce rate: 67% (-33%)", "  Visit duration: 0m 40s (no data before)"].join("\n"),
    );

    // The dashboard's own query for the same range says the same.
    const dashboard = await call("/v2/query", { cookie, body: { site_id: site.id, metrics: ["visitors", "pageviews"], date_range: WEEK } });
    expect(dashboard.json.results[0].metrics).toEqual([3, 4]);
    for (const [dimension, title] of [["visit:source", "Top sources (visitors)"], ["event:page", "Top pages (visitors)"]]) {
      const top = await call("/v2/query", { cookie, body: { site_id: site.id, metrics: ["visitors"], date_range: WEEK, dimensions: [dimension], pagination: { limit: 5 } } });
      const lines = top.json.results.map((row: { dimensions: string[]; metrics: number[] }) => `  ${row.dimensions[0]}: ${row.metrics[0]}`);
      expect(lines.length).toBeGreaterThan(0);
      expect(report!.text).toContain([title, ...lines].join("\n"));
    }
    expect(linkIn(report!, "http://pixel.test/")).toBe(`http://pixel.test/sites/${site.id}`);
    expect(report!.html).not.toMatch(/<img/i);
  });

  it("a monthly report goes out once, at 08:00 on the 1st in the site's timezone, for the month before", async () => {
    const { user: reader, cookie: readerCookie } = await signedInUser();
    await grantSite(db(), reader.id, site.id, "viewer");
    await call(`/sites/${site.id}/email/reports`, { cookie: readerCookie, method: "PUT", body: { frequencies: ["monthly"] } });
    await apiEnv.DB.prepare("update email_reports set last_period = '2026-10-01' where user_id = ?").bind(reader.id).run();

    await cron("2026-11-30T18:55:00Z"); // 07:55 on Tuesday 1 December in Auckland
    expect(await inbox(reader.email)).toEqual([]);
    await cron("2026-11-30T19:00:00Z"); // 08:00
    await cron("2026-12-01T19:00:00Z"); // a day later: nothing new
    const [report, ...more] = await inbox(reader.email);
    expect(more).toEqual([]);
    expect(report!.subject).toBe(`${site.name}: monthly report, 2026-11-01 to 2026-11-30`);
    const month = await call("/v2/query", { cookie: readerCookie, body: { site_id: site.id, metrics: ["visitors", "pageviews", "bounce_rate"], date_range: ["2026-11-01", "2026-11-30"] } });
    const [visitors, pageviews, bounceRate] = month.json.results[0].metrics;
    expect([visitors, pageviews, bounceRate]).toEqual([4, 5, 75]);
    for (const line of [`  Visitors: ${visitors} (`, `  Pageviews: ${pageviews} (`, `  Bounce rate: ${bounceRate}% (`]) expect(report!.text).toContain(line);
    expect(linkIn(report!, "http://pixel.test/api/email/unsubscribe?token=monthly.")).toBeTruthy();
  });

  it("stops by its unsubscribe link, which needs no sign-in and works as mail clients' one-click", async () => {
    await call(`/sites/${site.id}/email/reports`, { cookie, method: "PUT", body: { frequencies: ["weekly"] } });
    await apiEnv.DB.prepare("update email_reports set last_period = '2026-11-09' where site_id = ?").bind(site.id).run();
    const before = (await inbox(user.email)).length;
    await cron("2026-11-29T19:00:00Z");
    const report = await lastMessage(user.email);
    const link = linkIn(report, "http://pixel.test/api/email/unsubscribe?token=");
    expect(report.headers["list-unsubscribe"]).toBe(`<${link}>`);
    expect(report.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    expect(report.html).toContain(`<a href="${link.replaceAll("&", "&amp;")}">Stop these e-mails</a>`);

    const path = link.replace("http://pixel.test/api", "");
    const page = await call(path, {});
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form method="post">');
    const oneClick = await call(path, { method: "POST", body: "List-Unsubscribe=One-Click", headers: { origin: "", "content-type": "application/x-www-form-urlencoded" } });
    expect(oneClick.status).toBe(200);
    expect((await call(`/sites/${site.id}/email`, { cookie })).json.reports).toEqual({ frequencies: [] });
    await cron("2026-12-06T19:00:00Z");
    expect(await inbox(user.email)).toHaveLength(before + 1);

    const forged = await call(path.replace(/.$/, (last) => (last === "0" ? "1" : "0")), {});
    expect([forged.status, forged.json.error]).toEqual([400, "token: this unsubscribe link is not one Pixel made; use the link from the e-mail as it is"]);
  });

  it("is not sent to someone who lost access to the site", async () => {
    const { user: former, cookie: formerCookie } = await signedInUser();
    await grantSite(db(), former.id, site.id, "viewer");
    await call(`/sites/${site.id}/email/reports`, { cookie: formerCookie, method: "PUT", body: { frequencies: ["weekly"] } });
    await apiEnv.DB.prepare("update email_reports set last_period = '2026-11-09' where user_id = ?").bind(former.id).run();
    await apiEnv.DB.prepare("delete from memberships where user_id = ?").bind(former.id).run();
    await cron("2026-11-29T19:00:00Z");
    expect(await inbox(former.email)).toEqual([]);
  });
});
