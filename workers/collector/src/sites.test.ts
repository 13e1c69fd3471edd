import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import { createSite } from "@pixel/lib/d1/accounts";
import { collect, testEnv } from "@pixel/test/support/workers/collector";
import { siteForHost } from "./sites";

const pageview = (url: string) => JSON.stringify([{ id: `evt_${crypto.randomUUID().replaceAll("-", "")}`, name: "pageview", url }]);

describe("which site a hit's hostname belongs to", () => {
  it("an exact hostname beats a parent domain, however long the domains", async () => {
    const db = drizzle(testEnv.DB);
    const parent = await createSite(db, { domain: `a-long-parent-domain-${crypto.randomUUID().slice(0, 8)}.example` });
    const shop = `shop.${parent.domain}`;
    const other = await createSite(db, { domain: `o${crypto.randomUUID().slice(0, 4)}.io`, hostnames: [shop] });

    expect((await siteForHost(testEnv.DB, shop))?.id).toBe(other.id);
    expect((await siteForHost(testEnv.DB, `www.${shop}`))?.id).toBe(other.id);
    expect((await siteForHost(testEnv.DB, `blog.${parent.domain}`))?.id).toBe(parent.id);
    expect((await siteForHost(testEnv.DB, `deep.${shop}`))?.id).toBe(parent.id);

    const { sent } = await collect(pageview(`https://${shop}/cart`), { host: shop });
    expect(sent.map((row) => row.site_id)).toEqual([other.id]);
  });
});
