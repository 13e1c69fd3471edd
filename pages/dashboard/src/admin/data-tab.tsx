import { createSignal, For, onCleanup, Show } from "solid-js";
import { createAction } from "./action";
import { adminApi, type RetentionJob, type SiteDetails } from "./api";
import { type ExportFormat, exportUrl, retentionOptions, retentionProgress } from "./data-form";
import { ActionError, Field, fieldAria, Saved } from "./ui";

/** How often the page asks how far a retention change got (until it is done, or stopped: the cron retries later). */
const POLL_MS = 1_000;

/** The site's data: its retention (and how far a change got in the stored rows), an export, deleting all of it. */
export default function DataTab(props: { site: SiteDetails; isOwner: boolean; onSaved: (site: SiteDetails) => void }) {
  return (
    <>
      <Retention site={props.site} onSaved={props.onSaved} />
      <Export site={props.site} />
      <Show when={props.isOwner}>
        <DeleteData site={props.site} />
      </Show>
    </>
  );
}

function Retention(props: { site: SiteDetails; onSaved: (site: SiteDetails) => void }) {
  const [days, setDays] = createSignal(props.site.retentionDays);
  const [job, setJob] = createSignal<RetentionJob | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));

  const follow = async () => {
    clearTimeout(timer);
    const latest = await adminApi.retention(props.site.id).catch(() => job());
    setJob(latest);
    if (latest && !latest.done && !latest.error) timer = setTimeout(follow, POLL_MS);
  };
  void follow();

  const save = createAction(async () => {
    props.onSaved(await adminApi.updateSite(props.site.id, { retentionDays: days() }));
    await follow();
  });

  return (
    <form
      class="card admin-form"
      aria-labelledby="retention-title"
      aria-busy={save.pending()}
      data-testid="retention-form"
      onSubmit={(event) => {
        event.preventDefault();
        void save.run();
      }}
    >
      <h3 id="retention-title">Retention</h3>
      <Field id="data-retention" label="Keep events for" hint="A change applies to the events already stored too: those older than it are deleted.">
        <select id="data-retention" onChange={(event) => setDays(Number(event.currentTarget.value))} {...fieldAria("data-retention", undefined)}>
          <For each={retentionOptions(props.site.retentionDays)}>
            {(option) => <option value={option.days} selected={option.days === days()}>{option.label}</option>}
          </For>
        </select>
      </Field>
      <Show when={job()}>
        {(current) => (
          <p role="status" data-testid="retention-progress">
            <progress max={current().steps} value={current().stepsDone} aria-hidden="true" /> {retentionProgress(current())}
          </p>
        )}
      </Show>
      <ActionError error={save.error()} />
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={save.pending() || days() === props.site.retentionDays} data-testid="save-retention">
          {save.pending() ? "Saving…" : "Save"}
        </button>
      </div>
    </form>
  );
}

function Export(props: { site: SiteDetails }) {
  const [format, setFormat] = createSignal<ExportFormat>("ndjson");
  return (
    <section class="card admin-form" aria-labelledby="export-title">
      <h3 id="export-title">Export</h3>
      <p class="muted">Every event of the site, oldest first, as a file (see the data docs for its columns).</p>
      <Field id="export-format" label="Format">
        <select id="export-format" onChange={(event) => setFormat(event.currentTarget.value as ExportFormat)} {...fieldAria("export-format", undefined, false)}>
          <option value="ndjson">NDJSON (one JSON object a line, lossless)</option>
          <option value="csv">CSV (for spreadsheets)</option>
        </select>
      </Field>
      <div class="form-actions">
        <a class="button" href={exportUrl(props.site.id, format())} download="" data-testid="export-download">
          Download
        </a>
      </div>
    </section>
  );
}

function DeleteData(props: { site: SiteDetails }) {
  const [typed, setTyped] = createSignal("");
  const [deleted, setDeleted] = createSignal(false);
  const remove = createAction(async () => {
    await adminApi.deleteData(props.site.id);
    setTyped("");
    setDeleted(true);
  });
  const matches = () => typed().trim().toLowerCase() === props.site.domain;
  return (
    <form
      class="card admin-form danger-zone"
      aria-labelledby="delete-data-title"
      onSubmit={(event) => {
        event.preventDefault();
        if (matches()) void remove.run();
      }}
    >
      <h3 id="delete-data-title">Delete all data</h3>
      <p>Every event of the site goes from every report; the site, its settings, goals and members stay. This can't be undone: export first if in doubt.</p>
      <Field id="delete-data-confirm" label={`Type ${props.site.domain} to confirm`}>
        <input
          id="delete-data-confirm"
          value={typed()}
          onInput={(event) => {
            setTyped(event.currentTarget.value);
            setDeleted(false);
          }}
          autocomplete="off"
          spellcheck={false}
          data-testid="delete-data-confirm"
          {...fieldAria("delete-data-confirm", undefined, false)}
        />
      </Field>
      <ActionError error={remove.error()} />
      <div class="form-actions">
        <button type="submit" class="button danger" disabled={!matches() || remove.pending()} data-testid="delete-data">
          {remove.pending() ? "Deleting…" : "Delete all data"}
        </button>
        <Saved when={deleted()} testId="data-deleted">All of the site's data is deleted.</Saved>
      </div>
    </form>
  );
}
