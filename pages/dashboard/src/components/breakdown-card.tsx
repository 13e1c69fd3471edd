import { createEffect, For, lazy, Show, Suspense } from "solid-js";
import { api } from "../api/client";
import type { Metric, SimpleFilter } from "../api/types";
import { type Card, CARD_ROWS, cardQueryLimit, type Tab } from "../breakdowns";
import { METRIC_LABELS } from "../format";
import { createLive, type Live } from "../live";
import { type BreakdownRow, breakdownQuery, type GoalCurrency, readRows, type Scope, withRevenueColumns } from "../stats";
import { BarList } from "./bar-list";
import { LiveState } from "./panel";


// The map and its grid load after the first paint, only when a card shows it.
const CountryMap = lazy(() => import("./country-map").then((module) => ({ default: module.CountryMap })));

export interface BreakdownData {
  tab: Tab;
  metrics: Metric[];
  rows: BreakdownRow[];
}

/**
 * The rows of a card's current tab, kept fresh on every tick while the range is not settled. `goals` are the site's
 * goals with their currencies (undefined where they can't be listed, null while they load): a goal tab waits for
 * them, the other tabs don't.
 */
export function createBreakdown(
  tab: () => Tab,
  scope: () => Scope,
  tick: () => number,
  goals: () => GoalCurrency[] | undefined | null,
  settled: () => boolean,
): Live<BreakdownData> {
  const goalTab = () => tab().dimension === "event:goal";
  return createLive(
    () => (goalTab() && goals() === null ? null : JSON.stringify([scope(), tab().id, goalTab() && goals()])),
    tick,
    async (signal) => {
      const current = tab();
      const response = await api.query(breakdownQuery(scope(), current, { metrics: current.metrics, limit: cardQueryLimit(current) }), signal);
      const data = { tab: current, metrics: current.metrics, rows: readRows(response) };
      return withRevenueColumns(data, scope(), goals() ?? undefined, (query) => api.query(query, signal));
    },
    settled,
  );
}

/** One card of breakdowns with tabs (Sources, Pages…); its rows filter the dashboard, "Details" opens the full list. */
export function BreakdownCard(props: {
  card: Card;
  tab: Tab;
  live: Live<BreakdownData>;
  filtered: boolean;
  onTab: (tabId: string) => void;
  onFilter: (filter: SimpleFilter) => void;
  onDetails: (tabId: string) => void;
  onRetry: () => void;
}) {
  const tab = () => props.tab;
  const live = props.live;
  const headingId = `card-${props.card.id}`;
  const hasFilters = () => props.filtered;

  function onTabKey(event: KeyboardEvent) {
    const tabs = props.card.tabs;
    const index = tabs.findIndex((entry) => entry.id === tab().id);
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = tabs[(index + step + tabs.length) % tabs.length]!;
    props.onTab(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  }

  createEffect(() => tab().map && void CountryMap.preload());

  return (
    <section class="card panel breakdown" aria-labelledby={headingId} aria-busy={live.loading()} data-testid={`card-${props.card.id}`}>
      <div class="panel-head">
        <h2 id={headingId}>{props.card.title}</h2>
        <div class="tabs" role="tablist" aria-label={`${props.card.title} by`} onKeyDown={onTabKey}>
          <For each={props.card.tabs}>
            {(entry) => (
              <button
                type="button"
                role="tab"
                id={`tab-${entry.id}`}
                aria-selected={entry.id === tab().id}
                aria-controls={`tabpanel-${props.card.id}`}
                tabIndex={entry.id === tab().id ? 0 : -1}
                onClick={() => props.onTab(entry.id)}
              >
                {entry.label}
              </button>
            )}
          </For>
        </div>
      </div>
      <div role="tabpanel" id={`tabpanel-${props.card.id}`} aria-labelledby={`tab-${tab().id}`} class="tabpanel">
        <LiveState live={live} onRetry={props.onRetry}>
          {(data) => (
            <Show
              when={data().rows.length > 0}
              fallback={
                <p class="empty">
                  {data().tab.empty ??
                    `Nothing here for this period${hasFilters() ? " with these filters. Remove a filter or try" : ". Try"} a longer date range.`}
                </p>
              }
            >
              <Show when={data().tab.map}>
                <Suspense fallback={<div class="country-map-placeholder" aria-hidden="true" />}>
                  <CountryMap
                    data={data().rows.map((row) => ({ code: row.value, value: row.metrics[0] ?? 0 }))}
                    unit={METRIC_LABELS[data().metrics[0]!].toLowerCase()}
                    unitOne={data().metrics[0] === "visitors" ? "visitor" : undefined}
                    onPick={(code) => props.onFilter(["is", data().tab.dimension, [code]])}
                  />
                </Suspense>
              </Show>
              <BarList
                column={data().tab.column}
                dimension={data().tab.dimension}
                metrics={data().metrics}
                rows={data().rows.slice(0, CARD_ROWS)}
                valueTestId={data().tab.dimension === "event:page" ? "top-page-path" : "breakdown-value"}
                onPick={(value) => props.onFilter(["is", data().tab.dimension, [value]])}
              />
              <button type="button" class="button details" onClick={() => props.onDetails(tab().id)}>
                Details<span class="sr-only"> of {data().tab.label.toLowerCase()}</span>
              </button>
            </Show>
          )}
        </LiveState>
      </div>
    </section>
  );
}
