import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import zlib from "node:zlib";
import { type ClickHouseClient, type ClickHouseClientConfigOptions, ClickHouseError, createClient } from "@clickhouse/client-web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClickHouseServer, KEEP_ALIVE_SECONDS, startClickHouseServer } from "./server";
import { analyzeStatement } from "./sql";

// A non-UTC zone for this process (and chDB inside it), so the UTC assertions can fail.
process.env.TZ = "Pacific/Auckland";

const HOSTILE = "x' OR 1=1 -- \\ \t \n ünïcødé\r\0 {s:String} $$ \"`; 🦆";
const VERSION_SUFFIX = /\(version 26\.7\.2\.1\)\n$/;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixel-clickhouse-test-"));
const scratchDirs: string[] = [dataDir];
const clients: ClickHouseClient[] = [];
const children: ChildProcess[] = [];
let server: ClickHouseServer;
let client: ClickHouseClient;

function newClient(config: ClickHouseClientConfigOptions = {}): ClickHouseClient {
  const created = createClient({ url: server.url, ...config });
  clients.push(created);
  return created;
}

function post(sql: string | Uint8Array, params: Record<string, string> = {}, init: RequestInit = {}): Promise<Response> {
  const url = `${server.url}/?${new URLSearchParams(params)}`;
  return fetch(url, { method: "POST", body: typeof sql === "string" ? sql : new Uint8Array(sql), ...init });
}

async function postText(sql: string, params: Record<string, string> = {}): Promise<string> {
  const response = await post(sql, params);
  const text = await response.text();
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${text}`);
  return text;
}

function summaryOf(headers: Headers | Record<string, string | string[] | undefined>): Record<string, string> {
  const raw = headers instanceof Headers ? headers.get("x-clickhouse-summary") : headers["x-clickhouse-summary"];
  return JSON.parse(String(raw)) as Record<string, string>;
}

async function rejection(promise: Promise<unknown>): Promise<ClickHouseError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ClickHouseError);
  return error as ClickHouseError;
}

beforeAll(async () => {
  server = await startClickHouseServer({ dataDir, port: 0 });
  client = newClient();
  await client.command({
    query: `CREATE TABLE events (site String, ts DateTime, visitor UInt64, path String)
            ENGINE = MergeTree PARTITION BY toYYYYMM(ts) ORDER BY (site, ts)`,
  });
}, 30_000);

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await Promise.all(clients.map((each) => each.close()));
  await server?.close();
  for (const dir of scratchDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe("statement analysis", () => {
  const shape = (sql: string) => analyzeStatement(Buffer.from(sql));

  it("finds the trailing FORMAT clause outside strings, comments and column names", () => {
    expect(shape("SELECT 1\nFORMAT JSONEachRow").outputFormat).toBe("JSONEachRow");
    expect(shape("SELECT 1 FORMAT JSON SETTINGS max_threads = 1;").outputFormat).toBe("JSON");
    expect(shape("SELECT 'FORMAT CSV' /* FORMAT TSV */").outputFormat).toBeUndefined();
    expect(shape("SELECT format FROM t").outputFormat).toBeUndefined();
    expect(shape("(SELECT 1) format Pretty").outputFormat).toBe("Pretty");
  });

  it("splits inline INSERT data after its FORMAT, never after a column named format", () => {
    const sql = 'INSERT INTO t (a, format) FORMAT JSONEachRow  \r\n{"a":";"}';
    const { insertData } = shape(sql);
    expect(sql.slice(0, insertData?.sqlEnd)).toBe("INSERT INTO t (a, format) FORMAT JSONEachRow");
    expect(sql.slice(insertData?.dataStart)).toBe('{"a":";"}');
    expect(shape("INSERT INTO t SELECT format FROM s").insertData).toBeUndefined();
    expect(shape("INSERT INTO t SELECT * FROM input('a UInt8') FORMAT CSV\n1").insertData).toBeDefined();
  });

  it("spots a second statement but not a semicolon in a string, comment or heredoc", () => {
    expect(shape("SELECT 1; SELECT 2").hasMultipleStatements).toBe(true);
    expect(shape("INSERT INTO t VALUES (1); DROP TABLE t").hasMultipleStatements).toBe(true);
    expect(shape("SELECT 'a\\'; DROP', $$;$$ -- ; x\n;").hasMultipleStatements).toBe(false);
    expect(shape("  -- only a comment").kind).toBe("");
  });

  it("finds what access checks need: setting changes, database qualifiers, called functions, the DATABASE target", () => {
    const select = shape("SELECT a.b, f(`db`.t.x) FROM (SELECT 1 SETTINGS max_threads = 2) SETTINGS max_memory_usage = -1, log_comment = 'it''s'");
    expect(select.settingChanges).toEqual([["max_threads", "2"], ["max_memory_usage", "-1"], ["log_comment", "it's"]]);
    expect(select.qualifiers).toEqual(["a", "db", "t"]);
    expect(select.functions).toEqual(["f", "FROM"]);
    expect(shape("SET max_execution_time = 5, readonly = 1").settingChanges).toEqual([["max_execution_time", "5"], ["readonly", "1"]]);
    expect(shape("SELECT 'SETTINGS x = 1' AS s").settingChanges).toEqual([]);
    expect(shape("ALTER TABLE t DELETE WHERE 1").words.slice(0, 4)).toEqual(["ALTER", "TABLE", "T", "DELETE"]);
    expect(shape("CREATE DATABASE IF NOT EXISTS {database:Identifier}").databaseTarget).toBe("{database:Identifier}");
    expect(shape("DROP DATABASE `pixel`").databaseTarget).toBe("pixel");
    expect(shape("SELECT 1").databaseTarget).toBeUndefined();
  });
});

describe("health checks", () => {
  it("answers /ping, / and client.ping(), and 404 elsewhere", async () => {
    expect(await (await fetch(`${server.url}/ping`)).text()).toBe("Ok.\n");
    expect(await (await fetch(`${server.url}/`)).text()).toBe("Ok.\n");
    const head = await fetch(`${server.url}/ping`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await client.ping()).toEqual({ success: true });
    expect((await fetch(`${server.url}/play`)).status).toBe(404);
  });
});

describe("connections", () => {
  it(`keep an idle connection open for ClickHouse's keep_alive_timeout (${KEEP_ALIVE_SECONDS} s), and say so`, async () => {
    const headers = await new Promise<http.IncomingHttpHeaders>((resolve, reject) => {
      http.get(`${server.url}/ping`, { agent: new http.Agent({ keepAlive: true }) }, (response) => (response.resume(), resolve(response.headers))).on("error", reject);
    });
    expect(headers["keep-alive"]).toBe(`timeout=${KEEP_ALIVE_SECONDS}`);
  });
});

