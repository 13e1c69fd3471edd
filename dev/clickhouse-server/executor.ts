import { changeableInReadonly, checkGrants, checkSettingChanges, profileSettings, readonlyLevel } from "./access";
import type { LocalUser } from "@pixel/lib/clickhouse/node/users";
import type { ChdbConnection, ChdbEngine } from "./engine";
import { clickHouseError } from "./errors";
import { countResultRows } from "./formats";
import type { Session, SessionRegistry, SessionRequest } from "./sessions";
import { analyzeStatement, type StatementShape } from "./sql";

/** A query as the HTTP interface defines it, independent of how it arrived. */
export interface ClickHouseRequest {
  method: string;
  sql: Buffer;
  /** `param_*` values, still in ClickHouse's escaped text form. */
  queryParams: Record<string, string>;
  settings: Map<string, string>;
  database?: string;
  defaultFormat: string;
  session?: SessionRequest;
  /** Who sent it; unset when the server has no users. */
  user?: LocalUser;
}

export interface QuerySummary {
  readRows: number;
  readBytes: number;
  writtenRows: number;
  writtenBytes: number;
  totalRowsToRead: number;
  resultRows: number;
  resultBytes: number;
  elapsedNs: bigint;
}

export interface QueryOutcome {
  body: Buffer;
  format: string;
  summary: QuerySummary;
}

type StatementResult = Omit<QuerySummary, "resultRows" | "resultBytes" | "elapsedNs"> & { body: Buffer };

interface SavedContext {
  database?: string;
  settings: Map<string, string>;
}

const READ_ONLY_METHODS = new Set(["GET", "HEAD"]);
const READ_KINDS = new Set(["SELECT", "WITH", "SHOW", "DESCRIBE", "DESC", "EXISTS", "EXPLAIN"]);
const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class QueryExecutor {
  constructor(
    private readonly engine: ChdbEngine,
    private readonly sessions: SessionRegistry,
    private readonly timezone: string,
    private readonly log: (line: string) => void,
  ) {}

  async execute(request: ClickHouseRequest): Promise<QueryOutcome> {
    const statement = analyzeStatement(request.sql);
    if (statement.kind === "") throw clickHouseError("SYNTAX_ERROR", "Empty query");
    if (statement.hasMultipleStatements) throw clickHouseError("SYNTAX_ERROR", "Multi-statements are not allowed");
    if (statement.intoOutfile) throw clickHouseError("INTO_OUTFILE_NOT_ALLOWED", "INTO OUTFILE is not allowed");
    checkSettingChanges(request.user?.access, [...request.settings, ...statement.settingChanges]);
    const format = statement.outputFormat ?? request.defaultFormat;
    const run = async (connection: ChdbConnection) => {
      await authorize(connection, request, statement);
      return timed(() => runStatement(connection, request, statement, format));
    };
    const { result, elapsedNs } = request.session
      ? await this.sessions.run({ ...request.session, owner: request.user?.name }, (session) =>
          this.engine.exclusive(() => this.#inSession(session, request, statement, run)),
        )
      : await this.#outsideSession(statement, () => this.#alone(request, run));
    const { body, ...counters } = result;
    const isInsert = statement.kind === "INSERT";
    const resultRows = isInsert ? counters.writtenRows : countResultRows(format, body);
    const resultBytes = isInsert ? counters.writtenBytes : body.length;
    return { body, format, summary: { ...counters, resultRows, resultBytes, elapsedNs } };
  }

  /** A read runs beside other reads, each on its own connection; anything else runs alone. */
  #outsideSession<T>(statement: StatementShape, task: () => Promise<T>): Promise<T> {
    return READ_KINDS.has(statement.kind) ? this.engine.shared(task) : this.engine.exclusive(task);
  }

  /** Without a session every request gets a fresh connection, so its settings die with it. */
  async #alone<T>(request: ClickHouseRequest, run: (connection: ChdbConnection) => Promise<T>): Promise<T> {
    const connection = await this.#connectAs(request.user, request.settings);
    const access = request.user?.access;
    const settings = new Map([...request.settings].filter(([name]) => !changeableInReadonly(access, name)));
    const writable = !settings.has("readonly") && readonlyLevel(access) === 0;
    if (READ_ONLY_METHODS.has(request.method) && writable) settings.set("readonly", "2");
    try {
      await useDatabase(connection, request.database);
      await applySettings(connection, settings);
      return await run(connection);
    } finally {
      connection.close();
    }
  }

  /** URL settings and `database` apply to one request; a session's own SET and USE persist. */
  async #inSession<T>(
    session: Session,
    request: ClickHouseRequest,
    statement: StatementShape,
    run: (connection: ChdbConnection) => Promise<T>,
  ): Promise<T> {
    const connection = (session.connection ??= await this.#connectAs(request.user, new Map()));
    const changesContext = statement.kind === "SET" || statement.kind === "USE";
    const saved = changesContext ? undefined : await saveContext(connection, request);
    try {
      await useDatabase(connection, request.database);
      await applySettings(connection, request.settings);
      return await run(connection);
    } finally {
      if (saved) await this.#restore(session, connection, saved);
    }
  }

  /**
   * A connection logged in as the user, as a real server does it: the profile's settings, then the query's
   * changes its profile lets a readonly = 1 user make, then the profile's `readonly`, which chDB itself enforces
   * on everything the query sets after it.
   */
  async #connectAs(user: LocalUser | undefined, changes: Map<string, string>): Promise<ChdbConnection> {
    const connection = this.engine.connect();
    const access = user?.access;
    const early = [...changes].filter(([name]) => changeableInReadonly(access, name));
    try {
      await applySettings(connection, new Map([["session_timezone", this.timezone], ...profileSettings(access), ...early]));
      return connection;
    } catch (error) {
      connection.close();
      throw error;
    }
  }

  async #restore(session: Session, connection: ChdbConnection, saved: SavedContext): Promise<void> {
    try {
      await useDatabase(connection, saved.database);
      await applySettings(connection, saved.settings);
    } catch (error) {
      this.log(`session ${session.id} could not be reset after a request and was closed: ${String(error)}`);
      this.sessions.discard(session);
    }
  }
}

