import { Hono } from "hono";
import { droppedHitsByDay } from "@pixel/lib/clickhouse/tables/dropped-hits";
import { withReader } from "../clickhouse";
import { DROP_REASONS } from "@pixel/lib/events/message";
import { addDays } from "@pixel/lib/time";
import type { ApiContext } from "../env";
import { requireSiteRole } from "../sites/access";
import { dropsRange } from "./range";
import { summarize } from "./summary";

/** Under /sites/:siteId/drops, for site viewers: dropped hits per reason and per UTC day. */
export const dropRoutes = new Hono<ApiContext>().use(requireSiteRole("viewer")).get("/", async (c) => {
  const range = dropsRange(c.req.query("from"), c.req.query("to"));
  if ("error" in range) return c.json({ error: range.error }, 400);
  const site = c.var.site;
  const rows = await withReader(c.env, (client) => droppedHitsByDay(client, site, range));
  return c.json(summarize(rows, range, DROP_REASONS, addDays));
});
