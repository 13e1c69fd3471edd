import { describe, expect, it } from "vitest";
import { useTrackerRig } from "./rig-hooks";
import { sleep } from "./support";

const { rig, browser } = useTrackerRig();

describe("new and returning visitors", () => {
  it("a first visit is new; the second revalidates pixel.js with the day's validator, and no cookie or storage holds it", async () => {
    const prefix = rig().prefix("returning");
    const page = await browser().newPage();
    const pixelRequests: { status: number; ifModifiedSince?: string; lastModified?: string; setCookie?: string }[] = [];
    page.on("response", async (response) => {
      if (!new URL(response.url()).pathname.endsWith("/telemetry/pixel.js")) return;
      const sent = await response.request().allHeaders();
      const answered = await response.allHeaders();
      pixelRequests.push({ status: response.status(), ifModifiedSince: sent["if-modified-since"], lastModified: answered["last-modified"], setCookie: answered["set-cookie"] });
    });
    await page.goto(`${rig().siteUrl}${prefix}/first`);
    await sleep(500);
    await page.goto(`${rig().siteUrl}${prefix}/second`);
    await sleep(1500);
    const storage = await page.evaluate(() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)].filter((key) => /visit|return/i.test(key)));
    await page.goto("about:blank");

    const [first, second] = pixelRequests;
    expect(first).toMatchObject({ status: 200, ifModifiedSince: undefined, setCookie: undefined });
    expect(Date.parse(first!.lastModified!) % 86_400_000).toBe(0);
    expect(second).toMatchObject({ status: 304, ifModifiedSince: first!.lastModified, setCookie: undefined });
    expect(await browser().cookies()).toEqual([]);
    expect(storage).toEqual([]);
    const stored = (await rig().storedEvents(prefix, 4)).filter((event) => event.name === "pageview");
    expect(stored.map((event) => [event.pathname.slice(prefix.length), event.visitor_type])).toEqual([
      ["/first", "new"],
      ["/second", "new"],
    ]);
  });
});
