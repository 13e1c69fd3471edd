import { For, Show } from "solid-js";
import type { SimpleFilter } from "../api/types";
import { filterLabel } from "../labels";

/** The dashboard's filters as removable chips. */
export function FilterBar(props: { filters: SimpleFilter[]; onRemove: (filter: SimpleFilter) => void; onClear: () => void }) {
  return (
    <Show when={props.filters.length > 0}>
      <section class="filters" aria-label="Filters">
        <ul>
          <For each={props.filters}>
            {(filter) => {
              const label = () => filterLabel(...filter);
              return (
                <li class="chip" data-testid="filter-chip">
                  <span>{label()}</span>
                  <button type="button" aria-label={`Remove filter: ${label()}`} onClick={() => props.onRemove(filter)}>
                    ✕
                  </button>
                </li>
              );
            }}
          </For>
        </ul>
        <Show when={props.filters.length > 1}>
          <button type="button" class="link-button" onClick={() => props.onClear()}>
            Clear all
          </button>
        </Show>
      </section>
    </Show>
  );
}
