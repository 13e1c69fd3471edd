import { createSignal, onCleanup, onMount, Show, untrack } from "solid-js";
import { Alert } from "./message";
import { api, messageOf } from "../api/client";
import type { SimpleFilter } from "../api/types";
import { findTab, type Tab } from "../breakdowns";
import { csvFileName, toCsv } from "../csv";
import { formatNumber, METRIC_LABELS } from "../format";
import { createLive } from "../live";
import { breakdownQuery, type GoalCurrency, type ListOptions, readRows, type Scope, withRevenueColumns } from "../stats";
import type { Details } from "../view";
import { BarList } from "./bar-list";
import { LiveState } from "./panel";

export const PAGE_SIZE = 50;
const EXPORT_LIMIT = 10_000;
const SEARCH_DELAY_MS = 300;

/** The full list's query: every detail metric, sorted and searched as the dialog says. */
function listQuery(scope: Scope, tab: Tab, details: Details, limit: number, offset: number) {
  const sort = details.sort && tab.detailMetrics.includes(details.sort.by) ? details.sort : null;
  const options: ListOptions = { metrics: tab.detailMetrics, limit, offset, search: details.search, sort };
  return breakdownQuery(scope, tab, options);
}

/** A modal with the whole breakdown: search, sort, pages and CSV export. */
export function DetailsDialog(props: {
  details: Details;
  scope: Scope;
  /** The site's goals, for revenue columns in goal breakdowns. */
  goals?: GoalCurrency[];
  siteDomain: string;
  tick: number;
  settled: boolean;
  onChange: (details: Details, replace?: boolean) => void;
  onFilter: (filter: SimpleFilter) => void;
  /** Opens a page's scroll depth distribution from its scroll depth cell. */
  onScrollDepth?: (page: string) => void;
  onClose: () => void;
  onRetry: () => void;
}) {
  let dialog: HTMLDialogElement | undefined;
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  const [exportError, setExportError] = createSignal<string>();
  const [exporting, setExporting] = createSignal(false);
  const tab = () => findTab(props.details.tab)!;
  const offset = () => (props.details.page - 1) * PAGE_SIZE;

  const key = () => JSON.stringify([props.scope, props.details]);
  const live = createLive(key, () => props.tick, async (signal) => {
    const current = tab();
    const response = await api.query(listQuery(props.scope, current, props.details, PAGE_SIZE + 1, offset()), signal);
    const rows = readRows(response);
    const data = { tab: current, metrics: current.detailMetrics, rows: rows.slice(0, PAGE_SIZE), more: rows.length > PAGE_SIZE };
    return withRevenueColumns(data, props.scope, props.goals, (query) => api.query(query, signal));
  }, () => props.settled);

  onMount(() => dialog?.showModal());
  onCleanup(() => clearTimeout(searchTimer));

  function search(text: string) {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => props.onChange({ ...props.details, search: text, page: 1 }, true), SEARCH_DELAY_MS);
  }

  async function exportCsv() {
    setExporting(true);
    setExportError(undefined);
    try {
      const current = tab();
      const response = await api.query(listQuery(props.scope, current, props.details, EXPORT_LIMIT, 0));
      const header = [current.column, ...current.detailMetrics.map((metric) => METRIC_LABELS[metric])];
      const csv = toCsv(header, readRows(response).map((row) => [row.value, ...row.metrics]));
      const link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
      link.download = csvFileName(props.siteDomain, current.id, ...(Array.isArray(props.scope.range) ? props.scope.range : [props.scope.range]));
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 0);
    } catch (error) {
      setExportError(`Couldn't export: ${messageOf(error)}`);
    } finally {
      setExporting(false);
    }
  }

  const firstRow = () => offset() + 1;
  const lastRow = () => offset() + (live.data()?.rows.length ?? 0);

  return (
    <dialog
      ref={dialog}
      class="details-dialog"
      aria-labelledby="details-title"
      data-testid="details-dialog"
      onClose={() => props.onClose()}
      onClick={(event) => event.target === dialog && dialog.close()}
    >
      <div class="dialog-body">
        <header class="dialog-head">
          <h2 id="details-title">{tab().label}</h2>
          <button type="button" class="button" onClick={() => dialog?.close()} aria-label="Close">
            ✕
          </button>
        </header>
        <div class="dialog-tools">
          <label class="search">
            <span class="sr-only">Search {tab().label.toLowerCase()}</span>
            <input
              type="search"
              placeholder={`Search ${tab().column.toLowerCase()}…`}
              value={untrack(() => props.details.search)}
              data-testid="details-search"
              onInput={(event) => search(event.currentTarget.value)}
            />
          </label>
          <button type="button" class="button" disabled={exporting()} onClick={exportCsv} data-testid="details-export">
            {exporting() ? "Exporting…" : "Export CSV"}
          </button>
        </div>
        <Alert message={exportError()} />
        <div class="dialog-list" aria-busy={live.loading()}>
          <LiveState live={live} onRetry={props.onRetry}>
            {(data) => (
              <Show
                when={data().rows.length > 0}
                fallback={
                  <p class="empty">{props.details.search ? `Nothing contains “${props.details.search}”.` : "Nothing here for this period."}</p>
                }
              >
                <BarList
                  column={data().tab.column}
                  dimension={data().tab.dimension}
                  metrics={data().metrics}
                  rows={data().rows}
                  valueTestId="details-value"
                  sort={props.details.sort ?? { by: data().metrics[0]!, dir: "desc" }}
                  onSort={(sort) => props.onChange({ ...props.details, sort, page: 1 })}
                  onPick={(value) => props.onFilter(["is", data().tab.dimension, [value]])}
                  metricPick={
                    props.onScrollDepth && data().tab.dimension === "event:page"
                      ? { metric: "scroll_depth", label: "Scroll depth distribution of", pick: props.onScrollDepth }
                      : undefined
                  }
                />
              </Show>
            )}
          </LiveState>
        </div>
        <nav class="pager" aria-label="Pages">
          <button
            type="button"
            class="button"
            disabled={props.details.page <= 1}
            onClick={() => props.onChange({ ...props.details, page: props.details.page - 1 })}
          >
            Previous
          </button>
          <span class="pager-status" aria-live="polite">
            <Show when={lastRow() >= firstRow()}>
              Rows {formatNumber(firstRow())}–{formatNumber(lastRow())}
            </Show>
          </span>
          <button
            type="button"
            class="button"
            disabled={!live.data()?.more}
            onClick={() => props.onChange({ ...props.details, page: props.details.page + 1 })}
          >
            Next
          </button>
        </nav>
      </div>
    </dialog>
  );
}