/** Grants are checked against the databases that exist now and the connection's current one. */
async function authorize(connection: ChdbConnection, request: ClickHouseRequest, statement: StatementShape): Promise<void> {
  if (!request.user?.access) return;
  const sql = "SELECT currentDatabase() AS current, groupArray(name) AS names FROM system.databases";
  const { body } = await connection.query(sql, "JSONEachRow");
  const { current, names } = JSON.parse(body.toString()) as { current: string; names: string[] };
  checkGrants(request.user, statement, { currentDatabase: current, databases: new Set(names), queryParams: request.queryParams });
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; elapsedNs: bigint }> {
  const started = process.hrtime.bigint();
  const result = await work();
  return { result, elapsedNs: process.hrtime.bigint() - started };
}

async function runStatement(
  connection: ChdbConnection,
  request: ClickHouseRequest,
  statement: StatementShape,
  format: string,
): Promise<StatementResult> {
  const hasParams = Object.keys(request.queryParams).length > 0;
  if (statement.kind === "INSERT" && !hasParams) return insertWithData(connection, request.sql, statement);
  const sql = request.sql.toString("utf8");
  const params = hasParams ? request.queryParams : undefined;
  if (statement.kind === "INSERT") return countingWrites(connection, () => connection.query(sql, format, params));
  const result = await connection.query(sql, format, params);
  return { ...result, totalRowsToRead: result.readRows, writtenRows: 0, writtenBytes: 0 };
}

