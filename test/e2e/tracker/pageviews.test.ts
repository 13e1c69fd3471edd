import { describe, expect, it } from "vitest";
import { useTrackerRig } from "./rig-hooks";
import { countBy, pushFirst, pushNow, sleep } from "./support";

const { rig, browser } = useTrackerRig();

describe("pageviews", () => {
  it("the seed's snippet, unchanged, records one pageview per load with the URL, title and referrer of that moment", async () => {
    const prefix = rig().prefix("seed");
    const page = await browser().newPage();
    await page.goto(`${rig().siteUrl}${prefix}/home?utm_source=news`);
    // An explicit `track pageview` for the page already counted does not make a second one.
    await pushNow(page, ["track", "pageview"]);
    await page.click("#internal");
    await page.waitForURL("**/next");
    await page.goto("about:blank");

    const pageviews = (await rig().storedEvents(prefix, 2)).filter((event) => event.name == "pageview");
    expect(pageviews.map(({ pathname, query, title, referrer }) => ({ pathname, query, title, referrer }))).toEqual([
      { pathname: `${prefix}/home`, query: "?utm_source=news", title: "Page home", referrer: "" },
      // The collector keeps a referrer's origin and path only.
      { pathname: `${prefix}/next`, query: "", title: "Page next", referrer: `${rig().siteUrl}${prefix}/home` },
    ]);
  });

  it("a snippet that pushes no `track pageview` still records exactly one", async () => {
    const prefix = rig().prefix("bare");
    const page = await browser().newPage();
    await page.goto(`${rig().siteUrl}${prefix}/bare/page`);
    await page.goto("about:blank");
    expect(countBy(await rig().storedEvents(prefix, 1))).toMatchObject({ pageview: 1 });
  });

  it("a page restored from the back/forward cache counts as viewed again", async () => {
    // Headless Chromium under automation never restores from the bfcache, so the restore is signalled the way
    // the browser does it: a `pageshow` whose `persisted` is true, and a plain `pageshow` that must not count.
    const prefix = rig().prefix("bfcache");
    const page = await browser().newPage();
    await page.goto(`${rig().siteUrl}${prefix}/page`);
    await sleep(300);
    await page.evaluate(() => {
      dispatchEvent(new PageTransitionEvent("pageshow", { persisted: false }));
      dispatchEvent(new PageTransitionEvent("pageshow", { persisted: true }));
    });
    await sleep(300);
    await page.goto("about:blank");
    expect(countBy(await rig().storedEvents(prefix, 2))).toMatchObject({ pageview: 2 });
  });

  it("commands work in any order: track and setUserId before config are kept, a later config takes effect", async () => {
    const prefix = rig().prefix("order");
    const page = await browser().newPage();
    await pushFirst(page, [["track", "early", { step: 1 }], ["setUserId", "customer-42"]]);
    await page.goto(`${rig().siteUrl}${prefix}/page`);
    const late = page.waitForRequest((request) => request.postData()?.includes('"late"') ?? false);
    await pushNow(page, ["track", "late"]);
    await late;
    await pushNow(page, ["config", "excludeLocalhost", true], ["track", "excluded"]);
    await sleep(1500);
    await page.goto("about:blank");

    const events = await rig().storedEvents(prefix, 3);
    expect(countBy(events)).toEqual({ pageview: 1, early: 1, late: 1 });
    const early = events.find((event) => event.name == "early")!;
    expect(early).toMatchObject({ user_id: "customer-42", props: { step: "1" }, pathname: `${prefix}/page` });
    expect(events.find((event) => event.name == "pageview")!.user_id).toBe("customer-42");
  });

  it("SPA routes: pushState, replaceState and popstate are pageviews when the path changes, with the previous page as referrer", async () => {
    const prefix = rig().prefix("spa");
    const page = await browser().newPage();
    const base = `${rig().siteUrl}${prefix}`;
    await page.goto(`${base}/app`);
    await page.evaluate((prefix) => {
      history.pushState({}, "", `${prefix}/app/step-2`);
      history.pushState({}, "", `${prefix}/app/step-2?tab=1`); // same path: not a new page
      location.hash = "#details"; // hash routing is off by default
      history.replaceState({}, "", `${prefix}/app/step-3`);
    }, prefix);
    await page.goBack(); // popstate to step-2
    await page.waitForURL("**/step-2?tab=1");
    await sleep(200);
    await page.goto("about:blank");

    const pageviews = (await rig().storedEvents(prefix, 4)).filter((event) => event.name == "pageview");
    expect(pageviews.map(({ pathname, referrer }) => [pathname, referrer])).toEqual([
      [`${prefix}/app`, ""],
      [`${prefix}/app/step-2`, `${base}/app`],
      [`${prefix}/app/step-3`, `${base}/app/step-2`],
      [`${prefix}/app/step-2`, `${base}/app/step-3`],
    ]);
  });

  it("hash routing counts hash changes when `spa` is `hash`; `spa: false` turns route tracking off", async () => {
    const hashPrefix = rig().prefix("hash");
    const hashPage = await browser().newPage();
    await pushFirst(hashPage, [["config", "spa", "hash"]]);
    await hashPage.goto(`${rig().siteUrl}${hashPrefix}/app#/inbox`);
    await hashPage.evaluate(() => (location.hash = "#/settings"));
    await hashPage.evaluate(() => (location.hash = "#/settings")); // unchanged: not a new page
    await hashPage.goto("about:blank");

    const offPrefix = rig().prefix("spa-off");
    const offPage = await browser().newPage();
    await pushFirst(offPage, [["config", "spa", false]]);
    await offPage.goto(`${rig().siteUrl}${offPrefix}/app`);
    await offPage.evaluate((prefix) => history.pushState({}, "", `${prefix}/app/other`), offPrefix);
    await offPage.goto("about:blank");

    const hashViews = (await rig().storedEvents(hashPrefix, 2)).filter((event) => event.name == "pageview");
    expect(hashViews.map((event) => event.pathname)).toEqual([`${hashPrefix}/app#/inbox`, `${hashPrefix}/app#/settings`]);
    const off = (await rig().storedEvents(offPrefix, 1)).filter((event) => event.name == "pageview");
    expect(off.map((event) => event.pathname)).toEqual([`${offPrefix}/app`]);
  });
});

