import { createEffect, createMemo, createResource, createSignal, For, lazy, onCleanup, Show, Suspense } from "solid-js";
import { api, messageOf } from "../api/client";
import type { Site, SimpleFilter, User } from "../api/types";
import { type Card, CARDS, tabOf } from "../breakdowns";
import { BreakdownCard, createBreakdown } from "../components/breakdown-card";
import { ChartPanel } from "../components/chart-panel";
import { canCompare, comparisonLabel, DateControls } from "../components/date-controls";
import { DetailsDialog } from "../components/details-dialog";
import { FilterBar } from "../components/filter-bar";
import { RealtimePanel } from "../components/realtime-panel";
import { ShareHeader } from "../components/share-header";
import { SiteHeader } from "../components/site-header";
import { TopStats } from "../components/top-stats";
import { rangeBounds, todayIn } from "../dates";
import { formatTime } from "../format";
import { createLive, REFRESH_MS } from "../live";
import { loadTotals } from "../load";
import { navigate } from "../router";
import { shareUrl, siteUrl } from "../routes";
import { type Scope, totalsQuery } from "../stats";
import { replaceFilter, TOP_METRICS, type View, withFilter, withoutFilter } from "../view";
import { segmentFilter, type SegmentVisibility } from "@pixel/lib/segments";

const PropertiesCard = lazy(() => import("../components/properties-card"));
const ScrollDepthDialog = lazy(() => import("../components/scroll-depth-dialog"));
const FilterEditor = lazy(() => import("../components/filter-editor").then((module) => ({ default: module.FilterEditor })));

/** Signed in: the person's sites and account; shared: a share link's token, read-only and without an account. */
export type Access = { kind: "user"; sites: Site[]; user: User; onLogout: () => void } | { kind: "share"; token: string };

