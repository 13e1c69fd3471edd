import { createSignal, Show } from "solid-js";
import { LiveState } from "../components/panel";
import { createLive } from "../live";
import type { Widget } from "./api";
import { spans } from "./layout";
import { type RunContext, runWidget } from "./run";
import { WidgetView } from "./widget-view";

export const KIND_LABELS = { number: "Number", line: "Line chart", bar: "Bar list", table: "Table", map: "Countries" } as const;

/** One widget of the grid: runs its query or SQL over the report's range; editors get its controls. */
export function WidgetCard(props: {
  widget: Widget;
  context: RunContext;
  siteDomain: string;
  canEdit: boolean;
  /** Only global admins run and change SQL widgets. */
  canUseSql: boolean;
  first: boolean;
  last: boolean;
  onEdit: () => void;
  onMove: (step: -1 | 1) => void;
  onDelete: () => void;
}) {
  const [confirming, setConfirming] = createSignal(false);
  const runnable = () => props.widget.sql === null || props.canUseSql;
  const editable = () => props.canEdit && runnable();
  /** Only number widgets show a change, so only they rerun when the comparison changes. */
  const key = () => {
    if (!runnable()) return null;
    const { compare, ...rest } = props.context;
    return JSON.stringify([props.widget, rest, props.widget.kind === "number" ? compare : null]);
  };
  const [tick, setTick] = createSignal(0);
  const live = createLive(key, tick, (signal) =>
    runWidget(
      props.widget.sql !== null
        ? { kind: props.widget.kind, sql: props.widget.sql, widgetId: props.widget.id }
        : { kind: props.widget.kind, query: props.widget.query! },
      props.context,
      signal,
    ),
  );
  const headingId = () => `widget-${props.widget.id}`;
  const span = () => spans(props.widget.width);
  const range = () => (Array.isArray(props.context.range) ? props.context.range : [props.context.range]);

  return (
    <section
      class="card widget"
      style={{ "--span": span().wide, "--span-medium": span().medium }}
      aria-labelledby={headingId()}
      aria-busy={live.loading()}
      data-testid="widget"
      data-kind={props.widget.kind}
    >
      <header class="widget-head">
        <h3 id={headingId()} data-testid="widget-title">
          {props.widget.title}
        </h3>
        <Show when={props.widget.sql !== null}>
          <span class="badge">SQL</span>
        </Show>
        <Show when={editable()}>
          <div class="widget-actions" role="group" aria-label={`${props.widget.title}: change`}>
            <button type="button" class="button icon" disabled={props.first} onClick={() => props.onMove(-1)} aria-label={`Move ${props.widget.title} up`} data-testid="widget-up">
              ↑
            </button>
            <button type="button" class="button icon" disabled={props.last} onClick={() => props.onMove(1)} aria-label={`Move ${props.widget.title} down`} data-testid="widget-down">
              ↓
            </button>
            <button type="button" class="button small" onClick={() => props.onEdit()} data-testid="widget-edit">
              Edit
            </button>
            <Show
              when={confirming()}
              fallback={
                <button type="button" class="button small" onClick={() => setConfirming(true)} data-testid="widget-delete">
                  Delete
                </button>
              }
            >
              <button type="button" class="button small danger" onClick={() => props.onDelete()} data-testid="widget-delete-confirm">
                Really delete
              </button>
              <button type="button" class="button small" onClick={() => setConfirming(false)}>
                Keep
              </button>
            </Show>
          </div>
        </Show>
      </header>
      <Show when={runnable()} fallback={<p class="empty">A global admin's SQL widget: only global admins can run it.</p>}>
        <LiveState live={live} onRetry={() => setTick((n) => n + 1)}>
          {(data) => <WidgetView data={data()} title={props.widget.title} fileName={[props.siteDomain, props.widget.title, ...range()]} />}
        </LiveState>
      </Show>
    </section>
  );
}
