import { drizzle } from "drizzle-orm/d1";
import { beforeAll, describe, expect, it } from "vitest";
import { createSite } from "@pixel/lib/d1/accounts";
import { PIXEL_SCRIPT } from "@pixel/tracker/dist/pixel-script";
import { collect, testEnv, type CollectInit } from "@pixel/test/support/workers/collector";

let siteId = "";
beforeAll(async () => {
  siteId = (await createSite(drizzle(testEnv.DB), { domain: "named.example", scriptName: "stats.js", endpointName: "x" })).id;
  await createSite(drizzle(testEnv.DB), { domain: "plain.example" });
});

const onNamed = (init: CollectInit): CollectInit => ({ host: "named.example", ...init });
const hit = () => ({ id: `evt_${crypto.randomUUID().replaceAll("-", "")}`, name: "pageview", url: "https://named.example/pricing" });

describe("a site's own script and endpoint names", () => {
  it("serves the script under the site's script name on the site's host", async () => {
    const { response } = await collect(null, onNamed({ method: "GET", path: "/telemetry/stats.js" }));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(PIXEL_SCRIPT.js);
  });

  it("takes hits, the GIF pixel and the CORS preflight under the site's endpoint name", async () => {
    const posted = await collect(JSON.stringify(hit()), onNamed({ path: "/telemetry/x" }));
    expect(posted.response.status).toBe(204);
    expect(posted.sent).toMatchObject([{ site_id: siteId, pathname: "/pricing" }]);

    const pixel = await collect(null, onNamed({ method: "GET", path: "/telemetry/x.gif?u=https%3A%2F%2Fnamed.example%2Fmail&n=open" }));
    expect(pixel.response.status).toBe(200);
    expect(pixel.response.headers.get("content-type")).toBe("image/gif");
    expect(pixel.sent).toMatchObject([{ site_id: siteId, name: "open", pathname: "/mail" }]);

    const preflight = await collect(null, onNamed({ method: "OPTIONS", path: "/telemetry/x", headers: { origin: "https://named.example" } }));
    expect(preflight.response.status).toBe(204);
    expect(preflight.response.headers.get("access-control-allow-origin")).toBe("https://named.example");
  });

  it("keeps the default names working on that site", async () => {
    expect((await collect(null, onNamed({ method: "GET", path: "/telemetry/pixel.js" }))).response.status).toBe(200);
    const posted = await collect(JSON.stringify(hit()), onNamed({ path: "/telemetry/e" }));
    expect(posted.response.status).toBe(204);
    expect(posted.sent).toHaveLength(1);
  });

  it("does not answer one site's names on another site's host, or on unknown hosts", async () => {
    for (const host of ["plain.example", "nowhere.example"]) {
      const script = await collect(null, { host, method: "GET", path: "/telemetry/stats.js" });
      expect(script.response.status).toBe(404);
      expect(await script.response.json()).toEqual({ error: "no such route: GET /telemetry/stats.js" });
      const posted = await collect(JSON.stringify(hit()), { host, path: "/telemetry/x" });
      expect(posted.response.status).toBe(404);
      expect(posted.queued).toEqual([]);
    }
  });
});
