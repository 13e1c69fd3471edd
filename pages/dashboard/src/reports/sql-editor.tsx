import { createResource, createSignal, For, Match, Switch } from "solid-js";
import { messageOf } from "../api/client";
import { Alert, ErrorText } from "../components/message";
import { reportsApi, type Widget, type WidgetInput } from "./api";
import { ReportDialog } from "./dialog";
import type { RunContext } from "./run";
import { shapeSqlRows, type WidgetData } from "./shape";
import { KIND_LABELS } from "./widget-card";
import { WidgetView } from "./widget-view";

/** What the API binds in every SQL widget (workers/api/src/reports/sql.ts). */
export const SQL_PARAMETERS = [
  { text: "{site_id:String}", meaning: "this site" },
  { text: "{from:DateTime64(3)}", meaning: "the start of the report's range, in the site's time zone" },
  { text: "{to:DateTime64(3)}", meaning: "the end of the range (exclusive)" },
] as const;

const SQL_KINDS = ["table", "number"] as const;

export const SQL_TEMPLATE = `SELECT toDate(timestamp) AS day, uniq(visitor_id) AS visitors
FROM events
WHERE site_id = {site_id:String} AND timestamp >= {from:DateTime64(3)} AND timestamp < {to:DateTime64(3)}
GROUP BY day ORDER BY day`;

