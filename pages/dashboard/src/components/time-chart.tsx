import { createEffect, on, onCleanup, onMount } from "solid-js";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { AnnotationMark } from "../annotations";
import type { Interval, Metric } from "../api/types";
import { formatBucket, formatMetric, METRIC_LABELS, metricKind } from "../format";
import type { Series } from "../series";
import { theme } from "../theme";

export interface TimeChartProps {
  series: Series;
  metric: Metric;
  interval: Interval;
  previousLabel: string;
  marks?: AnnotationMark[];
}

const HEIGHT = 240;
/** Whole steps for counts: an axis that reads 0, 0, 1, 1 helps nobody. */
const WHOLE_STEPS = Array.from({ length: 10 }, (_, power) => [1, 2, 5].map((step) => step * 10 ** power)).flat();

function color(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** A line at each annotated bucket, its notes shown on hover or focus. */
function placeMarks(chart: uPlot, marks: AnnotationMark[]) {
  chart.over.querySelectorAll(".annotation-mark").forEach((old) => old.remove());
  for (const mark of marks) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "annotation-mark";
    button.dataset.testid = "annotation-mark";
    button.dataset.text = mark.text;
    button.setAttribute("aria-label", `Annotation: ${mark.text}`);
    button.style.left = `${chart.valToPos(mark.index, "x")}px`;
    chart.over.append(button);
  }
}

function dataOf(series: Series): uPlot.AlignedData {
  const x = series.keys.map((_, i) => i);
  return series.previous ? [x, series.current, series.previous] : [x, series.current];
}

/** The metric over time with uPlot, the comparison period dashed; loaded on demand to keep the first load small. */
export default function TimeChart(props: TimeChartProps) {
  let container!: HTMLDivElement;
  let chart: uPlot | undefined;

  function options(width: number): uPlot.Options {
    const accent = color("--accent");
    const muted = color("--muted");
    const grid = color("--border");
    const value = (_: uPlot, v: number | null) => (v == null ? "—" : formatMetric(props.metric, v));
    const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { show: false } };
    const keys = props.series.keys;
    return {
      width,
      height: HEIGHT,
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      cursor: { y: false, points: { size: 8 } },
      hooks: { draw: [(chart) => placeMarks(chart, props.marks ?? [])] },
      legend: { live: true },
      axes: [
        {
          ...axis,
          grid: { show: false },
          space: 60,
          values: (_u, splits) => splits.map((i) => (Number.isInteger(i) && keys[i] ? formatBucket(keys[i], props.interval) : "")),
        },
        {
          ...axis,
          size: 56,
          ...(metricKind(props.metric) === "count" && { incrs: WHOLE_STEPS }),
          values: (_u, splits) => splits.map((v) => formatMetric(props.metric, v)),
        },
      ],
      series: [
        { label: "When", value: (_u, i) => (i == null || !keys[i] ? "—" : formatBucket(keys[i], props.interval, undefined, true)) },
        { label: METRIC_LABELS[props.metric], stroke: accent, fill: color("--accent-soft"), width: 2, value, points: { show: keys.length < 40 } },
        ...(props.series.previous
          ? [{ label: props.previousLabel, stroke: muted, width: 1.5, dash: [5, 5], value, points: { show: false } }]
          : []),
      ],
    };
  }

  function build() {
    chart?.destroy();
    chart = new uPlot(options(container.clientWidth || 600), dataOf(props.series), container);
  }

  onMount(() => {
    build();
    const observer = new ResizeObserver(() => chart?.setSize({ width: container.clientWidth, height: HEIGHT }));
    observer.observe(container);
    onCleanup(() => {
      observer.disconnect();
      chart?.destroy();
    });
  });

  // A refresh with the same shape only swaps the data, so the chart doesn't flicker; anything else rebuilds it.
  let shape = "";
  createEffect(
    on([() => props.series, () => props.metric, () => props.interval, () => props.marks, theme], () => {
      const next = JSON.stringify([props.metric, props.interval, props.series.keys, !!props.series.previous, theme()]);
      if (next === shape && chart) chart.setData(dataOf(props.series));
      else if (shape !== "") build();
      shape = next;
    }),
  );

  return <div ref={container} class="time-chart" />;
}
