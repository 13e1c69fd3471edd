import { closeSync, createReadStream, existsSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { type ImportReport, importRank, MAX_IMPORT_BYTES, splitCsv } from "@pixel/lib/import/split";
import type { PixelSession } from "./session";

export interface ImportJob {
  site: string;
  files: string[];
  /** Where finished parts are written down, so a second run resumes after them. */
  stateFile: string;
  maxPartBytes?: number;
  /** Waits before retrying a part the api could not take (network, 5xx, 429). */
  retryDelaysMs?: number[];
}

interface ImportState {
  site: string;
  maxPartBytes: number;
  /** Finished parts by file identity (path, size, modification time), then by part number. */
  files: Record<string, Record<number, ImportReport>>;
}

export interface ImportTotals {
  files: number;
  parts: number;
  resumed: number;
  rows: number;
  events: number;
  skipped: number;
}

/** Uploads every file in parts, Plausible's imported_visitors first, writing each finished part to the state file. */
export async function runImport(job: ImportJob, pixel: PixelSession, log: (line: string) => void): Promise<ImportTotals> {
  const maxPartBytes = job.maxPartBytes ?? MAX_IMPORT_BYTES;
  const files = rankFiles(job.files);
  const state = readState(job.stateFile, job.site, maxPartBytes);
  const totals: ImportTotals = { files: files.length, parts: 0, resumed: 0, rows: 0, events: 0, skipped: 0 };
  for (const [index, { path, format }] of files.entries()) {
    const done = (state.files[fileKey(path)] ??= {});
    log(`[${index + 1}/${files.length}] ${basename(path)} (${format}, ${mib(statSync(path).size)})`);
    let number = 0;
    for await (const part of splitCsv(createReadStream(path, { encoding: "utf8" }), maxPartBytes)) {
      number++;
      totals.parts++;
      const resumed = done[number];
      const report = resumed ?? (await uploadWithRetries(pixel, job, part.csv));
      if (resumed) totals.resumed++;
      else {
        done[number] = report;
        writeState(job.stateFile, state);
      }
      totals.rows += report.rows;
      totals.events += report.events;
      totals.skipped += report.skipped_total;
      log(`  part ${number} (${mib(part.bytes)})${resumed ? ", imported by an earlier run" : ""}: ${describe(report)}`);
      // The api numbers a part's lines from its own header: line 2 is the part's first record.
      for (const skip of report.skipped) log(`    line ${part.firstLine + skip.line - 2}: ${skip.error}`);
    }
  }
  return totals;
}

const describe = (report: ImportReport) =>
  `${report.rows.toLocaleString("en")} rows, ${report.events.toLocaleString("en")} events written, ${report.skipped_total.toLocaleString("en")} lines skipped`;

/** Each file's format from its header row; a file no format matches stops the run before anything is sent. */
function rankFiles(paths: string[]) {
  const ranked = paths.map((path) => {
    if (!existsSync(path)) throw new Error(`${path}: no such file`);
    const rank = importRank(firstLine(path));
    if (rank.error) throw new Error(`${path}: ${rank.error}`);
    return { path: resolve(path), format: rank.format!, rank: rank.rank };
  });
  return ranked.sort((a, b) => a.rank - b.rank);
}

function firstLine(path: string): string {
  const buffer = Buffer.alloc(64 * 1024);
  const file = openSync(path, "r");
  const head = buffer.toString("utf8", 0, readSync(file, buffer, 0, buffer.length, 0));
  closeSync(file);
  return head.split("\n")[0]!;
}

async function uploadWithRetries(pixel: PixelSession, job: ImportJob, csv: string): Promise<ImportReport> {
  const delays = job.retryDelaysMs ?? [1000, 4000, 15000];
  for (let attempt = 0; ; attempt++) {
    const outcome = await pixel.upload(job.site, csv).catch((error: Error) => ({ retry: `network: ${error.message}` }));
    if (!("retry" in outcome)) return outcome;
    if (attempt >= delays.length) throw new Error(`${outcome.retry}; run the same command again to resume`);
    await new Promise((done) => setTimeout(done, delays[attempt]));
  }
}

const fileKey = (path: string) => {
  const { size, mtimeMs } = statSync(path);
  return `${path}|${size}|${Math.round(mtimeMs)}`;
};

function readState(file: string, site: string, maxPartBytes: number): ImportState {
  const fresh = { site, maxPartBytes, files: {} };
  if (!existsSync(file)) return fresh;
  const state = JSON.parse(readFileSync(file, "utf8")) as ImportState;
  // Parts are numbered by how the file was cut: another size or site starts over.
  return state.site === site && state.maxPartBytes === maxPartBytes ? state : fresh;
}

function writeState(file: string, state: ImportState) {
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
