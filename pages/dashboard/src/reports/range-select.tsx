import { For } from "solid-js";
import type { DateRange, DateRangeKey } from "../api/types";
import { RANGES } from "../components/date-controls";

export const rangeLabel = (range: DateRange): string =>
  Array.isArray(range) ? `${range[0]} – ${range[1]}` : (RANGES.find((entry) => entry.key === range)?.label ?? range);

/** A preset date range; a report's custom days are kept and shown as their own choice. */
export function RangeSelect(props: { range: DateRange; label: string; onRange: (range: DateRange) => void }) {
  const custom = () => (Array.isArray(props.range) ? props.range : null);
  return (
    <label class="form-field">
      <span>{props.label}</span>
      <select
        data-testid="report-range"
        onChange={(event) => {
          const value = event.currentTarget.value;
          if (value !== "custom") props.onRange(value as DateRangeKey);
        }}
      >
        <For each={RANGES}>
          {(entry) => (
            <option value={entry.key} selected={entry.key === props.range}>
              {entry.label}
            </option>
          )}
        </For>
        {custom() && (
          <option value="custom" selected>
            {rangeLabel(custom()!)}
          </option>
        )}
      </select>
    </label>
  );
}
