import { describe, expect, it } from "vitest";
import { exportUrl, retentionOptions, retentionProgress } from "./data-form";

describe("retention choices", () => {
  it("offers the usual periods, and keeps a site's own number among them in order", () => {
    expect(retentionOptions(365).map((option) => option.label)).toEqual(["Forever", "30 days", "90 days", "180 days", "1 year", "2 years", "5 years"]);
    expect(retentionOptions(400).map((option) => option.days)).toEqual([0, 30, 90, 180, 365, 400, 730, 1825]);
  });

  it("says how far a change got, where it stopped, and when it is done", () => {
    const job = { retentionDays: 30, requestedAt: "2026-12-06T11:00:00.000Z", steps: 4, stepsDone: 2, done: false, error: null };
    expect(retentionProgress(job)).toBe("Applying to the stored data: 2 of 4 tables done…");
    expect(retentionProgress({ ...job, error: "ClickHouse is unreachable" })).toContain("stopped after 2 of 4 tables (ClickHouse is unreachable)");
    expect(retentionProgress({ ...job, stepsDone: 4, done: true })).toBe("Applied to the stored data: events are kept for 30 days.");
    expect(retentionProgress({ ...job, retentionDays: 0, stepsDone: 4, done: true })).toBe("Applied to the stored data: events are kept forever.");
  });

  it("downloads through the export route", () => {
    expect(exportUrl("a b", "csv")).toBe("/api/sites/a%20b/export?format=csv");
  });
});
