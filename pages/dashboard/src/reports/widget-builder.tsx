import { createEffect, createMemo, createSignal, For, Index, on, onCleanup, Show } from "solid-js";
import { messageOf } from "../api/client";
import { FILTER_DIMENSIONS, FILTER_OPERATORS, type FilterDimension, type FilterOperator, type Interval, type Metric } from "../api/types";
import { LiveState } from "../components/panel";
import { METRIC_LABELS } from "../format";
import { createLive } from "../live";
import { METRICS } from "@pixel/lib/stats/vocabulary";
import { WIDGET_KINDS, type Widget, type WidgetInput, type WidgetKind, type WidgetQuery } from "./api";
import { type BuilderState, composeQuery, MAX_LIMIT, newBuilderState, problems, stateFromWidget, withKind } from "./builder";
import { ReportDialog } from "./dialog";
import { type RunContext, runWidget } from "./run";
import { dimensionName } from "./shape";
import { KIND_LABELS } from "./widget-card";
import { OPERATOR_LABELS } from "../labels";
import { WidgetView } from "./widget-view";

const PREVIEW_DELAY_MS = 400;
const WIDTHS = [1, 2, 3, 4, 5, 6];
const INTERVALS: { value: Interval | "auto"; label: string }[] = [
  { value: "auto", label: "Automatic" },
  { value: "hour", label: "Hours" },
  { value: "day", label: "Days" },
  { value: "week", label: "Weeks" },
  { value: "month", label: "Months" },
];

