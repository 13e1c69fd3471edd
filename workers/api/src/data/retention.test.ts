import { describe, expect, it } from "vitest";
import { selectRows } from "@pixel/lib/clickhouse/client";
import { eventRow } from "@pixel/test/support/event-row";
import { DROPPED_HITS } from "@pixel/lib/clickhouse/tables/dropped-hits";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { insertRows } from "@pixel/lib/clickhouse/insert";
import { SITE_TABLES } from "@pixel/lib/clickhouse/site-data";
import { accessWorld, apiEnv, call } from "@pixel/test/support/workers/api";
import worker from "../index";
import { clickHouse, countRows } from "@pixel/test/support/workers/api-data";

const DAY = 86_400_000;

/** One visit 40 days ago and one 5 days ago, each a pageview in its own session, and a drop on each day. */
async function seed(siteId: string, now: number, retentionDays = 0) {
  const client = clickHouse();
  const days = [40, 5];
  await insertEvents(client, days.map((ago) => eventRow({ site_id: siteId, timestamp: now - ago * DAY, session_id: String(ago), pathname: `/${ago}`, retention_days: retentionDays })));
  await insertRows(
    client,
    DROPPED_HITS,
    days.map((ago) => ({ kind: "drop" as const, site_id: siteId, hostname: "x.example", reason: "bot", detail: "", drop_id: crypto.randomUUID(), hits: 1, timestamp: now - ago * DAY })),
  );
  await client.close();
}

const counts = async (siteId: string) =>
  Object.fromEntries(await Promise.all(["events", "sessions", "pages", "dropped_hits"].map(async (table) => [table, await countRows(table, siteId)])));

async function stamps(siteId: string): Promise<number[]> {
  const client = clickHouse();
  try {
    const rows = await selectRows<{ days: number }>(
      client,
      `SELECT DISTINCT retention_days AS days FROM (SELECT retention_days FROM events WHERE site_id = {site:String} UNION ALL SELECT retention_days FROM sessions WHERE site_id = {site:String} UNION ALL SELECT retention_days FROM pages WHERE site_id = {site:String})`,
      { site: siteId },
    );
    return rows.map((row) => Number(row.days));
  } finally {
    await client.close();
  }
}

const cron = (scheduledTime: number, env = apiEnv) => worker.scheduled({ scheduledTime, cron: "*/5 * * * *" }, env);

