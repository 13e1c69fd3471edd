import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { clickHouseError, fromEngineError } from "./errors";

// chDB's JS layer re-escapes parameter values for JS callers, but HTTP `param_*` values are
// already in ClickHouse's escaped text form, so we talk to the native addon (the same one
// `chdb` loads) and hand it the values verbatim.
type NativeHandle = { readonly nativeConnection: unique symbol };

interface NativeQueryResult {
  bytes: Uint8Array;
  elapsed: number;
  rowsRead: number;
  bytesRead: number;
}

interface NativeInsertResult {
  elapsed: number;
  rowsWritten: number;
  bytesWritten: number;
}

interface ChdbNative {
  CreateConnection(dataDir: string): NativeHandle;
  CloseConnection(handle: NativeHandle): void;
  QueryAsyncConnection(
    handle: NativeHandle,
    sql: string,
    format: string,
    params?: Record<string, string>,
  ): Promise<NativeQueryResult>;
  InsertRawAsyncConnection(handle: NativeHandle, sql: string, data: Buffer, countLines: boolean): Promise<NativeInsertResult>;
}

/**
 * chDB's prebuilt engine for Linux x64 (glibc), loaded directly: the `chdb` wrapper package lists
 * other platforms' binaries that this registry does not serve, which breaks `npm ci`.
 */
const ENGINE_PACKAGE = "@chdb/lib-linux-x64-gnu";
const requireHere = createRequire(import.meta.url);

export const chdbVersion: string = engineVersion();

let nativeAddon: ChdbNative | undefined;

function loadNative(): ChdbNative {
  nativeAddon ??= requireHere(ENGINE_PACKAGE) as ChdbNative;
  return nativeAddon;
}

function engineVersion(): string {
  try {
    return (requireHere(`${ENGINE_PACKAGE}/package.json`) as { version: string }).version;
  } catch {
    throw new Error(
      `the local ClickHouse needs chDB's engine (${ENGINE_PACKAGE}), which exists for Linux x64 with glibc only; run npm install on such a machine`,
    );
  }
}

export interface QueryResult {
  body: Buffer;
  readRows: number;
  readBytes: number;
}

export interface InsertResult {
  writtenRows: number;
  writtenBytes: number;
}

/** One native chDB connection: its own current database, settings and temporary tables. */
export class ChdbConnection {
  #handle: NativeHandle | undefined;

  constructor(
    private readonly native: ChdbNative,
    handle: NativeHandle,
  ) {
    this.#handle = handle;
  }

  async query(sql: string, format: string, params?: Record<string, string>): Promise<QueryResult> {
    const handle = this.#open();
    try {
      const result = params
        ? await this.native.QueryAsyncConnection(handle, sql, format, params)
        : await this.native.QueryAsyncConnection(handle, sql, format);
      const body = Buffer.from(result.bytes.buffer, result.bytes.byteOffset, result.bytes.byteLength);
      return { body, readRows: result.rowsRead, readBytes: result.bytesRead };
    } catch (error) {
      throw fromEngineError(error);
    }
  }

  /** Runs an INSERT with its data passed as bytes, which also yields the written-row counters. */
  async insert(sql: string, data: Buffer): Promise<InsertResult> {
    const handle = this.#open();
    try {
      const result = await this.native.InsertRawAsyncConnection(handle, sql, data, false);
      return { writtenRows: result.rowsWritten, writtenBytes: result.bytesWritten };
    } catch (error) {
      throw fromEngineError(error);
    }
  }

