import type { CompiledQuery } from "./compile";

const WINDOW = "site_id = {site_id:String} AND timestamp > {now:DateTime64(3)} - INTERVAL 30 MINUTE AND timestamp <= {now:DateTime64(3)}";

/** Visitors in the last 5 and 30 minutes. Pure: no I/O. */
export function compileRealtimeVisitors(siteId: string, now: Date): CompiledQuery {
  return {
    sql: `SELECT uniqExactIf(visitor_id, timestamp > {now:DateTime64(3)} - INTERVAL 5 MINUTE) AS last_5_minutes, uniqExact(visitor_id) AS last_30_minutes
FROM events FINAL
WHERE ${WINDOW}`,
    params: { site_id: siteId, now: now.getTime() / 1000 },
  };
}

/** Where the visitors of the last 5 minutes are now: each visitor's latest pageview. */
export function compileRealtimePages(siteId: string, now: Date): CompiledQuery {
  return {
    sql: `SELECT page, count() AS visitors
FROM (
  SELECT visitor_id, argMax(pathname, timestamp) AS page
  FROM events FINAL
  WHERE ${WINDOW} AND timestamp > {now:DateTime64(3)} - INTERVAL 5 MINUTE AND name = 'pageview'
  GROUP BY visitor_id
)
GROUP BY page
ORDER BY visitors DESC, page ASC
LIMIT 100`,
    params: { site_id: siteId, now: now.getTime() / 1000 },
  };
}