describe("queries and inserts", () => {
  const rows = [
    { site: "a.example", ts: "2024-05-01 10:00:00", visitor: 1, path: "/" },
    { site: "a.example", ts: "2024-05-02 11:00:00", visitor: 2, path: "/pricing" },
    { site: "b.example", ts: "2024-05-03 12:00:00", visitor: 3, path: "/" },
  ];

  it("inserts JSONEachRow with client.insert and reads it back, with written_rows in the summary", async () => {
    const inserted = await client.insert({ table: "events", values: rows, format: "JSONEachRow" });
    expect(summaryOf(inserted.response_headers).written_rows).toBe("3");
    const result = await client.query({
      query: "SELECT site, ts, visitor, path FROM events ORDER BY ts",
      format: "JSONEachRow",
      clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
    });
    expect(await result.json()).toEqual(rows);
  });

  it("takes an INSERT in the URL with NDJSON in the body", async () => {
    const body = '{"site":"c.example","ts":"2024-06-01 00:00:00","visitor":9,"path":"/x"}\n'.repeat(4);
    const response = await post(body, { query: "INSERT INTO events FORMAT JSONEachRow" });
    expect(response.status).toBe(200);
    expect(summaryOf(response.headers).written_rows).toBe("4");
    expect(await postText("SELECT count() FROM events WHERE site = 'c.example'")).toBe("4\n");
  });

  it("counts written rows of INSERT ... VALUES and of a parameterized INSERT ... SELECT", async () => {
    const values = await client.command({ query: "INSERT INTO events VALUES ('d.example', '2024-07-01 00:00:00', 1, '/'), ('d.example', '2024-07-01 00:00:01', 2, '/')" });
    expect(summaryOf(values.response_headers).written_rows).toBe("2");
    const selected = await client.command({
      query: "INSERT INTO events SELECT {site:String}, toDateTime('2024-07-02 00:00:00') + number, number, '/' FROM numbers({n:UInt32})",
      query_params: { site: "e.example", n: 7 },
    });
    expect(summaryOf(selected.response_headers).written_rows).toBe("7");
    expect(await postText("SELECT count() FROM events WHERE site = 'e.example'")).toBe("7\n");
  });

  it("answers TabSeparated by default and honours default_format and a FORMAT clause", async () => {
    const plain = await post("SELECT 1, 'a'", { query_id: "my-query-id" });
    expect(await plain.text()).toBe("1\ta\n");
    expect(plain.headers.get("x-clickhouse-format")).toBe("TabSeparated");
    expect(plain.headers.get("content-type")).toMatch(/^text\/tab-separated-values/);
    expect(plain.headers.get("x-clickhouse-query-id")).toBe("my-query-id");
    expect(plain.headers.get("x-clickhouse-timezone")).toBe("UTC");
    expect(summaryOf(plain.headers)).toMatchObject({ result_rows: "1", written_rows: "0" });
    const json = await post("SELECT number FROM numbers(2)", { default_format: "JSONEachRow" });
    expect(await json.text()).toBe('{"number":0}\n{"number":1}\n');
    const csv = await post("SELECT 1 AS n FORMAT CSVWithNames", { default_format: "JSON" });
    expect(csv.headers.get("x-clickhouse-format")).toBe("CSVWithNames");
    expect(await csv.text()).toBe('"n"\n1\n');
  });

  it("parses DateTime text as UTC", async () => {
    expect(await postText("SELECT toUnixTimestamp(toDateTime('2024-01-01 00:00:00')), timezone()")).toBe("1704067200\tUTC\n");
  });
});

