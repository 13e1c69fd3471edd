import { ErrorBoundary, For, Index, lazy, Match, Show, Suspense, Switch } from "solid-js";
import { BarList } from "../components/bar-list";
import { csvFileName, toCsv } from "../csv";
import { formatBucket, formatChange, formatMetric, formatNumber, fullNumber, isImprovement, METRIC_LABELS } from "../format";
import { cellText, tableCsv, type Figure, type WidgetData } from "./shape";

const TimeChart = lazy(() => import("../components/time-chart"));

type Of<K extends WidgetData["kind"]> = Extract<WidgetData, { kind: K }>;

/** One widget's answer, drawn as its chart kind. */
export function WidgetView(props: { data: WidgetData; title: string; fileName: string[] }) {
  return (
    <Switch>
      <Match when={props.data.kind === "number" && (props.data as Of<"number">)}>{(data) => <Figures figures={data().figures} />}</Match>
      <Match when={props.data.kind === "line" && (props.data as Of<"line">)}>{(data) => <Line data={data()} />}</Match>
      <Match when={(props.data.kind === "bar" || props.data.kind === "map") && (props.data as Of<"bar" | "map">)}>
        {(data) => (
          <Show when={data().rows.length > 0} fallback={<p class="empty">Nothing in this period.</p>}>
            <div class="widget-scroll">
              <BarList column={data().column} dimension={data().dimension} metrics={data().metrics} rows={data().rows} valueTestId="widget-value" />
            </div>
          </Show>
        )}
      </Match>
      <Match when={props.data.kind === "table" && (props.data as Of<"table">)}>
        {(data) => <Table data={data()} title={props.title} fileName={props.fileName} />}
      </Match>
    </Switch>
  );
}

function Figures(props: { figures: Figure[] }) {
  return (
    <Show when={props.figures.length > 0} fallback={<p class="empty">The query answered no rows.</p>}>
      <dl class="figures">
        <For each={props.figures}>
          {(figure) => (
            <div class="figure">
              <dt>{figure.label}</dt>
              <dd>
                <span class="figure-value" data-testid="widget-figure" title={figure.metric ? undefined : fullNumber(figure.value)}>
                  {figure.metric ? formatMetric(figure.metric, figure.value) : formatNumber(figure.value)}
                </span>
                <Show when={figure.change !== null && figure.metric}>
                  <span
                    class={`change ${isImprovement(figure.metric!, figure.change!) ? "good" : figure.change === 0 ? "" : "bad"}`}
                    data-testid="widget-change"
                  >
                    {formatChange(figure.change!)}
                    <span class="sr-only"> against the comparison period</span>
                  </span>
                </Show>
              </dd>
            </div>
          )}
        </For>
      </dl>
    </Show>
  );
}

function Line(props: { data: Of<"line"> }) {
  const caption = () => {
    const values = props.data.series.current.filter((value): value is number => value !== null);
    if (!values.length) return `No ${METRIC_LABELS[props.data.metric].toLowerCase()} in this period.`;
    const peak = Math.max(...values);
    const at = props.data.series.keys[props.data.series.current.indexOf(peak)] ?? "";
    return `${METRIC_LABELS[props.data.metric]} per ${props.data.interval}; highest ${formatMetric(props.data.metric, peak)}, ${formatBucket(at, props.data.interval, undefined, true)}.`;
  };
  return (
    <figure class="chart" data-testid="widget-chart">
      <ErrorBoundary fallback={<p class="alert">Couldn't load the chart. The dashboard may have been updated; reload the page.</p>}>
        <Suspense fallback={<div class="skeleton chart-skeleton" aria-label="Loading the chart" />}>
          <TimeChart series={props.data.series} metric={props.data.metric} interval={props.data.interval} previousLabel="Before" />
        </Suspense>
      </ErrorBoundary>
      <figcaption class="sr-only">{caption()}</figcaption>
    </figure>
  );
}

function Table(props: { data: Of<"table">; title: string; fileName: string[] }) {
  function exportCsv() {
    const { header, rows } = tableCsv(props.data);
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([toCsv(header, rows)], { type: "text/csv;charset=utf-8" }));
    link.download = csvFileName(...props.fileName);
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 0);
  }
  return (
    <Show when={props.data.rows.length > 0} fallback={<p class="empty">Nothing in this period.</p>}>
      <div class="widget-scroll">
        <table class="widget-table" data-testid="widget-table">
          <caption class="sr-only">{props.title}</caption>
          <thead>
            <tr>
              <For each={props.data.columns}>
                {(column) => (
                  <th scope="col" classList={{ num: !!column.metric }}>
                    {column.label}
                  </th>
                )}
              </For>
            </tr>
          </thead>
          <tbody>
            <Index each={props.data.rows}>
              {(row) => (
                <tr>
                  <Index each={props.data.columns}>
                    {(column, i) => (
                      <td classList={{ num: !!column().metric || typeof row()[i] === "number" }} data-testid="widget-cell">
                        {cellText(column(), row()[i] ?? "", formatMetric)}
                      </td>
                    )}
                  </Index>
                </tr>
              )}
            </Index>
          </tbody>
        </table>
      </div>
      <button type="button" class="button small" onClick={exportCsv} data-testid="widget-export">
        Export CSV
      </button>
    </Show>
  );
}
