import { selectRows } from "@pixel/lib/clickhouse/client";
import { OVERVIEW_DAYS } from "@pixel/lib/stats/overview";
import { addDays } from "@pixel/lib/time";
import { sitesOverview } from "@pixel/workers/api/src/stats/overview";
import { onUtcHour } from "@pixel/workers/api/src/stats/planner";
import { RANGE, SITE, TARGET_EVENTS, timedRow, withBigSite } from "./queries.bench";
import type { Benchmark } from "./report";
import { generateTraffic } from "./traffic";

/** The sites one account sees: the big site and as many others. */
const SITES = 300;
/** The home page's "today": the big site's last day, in the evening (UTC). */
const NOW = new Date(`${RANGE[1]}T20:00:00Z`);
/** The days the home page reads (7, and the 7 before for the change), ending on NOW's day. */
const DAYS = 2 * OVERVIEW_DAYS;
/** Zipf over the sites: site rank r (the big site is rank 1) gets 1 / r^1.5 of the big site's traffic. */
const ZIPF_EXPONENT = 1.5;
/** Whole-hour zones are read from the sessions table, the half-hour ones (India, Adelaide) from the events. */
const TIMEZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Asia/Tokyo", "America/Los_Angeles", "Australia/Adelaide"];

const others = Array.from({ length: SITES - 1 }, (_, i) => {
  const rank = i + 2;
  return { id: `site_${rank}`, timezone: TIMEZONES[rank % TIMEZONES.length]!, rank };
});

/**
 * The other sites' traffic in the home page's days, beside the big site's: generated once in the same inserts (each
 * visit drawn to a site by its Zipf weight), then kept with it.
 */
async function loadOtherSites(client: Parameters<typeof generateTraffic>[0], progress: (message: string) => void): Promise<number> {
  const ids = others.map((site) => site.id);
  const loaded = Number((await selectRows<{ n: string }>(client, "SELECT count() AS n FROM events WHERE site_id IN {ids:Array(String)}", { ids }))[0]!.n);
  const weights = others.map((site) => 1 / site.rank ** ZIPF_EXPONENT);
  const total = Math.round(((TARGET_EVENTS / 30) * DAYS * weights.reduce((sum, weight) => sum + weight, 0)));
  if (loaded === total) return total;
  if (loaded) throw new Error(`PIXEL_BENCH_DATA holds ${loaded} events of the other sites, not ${total}: use another folder`);
  progress(`generating ${total.toLocaleString("en-US")} events of ${others.length} other sites`);
  const firstDay = addDays(RANGE[1], 1 - DAYS);
  await generateTraffic(client, { siteId: "", hostname: "sites.example", firstDay, days: DAYS, events: total, seed: 1000, spreadOver: { siteIds: ids, weights } });
  return total;
}

/**
 * The home page's one request (visitors today and over 7 days, the sparkline and the change of every site the caller
 * sees) for 300 sites, answered by the api's sitesOverview: the big site's 30 days and 299 others of Zipf-sized
 * traffic (site rank r gets 1/r^1.5 of the big site's) in mixed timezones. D1's list of the caller's sites is not measured.
 */
const sitesBench: Benchmark = (progress) =>
  withBigSite("sites", progress, async (client) => {
    const otherEvents = await loadOtherSites(client, progress);
    const sites = [{ id: SITE.id, timezone: SITE.timezone }, ...others];
    const overview = async () => {
      const answer = await sitesOverview(client, sites, NOW);
      const seen = answer.filter((site) => site.visitors_7d + site.visitors_previous_7d > 0).length;
      if (seen < 0.9 * SITES) throw new Error(`only ${seen} of ${SITES} sites have visitors in the home page's days: the traffic lacks them`);
      return answer;
    };
    const row = await timedRow("sites", `all sites at a glance (the home page's one request), ${SITES} sites`, overview, progress);
    const halfHour = sites.filter((site) => !onUtcHour(`${RANGE[1]} 00:00:00`, site.timezone)).length;
    const zones = `${TIMEZONES.length} timezones: ${sites.length - halfHour} sites read from the sessions table, ${halfHour} on half-hour zones from the events`;
    return [{ ...row, note: `${row.note}; the big site and ${others.length} others with ${otherEvents.toLocaleString("en-US")} events in their ${DAYS} days (Zipf sizes, 1/rank^${ZIPF_EXPONENT}), ${zones}` }];
  });

export default sitesBench;
