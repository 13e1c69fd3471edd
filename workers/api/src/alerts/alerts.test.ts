import { afterEach, describe, expect, it, vi } from "vitest";
import { adminClickHouse } from "@pixel/test/setup/clickhouse";
import { eventRow } from "@pixel/test/support/event-row";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { grantSite } from "@pixel/lib/d1/accounts";
import { inbox, lastMessage, linkIn } from "@pixel/test/support/workers/email";
import { scheduled } from "../scheduled";
import { apiEnv, call, db, newSite, signedInUser } from "@pixel/test/support/workers/api";
import { DROP_MINIMUM } from "./check";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const WEEK = 7 * 24 * HOUR;
const T = Date.parse("2026-12-01T12:00:00Z");
const cron = (time: number) => scheduled({ scheduledTime: time, cron: "*/5 * * * *" }, apiEnv);

async function member(timezone = "Europe/Berlin") {
  const site = await newSite(timezone);
  const { user, cookie } = await signedInUser();
  await grantSite(db(), user.id, site.id, "viewer");
  return { site, user, cookie };
}

/** `count` visitors, each with one pageview at `time`. */
async function visits(siteId: string, count: number, time: number) {
  const client = adminClickHouse(apiEnv);
  const first = Math.floor(Math.random() * 1e12);
  await insertEvents(
    client,
    Array.from({ length: count }, (_, i) => eventRow({ site_id: siteId, visitor_id: `${first + i}`, session_id: `${first + i}`, timestamp: time })),
  );
  await client.close();
}

afterEach(() => vi.restoreAllMocks());

/** Slack is not here to receive the webhook: requests to it are kept, everything else (ClickHouse) goes through. */
function receiveWebhooks(url: string) {
  const received: { body: unknown; type: string | null }[] = [];
  const original = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (request.url !== url) return original(input, init);
    received.push({ body: await request.json(), type: request.headers.get("content-type") });
    return new Response("ok");
  });
  return received;
}