describe("query parameters", () => {
  it("round-trips a hostile String byte-exact through URL parameters and multipart", async () => {
    for (const use_multipart_params of [false, true]) {
      const result = await client.query({
        query: "SELECT {s:String} AS s, hex({s:String}) AS h",
        format: "JSONEachRow",
        query_params: { s: HOSTILE },
        use_multipart_params,
      });
      const [row] = await result.json<{ s: string; h: string }>();
      expect(row?.s).toBe(HOSTILE);
      expect(row?.h).toBe(Buffer.from(HOSTILE).toString("hex").toUpperCase());
    }
  });

  it("stores a hostile String and finds it again by parameter", async () => {
    await client.command({ query: "CREATE TABLE notes (id UInt32, body String) ENGINE = MergeTree ORDER BY id" });
    await client.command({ query: "INSERT INTO notes SELECT 1, {body:String}", query_params: { body: HOSTILE } });
    const result = await client.query({
      query: "SELECT id, body FROM notes WHERE body = {body:String}",
      format: "JSONEachRow",
      query_params: { body: HOSTILE },
    });
    expect(await result.json()).toEqual([{ id: 1, body: HOSTILE }]);
  });

  it("binds UInt32, DateTime, Array(String) in IN and Identifier", async () => {
    const result = await client.query({
      query: `SELECT count() AS c FROM {table:Identifier}
              WHERE site IN {sites:Array(String)} AND ts >= {from:DateTime} AND visitor >= {min:UInt32}`,
      format: "JSONEachRow",
      query_params: { table: "events", sites: ["a.example", HOSTILE], from: "2024-05-02 00:00:00", min: 2 },
    });
    expect(await result.json()).toEqual([{ c: 1 }]);
  });

  it("takes parameters in a URL far above Node's 16 KB default, as ClickHouse does up to 1 MiB", async () => {
    const ids = Array.from({ length: 5_000 }, (_, i) => `evt_${String(i).padStart(60, "0")}`);
    const result = await client.query({ query: "SELECT length({ids:Array(String)}) AS n", format: "JSONEachRow", query_params: { ids } });
    expect(await result.json()).toEqual([{ n: 5000 }]);
  });

  it("keeps a parameter a value, never SQL", async () => {
    const result = await client.query({
      query: "SELECT count() AS c FROM events WHERE site = {site:String}",
      format: "JSONEachRow",
      query_params: { site: "a.example' OR 1=1 --" },
    });
    expect(await result.json()).toEqual([{ c: 0 }]);
  });
});

