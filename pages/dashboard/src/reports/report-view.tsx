import { createResource, createSignal, For, Match, Show, Switch } from "solid-js";
import { messageOf } from "../api/client";
import type { ComparisonMode, DateRange, Site, User } from "../api/types";
import { DateControls } from "../components/date-controls";
import { Link } from "../components/link";
import { Alert, ErrorText } from "../components/message";
import { todayIn } from "../dates";
import { currentLocation, navigate } from "../router";
import { siteSectionUrl } from "../routes";
import { reportCompareFrom, reportCompareSearch } from "../view";
import { type ReportWithWidgets, reportsApi, type Widget, type WidgetInput } from "./api";
import { stepTo } from "./layout";
import type { RunContext } from "./run";
import { SqlEditor } from "./sql-editor";
import { WidgetBuilder } from "./widget-builder";
import { WidgetCard } from "./widget-card";

type Editing = { tool: "builder" | "sql"; widget?: Widget } | null;

/** One report: its date range and its grid of widgets; editors add, change, move and delete widgets. */
export function ReportView(props: { site: Site; user: User; reportId: string; canEdit: boolean }) {
  const [report, { refetch }] = createResource(() => [props.site.id, props.reportId] as const, ([siteId, id]) => reportsApi.get(siteId, id));
  return (
    <div class="report" data-testid="report">
      <Link href={siteSectionUrl(props.site.id, "reports")} class="back-link">
        ← All reports
      </Link>
      <Switch>
        <Match when={report.error}>
          <ErrorText error={report.error} onRetry={refetch} />
        </Match>
        <Match when={report.loading}>
          <div class="skeleton" aria-label="Loading the report" />
        </Match>
        <Match when={report()}>{(loaded) => <LoadedReport {...props} initial={loaded()} />}</Match>
      </Switch>
    </div>
  );
}

function LoadedReport(props: { site: Site; user: User; canEdit: boolean; initial: ReportWithWidgets }) {
  const [widgets, setWidgets] = createSignal<Widget[]>(props.initial.widgets);
  const [range, setRange] = createSignal<DateRange>(props.initial.dateRange);
  const compare = () => reportCompareFrom(currentLocation().search);
  const setCompare = (mode: ComparisonMode | null) => navigate(currentLocation().pathname + reportCompareSearch(mode));
  const [editing, setEditing] = createSignal<Editing>(null);
  const [error, setError] = createSignal<string>();
  const canUseSql = () => props.user.role === "admin";
  const reportId = props.initial.id;
  const context = (): RunContext => ({ siteId: props.site.id, reportId, timezone: props.site.timezone, range: range(), compare: compare() });

  async function attempt(action: () => Promise<unknown>) {
    setError(undefined);
    try {
      await action();
    } catch (failure) {
      setError(messageOf(failure));
    }
  }

  /** Editors save the range first: SQL widgets run over the saved range. Viewers look at other days just for themselves. */
  function changeRange(next: DateRange) {
    if (!props.canEdit) return setRange(next);
    void attempt(async () => {
      await reportsApi.update(props.site.id, reportId, { dateRange: next });
      setRange(next);
    });
  }

  async function save(input: WidgetInput) {
    const current = editing();
    if (current?.widget) {
      const saved = await reportsApi.updateWidget(props.site.id, reportId, current.widget.id, input);
      setWidgets(widgets().map((widget) => (widget.id === saved.id ? saved : widget)));
    } else {
      const saved = await reportsApi.addWidget(props.site.id, reportId, input);
      setWidgets([...widgets(), saved]);
    }
    setEditing(null);
  }

  const move = (widget: Widget, index: number, step: -1 | 1) =>
    attempt(async () => {
      const position = stepTo(index, step, widgets().length);
      if (position === null) return;
      await reportsApi.updateWidget(props.site.id, reportId, widget.id, { position });
      const rest = widgets().filter((other) => other.id !== widget.id);
      setWidgets([...rest.slice(0, position), widget, ...rest.slice(position)]);
    });

  const remove = (widget: Widget) =>
    attempt(async () => {
      await reportsApi.removeWidget(props.site.id, reportId, widget.id);
      setWidgets(widgets().filter((other) => other.id !== widget.id));
    });

  return (
    <>
      <div class="toolbar report-toolbar">
        <h3 class="report-name" data-testid="report-title">
          {props.initial.name}
        </h3>
        <DateControls range={range()} today={todayIn(props.site.timezone)} compare={compare()} onRange={changeRange} onCompare={setCompare} />
      </div>
      <Show when={props.canEdit}>
        <div class="report-tools">
          <button type="button" class="button primary" onClick={() => setEditing({ tool: "builder" })} data-testid="add-widget">
            Add widget
          </button>
          <Show when={canUseSql()}>
            <button type="button" class="button" onClick={() => setEditing({ tool: "sql" })} data-testid="add-sql-widget">
              Add SQL widget
            </button>
          </Show>
        </div>
      </Show>
      <Alert message={error()} />
      <Show
        when={widgets().length > 0}
        fallback={
          <p class="empty" data-testid="report-empty">
            {props.canEdit ? "This report has no widgets yet. Add one to see your numbers here." : "This report has no widgets yet."}
          </p>
        }
      >
        <div class="report-grid" data-testid="report-grid">
          <For each={widgets()}>
            {(widget, index) => (
              <WidgetCard
                widget={widget}
                context={context()}
                siteDomain={props.site.domain}
                canEdit={props.canEdit}
                canUseSql={canUseSql()}
                first={index() === 0}
                last={index() === widgets().length - 1}
                onEdit={() => setEditing({ tool: widget.sql === null ? "builder" : "sql", widget })}
                onMove={(step) => void move(widget, index(), step)}
                onDelete={() => void remove(widget)}
              />
            )}
          </For>
        </div>
      </Show>
      <Show when={editing()} keyed>
        {(current) =>
          current.tool === "builder" ? (
            <WidgetBuilder widget={current.widget} context={context()} siteDomain={props.site.domain} onSave={save} onClose={() => setEditing(null)} />
          ) : (
            <SqlEditor widget={current.widget} context={context()} siteDomain={props.site.domain} onSave={save} onClose={() => setEditing(null)} />
          )
        }
      </Show>
    </>
  );
}