// Each test runs several crons over every alert; one cut off by a timeout would go on mailing the next test's users.
describe("traffic alerts", { timeout: 30_000 }, () => {
  it("mails a spike once per cool-down", async () => {
    const { site, user, cookie } = await member();
    const set = await call(`/sites/${site.id}/email/alerts`, { cookie, method: "PUT", body: { spikeVisitors: 2, cooldownMinutes: 60 } });
    expect(set.json.alerts).toEqual({ spikeVisitors: 2, dropPercent: null, cooldownMinutes: 60, webhookUrl: null });
    await visits(site.id, 2, T - MINUTE);
    await cron(T);
    expect(await inbox(user.email)).toEqual([]);

    await visits(site.id, 3, T + 4 * MINUTE);
    await cron(T + 5 * MINUTE);
    await visits(site.id, 5, T + 9 * MINUTE);
    await cron(T + 10 * MINUTE); // cooling down
    const [alert, ...more] = await inbox(user.email);
    expect(more).toEqual([]);
    expect(alert!.subject).toBe(`${site.name}: traffic spike`);
    expect(alert!.text).toContain(`3 visitors on ${site.name} in the last 5 minutes, more than your threshold of 2.`);
    expect(alert!.headers["list-unsubscribe"]).toMatch(/^<http:\/\/pixel\.test\/api\/email\/unsubscribe\?token=alerts\./);
    expect(linkIn(alert!, "http://pixel.test/sites/")).toBe(`http://pixel.test/sites/${site.id}`);

    await visits(site.id, 4, T + 5 * MINUTE + HOUR);
    await cron(T + 6 * MINUTE + HOUR);
    expect(await inbox(user.email)).toHaveLength(2);
  });

  it("mails a spike once when two cron runs overlap", async () => {
    const { site, user, cookie } = await member();
    await call(`/sites/${site.id}/email/alerts`, { cookie, method: "PUT", body: { spikeVisitors: 1, cooldownMinutes: 60 } });
    await visits(site.id, 3, T - MINUTE);
    await Promise.all([cron(T), cron(T)]);
    expect(await inbox(user.email)).toHaveLength(1);
  });

  it("mails a drop below a share of the same hour last week", async () => {
    const { site, user, cookie } = await member("America/New_York");
    await call(`/sites/${site.id}/email/alerts`, { cookie, method: "PUT", body: { dropPercent: 50 } });
    await visits(site.id, DROP_MINIMUM, T - WEEK - 30 * MINUTE);
    await visits(site.id, 5, T - 30 * MINUTE);
    await cron(T);
    expect(await inbox(user.email)).toEqual([]);

    await visits(site.id, DROP_MINIMUM, T + HOUR - WEEK - 30 * MINUTE);
    await visits(site.id, 4, T + HOUR - 30 * MINUTE);
    await cron(T + HOUR);
    const [alert] = await inbox(user.email);
    expect(alert!.subject).toBe(`${site.name}: traffic drop`);
    expect(alert!.text).toContain(`4 visitors on ${site.name} in the last hour, under 50% of the ${DROP_MINIMUM} in the same hour last week.`);
    await cron(T + HOUR + 5 * MINUTE);
    expect(await inbox(user.email)).toHaveLength(1);
  });

  it("also posts to the webhook, Slack-style", async () => {
    const { site, user, cookie } = await member();
    const webhookUrl = `https://hooks.pixel.test/${site.id}`;
    await call(`/sites/${site.id}/email/alerts`, { cookie, method: "PUT", body: { spikeVisitors: 1, webhookUrl } });
    const received = receiveWebhooks(webhookUrl);
    await visits(site.id, 2, T - MINUTE);
    await cron(T);
    expect(received).toEqual([
      {
        type: "application/json",
        body: { text: `${site.name}: traffic spike: 2 visitors on ${site.name} in the last 5 minutes, more than your threshold of 1. http://pixel.test/sites/${site.id}` },
      },
    ]);
    expect(await inbox(user.email)).toHaveLength(1);
  });

  it("keeps quiet when last week's hour had too few visitors to tell", async () => {
    const { site, user, cookie } = await member();
    await call(`/sites/${site.id}/email/alerts`, { cookie, method: "PUT", body: { dropPercent: 90 } });
    await visits(site.id, DROP_MINIMUM - 1, T - WEEK - 30 * MINUTE);
    await cron(T);
    expect(await inbox(user.email)).toEqual([]);
  });

  it("stops by the unsubscribe link in the alert, which needs no sign-in", async () => {
    const { site, user, cookie } = await member();
    await call(`/sites/${site.id}/email/alerts`, { cookie, method: "PUT", body: { spikeVisitors: 1, cooldownMinutes: 15 } });
    await visits(site.id, 2, T - MINUTE);
    await cron(T);
    const alert = await lastMessage(user.email);
    const link = linkIn(alert, "http://pixel.test/api/email/unsubscribe?token=alerts.");
    expect(alert.headers["list-unsubscribe"]).toBe(`<${link}>`);
    expect(alert.html).toContain(`<a href="${link.replaceAll("&", "&amp;")}">Stop these e-mails</a>`);
    expect(alert.html).not.toMatch(/<img/i);

    const path = link.replace("http://pixel.test/api", "");
    const page = await call(path, {});
    expect([page.status, page.text]).toEqual([200, expect.stringContaining("Stop the traffic alerts of this site?")]);
    expect((await call(path, { method: "POST", headers: { origin: "", "content-type": "application/x-www-form-urlencoded" }, body: "" })).status).toBe(200);
    expect((await call(`/sites/${site.id}/email`, { cookie })).json.alerts).toBeNull();
    await visits(site.id, 3, T + HOUR - MINUTE);
    await cron(T + HOUR);
    expect(await inbox(user.email)).toHaveLength(1);
  });

  it("names what is wrong with the settings, and can be turned off", async () => {
    const { site, cookie } = await member();
    const put = (body: unknown) => call(`/sites/${site.id}/email/alerts`, { cookie, method: "PUT", body });
    expect((await put({})).json.error).toBe("set spikeVisitors, dropPercent or both");
    expect((await put({ dropPercent: 100 })).json.error).toBe("dropPercent: the drop share (percent) is a whole number from 1 to 99");
    expect((await put({ spikeVisitors: 5, webhookUrl: "http://hooks.example/x" })).json.error).toBe("webhookUrl: the webhook must be an https:// URL");
    expect((await put({ spikeVisitors: 5, cooldownMinutes: 1 })).json.error).toBe("cooldownMinutes: the cool-down (minutes) is a whole number from 15 to 10080");
    expect((await put({ spikeVisitors: 5, webhookUrl: "https://hooks.example/x" })).status).toBe(200);
    expect((await call(`/sites/${site.id}/email/alerts`, { cookie, method: "DELETE" })).status).toBe(204);
    expect((await call(`/sites/${site.id}/email`, { cookie })).json.alerts).toBeNull();
    expect((await call(`/sites/${site.id}/email`, {})).status).toBe(401);
  });
});
