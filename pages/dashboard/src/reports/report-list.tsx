import { createResource, createSignal, For, Match, Show, Switch } from "solid-js";
import { messageOf } from "../api/client";
import type { DateRange, Site } from "../api/types";
import { Link } from "../components/link";
import { Alert, ErrorText } from "../components/message";
import { navigate } from "../router";
import { siteSectionUrl } from "../routes";
import { type Report, reportsApi } from "./api";
import { rangeLabel, RangeSelect } from "./range-select";

/** The site's reports: everyone who sees the site reads them; site admins create, rename and delete them. */
export function ReportList(props: { site: Site; canEdit: boolean }) {
  const [reports, { refetch, mutate }] = createResource(() => props.site.id, reportsApi.list);
  const [error, setError] = createSignal<string>();

  async function change(action: () => Promise<unknown>) {
    setError(undefined);
    try {
      await action();
    } catch (failure) {
      setError(messageOf(failure));
    }
  }

  return (
    <section class="reports" aria-busy={reports.loading} data-testid="report-list">
      <Show when={props.canEdit}>
        <NewReportForm site={props.site} />
      </Show>
      <Alert message={error()} />
      <Switch>
        <Match when={reports.error}>
          <ErrorText error={reports.error} onRetry={refetch} />
        </Match>
        <Match when={reports.state === "unresolved" || (reports.loading && !reports.latest)}>
          <div class="skeleton" aria-label="Loading the reports" />
        </Match>
        <Match when={reports()?.length === 0}>
          <p class="empty" data-testid="reports-empty">
            {props.canEdit
              ? "No reports yet. A report is a page of charts and tables of your choice; name one above to start."
              : "No reports yet. A site admin can make them."}
          </p>
        </Match>
        <Match when={reports()}>
          {(list) => (
            <ul class="report-items">
              <For each={list()}>
                {(report) => (
                  <ReportItem
                    site={props.site}
                    report={report}
                    canEdit={props.canEdit}
                    onRename={(name) =>
                      change(async () => {
                        const renamed = await reportsApi.update(props.site.id, report.id, { name });
                        mutate((all) => all?.map((other) => (other.id === report.id ? renamed : other)));
                      })
                    }
                    onDelete={() =>
                      change(async () => {
                        await reportsApi.remove(props.site.id, report.id);
                        mutate((all) => all?.filter((other) => other.id !== report.id));
                      })
                    }
                  />
                )}
              </For>
            </ul>
          )}
        </Match>
      </Switch>
    </section>
  );
}

function NewReportForm(props: { site: Site }) {
  const [range, setRange] = createSignal<DateRange>("30d");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();

  async function create(event: SubmitEvent & { currentTarget: HTMLFormElement }) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "").trim();
    if (!name) return setError("Name the report.");
    setBusy(true);
    setError(undefined);
    try {
      const report = await reportsApi.create(props.site.id, name, range());
      navigate(siteSectionUrl(props.site.id, "reports", [report.id]));
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  }

  return (
    <form class="card new-report" onSubmit={create} aria-label="New report">
      <label class="form-field">
        <span>New report</span>
        <input name="name" maxLength={200} placeholder="Marketing weekly" required data-testid="report-name" />
      </label>
      <RangeSelect range={range()} onRange={setRange} label="Date range" />
      <button type="submit" class="button primary" disabled={busy()} data-testid="report-create">
        {busy() ? "Creating…" : "Create report"}
      </button>
      <Alert message={error()} />
    </form>
  );
}

function ReportItem(props: { site: Site; report: Report; canEdit: boolean; onRename: (name: string) => Promise<void>; onDelete: () => Promise<void> }) {
  const [renaming, setRenaming] = createSignal(false);
  const [confirming, setConfirming] = createSignal(false);

  async function rename(event: SubmitEvent & { currentTarget: HTMLFormElement }) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "").trim();
    if (!name) return;
    await props.onRename(name);
    setRenaming(false);
  }

  return (
    <li class="card report-item" data-testid="report-item">
      <Show
        when={renaming()}
        fallback={
          <div class="report-link">
            <Link href={siteSectionUrl(props.site.id, "reports", [props.report.id])} data-testid="report-link">
              {props.report.name}
            </Link>
            <span class="muted">{rangeLabel(props.report.dateRange)}</span>
          </div>
        }
      >
        <form class="rename" onSubmit={rename} aria-label={`Rename ${props.report.name}`}>
          <label class="sr-only" for={`rename-${props.report.id}`}>
            New name
          </label>
          <input id={`rename-${props.report.id}`} name="name" value={props.report.name} maxLength={200} required data-testid="report-rename-input" />
          <button type="submit" class="button primary">
            Save
          </button>
          <button type="button" class="button" onClick={() => setRenaming(false)}>
            Cancel
          </button>
        </form>
      </Show>
      <Show when={props.canEdit && !renaming()}>
        <div class="item-actions">
          <button type="button" class="button" onClick={() => setRenaming(true)} data-testid="report-rename" aria-label={`Rename ${props.report.name}`}>
            Rename
          </button>
          <Show
            when={confirming()}
            fallback={
              <button type="button" class="button" onClick={() => setConfirming(true)} data-testid="report-delete" aria-label={`Delete ${props.report.name}`}>
                Delete
              </button>
            }
          >
            <button type="button" class="button danger" onClick={() => void props.onDelete()} data-testid="report-delete-confirm">
              Delete with its widgets
            </button>
            <button type="button" class="button" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </Show>
        </div>
      </Show>
    </li>
  );
}
