import { env } from "cloudflare:test";
import { drizzle } from "drizzle-orm/d1";
import { beforeAll, describe, expect, it } from "vitest";
import { createSite } from "@pixel/lib/d1/accounts";
import type { CollectorEnv } from "./env";
import { inRange, shieldFor } from "./shields";
import { siteForHost } from "./sites";

describe("IP ranges", () => {
  it.each([
    ["203.0.113.7", "203.0.113.0/24", true],
    ["203.0.114.7", "203.0.113.0/24", false],
    ["203.0.113.7", "203.0.113.7", true],
    ["10.1.2.3", "0.0.0.0/0", true],
    ["2001:db8::1", "2001:db8::/32", true],
    ["2001:db9::1", "2001:db8::/32", false],
    ["::1", "::1", true],
    ["2001:db8:0:0:0:0:0:1", "2001:db8::1/128", true],
    ["203.0.113.7", "2001:db8::/32", false],
    ["not-an-ip", "203.0.113.0/24", false],
    ["203.0.113.7", "203.0.113.0/33", false],
  ])("%s in %s: %s", (ip, range, expected) => {
    expect(inRange(ip, range)).toBe(expected);
  });
});

const SHIELDS = { ipRanges: ["198.51.100.0/24"], countries: ["FR"], paths: ["/admin/*", "/preview"], hostnames: ["staging.shield.example"] };
const visit = (overrides: Partial<Parameters<typeof shieldFor>[1]> = {}) => ({
  ip: "203.0.113.7",
  country: "DE",
  hostname: "shield.example",
  pathname: "/pricing",
  ...overrides,
});

describe("a site's shields", () => {
  it("name the shield a hit runs into, and let others through", () => {
    expect(shieldFor(SHIELDS, visit())).toBeNull();
    expect(shieldFor(SHIELDS, visit({ ip: "198.51.100.9" }))).toBe("ip");
    expect(shieldFor(SHIELDS, visit({ country: "FR" }))).toBe("country");
    expect(shieldFor(SHIELDS, visit({ hostname: "staging.shield.example" }))).toBe("hostname");
    expect(shieldFor(SHIELDS, visit({ pathname: "/admin/users/7" }))).toBe("path");
    expect(shieldFor(SHIELDS, visit({ pathname: "/preview" }))).toBe("path");
    expect(shieldFor(SHIELDS, visit({ pathname: "/preview/2" }))).toBeNull();
    expect(shieldFor(SHIELDS, visit({ pathname: "/administration" }))).toBeNull();
  });

  it("are read with the site from D1", async () => {
    const db = (env as unknown as CollectorEnv).DB;
    await createSite(drizzle(db), { domain: "shield.example", shields: SHIELDS });
    const site = await siteForHost(db, "www.shield.example");
    expect(site?.shields).toEqual(SHIELDS);
  });
});
