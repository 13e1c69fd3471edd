import { selectRows, type ClickHouseEnv } from "@pixel/lib/clickhouse/client";
import { withReader } from "../clickhouse";

/** The tables SQL widgets are meant to read; the schema browser lists only these. */
export const SCHEMA_TABLES = ["events", "dropped_hits"] as const;

export interface SchemaTable {
  name: string;
  columns: { name: string; type: string }[];
}

/** The columns of SCHEMA_TABLES in the api's ClickHouse database, in table order. */
export async function readSchema(env: ClickHouseEnv): Promise<SchemaTable[]> {
  const rows = await withReader(env, (client) =>
    selectRows<{ table: string; name: string; type: string }>(
      client,
      "SELECT table, name, type FROM system.columns WHERE database = currentDatabase() AND table IN {tables:Array(String)} ORDER BY table, position",
      { tables: [...SCHEMA_TABLES] },
    ),
  );
  return SCHEMA_TABLES.map((name) => ({
    name,
    columns: rows.filter((row) => row.table === name).map(({ name: column, type }) => ({ name: column, type })),
  })).filter((table) => table.columns.length > 0);
}