describe("errors", () => {
  it("reports an unknown table as ClickHouseError 60 UNKNOWN_TABLE with HTTP 404", async () => {
    const error = await rejection(client.query({ query: "SELECT * FROM missing_table", format: "JSONEachRow" }));
    expect(error.code).toBe("60");
    expect(error.type).toBe("UNKNOWN_TABLE");
    const response = await post("SELECT * FROM missing_table");
    expect(response.status).toBe(404);
    expect(response.headers.get("x-clickhouse-exception-code")).toBe("60");
    const text = await response.text();
    expect(text).toMatch(/^Code: 60\. DB::Exception: Unknown table expression identifier 'missing_table'.*\. \(UNKNOWN_TABLE\) /);
    expect(text).toMatch(VERSION_SUFFIX);
  });

  it("reports syntax errors, multi-statements and empty queries as code 62 with HTTP 400", async () => {
    const error = await rejection(client.query({ query: "SELEC 1" }));
    expect([error.code, error.type]).toEqual(["62", "SYNTAX_ERROR"]);
    for (const sql of ["SELECT 1; SELECT 2", "INSERT INTO events VALUES ('z', now(), 1, '/'); DROP TABLE events", " -- nothing"]) {
      const response = await post(sql);
      expect(response.status).toBe(400);
      expect(response.headers.get("x-clickhouse-exception-code")).toBe("62");
    }
    expect(await postText("EXISTS TABLE events")).toBe("1\n");
  });

  it("reports an unknown database as code 81 and readonly violations as code 164", async () => {
    const unknown = await post("SELECT 1", { database: "no_such_db" });
    expect([unknown.status, unknown.headers.get("x-clickhouse-exception-code")]).toEqual([404, "81"]);
    const readonly = await post("CREATE TABLE nope (a UInt8) ENGINE = Memory", { readonly: "1", max_threads: "2" });
    expect(readonly.headers.get("x-clickhouse-exception-code")).toBe("164");
    expect(await postText("SELECT getSetting('readonly'), getSetting('max_threads')", { max_threads: "2", readonly: "1" })).toBe("1\t2\n");
    const viaGet = await fetch(`${server.url}/?query=${encodeURIComponent("CREATE TABLE nope (a UInt8) ENGINE = Memory")}`);
    expect(viaGet.headers.get("x-clickhouse-exception-code")).toBe("164");
  });
});

describe("settings", () => {
  it("applies URL settings to their own request only", async () => {
    const quoted = await client.query({
      query: "SELECT toUInt64(5) AS n",
      format: "JSONEachRow",
      clickhouse_settings: { output_format_json_quote_64bit_integers: 1 },
    });
    expect(await quoted.json()).toEqual([{ n: "5" }]);
    const plain = await client.query({ query: "SELECT toUInt64(5) AS n", format: "JSONEachRow" });
    expect(await plain.json()).toEqual([{ n: 5 }]);
    expect(await postText("SELECT getSetting('max_threads') = 3", { max_threads: "3" })).toBe("1\n");
    expect(await postText("SELECT getSetting('max_threads') = 3")).toBe("0\n");
    const comment = await client.query({
      query: "SELECT getSetting('log_comment') AS c",
      format: "JSONEachRow",
      clickhouse_settings: { log_comment: "tab\there, back\\slash, quote' {x:String}" },
    });
    expect(await comment.json()).toEqual([{ c: "tab\there, back\\slash, quote' {x:String}" }]);
  });

  it("rejects unknown settings with code 115", async () => {
    const response = await post("SELECT 1", { no_such_setting: "1" });
    expect([response.status, response.headers.get("x-clickhouse-exception-code")]).toEqual([404, "115"]);
  });

  it("accepts async_insert and HTTP-only parameters, inserting synchronously", async () => {
    await client.insert({
      table: "events",
      values: [{ site: "async.example", ts: "2024-08-01 00:00:00", visitor: 1, path: "/" }],
      format: "JSONEachRow",
      clickhouse_settings: {
        async_insert: 1,
        wait_for_async_insert: 0,
        wait_end_of_query: 1,
        send_progress_in_http_headers: 1,
        insert_deduplication_token: "token-1",
        date_time_input_format: "best_effort",
      },
    });
    expect(await postText("SELECT count() FROM events WHERE site = 'async.example'")).toBe("1\n");
  });

  it("uses the database parameter and the X-ClickHouse-Database header", async () => {
    await client.command({ query: "CREATE DATABASE analytics" });
    await client.command({ query: "CREATE TABLE analytics.pages (path String) ENGINE = MergeTree ORDER BY path" });
    const scoped = newClient({ database: "analytics" });
    await scoped.insert({ table: "pages", values: [{ path: "/a" }, { path: "/b" }], format: "JSONEachRow" });
    const result = await scoped.query({ query: "SELECT count() AS c, currentDatabase() AS db FROM pages", format: "JSONEachRow" });
    expect(await result.json()).toEqual([{ c: 2, db: "analytics" }]);
    const viaHeader = await post("SELECT count() FROM pages", {}, { headers: { "X-ClickHouse-Database": "analytics" } });
    expect(await viaHeader.text()).toBe("2\n");
    expect((await post("SELECT count() FROM pages")).status).toBe(404);
  });
});

