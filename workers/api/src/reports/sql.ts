import { ClickHouseError, type ClickHouseSettings } from "@clickhouse/client-web";
import { selectRows, type ClickHouseEnv } from "@pixel/lib/clickhouse/client";
import { QUERY_LIMITS, withReader } from "../clickhouse";

/**
 * Result caps for admins' hand-written SQL, on top of QUERY_LIMITS.sqlEditor; the reader's grants (SELECT only, no
 * files or URLs) and its profile's bounds hold on the server itself.
 */
export const SQL_WIDGET_SETTINGS: ClickHouseSettings = {
  max_result_rows: "10000",
  max_result_bytes: "10000000",
  result_overflow_mode: "throw",
};

export type SqlParams = {
  site_id: string;
  /** Local wall-clock times in `timeZone`, the end exclusive. */
  from: string;
  to: string;
};

/** Why the text is not one SELECT (or WITH … SELECT) statement, or null when it is. */
export function notASelect(sql: string): string | null {
  const code = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, " ").trim().replace(/;\s*$/, "");
  if (!/^(select|with)\b/i.test(code)) return "sql: only SELECT (or WITH … SELECT) statements can be widgets";
  if (code.includes(";")) return "sql: one statement only";
  return null;
}

export class SqlRefused extends Error {}

/** Runs in the site's time zone, so {from} and {to} and the SQL's own date functions mean the site's days. */
export async function runReadOnlySql(
  env: ClickHouseEnv,
  sql: string,
  params: SqlParams,
  timeZone: string,
): Promise<Record<string, unknown>[]> {
  try {
    return await withReader(env, (client) => selectRows<Record<string, unknown>>(client, sql, params, { ...SQL_WIDGET_SETTINGS, session_timezone: timeZone }), QUERY_LIMITS.sqlEditor);
  } catch (error) {
    if (error instanceof ClickHouseError) throw new SqlRefused(`sql: ClickHouse refused it: ${error.message}`);
    throw error;
  }
}
