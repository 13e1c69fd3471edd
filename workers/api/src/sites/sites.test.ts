import { describe, expect, it } from "vitest";
import { siteForHost } from "@pixel/workers/collector/src/sites";
import { accessWorld, apiEnv, call, signedInUser, unique } from "@pixel/test/support/workers/api";

describe("sites", () => {
  it("makes the creator the owner, with default tracker settings and shields", async () => {
    const { cookie } = await signedInUser();
    const domain = `${unique("new")}.example`;
    const created = await call("/sites", { cookie, body: { domain: `WWW.${domain}`, timezone: "Asia/Tokyo" } });
    expect(created.status).toBe(201);
    expect(created.json.site).toMatchObject({
      domain,
      name: domain,
      timezone: "Asia/Tokyo",
      role: "owner",
      scriptName: "pixel.js",
      endpointName: "e",
      shields: { ipRanges: [], countries: [], paths: [], hostnames: [] },
      publicShare: false,
    });
    const mine = await call("/sites", { cookie });
    expect(mine.json.sites.map((site: { domain: string }) => site.domain)).toEqual([domain]);
    expect((await call("/sites", { cookie, body: { domain } })).status).toBe(409);
  });

  it.each([
    [{ domain: "https://shop.example/path" }, "domain"],
    [{ domain: "shop.example", timezone: "Mars/Olympus" }, "timezone"],
    [{ domain: "shop.example", hostnames: ["ok.example", "not a host"] }, "hostnames.1"],
    [{ domain: "shop.example", retentionDays: -1 }, "retentionDays"],
    [{ domain: "shop.example", scriptName: "../evil.js" }, "scriptName"],
    [{ domain: "shop.example", endpointName: "a/b" }, "endpointName"],
    [{ domain: "shop.example", shields: { ipRanges: ["10.0.0.0/33"] } }, "shields.ipRanges.0"],
    [{ domain: "shop.example", shields: { ipRanges: ["2001:db8::/129"] } }, "shields.ipRanges.0"],
    [{ domain: "shop.example", shields: { countries: ["Germany"] } }, "shields.countries.0"],
    [{ domain: "shop.example", shields: { paths: ["admin"] } }, "shields.paths.0"],
    [{ domain: "shop.example", owner: "me" }, "owner"],
  ])("refuses bad settings %# with a 400 naming the field", async (body, field) => {
    const { cookie } = await signedInUser();
    const response = await call("/sites", { cookie, body });
    expect(response.status).toBe(400);
    expect(response.json.error).toContain(field);
  });

  it("stores shields and tracker settings as given, normalized", async () => {
    const { a, siteAdmin } = await accessWorld();
    const shields = { ipRanges: ["203.0.113.0/24", "2001:db8::/32", "198.51.100.7"], countries: ["de"], paths: ["/admin/*"], hostnames: ["Staging.Example"] };
    const response = await call(`/sites/${a.id}`, {
      cookie: siteAdmin.cookie,
      method: "PATCH",
      body: { shields, scriptName: "stats.js", endpointName: "collect", retentionDays: 400, hostnames: ["shop.example.net"] },
    });
    expect(response.status).toBe(200);
    expect(response.json.site).toMatchObject({
      shields: { ...shields, countries: ["DE"], hostnames: ["staging.example"] },
      scriptName: "stats.js",
      endpointName: "collect",
      retentionDays: 400,
      hostnames: ["shop.example.net"],
    });
    expect((await call(`/sites/${a.id}`, { cookie: siteAdmin.cookie })).json.site.retentionDays).toBe(400);
  });

  describe("the access matrix", { timeout: 30_000 }, () => {
    it("anonymous callers get 401 everywhere but health and login", async () => {
      const { a } = await accessWorld();
      for (const [method, path] of [
        ["GET", "/sites"],
        ["GET", `/sites/${a.id}`],
        ["PATCH", `/sites/${a.id}`],
        ["DELETE", `/sites/${a.id}`],
        ["GET", `/sites/${a.id}/members`],
        ["GET", `/sites/${a.id}/goals`],
        ["GET", `/sites/${a.id}/reports`],
        ["POST", `/sites/${a.id}/share`],
        ["GET", "/users"],
        ["GET", "/keys"],
      ] as const) {
        expect([method, path, (await call(path, { method, body: method === "GET" ? undefined : {} })).status]).toEqual([method, path, 401]);
      }
      expect((await call("/health")).status).toBe(200);
    });

    it("a viewer of site A reads A, cannot change it, and cannot see site B at all", async () => {
      const { a, b, viewer } = await accessWorld();
      const cookie = viewer.cookie;
      expect((await call(`/sites/${a.id}`, { cookie })).json.site.role).toBe("viewer");
      const edit = await call(`/sites/${a.id}`, { cookie, method: "PATCH", body: { name: "mine now" } });
      expect(edit.status).toBe(403);
      expect(edit.json.error).toContain("needs a site admin");
      expect((await call(`/sites/${a.id}/members`, { cookie })).status).toBe(403);
      expect((await call(`/sites/${a.id}`, { cookie, method: "DELETE" })).status).toBe(403);
      const other = await call(`/sites/${b.id}`, { cookie });
      expect(other.status).toBe(404);
      expect(other.json.error).toContain("siteId");
      expect((await call(`/sites/${b.id}`, { cookie, method: "PATCH", body: { name: "x" } })).status).toBe(404);
      const stats = await call("/v2/query", { cookie, body: { site_id: b.id, metrics: ["visitors"], date_range: "7d" } });
      expect(stats.status).toBe(404);
    });

    it("a site admin edits settings but neither deletes the site nor manages members", async () => {
      const { a, b, siteAdmin } = await accessWorld();
      const cookie = siteAdmin.cookie;
      expect((await call(`/sites/${a.id}`, { cookie, method: "PATCH", body: { name: "Renamed" } })).json.site.name).toBe("Renamed");
      expect((await call(`/sites/${a.id}`, { cookie, method: "DELETE" })).status).toBe(403);
      expect((await call(`/sites/${a.id}/members`, { cookie, method: "PUT", body: { email: "x@pixel.test", role: "viewer" } })).status).toBe(403);
      expect((await call(`/sites/${b.id}`, { cookie, method: "PATCH", body: { name: "x" } })).status).toBe(404);
    });

    it("an owner manages members, but never removes the last owner", async () => {
      const { a, owner, viewer, siteAdmin } = await accessWorld();
      const cookie = owner.cookie;
      const members = await call(`/sites/${a.id}/members`, { cookie });
      expect(members.json.members.map((m: { email: string; role: string }) => m.role).sort()).toEqual(["admin", "owner", "viewer"]);
      const promote = await call(`/sites/${a.id}/members`, { cookie, method: "PUT", body: { email: viewer.user.email, role: "admin" } });
      expect(promote.json.member.role).toBe("admin");
      expect((await call(`/sites/${a.id}`, { cookie: viewer.cookie, method: "PATCH", body: { name: "ok" } })).status).toBe(200);
      expect((await call(`/sites/${a.id}/members/${siteAdmin.user.id}`, { cookie, method: "DELETE" })).status).toBe(204);
      expect((await call(`/sites/${a.id}`, { cookie: siteAdmin.cookie })).status).toBe(404);
      const unknown = await call(`/sites/${a.id}/members`, { cookie, method: "PUT", body: { email: "nobody@pixel.test", role: "viewer" } });
      expect(unknown.status).toBe(404);
      expect(unknown.json.error).toContain("email");
      const leave = await call(`/sites/${a.id}/members/${owner.user.id}`, { cookie, method: "DELETE" });
      expect(leave.status).toBe(409);
      const demote = await call(`/sites/${a.id}/members`, { cookie, method: "PUT", body: { email: owner.user.email, role: "viewer" } });
      expect(demote.status).toBe(409);
    });

    it("an owner deletes the site, and then nobody sees it", async () => {
      const { a, owner, viewer } = await accessWorld();
      expect((await call(`/sites/${a.id}`, { cookie: owner.cookie, method: "DELETE" })).status).toBe(204);
      expect((await call(`/sites/${a.id}`, { cookie: owner.cookie })).status).toBe(404);
      expect((await call("/sites", { cookie: viewer.cookie })).json.sites).toEqual([]);
    });

    it("a global admin does everything on any site, without being a member", async () => {
      const { a, b, viewer, globalAdmin } = await accessWorld();
      const cookie = globalAdmin.cookie;
      expect((await call(`/sites/${b.id}`, { cookie })).json.site.role).toBe("owner");
      expect((await call(`/sites/${a.id}`, { cookie, method: "PATCH", body: { timezone: "America/New_York" } })).status).toBe(200);
      const grant = await call(`/sites/${b.id}/members`, { cookie, method: "PUT", body: { email: viewer.user.email, role: "viewer" } });
      expect(grant.status).toBe(200);
      expect((await call(`/sites/${b.id}`, { cookie: viewer.cookie })).status).toBe(200);
      expect((await call(`/sites/${b.id}`, { cookie, method: "DELETE" })).status).toBe(204);
    });
  });

  describe("a site owns its hostnames", () => {
    /** Site A with its owner; a stranger with a site of their own and no rights on A. */
    async function victimAndStranger() {
      const { a, owner, globalAdmin } = await accessWorld();
      const stranger = await signedInUser();
      const own = await call("/sites", { cookie: stranger.cookie, body: { domain: `${unique("stranger")}.example` } });
      return { a, owner, globalAdmin, stranger, strangerSite: own.json.site as { id: string } };
    }

    it("refuses a stranger who claims another site's domain or a hostname under it, and A keeps its hits", async () => {
      const { a, stranger, strangerSite } = await victimAndStranger();
      const patch = (body: unknown) => call(`/sites/${strangerSite.id}`, { cookie: stranger.cookie, method: "PATCH", body });
      for (const hostnames of [[a.domain], [`WWW.${a.domain}`]]) {
        const taken = await patch({ hostnames });
        expect(taken.status).toBe(409);
        expect(taken.json.error).toBe(`hostnames.0: ${a.domain} already belongs to another site in this Pixel`);
      }
      const under = await patch({ hostnames: ["ok.stranger.example", `shop.${a.domain}`] });
      expect(under.status).toBe(403);
      expect(under.json.error).toContain(`hostnames.1: shop.${a.domain} is under ${a.domain}, another site's domain`);
      expect((await patch({ domain: `shop.${a.domain}` })).status).toBe(403);
      expect((await call("/sites", { cookie: stranger.cookie, body: { domain: `shop.${a.domain}` } })).status).toBe(403);
      for (const domain of [a.domain, `www.${a.domain.toUpperCase()}`]) {
        const same = await call("/sites", { cookie: stranger.cookie, body: { domain } });
        expect([same.status, same.json.error]).toEqual([409, `domain: ${a.domain} already belongs to another site in this Pixel`]);
        expect((await patch({ domain })).status).toBe(409);
      }
      const clash = await call("/sites", { cookie: stranger.cookie, body: { domain: `${unique("mine")}.example`, hostnames: [a.domain] } });
      expect(clash.status).toBe(409);
      expect(clash.json.error).toContain("hostnames.0");

      expect((await call(`/sites/${strangerSite.id}`, { cookie: stranger.cookie })).json.site.hostnames).toEqual([]);
      for (const host of [a.domain, `www.${a.domain}`, `shop.${a.domain}`]) expect((await siteForHost(apiEnv.DB, host))?.id).toBe(a.id);
    });

    it("lets A's owner or a global admin give a hostname under A to another site, which then takes its hits", async () => {
      const { a, owner, globalAdmin, strangerSite } = await victimAndStranger();
      const ownersOther = await call("/sites", { cookie: owner.cookie, body: { domain: `${unique("other")}.example`, hostnames: [`shop.${a.domain}`] } });
      expect(ownersOther.status).toBe(201);
      const byAdmin = await call(`/sites/${strangerSite.id}`, { cookie: globalAdmin.cookie, method: "PATCH", body: { hostnames: [`blog.${a.domain}`] } });
      expect(byAdmin.status).toBe(200);
      expect((await siteForHost(apiEnv.DB, `shop.${a.domain}`))?.id).toBe(ownersOther.json.site.id);
      expect((await siteForHost(apiEnv.DB, `blog.${a.domain}`))?.id).toBe(strangerSite.id);
      expect((await siteForHost(apiEnv.DB, `news.${a.domain}`))?.id).toBe(a.id);
    });

    it("holds in the database: of two sites claiming one new hostname at once, one gets it and the other a 409", async () => {
      const [first, second] = [await signedInUser(), await signedInUser()];
      const siteOf = async (user: typeof first) => (await call("/sites", { cookie: user.cookie, body: { domain: `${unique("racer")}.example` } })).json.site.id;
      const [one, two] = [await siteOf(first), await siteOf(second)];
      const hostname = `${unique("contested")}.example`;
      const answers = await Promise.all([
        call(`/sites/${one}`, { cookie: first.cookie, method: "PATCH", body: { hostnames: [hostname] } }),
        call(`/sites/${two}`, { cookie: second.cookie, method: "PATCH", body: { hostnames: [hostname] } }),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
      expect(answers.find((answer) => answer.status === 409)!.json.error).toContain("hostnames");
    });
  });
});
