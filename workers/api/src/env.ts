import type { ClickHouseEnv } from "../../../lib/clickhouse/client";
import type { User } from "../../../lib/d1/schema";

export interface ApiEnv extends ClickHouseEnv {
  DB: D1Database;
  /** Signs session tokens; at least 32 characters. */
  PIXEL_SESSION_SECRET?: string;
}

export type ApiContext = { Bindings: ApiEnv; Variables: { user: User } };
