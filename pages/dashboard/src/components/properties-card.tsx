import { createMemo, For, Show } from "solid-js";
import { api } from "../api/client";
import { propertyKeys } from "../api/page-reports";
import type { Metric, SimpleFilter } from "../api/types";
import { CARD_ROWS, type Tab } from "../breakdowns";
import { createLive } from "../live";
import { breakdownQuery, readRows, type Scope } from "../stats";
import { isGoalFilter } from "@pixel/lib/stats/filters";
import { PROPS_PREFIX } from "@pixel/lib/stats/vocabulary";
import { BarList } from "./bar-list";
import { LiveState } from "./panel";
import { createSeen } from "./seen";

/**
 * The custom properties card (its code loaded lazily, its data once the card nears the viewport): pick one of the
 * keys the site's events carry, see its values with visitors, events and their share of the site's visitors, or,
 * with a goal filter on, their conversion rate.
 */
export default function PropertiesCard(props: {
  scope: Scope;
  /** The key in the URL; without one, the key most visitors' events carry. */
  property: string | null;
  tick: number;
  settled: boolean;
  onProperty: (key: string) => void;
  onFilter: (filter: SimpleFilter) => void;
  onRetry: () => void;
}) {
  const { seen, ref } = createSeen();
  const keys = createLive(() => (seen() ? JSON.stringify(props.scope) : null), () => props.tick, (signal) => propertyKeys(props.scope, signal), () => props.settled);
  const key = () => props.property ?? keys.data()?.keys[0]?.key ?? null;
  const metrics = createMemo((): Metric[] => ["visitors", "events", props.scope.filters.some(isGoalFilter) ? "conversion_rate" : "percentage"]);
  const tab = (property: string): Tab => ({
    id: "properties",
    label: "Properties",
    column: property,
    dimension: `${PROPS_PREFIX}${property}`,
    metrics: metrics(),
    detailMetrics: metrics(),
  });
  const values = createLive(
    () => (key() === null || !seen() ? null : JSON.stringify([props.scope, key(), metrics()])),
    () => props.tick,
    async (signal) => readRows(await api.query(breakdownQuery(props.scope, tab(key()!), { metrics: metrics(), limit: CARD_ROWS }), signal)),
    () => props.settled,
  );

  return (
    <section ref={ref} class="card panel breakdown" aria-labelledby="card-properties-title" aria-busy={keys.loading() || values.loading()} data-testid="card-properties">
      <div class="panel-head">
        <h2 id="card-properties-title">Properties</h2>
        <Show when={keys.data()?.keys.length}>
          <label class="property-key">
            <span class="sr-only">Property</span>
            <select data-testid="property-key" onChange={(event) => props.onProperty(event.currentTarget.value)}>
              <Show when={key() !== null && !keys.data()!.keys.some((entry) => entry.key === key())}>
                <option value={key()!} selected>
                  {key()}
                </option>
              </Show>
              <For each={keys.data()!.keys}>
                {(entry) => (
                  <option value={entry.key} selected={entry.key === key()}>
                    {entry.key}
                  </option>
                )}
              </For>
            </select>
          </label>
        </Show>
      </div>
      <LiveState live={keys} onRetry={props.onRetry}>
        {(found) => (
          <Show when={found().keys.length || props.property} fallback={<p class="empty">No custom properties in this period. Send them with your events (docs/tracker.md) to see them here.</p>}>
            <LiveState live={values} onRetry={props.onRetry}>
              {(rows) => (
                <Show when={rows().length} fallback={<p class="empty">No events carry {key()} in this period.</p>}>
                  <BarList
                    column={key()!}
                    dimension={`${PROPS_PREFIX}${key()!}`}
                    metrics={metrics()}
                    rows={rows()}
                    valueTestId="property-value"
                    onPick={(value) => props.onFilter(["is", `${PROPS_PREFIX}${key()!}`, [value]])}
                  />
                </Show>
              )}
            </LiveState>
          </Show>
        )}
      </LiveState>
    </section>
  );
}
