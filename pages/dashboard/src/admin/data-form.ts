import type { RetentionJob } from "./api";

/** The retention periods offered, in days; 0 keeps events forever. The api takes any whole number up to 36,500. */
export const RETENTION_CHOICES = [0, 30, 90, 180, 365, 730, 1825] as const;

export function retentionLabel(days: number): string {
  if (days === 0) return "Forever";
  if (days % 365 === 0) return days === 365 ? "1 year" : `${days / 365} years`;
  return `${days} days`;
}

/** The choices, with the site's own value among them when it was set to another number through the api. */
export function retentionOptions(current: number): { days: number; label: string }[] {
  const days = RETENTION_CHOICES.includes(current as (typeof RETENTION_CHOICES)[number]) ? [...RETENTION_CHOICES] : [...RETENTION_CHOICES, current].sort((a, b) => a - b);
  return days.map((value) => ({ days: value, label: retentionLabel(value) }));
}

/** What the page says about the latest retention change being applied to the stored data. */
export function retentionProgress(job: RetentionJob): string {
  const period = retentionLabel(job.retentionDays).toLowerCase();
  if (job.done) return `Applied to the stored data: events are kept ${job.retentionDays === 0 ? "forever" : `for ${period}`}.`;
  if (job.error) return `Applying it stopped after ${job.stepsDone} of ${job.steps} tables (${job.error}); it is tried again within 10 minutes.`;
  return `Applying to the stored data: ${job.stepsDone} of ${job.steps} tables done…`;
}

export type ExportFormat = "ndjson" | "csv";

export const exportUrl = (siteId: string, format: ExportFormat) => `/api/sites/${encodeURIComponent(siteId)}/export?format=${format}`;