export function SitePage(props: { site: Site; view: View; access: Access }) {
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

  const urlOf = (view: View) => (props.access.kind === "share" ? shareUrl(props.access.token, view) : siteUrl(props.site.id, view));
  function setView(patch: Partial<View>, options: { replace?: boolean } = {}) {
    navigate(urlOf({ ...props.view, ...patch }), options);
  }
  /** undefined: the filter editor is closed; null: it adds a filter; else the filter it edits. */
  const [editing, setEditing] = createSignal<SimpleFilter | null>();
  const [segments, { refetch: reloadSegments }] = createResource(
    () => props.access.kind === "user" && props.site.id,
    (siteId) => api.segments(siteId).catch(() => []),
  );
  /** Revenue goals give goal breakdowns revenue columns; share links can't list goals and show none. */
  const [goals] = createResource(
    () => props.access.kind === "user" && props.site.id,
    (siteId) => api.goals(siteId).catch(() => []),
  );
  /** The current filters become a segment, which the view then applies instead of them; a refusal throws to the form. */
  async function saveSegment(name: string, visibility: SegmentVisibility) {
    const segment = await api.saveSegment(props.site.id, { name, visibility, filters: props.view.filters });
    await reloadSegments();
    setView({ segment: segment.id, filters: [], details: null });
  }
  const addFilter = (filter: SimpleFilter) => setView({ filters: withFilter(props.view.filters, filter), details: null });

  // Every navigation parses a new view; keeping an equal scope stops the cards from reloading when only a tab changed.
  const scope = createMemo<Scope | undefined>((previous) => {
    const segment = props.view.segment ? [segmentFilter(props.view.segment) as unknown as SimpleFilter] : [];
    const next = { siteId: props.site.id, range: props.view.range, filters: [...segment, ...props.view.filters] };
    return previous && JSON.stringify(previous) === JSON.stringify(next) ? previous : next;
  }) as () => Scope;
  const today = createMemo(() => (tick(), todayIn(props.site.timezone)));
  const bounds = createMemo(() => rangeBounds(props.view.range, today()));
  /** A range that ended before today: its data no longer changes, so the page stops refreshing it. */
  const settled = () => {
    const current = bounds();
    return current !== null && current.to < today();
  };
  const compare = createMemo(() => {
    const mode = props.view.compare;
    const current = bounds();
    if (!mode || !current || !canCompare(props.view.range)) return null;
    return { mode, label: comparisonLabel(mode) };
  });

  // The lists ask before the totals: a local ClickHouse answers one query at a time, and totals shown before the
  // lists they sum up look wrong for a moment.
  const tabOfCard = (card: Card) => tabOf(card, props.view.tabs[card.id]);
  const siteGoals = () => (goals.loading ? null : goals());
  const breakdowns = CARDS.map((card) => createBreakdown(() => tabOfCard(card), scope, tick, siteGoals, settled));

  const totals = createLive(
    () => JSON.stringify([scope(), compare()?.mode]),
    tick,
    (signal) => loadTotals(api.query, totalsQuery(scope(), TOP_METRICS), compare(), signal),
    settled,
  );

  const every = `every ${REFRESH_MS / 1000} s`;
  const status = () => {
    const error = totals.error();
    if (error && totals.data()) return `Couldn't refresh: ${messageOf(error)} Showing the last data; retrying ${every}.`;
    if (error) return `Couldn't load the stats: ${messageOf(error)} Retrying ${every}.`;
    return undefined;
  };
  const updatedText = () => {
    const at = totals.updatedAt();
    if (!at) return "Loading…";
    return settled() ? `Updated ${formatTime(at)} · this range has ended, so it doesn't refresh` : `Updated ${formatTime(at)} · refreshes ${every}`;
  };
  const noData = () => {
    const value = totals.data();
    return props.access.kind === "user" && props.view.filters.length === 0 && value !== undefined && value.every((total) => !total.value);
  };

  createEffect(() => {
    document.title = `${props.site.name || props.site.domain} · Pixel`;
  });

  return (
    <>
      <Show when={props.access.kind === "user" && props.access} fallback={<ShareHeader site={props.site} />}>
        {(access) => (
          <SiteHeader
            site={props.site}
            sites={access().sites}
            user={access().user}
            place="overview"
            onSiteChange={(siteId) => navigate(siteUrl(siteId, { ...props.view, filters: [], details: null, property: null, scroll: null }))}
            onLogout={access().onLogout}
          />
        )}
      </Show>
      <main class="site">
        <div class="toolbar">
          <DateControls
            range={props.view.range}
            today={today()}
            compare={props.view.compare}
            onRange={(range) => setView({ range, interval: null, details: null })}
            onCompare={(mode) => setView({ compare: mode })}
          />
          <p class="status" classList={{ warning: !!status() }}>
            <span class="live-dot" classList={{ busy: totals.loading() }} aria-hidden="true" />
            <Show when={status()} fallback={<span>{updatedText()}</span>}>
              {(text) => <span role="status">{text()}</span>}
            </Show>
          </p>
        </div>

        <FilterBar
          segments={segments()}
          segment={props.view.segment}
          onSegment={(segment) => setView({ segment, details: null })}
          onSaveSegment={props.access.kind === "user" ? saveSegment : undefined}
          filters={props.view.filters}
          onRemove={(filter) => setView({ filters: withoutFilter(props.view.filters, filter) })}
          onClear={() => setView({ filters: [] })}
          onEdit={(filter) => setEditing(() => filter)}
        />

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

        <TopStats
          totals={totals}
          comparing={compare()?.label ?? null}
          selected={props.view.metric}
          onSelect={(metric) => setView({ metric }, { replace: true })}
          onRetry={refresh}
        />

        <div class="overview">
          <ChartPanel
            scope={scope()}
            timezone={props.site.timezone}
            bounds={bounds()}
            interval={props.view.interval}
            metric={props.view.metric}
            compare={compare()}
            annotated={props.access.kind === "user"}
            tick={tick()}
            settled={settled()}
            onInterval={(interval) => setView({ interval }, { replace: true })}
            onRetry={refresh}
          />
          <RealtimePanel
            scope={{ siteId: props.site.id, filters: props.view.filters }}
            timezone={props.site.timezone}
          />
        </div>

        <div class="cards">
          <For each={CARDS}>
            {(card, index) => (
              <BreakdownCard
                card={card}
                tab={tabOfCard(card)}
                live={breakdowns[index()]!}
                filtered={props.view.filters.length > 0}
                onTab={(tab) => setView({ tabs: { ...props.view.tabs, [card.id]: tab } }, { replace: true })}
                onFilter={addFilter}
                onDetails={(tab) => setView({ details: { tab, search: "", sort: null, page: 1 } })}
                onRetry={refresh}
              />
            )}
          </For>
          <Suspense fallback={<section class="card panel breakdown" aria-busy="true" />}>
            <PropertiesCard
              scope={scope()}
              property={props.view.property}
              tick={tick()}
              settled={settled()}
              onProperty={(property) => setView({ property }, { replace: true })}
              onFilter={addFilter}
              onRetry={refresh}
            />
          </Suspense>
        </div>
      </main>
      <Show when={editing() !== undefined}>
        <FilterEditor
          filter={editing() ?? null}
          scope={scope()}
          onSave={(filter) => setView({ filters: replaceFilter(props.view.filters, editing() ?? null, filter), details: null })}
          onClose={() => setEditing(undefined)}
        />
      </Show>
      <Show when={props.view.details}>
        {(details) => (
          <DetailsDialog
            details={details()}
            scope={scope()}
            goals={goals()}
            siteDomain={props.site.domain}
            tick={tick()}
            settled={settled()}
            onChange={(next, replace) => setView({ details: next }, { replace })}
            onFilter={addFilter}
            onScrollDepth={(page) => setView({ details: null, scroll: page })}
            onClose={() => props.view.details && setView({ details: null })}
            onRetry={refresh}
          />
        )}
      </Show>
      <Show when={props.view.scroll}>
        {(page) => (
          <Suspense>
            <ScrollDepthDialog scope={scope()} page={page()} tick={tick()} settled={settled()} onClose={() => props.view.scroll && setView({ scroll: null })} onRetry={refresh} />
          </Suspense>
        )}
      </Show>
    </>
  );
}
