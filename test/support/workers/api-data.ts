import { selectRows } from "@pixel/lib/clickhouse/client";
import { adminClickHouse } from "../../setup/clickhouse";
import { apiEnv } from "./api";
import worker from "@pixel/workers/api/src/index";

/** Test helpers for the data routes: raw responses (exports are not JSON) and direct ClickHouse reads. */
export async function fetchApi(path: string, init: RequestInit & { cookie: string }): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("cookie", init.cookie);
  return worker.fetch(new Request(`http://pixel.test/api${path}`, { ...init, headers }), apiEnv);
}

export async function countRows(table: string, siteId: string): Promise<number> {
  const client = adminClickHouse(apiEnv);
  try {
    const [row] = await selectRows<{ n: number }>(client, `SELECT count() AS n FROM ${table} FINAL WHERE site_id = {site:String}`, { site: siteId });
    return Number(row!.n);
  } finally {
    await client.close();
  }
}

export const clickHouse = () => adminClickHouse(apiEnv);
