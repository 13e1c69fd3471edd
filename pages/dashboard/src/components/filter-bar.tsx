import { For, Show } from "solid-js";
import type { SimpleFilter } from "../api/types";
import type { Segment, SegmentVisibility } from "@pixel/lib/segments";
import { SegmentForm } from "./segment-form";
import { filterLabel } from "../labels";

/** The dashboard's filters as chips: click one to edit it, ✕ to remove it; "Filter" adds one. */
export function FilterBar(props: {
  filters: SimpleFilter[];
  onRemove: (filter: SimpleFilter) => void;
  onClear: () => void;
  onEdit: (filter: SimpleFilter | null) => void;
  /** Saved segments, for signed-in members; share links get none. */
  segments?: Segment[];
  segment: number | null;
  onSegment: (id: number | null) => void;
  /** Saves the filters as a segment; a refusal (ApiError) is shown in the form. */
  onSaveSegment?: (name: string, visibility: SegmentVisibility) => Promise<void>;
}) {
  return (
    <section class="filters" aria-label="Filters">
      <Show when={props.segments?.length || props.segment}>
        <label class="segment-picker">
          Segment{" "}
          <select data-testid="segment" value={props.segment ?? ""} onChange={(event) => props.onSegment(Number(event.currentTarget.value) || null)}>
            <option value="">All visitors</option>
            <For each={props.segments}>{(segment) => <option value={segment.id}>{segment.name}</option>}</For>
          </select>
        </label>
      </Show>
      <ul>
        <For each={props.filters}>
          {(filter) => {
            const label = () => filterLabel(...filter);
            return (
              <li class="chip" data-testid="filter-chip">
                <button type="button" class="chip-label" title={`Edit filter: ${label()}`} data-testid="edit-filter" onClick={() => props.onEdit(filter)}>
                  {label()}
                </button>
                <button type="button" class="chip-remove" aria-label={`Remove filter: ${label()}`} onClick={() => props.onRemove(filter)}>
                  ✕
                </button>
              </li>
            );
          }}
        </For>
      </ul>
      <button type="button" class="button add-filter" data-testid="add-filter" onClick={() => props.onEdit(null)}>
        + Filter
      </button>
      <Show when={props.filters.length > 0 && props.onSaveSegment}>{(save) => <SegmentForm onSave={save()} />}</Show>
      <Show when={props.filters.length > 1}>
        <button type="button" class="link-button" onClick={() => props.onClear()}>
          Clear all
        </button>
      </Show>
    </section>
  );
}