async function insertWithData(connection: ChdbConnection, sql: Buffer, statement: StatementShape): Promise<StatementResult> {
  const { sqlEnd, dataStart } = statement.insertData ?? { sqlEnd: sql.length, dataStart: sql.length };
  const written = await connection.insert(sql.toString("utf8", 0, sqlEnd), sql.subarray(dataStart));
  return insertResult(written.writtenRows, written.writtenBytes);
}

/** The native query call reports no written rows; the global counters do, as queries never overlap. */
async function countingWrites(connection: ChdbConnection, write: () => Promise<unknown>): Promise<StatementResult> {
  const before = await insertedTotals(connection);
  await write();
  const after = await insertedTotals(connection);
  return insertResult(after.rows - before.rows, after.bytes - before.bytes);
}

function insertResult(rows: number, bytes: number): StatementResult {
  return { body: Buffer.alloc(0), readRows: rows, readBytes: bytes, writtenRows: rows, writtenBytes: bytes, totalRowsToRead: 0 };
}

async function insertedTotals(connection: ChdbConnection): Promise<{ rows: number; bytes: number }> {
  const sql = "SELECT sumIf(value, event = 'InsertedRows'), sumIf(value, event = 'InsertedBytes') FROM system.events";
  const [rows, bytes] = (await connection.query(sql, "TabSeparated")).body.toString().trim().split("\t");
  return { rows: Number(rows), bytes: Number(bytes) };
}

async function useDatabase(connection: ChdbConnection, database: string | undefined): Promise<void> {
  if (database) await connection.query("USE {database:Identifier}", "TabSeparated", { database });
}

/** `readonly` goes last: once it is set, other settings may no longer change. */
async function applySettings(connection: ChdbConnection, settings: Map<string, string>): Promise<void> {
  const { readonly, ...others } = Object.fromEntries(settings);
  await setAll(connection, Object.entries(others));
  if (readonly !== undefined) await setAll(connection, [["readonly", readonly]]);
}

/** Values travel as bound String parameters, so a setting value can never become SQL. */
async function setAll(connection: ChdbConnection, settings: [string, string][]): Promise<void> {
  if (settings.length === 0) return;
  const assignments: string[] = [];
  const params: Record<string, string> = {};
  for (const [name, value] of settings) {
    if (!SETTING_NAME.test(name)) throw clickHouseError("UNKNOWN_SETTING", `Unknown setting '${name}'`);
    assignments.push(`${name} = {setting_${assignments.length}:String}`);
    params[`setting_${assignments.length - 1}`] = escapeParamText(value);
  }
  await connection.query(`SET ${assignments.join(", ")}`, "TabSeparated", params);
}

async function saveContext(connection: ChdbConnection, request: ClickHouseRequest): Promise<SavedContext | undefined> {
  if (!request.database && request.settings.size === 0) return undefined;
  const saved: SavedContext = { settings: new Map() };
  if (request.database) {
    saved.database = (await connection.query("SELECT currentDatabase()", "TabSeparated")).body.toString().trim();
  }
  if (request.settings.size > 0) {
    const names = [...request.settings.keys()].filter((name) => SETTING_NAME.test(name));
    const sql = "SELECT name, value FROM system.settings WHERE has({names:Array(String)}, name) FORMAT JSONEachRow";
    const { body } = await connection.query(sql, "JSONEachRow", { names: `[${names.map((n) => `'${n}'`).join(",")}]` });
    for (const line of body.toString().split("\n").filter(Boolean)) {
      const { name, value } = JSON.parse(line) as { name: string; value: string };
      saved.settings.set(name, value);
    }
  }
  return saved;
}

/** Bound parameters are parsed as escaped text (like TabSeparated); raw values must be escaped. */
function escapeParamText(value: string): string {
  return value.replace(/[\\\t\n\r\0\b\f]/g, (char) => ESCAPES[char] ?? char);
}

const ESCAPES: Record<string, string> = {
  "\\": "\\\\",
  "\t": "\\t",
  "\n": "\\n",
  "\r": "\\r",
  "\0": "\\0",
  "\b": "\\b",
  "\f": "\\f",
};
