import { createSignal, For, Show } from "solid-js";
import { Alert } from "./message";
import type { ComparisonMode, DateRange, DateRangeKey } from "../api/types";
import { isDay } from "../dates";

export const RANGES: readonly { key: DateRangeKey; label: string }[] = [
  { key: "day", label: "Today" },
  { key: "24h", label: "Last 24 hours" },
  { key: "7d", label: "Last 7 days" },
  { key: "28d", label: "Last 28 days" },
  { key: "30d", label: "Last 30 days" },
  { key: "month", label: "This month" },
  { key: "6mo", label: "Last 6 months" },
  { key: "12mo", label: "Last 12 months" },
  { key: "year", label: "This year" },
  { key: "all", label: "All time" },
];

const COMPARISONS: readonly { mode: ComparisonMode; label: string }[] = [
  { mode: "previous_period", label: "Previous period" },
  { mode: "year_over_year", label: "Year over year" },
];

export const comparisonLabel = (mode: ComparisonMode) => COMPARISONS.find((entry) => entry.mode === mode)!.label.toLowerCase();

/** Comparing needs whole days on both sides. */
export const canCompare = (range: DateRange) => range !== "all" && range !== "24h";

/** The date range (a preset or custom days) and the comparison period. */
export function DateControls(props: {
  range: DateRange;
  today: string;
  compare: ComparisonMode | null;
  onRange: (range: DateRange) => void;
  onCompare: (mode: ComparisonMode | null) => void;
}) {
  const [editing, setEditing] = createSignal(false);
  const custom = () => (Array.isArray(props.range) ? props.range : null);
  const [error, setError] = createSignal<string>();

  function apply(event: SubmitEvent & { currentTarget: HTMLFormElement }) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const from = String(form.get("from") ?? "");
    const to = String(form.get("to") ?? "");
    if (!isDay(from) || !isDay(to)) return setError("Pick both days.");
    if (from > to) return setError("The first day must not be after the last.");
    setError(undefined);
    setEditing(false);
    props.onRange([from, to]);
  }

  return (
    <div class="date-controls">
      <label class="field">
        <span>Date range</span>
        <select
          data-testid="range-select"
          onChange={(event) => {
            const value = event.currentTarget.value;
            if (value === "custom") setEditing(true);
            else {
              setEditing(false);
              props.onRange(value as DateRangeKey);
            }
          }}
        >
          <For each={RANGES}>
            {(range) => (
              <option value={range.key} selected={range.key === props.range}>
                {range.label}
              </option>
            )}
          </For>
          <option value="custom" selected={!!custom()}>
            {custom() ? `${custom()![0]} – ${custom()![1]}` : "Custom…"}
          </option>
        </select>
      </label>
      <Show when={editing() || custom()}>
        <form class="custom-range" onSubmit={apply} aria-label="Custom date range">
          <label class="field">
            <span>From</span>
            <input type="date" name="from" required max={props.today} value={custom()?.[0] ?? ""} data-testid="range-from" />
          </label>
          <label class="field">
            <span>To</span>
            <input type="date" name="to" required max={props.today} value={custom()?.[1] ?? props.today} data-testid="range-to" />
          </label>
          <button type="submit" class="button">
            Apply
          </button>
          <Alert message={error()} />
        </form>
      </Show>
      <label class="field" title={canCompare(props.range) ? undefined : "Comparing needs a range of whole days other than all time."}>
        <span>Compare</span>
        <select
          data-testid="compare-select"
          disabled={!canCompare(props.range)}
          onChange={(event) => props.onCompare((event.currentTarget.value || null) as ComparisonMode | null)}
        >
          <option value="" selected={!props.compare}>
            Off
          </option>
          <For each={COMPARISONS}>
            {(entry) => (
              <option value={entry.mode} selected={entry.mode === props.compare}>
                {entry.label}
              </option>
            )}
          </For>
        </select>
      </label>
    </div>
  );
}