  close(): void {
    if (this.#handle) this.native.CloseConnection(this.#handle);
    this.#handle = undefined;
  }

  #open(): NativeHandle {
    if (!this.#handle) throw clickHouseError("ABORTED", "The chDB connection is closed");
    return this.#handle;
  }
}

/**
 * Reads that may run beside each other, as a real server runs them. Below libuv's 4 threads, which the native calls
 * share with gzip and the file system.
 */
const PARALLEL_READS = 3;

interface Waiting {
  exclusive: boolean;
  start: () => void;
}

/**
 * The embedded engine bound to one data directory. Every native call goes through `exclusive` or `shared`: reads
 * (each on a connection of its own) run beside each other, up to PARALLEL_READS; anything else runs alone, as
 * written rows are counted from the engine's global counters and a connection must never be closed under a running
 * query. Calls start in arrival order, so a write waits for the reads before it and holds back those after it.
 */
export class ChdbEngine {
  #waiting: Waiting[] = [];
  #reads = 0;
  #writing = false;
  #closed = false;

  private constructor(
    readonly dataDir: string,
    readonly version: string,
    private readonly native: ChdbNative,
    private readonly anchor: ChdbConnection,
  ) {}

  /** Opens the data directory; the anchor connection keeps the engine up and the directory locked. */
  static async open(dataDir: string): Promise<ChdbEngine> {
    fs.mkdirSync(dataDir, { recursive: true });
    const native = loadNative();
    const anchor = new ChdbConnection(native, openHandle(native, dataDir));
    try {
      const version = (await anchor.query("SELECT version()", "TabSeparated")).body.toString().trim();
      return new ChdbEngine(dataDir, version, native, anchor);
    } catch (error) {
      anchor.close();
      throw error;
    }
  }

  connect(): ChdbConnection {
    return new ChdbConnection(this.native, openHandle(this.native, this.dataDir));
  }

  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.#enqueue(task, true);
  }

  shared<T>(task: () => Promise<T>): Promise<T> {
    return this.#enqueue(task, false);
  }

  #enqueue<T>(task: () => Promise<T>, exclusive: boolean): Promise<T> {
    if (this.#closed) return Promise.reject(clickHouseError("ABORTED", "The local ClickHouse server is shutting down"));
    return new Promise<T>((resolve, reject) => {
      const start = () =>
        task()
          .then(resolve, reject)
          .finally(() => {
            if (exclusive) this.#writing = false;
            else this.#reads--;
            this.#startNext();
          });
      this.#waiting.push({ exclusive, start });
      this.#startNext();
    });
  }

  #startNext(): void {
    for (let next = this.#waiting[0]; next && !this.#writing; next = this.#waiting[0]) {
      if (next.exclusive ? this.#reads > 0 : this.#reads >= PARALLEL_READS) return;
      this.#waiting.shift();
      if (next.exclusive) this.#writing = true;
      else this.#reads++;
      next.start();
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    const drained = this.exclusive(async () => {});
    this.#closed = true;
    await drained;
    this.anchor.close();
  }
}

function openHandle(native: ChdbNative, dataDir: string): NativeHandle {
  try {
    return native.CreateConnection(dataDir);
  } catch (error) {
    throw new Error(explainOpenFailure(dataDir, error), { cause: error });
  }
}

function explainOpenFailure(dataDir: string, error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  if (reason.includes("one active data directory per process")) {
    return `chDB serves one data directory per process and this process already has another one open (${reason}). Close it first, or run this server in its own process.`;
  }
  const owner = lockOwner(dataDir);
  if (owner !== undefined && owner.pid !== process.pid) {
    return `The ClickHouse data directory ${dataDir} is in use by another process (PID ${owner.pid}, started ${owner.startedAt}). Stop that process, or use a different data directory.`;
  }
  return `Could not open the chDB data directory ${dataDir}: ${reason}. chDB prints the underlying reason on stderr.`;
}

/** ClickHouse writes its PID into `<data>/status` and holds a lock on it while running. */
function lockOwner(dataDir: string): { pid: number; startedAt: string } | undefined {
  let status: string;
  try {
    status = fs.readFileSync(path.join(dataDir, "status"), "utf8");
  } catch {
    return undefined;
  }
  const pid = Number(/^PID: (\d+)/m.exec(status)?.[1]);
  if (!Number.isInteger(pid) || !isRunning(pid)) return undefined;
  return { pid, startedAt: /^Started at: (.+)$/m.exec(status)?.[1] ?? "at an unknown time" };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