describe("revenue", () => {
  it("a purchase's revenue (the 4th track argument) lands as the exact decimal and currency; a bad one costs only the revenue", async () => {
    const prefix = rig().prefix("revenue");
    const since = Date.now();
    const page = await browser().newPage();
    await pushFirst(page, [["track", "purchase", { plan: "pro" }, { revenue: { amount: "1234.5678", currency: "EUR" } }]]);
    await page.goto(`${rig().siteUrl}${prefix}/checkout`);
    const sent = page.waitForRequest((request) => request.postData()?.includes('"refund"') ?? false);
    await pushNow(
      page,
      ["track", "order", {}, { revenue: { amount: 0.1 + 0.2, currency: "USD" } }],
      ["track", "refund", null, { revenue: { amount: "19.99", currency: "usd" } }],
      ["track", "gift", undefined, { revenue: { amount: 20, currency: "GBP" } }],
    );
    await sent;
    await sleep(1500);
    await page.goto("about:blank");

    const events = (await rig().storedEvents(prefix, 5)).filter((event) => event.name != "engagement");
    const revenue = Object.fromEntries(events.map((event) => [event.name, [event.revenue_amount, event.revenue_currency]]));
    expect(revenue).toEqual({ pageview: ["0", ""], purchase: ["1234.5678", "EUR"], order: ["0", ""], refund: ["0", ""], gift: ["20", "GBP"] });
    expect(events.find((event) => event.name == "purchase")!.props).toEqual({ plan: "pro" });
    expect(await rig().dropsSince("invalid_revenue", since)).toEqual({ amount: 1, currency: 1 });
  });
});