/** Composes a query widget with a live preview of what it will show. */
export function WidgetBuilder(props: {
  widget?: Widget;
  context: RunContext;
  siteDomain: string;
  onSave: (input: WidgetInput) => Promise<void>;
  onClose: () => void;
}) {
  const [state, setState] = createSignal<BuilderState>(props.widget ? stateFromWidget(props.widget) : newBuilderState());
  const [saving, setSaving] = createSignal(false);
  const [saveError, setSaveError] = createSignal<string>();
  const [tried, setTried] = createSignal(false);
  const update = (change: Partial<BuilderState>) => setState({ ...state(), ...change });
  const found = createMemo(() => problems(state()));
  const previewProblems = () => found().filter((problem) => problem.field !== "title");

  const [previewKey, setPreviewKey] = createSignal<string | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  createEffect(
    on(state, (current) => {
      const next = problems(current).some((problem) => problem.field !== "title") ? null : JSON.stringify([current.kind, composeQuery(current)]);
      clearTimeout(timer);
      timer = setTimeout(() => setPreviewKey(next), PREVIEW_DELAY_MS);
    }),
  );
  onCleanup(() => clearTimeout(timer));
  const [retries, setRetries] = createSignal(0);
  const preview = createLive(previewKey, retries, (signal) => {
    const [kind, query] = JSON.parse(previewKey()!) as [WidgetKind, WidgetQuery];
    return runWidget({ kind, query }, props.context, signal);
  });

  async function save(event: SubmitEvent) {
    event.preventDefault();
    setTried(true);
    if (found().length) return;
    setSaving(true);
    setSaveError(undefined);
    const current = state();
    try {
      await props.onSave({ title: current.title.trim(), kind: current.kind, width: current.width, query: composeQuery(current) });
    } catch (error) {
      setSaveError(messageOf(error));
      setSaving(false);
    }
  }

  const toggleMetric = (metric: Metric, on: boolean) => {
    const metrics = on ? METRICS.filter((m) => m === metric || state().metrics.includes(m)) : state().metrics.filter((m) => m !== metric);
    update({ metrics });
  };
  const setDimension = (index: number, value: string) => {
    const dimensions = [...state().dimensions];
    if (value) dimensions[index] = value as FilterDimension;
    else dimensions.splice(index, 1);
    update({ dimensions });
  };
  const setFilter = (index: number, change: Partial<BuilderState["filters"][number]>) =>
    update({ filters: state().filters.map((filter, i) => (i === index ? { ...filter, ...change } : filter)) });

  return (
    <ReportDialog title={props.widget ? `Edit ${props.widget.title}` : "New widget"} testId="widget-builder" onClose={props.onClose}>
      <div class="builder">
        <form class="builder-form" onSubmit={save} novalidate>
          <label class="form-field">
            <span>Title</span>
            <input value={state().title} maxLength={200} onInput={(event) => update({ title: event.currentTarget.value })} data-testid="builder-title" />
          </label>
          <fieldset class="choices">
            <legend>Chart</legend>
            <For each={WIDGET_KINDS}>
              {(kind) => (
                <label class="choice">
                  <input
                    type="radio"
                    name="kind"
                    value={kind}
                    checked={state().kind === kind}
                    onChange={() => setState(withKind(state(), kind))}
                    data-testid={`builder-kind-${kind}`}
                  />
                  {KIND_LABELS[kind]}
                </label>
              )}
            </For>
          </fieldset>
          <fieldset class="choices">
            <legend>Metrics</legend>
            <For each={METRICS}>
              {(metric) => (
                <label class="choice">
                  <input
                    type="checkbox"
                    checked={state().metrics.includes(metric)}
                    onChange={(event) => toggleMetric(metric, event.currentTarget.checked)}
                    data-testid={`builder-metric-${metric}`}
                  />
                  {METRIC_LABELS[metric]}
                </label>
              )}
            </For>
          </fieldset>
          <Show when={state().kind === "bar" || state().kind === "table"}>
            <div class="builder-row">
              <DimensionSelect label="Break down by" value={state().dimensions[0]} onChange={(value) => setDimension(0, value)} testId="builder-dimension" />
              <Show when={state().kind === "table"}>
                <DimensionSelect label="Then by" value={state().dimensions[1]} optional onChange={(value) => setDimension(1, value)} testId="builder-dimension-2" />
              </Show>
            </div>
          </Show>
          <Show when={state().kind === "map"}>
            <p class="muted">Broken down by country.</p>
          </Show>
          <div class="builder-row">
            <Show when={state().kind === "line"}>
              <label class="form-field">
                <span>Interval</span>
                <select onChange={(event) => update({ interval: event.currentTarget.value as Interval | "auto" })} data-testid="builder-interval">
                  <For each={INTERVALS}>
                    {(interval) => (
                      <option value={interval.value} selected={state().interval === interval.value}>
                        {interval.label}
                      </option>
                    )}
                  </For>
                </select>
              </label>
            </Show>
            <Show when={state().kind === "bar" || state().kind === "table" || state().kind === "map"}>
              <label class="form-field">
                <span>Rows</span>
                <input
                  type="number"
                  min="1"
                  max={MAX_LIMIT}
                  value={state().limit}
                  onInput={(event) => update({ limit: event.currentTarget.valueAsNumber })}
                  data-testid="builder-limit"
                />
              </label>
            </Show>
            <label class="form-field">
              <span>Width</span>
              <select onChange={(event) => update({ width: Number(event.currentTarget.value) })} data-testid="builder-width">
                <For each={WIDTHS}>
                  {(width) => (
                    <option value={width} selected={state().width === width}>
                      {width === 6 ? "Full width" : `${width} of 6 columns`}
                    </option>
                  )}
                </For>
              </select>
            </label>
          </div>
          <fieldset class="filters-editor">
            <legend>Filters</legend>
            <Index each={state().filters}>
              {(filter, i) => (
                <div class="filter-row" data-testid="builder-filter">
                  <DimensionSelect label={`Filter ${i + 1}`} value={filter().dimension} onChange={(value) => setFilter(i, { dimension: value as FilterDimension })} />
                  <label class="form-field">
                    <span class="sr-only">Filter {i + 1} operator</span>
                    <select onChange={(event) => setFilter(i, { operator: event.currentTarget.value as FilterOperator })} data-testid="builder-filter-operator">
                      <For each={FILTER_OPERATORS}>
                        {(operator) => (
                          <option value={operator} selected={filter().operator === operator}>
                            {OPERATOR_LABELS[operator]}
                          </option>
                        )}
                      </For>
                    </select>
                  </label>
                  <label class="form-field grow">
                    <span class="sr-only">Filter {i + 1} values, separated by commas</span>
                    <input value={filter().values} placeholder="Values, comma-separated" onInput={(event) => setFilter(i, { values: event.currentTarget.value })} data-testid="builder-filter-values" />
                  </label>
                  <button
                    type="button"
                    class="button icon"
                    aria-label={`Remove filter ${i + 1}`}
                    onClick={() => update({ filters: state().filters.filter((_, other) => other !== i) })}
                  >
                    ✕
                  </button>
                </div>
              )}
            </Index>
            <button
              type="button"
              class="button small"
              onClick={() => update({ filters: [...state().filters, { operator: "is", dimension: "event:page", values: "" }] })}
              data-testid="builder-add-filter"
            >
              Add filter
            </button>
          </fieldset>
          <Show when={tried() && found().length > 0}>
            <ul class="alert problems" role="alert" data-testid="builder-problems">
              <For each={found()}>{(problem) => <li>{problem.message}</li>}</For>
            </ul>
          </Show>
          <Show when={saveError()}>
            {(message) => (
              <p class="alert" role="alert">
                Couldn't save: {message()}
              </p>
            )}
          </Show>
          <div class="builder-actions">
            <button type="submit" class="button primary" disabled={saving()} data-testid="builder-save">
              {saving() ? "Saving…" : props.widget ? "Save widget" : "Add to report"}
            </button>
          </div>
        </form>
        <section class="builder-preview card" aria-label="Preview" aria-live="polite" data-testid="widget-preview" aria-busy={preview.loading()}>
          <h3>{state().title.trim() || "Preview"}</h3>
          <Show
            when={previewProblems().length === 0}
            fallback={<p class="empty">{previewProblems()[0]?.message} The preview follows as soon as the query is complete.</p>}
          >
            <LiveState live={preview} onRetry={() => setRetries((n) => n + 1)}>
              {(data) => <WidgetView data={data()} title={state().title || "Preview"} fileName={[props.siteDomain, state().title || "preview"]} />}
            </LiveState>
          </Show>
        </section>
      </div>
    </ReportDialog>
  );
}

function DimensionSelect(props: { label: string; value: string | undefined; optional?: boolean; testId?: string; onChange: (value: string) => void }) {
  return (
    <label class="form-field">
      <span>{props.label}</span>
      <select onChange={(event) => props.onChange(event.currentTarget.value)} data-testid={props.testId}>
        <Show when={props.optional}>
          <option value="" selected={!props.value}>
            Nothing
          </option>
        </Show>
        <For each={FILTER_DIMENSIONS}>
          {(dimension) => (
            <option value={dimension} selected={props.value === dimension}>
              {dimensionName(dimension)}
            </option>
          )}
        </For>
      </select>
    </label>
  );
}
