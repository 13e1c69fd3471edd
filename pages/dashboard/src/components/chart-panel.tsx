import { ErrorBoundary, For, lazy, Show, Suspense } from "solid-js";
import { type AnnotationMark, annotationMarks } from "../annotations";
import { api } from "../api/client";
import type { ComparisonMode, Interval } from "../api/types";
import { timeGrain } from "@pixel/lib/stats/dates";
import { bucketKey, chooseInterval, type DayBounds, intervalsFor, localDateTimeIn } from "../dates";
import { formatBucket, formatMetric, METRIC_LABELS, metricKind } from "../format";
import { createLive } from "../live";
import { runCompared } from "../load";
import { type Series, shapeSeries } from "../series";
import { type Scope, timeseriesQuery } from "../stats";
import type { TopMetric } from "../view";
import { Panel } from "./panel";

const TimeChart = lazy(() => import("./time-chart"));

const INTERVAL_LABELS: Record<Interval, string> = { minute: "Minutes", hour: "Hours", day: "Days", week: "Weeks", month: "Months" };

export interface ChartData {
  series: Series;
  metric: TopMetric;
  interval: Interval;
  marks: AnnotationMark[];
}

/** The selected metric over time, against the comparison period when one is on. */
export function ChartPanel(props: {
  scope: Scope;
  timezone: string;
  bounds: DayBounds | null;
  /** The interval asked for in the URL, when it suits the range; null: automatic. */
  interval: Interval | null;
  metric: TopMetric;
  compare: { mode: ComparisonMode; label: string } | null;
  /** Signed-in members see the site's annotations; share links don't get them. */
  annotated: boolean;
  tick: number;
  settled: boolean;
  onInterval: (interval: Interval) => void;
  onRetry: () => void;
}) {
  // The chart's code loads while its data does, not after it.
  void TimeChart.preload();
  const choices = () => (props.scope.range === "24h" ? (["hour"] as Interval[]) : intervalsFor(props.bounds));
  /** "auto" lets the API pick the grain when only it knows the range's days ("all"). */
  const requested = (): Interval | "auto" => {
    if (props.scope.range === "24h") return "hour";
    if (props.bounds) return chooseInterval(props.interval, props.bounds);
    return props.interval && choices().includes(props.interval) ? props.interval : "auto";
  };

  const key = () => JSON.stringify([props.scope, props.metric, requested(), props.compare?.mode]);
  const live = createLive(key, () => props.tick, async (signal): Promise<ChartData> => {
    const metric = props.metric;
    const asked = requested();
    const [{ response, previous }, annotations] = await Promise.all([
      runCompared(api.query, timeseriesQuery(props.scope, metric, asked), props.compare, signal),
      props.annotated ? api.annotations(props.scope.siteId, signal) : [],
    ]);
    const interval = asked === "auto" ? timeGrain("time", response.query.date_range) : asked;
    const series = shapeSeries({
      response,
      previousRows: previous,
      interval,
      gap: metricKind(metric) === "count" ? 0 : null,
      nowKey: bucketKey(localDateTimeIn(props.timezone), interval),
    });
    return { metric, interval, series, marks: annotationMarks(annotations, series.keys, interval, response.query.date_range) };
  }, () => props.settled);

  const intervalSelect = (
    <Show when={choices().length > 1}>
      <label class="field">
        <span>Interval</span>
        <select data-testid="interval-select" onChange={(event) => props.onInterval(event.currentTarget.value as Interval)}>
          <For each={choices()}>
            {(interval) => (
              <option value={interval} selected={interval === (live.data()?.interval ?? requested())}>
                {INTERVAL_LABELS[interval]}
              </option>
            )}
          </For>
        </select>
      </label>
    </Show>
  );

  return (
    <Panel title={`${METRIC_LABELS[props.metric]} over time`} class="chart-panel" live={live} onRetry={props.onRetry} actions={intervalSelect}>
      {(data) => (
        <figure class="chart" data-testid="chart">
          <ErrorBoundary fallback={<ChartLoadError />}>
            <Suspense fallback={<div class="skeleton chart-skeleton" aria-label="Loading the chart" />}>
              <TimeChart
                series={data().series}
                metric={data().metric}
                interval={data().interval}
                previousLabel={props.compare?.label ?? "Before"}
                marks={data().marks}
              />
            </Suspense>
          </ErrorBoundary>
          <figcaption class="sr-only">{summary(data())}</figcaption>
        </figure>
      )}
    </Panel>
  );
}

function ChartLoadError() {
  return (
    <div class="error-text" role="alert">
      <p>
        <strong>Couldn't load the chart.</strong> The dashboard may have been updated; reload the page.
      </p>
      <button type="button" class="button" onClick={() => location.reload()}>
        Reload
      </button>
    </div>
  );
}

/** What the chart shows, in words, for screen readers. */
export function summary(data: ChartData): string {
  const values = data.series.current.filter((value): value is number => value !== null);
  if (!values.length) return `No ${METRIC_LABELS[data.metric].toLowerCase()} in this period.`;
  const peak = Math.max(...values);
  const peakKey = data.series.keys[data.series.current.indexOf(peak)] ?? "";
  return `${METRIC_LABELS[data.metric]} per ${data.interval} over ${data.series.keys.length} ${data.interval}s; highest ${formatMetric(data.metric, peak)}, ${formatBucket(peakKey, data.interval, undefined, true)}.`;
}