// Mutations and lightweight deletes on four shared tables: slow with the local engine running every write alone.
describe("retention changes apply to stored rows", { timeout: 60_000 }, () => {
  it("a change becomes a job; the cron deletes what is past the new retention from every per-site table and stamps the rest", async () => {
    const now = Date.now();
    const { a, b, owner } = await accessWorld();
    await seed(a.id, now);
    await seed(b.id, now);
    expect(await counts(a.id)).toEqual({ events: 2, sessions: 2, pages: 2, dropped_hits: 2 });

    expect((await call(`/sites/${a.id}`, { cookie: owner.cookie, method: "PATCH", body: { retentionDays: 30 } })).status).toBe(200);
    const pending = await call(`/sites/${a.id}/retention`, { cookie: owner.cookie });
    expect(pending.json.job).toMatchObject({ retentionDays: 30, steps: SITE_TABLES.length, stepsDone: 0, done: false, error: null });

    await cron(now);
    expect((await call(`/sites/${a.id}/retention`, { cookie: owner.cookie })).json.job).toMatchObject({ stepsDone: SITE_TABLES.length, done: true, error: null });
    expect(await counts(a.id)).toEqual({ events: 1, sessions: 1, pages: 1, dropped_hits: 1 });
    expect(await stamps(a.id), "the rows kept expire by the new retention from now on").toEqual([30]);
    expect(await counts(b.id), "other sites keep their rows").toEqual({ events: 2, sessions: 2, pages: 2, dropped_hits: 2 });
    expect(await stamps(b.id)).toEqual([0]);
  });

  it("a longer retention keeps every row and stamps it, so the TTL no longer cuts it short", async () => {
    const now = Date.now();
    const { a, owner } = await accessWorld();
    await seed(a.id, now, 60);
    expect((await call(`/sites/${a.id}`, { cookie: owner.cookie, method: "PATCH", body: { retentionDays: 730 } })).status).toBe(200);
    await cron(now);
    expect(await counts(a.id)).toEqual({ events: 2, sessions: 2, pages: 2, dropped_hits: 2 });
    expect(await stamps(a.id)).toEqual([730]);
  });

  it("a run that fails records why and leaves the job to the next cron, which finishes it", async () => {
    const now = Date.now();
    const { a, owner } = await accessWorld();
    await seed(a.id, now);
    expect((await call(`/sites/${a.id}`, { cookie: owner.cookie, method: "PATCH", body: { retentionDays: 30 } })).status).toBe(200);
    await cron(now, { ...apiEnv, CLICKHOUSE_WRITE_PASSWORD: "not-the-password" });
    const stopped = (await call(`/sites/${a.id}/retention`, { cookie: owner.cookie })).json.job;
    expect(stopped).toMatchObject({ stepsDone: 0, done: false, error: expect.any(String) });
    expect(await counts(a.id)).toEqual({ events: 2, sessions: 2, pages: 2, dropped_hits: 2 });
    await cron(now);
    expect((await call(`/sites/${a.id}/retention`, { cookie: owner.cookie })).json.job).toMatchObject({ stepsDone: SITE_TABLES.length, done: true, error: null });
    expect(await counts(a.id)).toEqual({ events: 1, sessions: 1, pages: 1, dropped_hits: 1 });
  });

  it("only a change of the retention starts a job, and only site admins may follow it", async () => {
    const { a, owner, viewer } = await accessWorld();
    expect((await call(`/sites/${a.id}`, { cookie: owner.cookie, method: "PATCH", body: { name: "Renamed", retentionDays: 0 } })).status).toBe(200);
    expect((await call(`/sites/${a.id}/retention`, { cookie: owner.cookie })).json).toEqual({ job: null });
    expect((await call(`/sites/${a.id}/retention`, { cookie: viewer.cookie })).status).toBe(403);
  });
});

describe("TTL", { timeout: 60_000 }, () => {
  it("rows past their site's retention disappear at ClickHouse's next merge; rows kept forever stay", async () => {
    const now = Date.now();
    const { a } = await accessWorld();
    const client = clickHouse();
    await insertEvents(client, [
      eventRow({ site_id: a.id, timestamp: now - 40 * DAY, session_id: "40", pathname: "/old", retention_days: 30 }),
      eventRow({ site_id: a.id, timestamp: now - 5 * DAY, session_id: "5", pathname: "/recent", retention_days: 30 }),
      eventRow({ site_id: a.id, timestamp: now - 400 * DAY, session_id: "400", pathname: "/forever", retention_days: 0 }),
    ]);
    for (const table of ["events", "sessions", "pages"]) await client.command({ query: `OPTIMIZE TABLE ${table} FINAL` });
    const rows = await selectRows<{ table: string; paths: string[] }>(
      client,
      `SELECT 'events' AS table, arraySort(groupArray(pathname)) AS paths FROM events WHERE site_id = {site:String}
       UNION ALL SELECT 'pages', arraySort(groupArray(pathname)) FROM pages WHERE site_id = {site:String}
       UNION ALL SELECT 'sessions', arraySort(groupArray(toString(session_id))) FROM sessions WHERE site_id = {site:String}`,
      { site: a.id },
    );
    await client.close();
    expect(Object.fromEntries(rows.map((row) => [row.table, row.paths]))).toEqual({
      events: ["/forever", "/recent"],
      pages: ["/forever", "/recent"],
      sessions: ["400", "5"],
    });
  });
});
