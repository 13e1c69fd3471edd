import { createMemo, createResource, createSignal, For, Index, onMount, Show } from "solid-js";
import { api } from "../api/client";
import { FILTER_OPERATORS, type FilterOperator, type SimpleFilter } from "../api/types";
import { DIMENSION_CHOICES, draftDimension, draftOf, type FilterDraft, OPERATOR_NAMES, readDraft } from "../filter-edit";
import { displayValue } from "../labels";
import { readRows, type Scope, totalsQuery } from "../stats";
import { encodeFilter } from "../view";

const SUGGESTIONS = 50;

/** Top values of a dimension in the current view (without the filter being edited), as typing suggestions. */
async function suggestionsFor([scope, dimension]: [Scope, string]): Promise<string[]> {
  if (dimension.endsWith(":")) return [];
  try {
    const response = await api.query({
      ...totalsQuery(scope, ["visitors"]),
      dimensions: [dimension as SimpleFilter[1]],
      order_by: [["visitors", "desc"]],
      pagination: { limit: SUGGESTIONS, offset: 0 },
    });
    return readRows(response).map((row) => row.value).filter((value) => value !== "");
  } catch {
    return [];
  }
}

/** A dialog to add a filter or change one: dimension, operator, one or more values, checked before it applies. */
export function FilterEditor(props: {
  filter: SimpleFilter | null;
  scope: Scope;
  onSave: (filter: SimpleFilter) => void;
  onClose: () => void;
}) {
  let dialog: HTMLDialogElement | undefined;
  const [draft, setDraft] = createSignal<FilterDraft>(draftOf(props.filter));
  const [problem, setProblem] = createSignal<{ field: string; error: string }>();
  const update = (patch: Partial<FilterDraft>) => {
    setDraft({ ...draft(), ...patch });
    setProblem(undefined);
  };
  const others = () => {
    const editing = props.filter && encodeFilter(props.filter);
    return { ...props.scope, filters: props.scope.filters.filter((filter) => encodeFilter(filter) !== editing) };
  };
  // A string key, so typing a value doesn't ask again: only another dimension does.
  const suggestionKey = createMemo(() => JSON.stringify([others(), draftDimension(draft())]));
  const [suggestions] = createResource(suggestionKey, (key) => suggestionsFor(JSON.parse(key) as [Scope, string]));
  const listId = "filter-suggestions";

  onMount(() => dialog?.showModal());

  function save(event: SubmitEvent) {
    event.preventDefault();
    const result = readDraft(draft());
    if ("error" in result) {
      setProblem(result);
      return;
    }
    props.onSave(result.filter);
    dialog?.close();
  }

  const setValue = (index: number, value: string) => update({ values: draft().values.map((old, i) => (i === index ? value : old)) });

  return (
    <dialog
      ref={dialog}
      class="details-dialog filter-editor"
      aria-labelledby="filter-editor-title"
      data-testid="filter-editor"
      onClose={() => props.onClose()}
      onClick={(event) => event.target === dialog && dialog.close()}
    >
      <form class="dialog-body" onSubmit={save} noValidate>
        <header class="dialog-head">
          <h2 id="filter-editor-title">{props.filter ? "Edit filter" : "Add a filter"}</h2>
          <button type="button" class="button" onClick={() => dialog?.close()} aria-label="Close">
            ✕
          </button>
        </header>
        <div class="filter-fields">
          <label class="form-field">
            <span>Dimension</span>
            <select
              data-testid="filter-dimension"
              onChange={(event) => update({ dimension: event.currentTarget.value as FilterDraft["dimension"] })}
            >
              <For each={DIMENSION_CHOICES}>
                {(choice) => (
                  <option value={choice.value} selected={choice.value === draft().dimension}>
                    {choice.label}
                  </option>
                )}
              </For>
            </select>
          </label>
          <Show when={draft().dimension === "props"}>
            <label class="form-field">
              <span>Property name</span>
              <input
                type="text"
                data-testid="filter-prop-key"
                value={draft().propKey}
                placeholder="plan"
                aria-invalid={problem()?.field === "propKey"}
                aria-describedby="filter-problem"
                onInput={(event) => update({ propKey: event.currentTarget.value })}
              />
            </label>
          </Show>
          <label class="form-field">
            <span>Operator</span>
            <select data-testid="filter-operator" onChange={(event) => update({ operator: event.currentTarget.value as FilterOperator })}>
              <For each={FILTER_OPERATORS}>
                {(operator) => (
                  <option value={operator} selected={operator === draft().operator}>
                    {OPERATOR_NAMES[operator]}
                  </option>
                )}
              </For>
            </select>
          </label>
          <fieldset class="filter-values">
            <legend>Values (any of them)</legend>
            <Index each={draft().values}>
              {(value, index) => (
                <div class="filter-value">
                  <input
                    type="text"
                    list={listId}
                    data-testid="filter-value"
                    value={value()}
                    aria-label={`Value ${index + 1}`}
                    aria-invalid={problem()?.field === "values"}
                    aria-describedby="filter-problem"
                    onInput={(event) => setValue(index, event.currentTarget.value)}
                  />
                  <Show when={draft().values.length > 1}>
                    <button
                      type="button"
                      class="button"
                      aria-label={`Remove value ${index + 1}`}
                      onClick={() => update({ values: draft().values.filter((_, i) => i !== index) })}
                    >
                      ✕
                    </button>
                  </Show>
                </div>
              )}
            </Index>
            <button type="button" class="link-button" data-testid="filter-add-value" onClick={() => update({ values: [...draft().values, ""] })}>
              + Another value
            </button>
            <datalist id={listId}>
              <For each={suggestions() ?? []}>{(value) => <option value={value}>{displayValue(draftDimension(draft()), value)}</option>}</For>
            </datalist>
          </fieldset>
          <Show when={draft().operator.startsWith("matches")}>
            <p class="hint">Regular expressions (RE2 syntax), e.g. <code>^/blog/\d+$</code>.</p>
          </Show>
        </div>
        <p id="filter-problem" class="alert" role="alert" data-testid="filter-error" hidden={!problem()}>
          {problem()?.error}
        </p>
        <div class="dialog-actions">
          <button type="button" class="button" onClick={() => dialog?.close()}>
            Cancel
          </button>
          <button type="submit" class="button primary" data-testid="filter-save">
            {props.filter ? "Apply changes" : "Add filter"}
          </button>
        </div>
      </form>
    </dialog>
  );
}