describe("sessions", () => {
  it("keeps temporary tables between requests of one session only", async () => {
    const session = newClient({ session_id: "session-a" });
    await session.command({ query: "CREATE TEMPORARY TABLE scratch (n UInt32)" });
    await session.command({ query: "INSERT INTO scratch VALUES (1), (2), (3)" });
    const result = await session.query({ query: "SELECT sum(n) AS total FROM scratch", format: "JSONEachRow" });
    expect(await result.json()).toEqual([{ total: 6 }]);
    const error = await rejection(client.query({ query: "SELECT * FROM scratch" }));
    expect(error.code).toBe("60");
  });

  it("scopes URL settings and database to one request but keeps the session's own SET", async () => {
    const params = { session_id: "session-b" };
    await postText("SET max_threads = 2", params);
    expect(await postText("SELECT getSetting('max_threads')", { ...params, max_threads: "5" })).toBe("5\n");
    expect(await postText("SELECT getSetting('max_threads')", { ...params, database: "analytics" })).toBe("2\n");
    expect(await postText("SELECT currentDatabase()", params)).toBe("default\n");
  });

  it("expires a session after its session_timeout", async () => {
    const params = { session_id: "session-short", session_timeout: "1" };
    await postText("CREATE TEMPORARY TABLE brief (n UInt8)", params);
    expect(await postText("SELECT count() FROM brief", { ...params, session_check: "1" })).toBe("0\n");
    await new Promise((resolve) => setTimeout(resolve, 1300));
    const expired = await post("SELECT count() FROM brief", { ...params, session_check: "1" });
    expect(expired.headers.get("x-clickhouse-exception-code")).toBe("372");
  });

  it("refuses unknown sessions with session_check=1 and concurrent use of one session", async () => {
    const unknown = await post("SELECT 1", { session_id: "never-created", session_check: "1" });
    expect(unknown.headers.get("x-clickhouse-exception-code")).toBe("372");
    const slow = post("SELECT sleep(0.5)", { session_id: "session-c" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const concurrent = await post("SELECT 1", { session_id: "session-c" });
    expect(concurrent.headers.get("x-clickhouse-exception-code")).toBe("373");
    expect((await slow).status).toBe(200);
  });
});

describe("compression", () => {
  it("accepts a gzip request body", async () => {
    const ndjson = '{"site":"gzip.example","ts":"2024-09-01 00:00:00","visitor":5,"path":"/"}\n'.repeat(3);
    const response = await post(zlib.gzipSync(ndjson), { query: "INSERT INTO events FORMAT JSONEachRow" }, {
      headers: { "Content-Encoding": "gzip" },
    });
    expect(summaryOf(response.headers).written_rows).toBe("3");
    const query = await post(zlib.gzipSync("SELECT count() FROM events WHERE site = 'gzip.example'"), {}, {
      headers: { "Content-Encoding": "gzip" },
    });
    expect(await query.text()).toBe("3\n");
  });

  it("gzips the response when enable_http_compression=1 and the client accepts gzip", async () => {
    const url = `${server.url}/?enable_http_compression=1&query=${encodeURIComponent("SELECT number FROM numbers(1000)")}`;
    const raw = await new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
      http.get(url, { headers: { "Accept-Encoding": "gzip" } }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ encoding: response.headers["content-encoding"], body: Buffer.concat(chunks) }));
      }).on("error", reject);
    });
    expect(raw.encoding).toBe("gzip");
    const numbers = Array.from({ length: 1000 }, (_, i) => `${i}\n`).join("");
    expect(zlib.gunzipSync(raw.body).toString()).toBe(numbers);
    const compressed = newClient({ compression: { response: true } });
    const result = await compressed.query({ query: "SELECT count() AS c FROM numbers(1000)", format: "JSONEachRow" });
    expect(await result.json()).toEqual([{ c: 1000 }]);
  });
});

