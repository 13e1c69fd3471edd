import { createEffect, createSignal, onCleanup, Show } from "solid-js";
import { api, messageOf } from "../api/client";
import type { DateRangeKey, Site, User } from "../api/types";
import { Panel } from "../components/panel";
import { SiteHeader } from "../components/site-header";
import { StatCards } from "../components/stat-cards";
import { TopPages } from "../components/top-pages";
import { VisitorsChart } from "../components/visitors-chart";
import { boundsFromQuery, fillDays, rangeBounds, todayIn } from "../dates";
import { formatTime } from "../format";
import { createLive } from "../live";
import { navigate } from "../router";
import { siteUrl } from "../routes";
import {
  dailyVisitorsQuery,
  readDailyVisitors,
  readTopPages,
  readTotals,
  topPagesQuery,
  totalsQuery,
} from "../stats";

export const REFRESH_MS = 10_000;

export function SitePage(props: { site: Site; sites: Site[]; range: DateRangeKey; user: User; onLogout: () => void }) {
  const [tick, setTick] = createSignal(0);
  const refresh = () => setTick((count) => count + 1);
  const visible = () => document.visibilityState === "visible";
  const timer = setInterval(() => visible() && refresh(), REFRESH_MS);
  const onVisibilityChange = () => visible() && refresh();
  document.addEventListener("visibilitychange", onVisibilityChange);
  onCleanup(() => {
    clearInterval(timer);
    document.removeEventListener("visibilitychange", onVisibilityChange);
  });

  const key = () => `${props.site.id}|${props.range}`;

  const totals = createLive(key, tick, (signal) =>
    api.query(totalsQuery(props.site.id, props.range), signal).then(readTotals),
  );

  const daily = createLive(key, tick, async (signal) => {
    const { id, timezone } = props.site;
    const range = props.range;
    const response = await api.query(dailyVisitorsQuery(id, range), signal);
    const today = todayIn(timezone);
    return fillDays(readDailyVisitors(response), boundsFromQuery(response.query) ?? rangeBounds(range, today), today);
  });

  const topPages = createLive(key, tick, (signal) =>
    api.query(topPagesQuery(props.site.id, props.range), signal).then(readTopPages),
  );

  const lives = [totals, daily, topPages];
  const refreshing = () => lives.some((live) => live.loading());
  const every = `every ${REFRESH_MS / 1000} s`;
  const failure = () => {
    const stale = lives.find((live) => live.data() !== undefined && live.error());
    if (stale) return `Couldn't refresh: ${messageOf(stale.error())} Showing the last data; retrying ${every}.`;
    if (lives.some((live) => live.error())) return `Couldn't load some of the stats; retrying ${every}.`;
    return undefined;
  };
  const updatedText = () => {
    const at = updatedAt();
    return at ? `Updated ${formatTime(at)} · refreshes ${every}` : "Loading…";
  };
  const updatedAt = () => {
    const times = lives.map((live) => live.updatedAt()?.getTime() ?? 0);
    const latest = Math.max(...times);
    return latest > 0 ? new Date(latest) : undefined;
  };
  const noData = () => {
    const value = totals.data();
    return value !== undefined && value.visitors === 0 && value.pageviews === 0;
  };

  createEffect(() => {
    document.title = `${props.site.name || props.site.domain} · Pixel`;
  });

  return (
    <>
      <SiteHeader
        site={props.site}
        sites={props.sites}
        range={props.range}
        user={props.user}
        onSiteChange={(siteId) => navigate(siteUrl(siteId, props.range))}
        onRangeChange={(range) => navigate(siteUrl(props.site.id, range))}
        onLogout={props.onLogout}
      />
      <main class="site">
        <p class="status" classList={{ warning: !!failure() }}>
          <span class="live-dot" classList={{ busy: refreshing() }} aria-hidden="true" />
          <Show when={failure()} fallback={<span>{updatedText()}</span>}>
            {(text) => <span role="status">{text()}</span>}
          </Show>
        </p>

        <Show when={noData()}>
          <section class="card callout" aria-labelledby="no-data-title">
            <h2 id="no-data-title">No data yet — add the snippet to {props.site.domain}</h2>
            <p>
              Put the Pixel tracking snippet (pixel.js) in the <code>&lt;head&gt;</code> of every page of{" "}
              <strong>{props.site.domain}</strong>, then open the site in a browser. New visits show up here within
              seconds; this page refreshes by itself. If the site already has the snippet, try a longer date range.
            </p>
          </section>
        </Show>

        <StatCards totals={totals} onRetry={refresh} />

        <div class="grid">
          <Panel title="Visitors per day" class="chart-panel" live={daily} onRetry={refresh}>
            {(days) => <VisitorsChart days={days()} />}
          </Panel>
          <Panel title="Top pages" live={topPages} onRetry={refresh}>
            {(pages) => <TopPages pages={pages()} />}
          </Panel>
        </div>
      </main>
    </>
  );
}
