import { and, eq } from "drizzle-orm";
import { reports } from "@pixel/lib/d1/schema";
import type { database } from "../db";

export type Db = ReturnType<typeof database>;

export const findReport = (db: Db, siteId: string, reportId: string) =>
  db.select().from(reports).where(and(eq(reports.id, reportId), eq(reports.siteId, siteId))).get();

export const noReport = (reportId: string) => ({ error: `reportId: no report ${reportId} on this site` });