describe("concurrency", () => {
  it("serves 60 concurrent inserts and parameterized selects with exact results", async () => {
    await client.command({ query: "CREATE TABLE hits (batch UInt32, n UInt32) ENGINE = MergeTree ORDER BY (batch, n)" });
    const inserts = Array.from({ length: 20 }, (_, batch) =>
      client.insert({
        table: "hits",
        values: Array.from({ length: 50 }, (_, n) => ({ batch, n })),
        format: "JSONEachRow",
      }),
    );
    const selects = Array.from({ length: 40 }, async (_, i) => {
      const result = await client.query({
        query: "SELECT {i:UInt32} * 2 AS doubled, {s:String} AS echo",
        format: "JSONEachRow",
        query_params: { i, s: `${HOSTILE}#${i}` },
      });
      return result.json();
    });
    // Written rows of an INSERT … SELECT come from the engine's global counters: exact only if no other write overlaps.
    const copies = Array.from({ length: 10 }, (_, i) =>
      client.command({ query: "INSERT INTO hits SELECT {batch:UInt32}, number FROM numbers(50)", query_params: { batch: 100 + i } }),
    );
    const [inserted, selected, copied] = await Promise.all([Promise.all(inserts), Promise.all(selects), Promise.all(copies)]);
    expect(inserted.map((each) => summaryOf(each.response_headers).written_rows)).toEqual(Array(20).fill("50"));
    expect(copied.map((each) => summaryOf(each.response_headers).written_rows)).toEqual(Array(10).fill("50"));
    expect(selected).toEqual(Array.from({ length: 40 }, (_, i) => [{ doubled: i * 2, echo: `${HOSTILE}#${i}` }]));
    const totals = await client.query({ query: "SELECT count() AS c, uniqExact(batch) AS b FROM hits", format: "JSONEachRow" });
    expect(await totals.json()).toEqual([{ c: 1500, b: 30 }]);
  }, 30_000);

  it("runs reads beside each other, as a real server does", async () => {
    // Each read notes when it started (now64 is its start time) and then sleeps a second: one at a time, they would start a second apart.
    const reads = Array.from({ length: 3 }, async () => {
      const result = await client.query({ query: "SELECT toUnixTimestamp64Milli(now64(3)) AS started, sleep(1) AS slept", format: "JSONEachRow" });
      return Number(((await result.json()) as { started: string }[])[0]!.started);
    });
    const started = await Promise.all(reads);
    expect(Math.max(...started) - Math.min(...started)).toBeLessThan(500);
  }, 30_000);
});

