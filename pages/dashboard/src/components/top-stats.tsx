import { For, Show } from "solid-js";
import { changePercent, formatChange, formatMetric, fullNumber, isImprovement, METRIC_LABELS, metricKind } from "../format";
import type { Live } from "../live";
import type { Total } from "../load";
import { TOP_METRICS, type TopMetric } from "../view";
import { ErrorText } from "./message";

/** The headline numbers; each is a button that puts its metric on the chart. */
export function TopStats(props: {
  totals: Live<Total[]>;
  comparing: string | null;
  selected: TopMetric;
  onSelect: (metric: TopMetric) => void;
  onRetry: () => void;
}) {
  const total = (metric: TopMetric) => props.totals.data()?.find((entry) => entry.metric === metric);
  return (
    <section class="stats-section" aria-label="Totals" aria-busy={props.totals.loading()}>
      <ul class="stats">
        <For each={TOP_METRICS}>
          {(metric) => (
            <li>
              <button
                type="button"
                class="card stat"
                aria-pressed={props.selected === metric}
                title={`Show ${METRIC_LABELS[metric].toLowerCase()} on the chart`}
                onClick={() => props.onSelect(metric)}
              >
                <span class="stat-label">{METRIC_LABELS[metric]}</span>
                <StatValue total={total(metric)} metric={metric} comparing={props.comparing} failed={!!props.totals.error()} />
              </button>
            </li>
          )}
        </For>
      </ul>
      <Show when={!props.totals.data() && props.totals.error()}>
        <div class="card">
          <ErrorText error={props.totals.error()} onRetry={props.onRetry} />
        </div>
      </Show>
    </section>
  );
}

function StatValue(props: { total: Total | undefined; metric: TopMetric; comparing: string | null; failed: boolean }) {
  const change = () => {
    const total = props.total;
    return total && total.previous != null ? changePercent(total.value, total.previous) : null;
  };
  return (
    <Show
      when={props.total}
      fallback={props.failed ? <span class="stat-value stat-missing">—</span> : <span class="skeleton skeleton-text" aria-label="Loading" />}
    >
      {(total) => (
        <>
          <span class="stat-value" data-testid={`stat-${props.metric}`} title={metricKind(props.metric) === "count" ? fullNumber(total().value) : undefined}>
            {formatMetric(props.metric, total().value)}
          </span>
          <Show when={props.comparing}>
            <span class="stat-note">
              <Show when={change() !== null} fallback={<span title={`Nothing in the ${props.comparing} to compare with`}>— vs {props.comparing}</span>}>
                <span
                  class="change"
                  classList={{ good: isImprovement(props.metric, change()!), bad: isImprovement(props.metric, -change()!) }}
                  data-testid={`change-${props.metric}`}
                >
                  {formatChange(change()!)}
                </span>
              </Show>
              <span class="sr-only"> compared with {props.comparing}</span>
            </span>
          </Show>
        </>
      )}
    </Show>
  );
}
