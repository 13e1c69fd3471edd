import { For, Index, Show } from "solid-js";
import type { FilterDimension, Metric } from "../api/types";
import { formatMetric, fullNumber, METRIC_LABELS, metricKind } from "../format";
import { displayValue, flagOf, NOT_SET } from "../labels";
import type { BreakdownRow } from "../stats";

export interface SortState {
  by: Metric;
  dir: "asc" | "desc";
}

/** Rows of a breakdown with a bar for their share of the first metric; clicking a value filters by it. */
export function BarList(props: {
  column: string;
  dimension: FilterDimension;
  metrics: Metric[];
  rows: BreakdownRow[];
  valueTestId: string;
  onPick?: (value: string) => void;
  /** Makes one metric's cells open more about their row (the pages' scroll depth opens its distribution). */
  metricPick?: { metric: Metric; label: string; pick: (value: string) => void };
  sort?: SortState;
  onSort?: (sort: SortState) => void;
}) {
  const max = () => Math.max(1, ...props.rows.map((row) => row.metrics[0] ?? 0));
  const share = (row: BreakdownRow) => `${((row.metrics[0] ?? 0) / max()) * 100}%`;
  const ariaSort = (metric: Metric) =>
    props.sort?.by === metric ? (props.sort.dir === "asc" ? "ascending" : "descending") : undefined;
  const nextSort = (metric: Metric): SortState => ({
    by: metric,
    dir: props.sort?.by === metric && props.sort.dir === "desc" ? "asc" : "desc",
  });

  return (
    <table class="bar-list">
      <thead>
        <tr>
          <th scope="col">{props.column}</th>
          <For each={props.metrics}>
            {(metric) => (
              <th scope="col" class="num" aria-sort={ariaSort(metric)}>
                <Show when={props.onSort} fallback={METRIC_LABELS[metric]}>
                  {(onSort) => (
                    <button type="button" class="sort" onClick={() => onSort()(nextSort(metric))}>
                      {METRIC_LABELS[metric]}
                      <span aria-hidden="true">{props.sort?.by === metric ? (props.sort.dir === "asc" ? " ↑" : " ↓") : ""}</span>
                    </button>
                  )}
                </Show>
              </th>
            )}
          </For>
        </tr>
      </thead>
      <tbody>
        <Index each={props.rows}>
          {(row) => (
            <tr>
              <td class="value" style={{ "--share": share(row()) }}>
                <Show when={props.dimension === "visit:country" && flagOf(row().value)}>
                  {(flag) => (
                    <span class="flag" aria-hidden="true">
                      {flag()}
                    </span>
                  )}
                </Show>
                <Show
                  when={props.onPick}
                  fallback={
                    <span class="label" data-testid={props.valueTestId} title={row().value}>
                      {displayValue(props.dimension, row().value)}
                    </span>
                  }
                >
                  {(onPick) => (
                    <button
                      type="button"
                      class="label pick"
                      data-testid={props.valueTestId}
                      data-value={row().value}
                      title={`Filter by ${row().value || NOT_SET}`}
                      onClick={() => onPick()(row().value)}
                    >
                      {displayValue(props.dimension, row().value)}
                    </button>
                  )}
                </Show>
              </td>
              <Index each={props.metrics}>
                {(metric, i) => (
                  <td class="num" title={metricKind(metric()) === "count" ? fullNumber(row().metrics[i] ?? 0) : undefined}>
                    <Show when={props.metricPick?.metric === metric() && props.metricPick} fallback={formatMetric(metric(), row().metrics[i] ?? 0, undefined, row().currency)}>
                      {(picked) => (
                        <button type="button" class="pick" data-testid={`${metric()}-pick`} title={`${picked().label} ${row().value}`} onClick={() => picked().pick(row().value)}>
                          {formatMetric(metric(), row().metrics[i] ?? 0, undefined, row().currency)}
                        </button>
                      )}
                    </Show>
                  </td>
                )}
              </Index>
            </tr>
          )}
        </Index>
      </tbody>
    </table>
  );
}
