import { describe, expect, it } from "vitest";
import { adminClickHouse } from "@pixel/test/setup/clickhouse";
import { eventRow } from "@pixel/test/support/event-row";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { accessWorld, apiEnv, call } from "@pixel/test/support/workers/api";

const chrome = ["is", "visit:browser", ["Chrome"]];
const docs = ["contains", "event:page", ["/docs"]];

describe("saved segments", () => {
  it("keeps private segments to their author and shows shared ones to every member", async () => {
    const { a, siteAdmin, viewer, owner } = await accessWorld();
    const path = `/sites/${a.id}/segments`;
    const mine = await call(path, { cookie: viewer.cookie, body: { name: " Chrome ", visibility: "private", filters: [chrome] } });
    expect(mine.status).toBe(201);
    expect(mine.json.segment).toEqual({ id: expect.any(Number), name: "Chrome", visibility: "private", filters: [chrome] });
    const team = await call(path, { cookie: siteAdmin.cookie, body: { name: "Docs readers", visibility: "shared", filters: [docs] } });
    expect(team.status).toBe(201);

    expect((await call(path, { cookie: viewer.cookie })).json.segments.map((s: { name: string }) => s.name)).toEqual(["Chrome", "Docs readers"]);
    expect((await call(path, { cookie: owner.cookie })).json.segments.map((s: { name: string }) => s.name)).toEqual(["Docs readers"]);

    const others = `${path}/${mine.json.segment.id}`;
    expect((await call(others, { cookie: owner.cookie, method: "PATCH", body: { name: "mine now" } })).status).toBe(404);
    expect((await call(others, { cookie: owner.cookie, method: "DELETE" })).status).toBe(404);
    const renamed = await call(others, { cookie: viewer.cookie, method: "PATCH", body: { name: "Chrome users" } });
    expect(renamed.json.segment.name).toBe("Chrome users");

    const shared = `${path}/${team.json.segment.id}`;
    const refused = [
      await call(path, { cookie: viewer.cookie, body: { name: "x", visibility: "shared", filters: [chrome] } }),
      await call(shared, { cookie: viewer.cookie, method: "PATCH", body: { name: "x" } }),
      await call(shared, { cookie: viewer.cookie, method: "DELETE" }),
      await call(others, { cookie: viewer.cookie, method: "PATCH", body: { visibility: "shared" } }),
    ];
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    expect(refused[0]!.json.error).toContain("site's admins");
    expect((await call(shared, { cookie: owner.cookie, method: "PATCH", body: { filters: [docs, chrome] } })).json.segment.filters).toEqual([docs, chrome]);
    expect((await call(shared, { cookie: siteAdmin.cookie, method: "DELETE" })).status).toBe(204);
    expect((await call(path)).status).toBe(401);
  });

  it("refuses a name the user already sees in the picker with a 409, but not one hidden in another member's private segments", async () => {
    const { a, siteAdmin, viewer } = await accessWorld();
    const path = `/sites/${a.id}/segments`;
    const save = (cookie: string, name: string, visibility = "private") => call(path, { cookie, body: { name, visibility, filters: [chrome] } });
    expect((await save(siteAdmin.cookie, "Team", "shared")).status).toBe(201);
    expect((await save(siteAdmin.cookie, "Mine")).status).toBe(201);
    const twice = await save(viewer.cookie, "Team");
    expect(twice.status).toBe(409);
    expect(twice.json.error).toBe('name: a segment named "Team" already exists on this site; choose another name');
    const own = await save(viewer.cookie, "Mine");
    expect(own.status).toBe(201);
    const rename = await call(`${path}/${own.json.segment.id}`, { cookie: viewer.cookie, method: "PATCH", body: { name: "Team" } });
    expect(rename.status).toBe(409);
    expect((await call(`${path}/${own.json.segment.id}`, { cookie: viewer.cookie, method: "PATCH", body: { name: "Mine", filters: [docs] } })).status).toBe(200);
  });

  it.each([
    [{ name: "", visibility: "private", filters: [chrome] }, "name"],
    [{ name: "x", visibility: "public", filters: [chrome] }, "private or shared"],
    [{ name: "x", visibility: "private", filters: [] }, "at least one filter"],
    [{ name: "x", visibility: "private", filters: [["is", "visit:nope", ["a"]]] }, "visit:nope"],
    [{ name: "x", visibility: "private", filters: [["is", "segment", [1]]] }, "can't contain a segment"],
    [{ name: "x", visibility: "private", filters: [["not", ["is", "segment", [1]]]] }, "can't contain a segment"],
  ])("refuses %j with a 400 naming the problem", async (body, message) => {
    const { a, viewer } = await accessWorld();
    const response = await call(`/sites/${a.id}/segments`, { cookie: viewer.cookie, body });
    expect(response.status).toBe(400);
    expect(response.json.error).toContain(message);
  });

  it("expands ['is', 'segment', [id]] in stats queries into the segment's filters, for those who may see it", async () => {
    const { a, b, siteAdmin, viewer, owner, globalAdmin } = await accessWorld();
    const row = (visitor: string, browser: string, pathname: string) =>
      eventRow({ site_id: a.id, visitor_id: visitor, session_id: visitor, browser, pathname, timestamp: Date.parse("2026-11-20T10:00:00Z") });
    await insertEvents(adminClickHouse(apiEnv), [row("1", "Chrome", "/docs/a"), row("2", "Chrome", "/"), row("3", "Firefox", "/docs/b"), row("4", "Chrome", "/docs/c")]);
    const save = async (cookie: string, visibility: string, filters: unknown[]) =>
      (await call(`/sites/${a.id}/segments`, { cookie, body: { name: "s", visibility, filters } })).json.segment.id as number;
    const privateChrome = await save(viewer.cookie, "private", [chrome]);
    const sharedDocs = await save(siteAdmin.cookie, "shared", [docs]);
    const onB = await call(`/sites/${b.id}/segments`, { cookie: globalAdmin.cookie, body: { name: "b", visibility: "shared", filters: [chrome] } });

    const visitors = async (cookie: string, filters: unknown[]) => {
      const response = await call("/v2/query", { cookie, body: { site_id: a.id, metrics: ["visitors"], date_range: ["2026-11-01", "2026-11-30"], filters } });
      return { status: response.status, error: response.json.error as string | undefined, visitors: response.json.results?.[0]?.metrics[0] };
    };
    expect(await visitors(viewer.cookie, [["is", "segment", [privateChrome]]])).toMatchObject({ status: 200, visitors: 3 });
    expect(await visitors(viewer.cookie, [["is", "segment", [sharedDocs]]])).toMatchObject({ status: 200, visitors: 3 });
    expect(await visitors(viewer.cookie, [["is", "segment", [sharedDocs]], ["is", "segment", [privateChrome]]])).toMatchObject({ status: 200, visitors: 2 });
    expect(await visitors(owner.cookie, [["is", "segment", [sharedDocs]], chrome])).toMatchObject({ status: 200, visitors: 2 });

    const someoneElses = await visitors(owner.cookie, [["is", "segment", [privateChrome]]]);
    expect(someoneElses).toMatchObject({ status: 400, error: `filters: no segment ${privateChrome} on this site that you can see` });
    expect((await visitors(viewer.cookie, [["is", "segment", [999_999_999]]])).status).toBe(400);
    expect(await visitors(globalAdmin.cookie, [["is", "segment", [onB.json.segment.id]]])).toMatchObject({ status: 400, error: expect.stringContaining("no segment") });
    expect(await visitors(viewer.cookie, [["not", ["is", "segment", [sharedDocs]]]])).toMatchObject({ status: 400, error: expect.stringContaining("top level only") });
    expect(await visitors(viewer.cookie, [["is", "segment", [sharedDocs, privateChrome]]])).toMatchObject({ status: 400, error: expect.stringContaining("one segment id") });
    expect(await visitors(viewer.cookie, [["is_not", "segment", [sharedDocs]]])).toMatchObject({ status: 400 });
  });
});
