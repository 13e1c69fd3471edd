import type { Context } from "hono";
import { applyRetention, SITE_TABLES, type SiteTable } from "@pixel/lib/clickhouse/site-data";
import { createLogger } from "@pixel/lib/log/log";
import type { ApiContext, ApiEnv } from "../env";
import { withWriter } from "./clickhouse";

/** A site's latest retention change and how far applying it to the stored rows got (D1 0013_retention_jobs.sql). */
interface RetentionJobRow {
  site_id: string;
  retention_days: number;
  requested_at: number;
  steps_done: number;
  finished_at: number | null;
  error: string | null;
}

/** One step per per-site table. */
const RETENTION_STEPS = SITE_TABLES.length;

/** A change replaces the site's job, which starts over from the first table. */
export async function requestRetention(db: D1Database, siteId: string, retentionDays: number, now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO retention_jobs (site_id, retention_days, requested_at, steps_done) VALUES (?1, ?2, ?3, 0)
       ON CONFLICT (site_id) DO UPDATE SET retention_days = ?2, requested_at = ?3, steps_done = 0, finished_at = NULL, error = NULL`,
    )
    .bind(siteId, retentionDays, now)
    .run();
}

export async function retentionStatus(db: D1Database, siteId: string) {
  const job = await db.prepare("SELECT * FROM retention_jobs WHERE site_id = ?1").bind(siteId).first<RetentionJobRow>();
  if (!job) return null;
  return {
    retentionDays: job.retention_days,
    requestedAt: new Date(job.requested_at).toISOString(),
    steps: RETENTION_STEPS,
    stepsDone: job.steps_done,
    done: job.finished_at !== null,
    error: job.error,
  };
}

/**
 * Runs every unfinished job to its end (the cron, and right after a change). Each finished step is recorded, so a
 * run cut short resumes at the next table; a job replaced meanwhile by a newer change stops, and the newer one runs.
 */
export async function runRetentionJobs(env: ApiEnv, now: number): Promise<void> {
  const { results } = await env.DB.prepare("SELECT * FROM retention_jobs WHERE finished_at IS NULL").all<RetentionJobRow>();
  for (const job of results) {
    try {
      await withWriter(env, (client) => runJob(env.DB, job, now, (table) => applyRetention(client, table, job.site_id, job.retention_days, now)));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      createLogger("api").error("retention job failed", { siteId: job.site_id, error: message });
      await env.DB.prepare("UPDATE retention_jobs SET error = ?1 WHERE site_id = ?2 AND requested_at = ?3").bind(message, job.site_id, job.requested_at).run();
    }
  }
}

async function runJob(db: D1Database, job: RetentionJobRow, now: number, apply: (table: SiteTable) => Promise<void>) {
  for (let step = job.steps_done; step < RETENTION_STEPS; step++) {
    await apply(SITE_TABLES[step]!);
    const finished = step + 1 === RETENTION_STEPS ? now : null;
    const recorded = await db
      .prepare("UPDATE retention_jobs SET steps_done = ?1, finished_at = ?2, error = NULL WHERE site_id = ?3 AND requested_at = ?4")
      .bind(step + 1, finished, job.site_id, job.requested_at)
      .run();
    if (!recorded.meta.changes) return;
  }
}

/** Starts the jobs right after a change when the request can outlive its answer; else the cron picks them up. */
export function startRetentionJobs(c: Context<ApiContext>): void {
  let waitUntil: (work: Promise<unknown>) => void;
  try {
    waitUntil = c.executionCtx.waitUntil.bind(c.executionCtx);
  } catch {
    return;
  }
  waitUntil(runRetentionJobs(c.env, Date.now()));
}
