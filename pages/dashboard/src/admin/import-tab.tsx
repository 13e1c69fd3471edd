import { createSignal, For, Show } from "solid-js";
import { type ImportReport, importRank, splitCsv } from "@pixel/lib/import/split";
import { ApiError } from "../api/client";
import { createAction } from "./action";
import { adminApi } from "./api";
import { ActionError } from "./ui";

interface FileReport extends Omit<ImportReport, "skipped"> {
  name: string;
  parts: number;
  /** Numbered by the line in the whole file, not in the part that was sent. */
  skipped: { line: number; error: string }[];
}

/** Uploads CSV exports, splitting large files the way `npm run import` does, and shows what each file gave. */
export default function ImportTab(props: { siteId: string }) {
  const [progress, setProgress] = createSignal<string>();
  const [reports, setReports] = createSignal<FileReport[]>([]);
  let input: HTMLInputElement | undefined;

  const upload = createAction(async (files: File[]) => {
    setReports([]);
    const ranked = await rank(files);
    for (const [index, file] of ranked.entries()) {
      const report: FileReport = { name: file.name, format: "", parts: 0, rows: 0, events: 0, skipped: [], skipped_total: 0 };
      setReports((done) => [...done, report]);
      for await (const part of splitCsv(textOf(file))) {
        setProgress(`File ${index + 1} of ${ranked.length}, ${file.name}: sending part ${report.parts + 1}…`);
        const answer = await adminApi.importPart(props.siteId, part.csv);
        const skipped = answer.skipped.map((skip) => ({ ...skip, line: part.firstLine + skip.line - 2 }));
        Object.assign(report, {
          format: answer.format,
          parts: report.parts + 1,
          rows: report.rows + answer.rows,
          events: report.events + answer.events,
          skipped: [...report.skipped, ...skipped].slice(0, 100),
          skipped_total: report.skipped_total + answer.skipped_total,
        });
        setReports((done) => [...done.slice(0, -1), { ...report }]);
      }
    }
    setProgress(undefined);
    if (input) input.value = "";
  });

  return (
    <form
      class="card admin-form"
      aria-labelledby="import-title"
      aria-busy={upload.pending()}
      data-testid="import-form"
      onSubmit={(event) => {
        event.preventDefault();
        void upload.run([...(input?.files ?? [])]).finally(() => setProgress(undefined));
      }}
    >
      <h3 id="import-title">Import</h3>
      <p class="muted">
        Umami's <code>website_event</code> export, or the files of Plausible's CSV export (<code>imported_visitors</code> goes first, whatever the
        order you pick). Large files go up in parts; importing a file again changes nothing. <code>npm run import</code> does the same from a terminal.
      </p>
      <label class="form-field">
        <span>CSV files</span>
        <input ref={input} type="file" multiple accept=".csv,text/csv" required data-testid="import-files" />
      </label>
      <ActionError error={upload.error()} testId="import-error" />
      <Show when={progress()}>{(text) => <p role="status" data-testid="import-progress">{text()}</p>}</Show>
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={upload.pending()} data-testid="import-submit">
          {upload.pending() ? "Importing…" : "Import"}
        </button>
      </div>
      <For each={reports()}>{(report) => <FileSummary report={report} />}</For>
    </form>
  );
}

function FileSummary(props: { report: FileReport }) {
  return (
    <section class="import-report" data-testid="import-report" data-file={props.report.name}>
      <h4>{props.report.name}</h4>
      <p data-testid="import-counts">
        {props.report.format || "…"}: {props.report.rows.toLocaleString()} rows in {props.report.parts} part{props.report.parts === 1 ? "" : "s"},{" "}
        {props.report.events.toLocaleString()} events written, {props.report.skipped_total.toLocaleString()} lines skipped
      </p>
      <Show when={props.report.skipped.length}>
        <ul class="import-skipped" data-testid="import-skipped">
          <For each={props.report.skipped}>{(skip) => <li>line {skip.line}: {skip.error}</li>}</For>
        </ul>
      </Show>
    </section>
  );
}

/** Files in import order; a file no format matches stops the import before anything is sent. */
async function rank(files: File[]): Promise<File[]> {
  const ranked = await Promise.all(
    files.map(async (file) => {
      const head = (await file.slice(0, 64 * 1024).text()).split("\n")[0]!;
      const rank = importRank(head);
      // Refused here as the api would refuse it (a 400), before any other file is sent.
      if (rank.error) throw new ApiError(400, `Can't import ${file.name}: ${rank.error}`);
      return { file, rank: rank.rank };
    }),
  );
  return ranked.sort((a, b) => a.rank - b.rank).map(({ file }) => file);
}

/** The file's text as it is read (Safari's streams are not async-iterable). */
async function* textOf(file: File): AsyncGenerator<string> {
  const reader = file.stream().pipeThrough(new TextDecoderStream()).getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) yield chunk.value;
}