describe("command line", () => {
  const mainPath = fileURLToPath(new URL("./main.ts", import.meta.url));
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

  function runCli(env: Record<string, string>): { child: ChildProcess; output: Promise<{ code: number | null; stdout: string; stderr: string }> } {
    const child = spawn(process.execPath, ["--import", tsxLoader, mainPath], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const output = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      child.on("exit", (code) => resolve({ code, stdout, stderr })),
    );
    return { child, output };
  }

  async function firstLine(child: ChildProcess): Promise<string> {
    return new Promise((resolve, reject) => {
      let buffered = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        if (buffered.includes("\n")) resolve(buffered.split("\n")[0] ?? "");
      });
      child.on("exit", (code) => reject(new Error(`exited with ${code} before printing`)));
    });
  }

  it("starts, prints where it listens, serves queries and stops on SIGTERM", async () => {
    const cliDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixel-clickhouse-cli-"));
    scratchDirs.push(cliDir);
    const { child, output } = runCli({ PIXEL_CLICKHOUSE_PORT: "0", PIXEL_CLICKHOUSE_DATA: cliDir });
    const line = await firstLine(child);
    expect(line).toMatch(/^local ClickHouse \(chDB 26\.7\.3-stable\.1, ClickHouse 26\.7\.2\.1\) listening on http:\/\/127\.0\.0\.1:\d+, data in /);
    expect(line.endsWith(`data in ${cliDir}`)).toBe(true);
    const url = /listening on (\S+),/.exec(line)?.[1];
    expect(await (await fetch(`${url}/?query=SELECT%2040%2B2`)).text()).toBe("42\n");
    child.kill("SIGTERM");
    expect((await output).code).toBe(0);
  }, 30_000);

  it("exits 1 with advice when the data directory is locked or the port is taken", async () => {
    const locked = await runCli({ PIXEL_CLICKHOUSE_PORT: "0", PIXEL_CLICKHOUSE_DATA: dataDir }).output;
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain(`in use by another process (PID ${process.pid}`);
    expect(locked.stderr).toContain("PIXEL_CLICKHOUSE_DATA");
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixel-clickhouse-cli-"));
    scratchDirs.push(otherDir);
    const busyPort = await runCli({ PIXEL_CLICKHOUSE_PORT: String(server.port), PIXEL_CLICKHOUSE_DATA: otherDir }).output;
    expect(busyPort.code).toBe(1);
    expect(busyPort.stderr).toContain("already in use");
    expect(busyPort.stderr).toContain("PIXEL_CLICKHOUSE_PORT");
  }, 30_000);
});

describe("restart with a password and a small body limit", () => {
  const password = "s3cret:with colon";
  let countBefore: string;

  it("refuses a second server on the same directory in one process", async () => {
    await expect(startClickHouseServer({ dataDir, port: 0 })).rejects.toThrow(/already served/);
  });

  it("keeps the data after close and restart on the same directory", async () => {
    countBefore = await postText("SELECT count() FROM events");
    const oldUrl = server.url;
    const inFlight = post("SELECT sleep(0.3), 'finished'");
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.close();
    expect(await (await inFlight).text()).toBe("0\tfinished\n");
    await expect(fetch(`${oldUrl}/ping`)).rejects.toThrow();
    server = await startClickHouseServer({ dataDir, port: 0, password, maxBodyBytes: 1024 * 1024 });
    const authed = newClient({ password });
    const result = await authed.query({ query: "SELECT count() AS c FROM events", format: "TabSeparated" });
    expect(await result.text()).toBe(countBefore);
    expect(Number(countBefore)).toBeGreaterThan(10);
  }, 30_000);

  it("refuses queries without the right credentials with 401 and code 516", async () => {
    const anonymous = await post("SELECT 1");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("x-clickhouse-exception-code")).toBe("516");
    const error = await rejection(newClient({ password: "wrong" }).query({ query: "SELECT 1" }));
    expect([error.code, error.type]).toEqual(["516", "AUTHENTICATION_FAILED"]);
    expect((await fetch(`${server.url}/ping`)).status).toBe(200);
  });

  it("accepts Basic auth, X-ClickHouse-User/Key headers and user/password URL parameters", async () => {
    const basic = await post("SELECT 1", {}, { headers: { Authorization: `Basic ${Buffer.from(`default:${password}`).toString("base64")}` } });
    const headers = await post("SELECT 2", {}, { headers: { "X-ClickHouse-User": "default", "X-ClickHouse-Key": password } });
    const params = await post("SELECT 3", { user: "default", password });
    expect([await basic.text(), await headers.text(), await params.text()]).toEqual(["1\n", "2\n", "3\n"]);
  });

  it("refuses bodies over the limit, also after decompression, with 413 and code 229", async () => {
    const auth = { "X-ClickHouse-Key": password };
    const large = await post("SELECT 1 -- ".padEnd(2 * 1024 * 1024, "x"), {}, { headers: auth });
    expect([large.status, large.headers.get("x-clickhouse-exception-code")]).toEqual([413, "229"]);
    expect(await large.text()).toContain("smaller batches");
    const bomb = zlib.gzipSync(Buffer.alloc(8 * 1024 * 1024, " "));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const inflated = await post(bomb, {}, { headers: { ...auth, "Content-Encoding": "gzip" } });
    expect([inflated.status, inflated.headers.get("x-clickhouse-exception-code")]).toEqual([413, "229"]);
  });
});
