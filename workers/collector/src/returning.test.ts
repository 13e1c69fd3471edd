import { drizzle } from "drizzle-orm/d1";
import { beforeAll, describe, expect, it } from "vitest";
import { createSite } from "../../../lib/d1/accounts";
import { collect, testEnv } from "../../../test/support/workers/collector";
import { visitFrom } from "./returning";

const DAY_MS = 86_400_000;
const NOW = Date.parse("2026-12-06T15:00:00Z");
const at = (iso: string) => new Date(iso).toUTCString();

beforeAll(async () => {
  await createSite(drizzle(testEnv.DB), { domain: "returning.example" });
});

describe("visitFrom: the day's answer from pixel.js's If-Modified-Since", () => {
  it("calls a browser without the script cached new, and one that fetched it on an earlier day returning", () => {
    expect(visitFrom(null, NOW)).toEqual({ type: "new", lastModified: at("2026-12-06T00:00:00Z") });
    expect(visitFrom(at("2026-11-20T00:00:01Z"), NOW)).toEqual({ type: "returning", lastModified: at("2026-12-06T00:00:01Z") });
    expect(visitFrom("not a date", NOW).type).toBe("new");
  });

  it("keeps the day's answer for the day's later pages", () => {
    expect(visitFrom(at("2026-12-06T00:00:00Z"), NOW)).toEqual({ type: "new", lastModified: at("2026-12-06T00:00:00Z") });
    expect(visitFrom(at("2026-12-06T00:00:01Z"), NOW)).toEqual({ type: "returning", lastModified: at("2026-12-06T00:00:01Z") });
  });
});

const page = "https://returning.example/pricing";
const pixel = (ip: string, headers: Record<string, string> = {}) =>
  collect(null, { method: "GET", path: "/telemetry/pixel.js", ip, headers: { referer: page, ...headers } });
const pageview = async (ip: string) => {
  const body = JSON.stringify([{ id: `evt_${crypto.randomUUID().replaceAll("-", "")}`, name: "pageview", url: page }]);
  const { sent } = await collect(body, { ip });
  return sent[0]!.visitor_type;
};

describe("new and returning visitors on the hits that follow pixel.js", () => {
  it("serves pixel.js for revalidation on every page, with a midnight validator and no cookie", async () => {
    const { response } = await pixel("198.51.100.1");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-cache");
    expect(Date.parse(response.headers.get("last-modified")!) % DAY_MS).toBe(0);
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("marks the page view after a first fetch of pixel.js new", async () => {
    await pixel("198.51.100.2");
    expect(await pageview("198.51.100.2")).toBe("new");
  });

  it("marks it returning when the browser revalidates a copy fetched on an earlier day", async () => {
    const yesterday = new Date(Date.now() - DAY_MS).toUTCString();
    const { response } = await pixel("198.51.100.3", { "if-modified-since": yesterday });
    expect(response.status).toBe(200);
    expect(await pageview("198.51.100.3")).toBe("returning");
  });

  it("answers 304 to the day's own validator, and the answer stays", async () => {
    const first = (await pixel("198.51.100.4", { "if-modified-since": new Date(Date.now() - 3 * DAY_MS).toUTCString() })).response;
    const validators = { "if-modified-since": first.headers.get("last-modified")!, "if-none-match": first.headers.get("etag")! };
    expect((await pixel("198.51.100.4", validators)).response.status).toBe(304);
    expect(await pageview("198.51.100.4")).toBe("returning");
  });

  it("leaves the type unknown for hits without pixel.js (the Events API, a cached old script)", async () => {
    expect(await pageview("198.51.100.5")).toBe("");
  });
});