/** Hand-written ClickHouse SQL for global admins: a schema browser, the bound parameters, a trial run and saving. */
export function SqlEditor(props: {
  widget?: Widget;
  context: RunContext;
  siteDomain: string;
  onSave: (input: WidgetInput) => Promise<void>;
  onClose: () => void;
}) {
  let editor: HTMLTextAreaElement | undefined;
  const [sql, setSql] = createSignal(props.widget?.sql ?? SQL_TEMPLATE);
  const [title, setTitle] = createSignal(props.widget?.title ?? "");
  const [kind, setKind] = createSignal<(typeof SQL_KINDS)[number]>(props.widget?.kind === "number" ? "number" : "table");
  const [width, setWidth] = createSignal(props.widget?.width ?? 6);
  const [schema] = createResource(() => props.context.siteId, reportsApi.schema);
  const [running, setRunning] = createSignal(false);
  const [result, setResult] = createSignal<{ data: WidgetData; count: number; from: string; to: string }>();
  const [runError, setRunError] = createSignal<string>();
  const [saving, setSaving] = createSignal(false);
  const [saveError, setSaveError] = createSignal<string>();

  /** Puts text at the cursor, as if typed, and keeps the cursor after it. */
  function insert(text: string) {
    if (!editor) return;
    editor.focus();
    editor.setRangeText(text, editor.selectionStart, editor.selectionEnd, "end");
    setSql(editor.value);
  }

  async function run() {
    setRunning(true);
    setRunError(undefined);
    try {
      const answer = await reportsApi.runSql(props.context.siteId, props.context.reportId, sql());
      setResult({ data: shapeSqlRows(kind(), answer.rows), count: answer.rows.length, from: answer.from, to: answer.to });
    } catch (error) {
      setResult(undefined);
      setRunError(messageOf(error));
    } finally {
      setRunning(false);
    }
  }

  async function save(event: SubmitEvent) {
    event.preventDefault();
    if (!title().trim()) return setSaveError("Give the widget a title.");
    if (!sql().trim()) return setSaveError("Write the SQL first.");
    setSaving(true);
    setSaveError(undefined);
    try {
      await props.onSave({ title: title().trim(), kind: kind(), width: width(), sql: sql() });
    } catch (error) {
      setSaveError(messageOf(error));
      setSaving(false);
    }
  }

  return (
    <ReportDialog title={props.widget ? `Edit ${props.widget.title}` : "New SQL widget"} testId="sql-editor" onClose={props.onClose}>
      <div class="sql-layout">
        <form class="sql-form" onSubmit={save} novalidate>
          <label class="form-field">
            <span>SQL (one SELECT, read-only, at most 10,000 rows)</span>
            <textarea
              ref={editor}
              class="sql-text"
              rows="10"
              spellcheck={false}
              value={sql()}
              onInput={(event) => setSql(event.currentTarget.value)}
              data-testid="sql-text"
            />
          </label>
          <div class="sql-params" aria-label="Bound parameters">
            <span class="muted">Parameters:</span>
            <For each={SQL_PARAMETERS}>
              {(parameter) => (
                <button type="button" class="chip-button" title={`Insert: ${parameter.meaning}`} onClick={() => insert(parameter.text)} data-testid="sql-param">
                  {parameter.text}
                </button>
              )}
            </For>
          </div>
          <div class="builder-row">
            <button type="button" class="button" disabled={running() || !sql().trim()} onClick={run} data-testid="sql-run">
              {running() ? "Running…" : "Run"}
            </button>
            <label class="form-field">
              <span>Title</span>
              <input value={title()} maxLength={200} onInput={(event) => setTitle(event.currentTarget.value)} data-testid="sql-title" />
            </label>
            <label class="form-field">
              <span>Show as</span>
              <select onChange={(event) => setKind(event.currentTarget.value as (typeof SQL_KINDS)[number])} data-testid="sql-kind">
                <For each={SQL_KINDS}>
                  {(option) => (
                    <option value={option} selected={kind() === option}>
                      {KIND_LABELS[option]}
                    </option>
                  )}
                </For>
              </select>
            </label>
            <label class="form-field">
              <span>Width</span>
              <select onChange={(event) => setWidth(Number(event.currentTarget.value))}>
                <For each={[1, 2, 3, 4, 5, 6]}>
                  {(option) => (
                    <option value={option} selected={width() === option}>
                      {option === 6 ? "Full width" : `${option} of 6 columns`}
                    </option>
                  )}
                </For>
              </select>
            </label>
          </div>
          <Alert message={saveError()} />
          <div class="builder-actions">
            <button type="submit" class="button primary" disabled={saving()} data-testid="sql-save">
              {saving() ? "Saving…" : props.widget ? "Save widget" : "Add to report"}
            </button>
          </div>
          <section class="sql-result" aria-live="polite" aria-label="Result" data-testid="sql-result">
            <Switch fallback={<p class="muted">Run the SQL to see its result over the report's range.</p>}>
              <Match when={runError()}>
                {(message) => (
                  <pre class="alert sql-error" role="alert" data-testid="sql-error">
                    {message()}
                  </pre>
                )}
              </Match>
              <Match when={result()}>
                {(answer) => (
                  <>
                    <p class="muted" data-testid="sql-row-count">
                      {answer().count} {answer().count === 1 ? "row" : "rows"}, {answer().from} to {answer().to}
                    </p>
                    <WidgetView data={answer().data} title={title() || "SQL result"} fileName={[props.siteDomain, title() || "sql"]} />
                  </>
                )}
              </Match>
            </Switch>
          </section>
        </form>
        <aside class="schema" aria-label="Schema" data-testid="schema-browser">
          <h3>Schema</h3>
          <Switch>
            <Match when={schema.error}>
              <ErrorText error={schema.error} />
            </Match>
            <Match when={schema.loading}>
              <div class="skeleton" aria-label="Loading the schema" />
            </Match>
            <Match when={schema()}>
              {(tables) => (
                <For each={tables()} fallback={<p class="empty">No tables.</p>}>
                  {(table) => (
                    <details open={table.name === "events"} class="schema-table">
                      <summary>
                        <button type="button" class="link-button" onClick={(event) => {
                            event.preventDefault();
                            insert(table.name);
                          }}
                          data-testid="schema-table" aria-label={`Insert table ${table.name}`}>
                          {table.name}
                        </button>
                      </summary>
                      <ul>
                        <For each={table.columns}>
                          {(column) => (
                            <li>
                              <button type="button" class="link-button" onClick={() => insert(column.name)} data-testid="schema-column" aria-label={`Insert column ${column.name}`}>
                                {column.name}
                              </button>
                              <span class="muted"> {column.type}</span>
                            </li>
                          )}
                        </For>
                      </ul>
                    </details>
                  )}
                </For>
              )}
            </Match>
          </Switch>
        </aside>
      </div>
    </ReportDialog>
  );
}
